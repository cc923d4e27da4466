/* netif/netif_vnet.h: the virtio-net header that a Linux tap attached with
 * IFF_VNET_HDR puts before every frame, and how riad's offload marks
 * (riad/pbuf.h) map to it. Shared by the devices that speak it: the unix
 * tap (runtime/unix/netif_tap.c) and the spt device over riad-spt's net
 * extension (runtime/solo5/netif_solo5.c, abi/mft.h). Private to them.
 *
 * The layout is Linux's struct virtio_net_hdr without mergeable buffers
 * (10 bytes, host byte order: the legacy header a tap uses unless told
 * otherwise); netif_tap.c checks it against <linux/virtio_net.h>. */
#ifndef RIAD_NETIF_VNET_H
#define RIAD_NETIF_VNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/netif.h>
#include <riad/pbuf.h>

struct riad_vnet_hdr {
	uint8_t flags;        /* RIAD_VNET_F_* */
	uint8_t gso_type;     /* RIAD_VNET_GSO_* */
	uint16_t hdr_len;     /* GSO: Ethernet, IP and TCP headers */
	uint16_t gso_size;    /* GSO: payload bytes per segment */
	uint16_t csum_start;  /* NEEDS_CSUM: sum from here to the end */
	uint16_t csum_offset; /* ... into csum_start + this */
};

#define RIAD_VNET_HDR_LEN 10u
#define RIAD_VNET_F_NEEDS_CSUM 1u
#define RIAD_VNET_F_DATA_VALID 2u
#define RIAD_VNET_GSO_NONE 0u
#define RIAD_VNET_GSO_TCPV4 1u

_Static_assert(sizeof(struct riad_vnet_hdr) == RIAD_VNET_HDR_LEN, "virtio-net header size");

/* The header for sending p: what its marks ask of the host (a complete
 * TCP checksum, segmentation into gso_size pieces), all zero for an
 * unmarked frame. The offsets come from the frame itself (Ethernet, IPv4
 * with its IHL, TCP with its data offset), which the stack wrote. -1 if p
 * is marked but is not TCP/IPv4 that long: a stack bug, to be dropped
 * rather than sent with a checksum nobody completes. */
int riad_netif_vnet_fill(struct riad_vnet_hdr *vh, const struct riad_pbuf *p);

/* The marks a received frame gets from its header: NEEDS_CSUM (the bytes
 * never crossed a wire; the field holds a partial sum) and DATA_VALID (the
 * host checked) both mean RIAD_PBUF_RX_CSUM_OK. */
static inline uint8_t riad_netif_vnet_rx_marks(const struct riad_vnet_hdr *vh)
{
	return vh->flags & (RIAD_VNET_F_NEEDS_CSUM | RIAD_VNET_F_DATA_VALID) ? RIAD_PBUF_RX_CSUM_OK
	                                                                     : 0;
}

/* Whether a received frame of len bytes (after the header, if vnet) is
 * one to keep: with the header it may exceed the MTU (the host's TSO and
 * coalesced segments), up to RIAD_NETIF_GSO_MAX; without, the MTU's
 * bounds (riad_netif_len_ok). */
static inline bool riad_netif_vnet_rx_len_ok(const struct riad_netif *nif, bool vnet, size_t len)
{
	return vnet ? len >= RIAD_NETIF_HDR_MIN && len <= RIAD_NETIF_GSO_MAX
	            : riad_netif_len_ok(nif, len);
}

#endif
