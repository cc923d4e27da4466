/* netif/netif_vnet.c: the virtio-net header for a frame the stack marked
 * (netif_vnet.h). */
#include <string.h>

#include <riad/netif.h>

#include "netif_vnet.h"

int riad_netif_vnet_fill(struct riad_vnet_hdr *vh, const struct riad_pbuf *p)
{
	memset(vh, 0, sizeof(*vh));
	if (!(p->offload & RIAD_PBUF_TX_CSUM_TCP4) && !p->gso_size)
		return 0;
	const uint8_t *d = p->data;
	size_t ip = RIAD_NETIF_HDR_MIN;
	if (p->len < ip + 20 || d[12] != 0x08 || d[13] != 0x00 || d[ip] >> 4 != 4 || d[ip + 9] != 6)
		return -1;
	size_t tcp = ip + (size_t)(d[ip] & 0xf) * 4;
	if (p->len < tcp + 20)
		return -1;
	size_t hlen = tcp + (size_t)(d[tcp + 12] >> 4) * 4;
	if (p->len < hlen)
		return -1;
	vh->flags = RIAD_VNET_F_NEEDS_CSUM;
	vh->csum_start = (uint16_t)tcp;
	vh->csum_offset = 16;
	if (p->gso_size && p->len - hlen > p->gso_size) {
		vh->gso_type = RIAD_VNET_GSO_TCPV4;
		vh->gso_size = p->gso_size;
		vh->hdr_len = (uint16_t)hlen;
	}
	return 0;
}
