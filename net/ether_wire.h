/* net/ether_wire.h: the Ethernet II header on the wire (IEEE 802.3, RFC 894). */
#ifndef RIAD_NET_ETHER_WIRE_H
#define RIAD_NET_ETHER_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ETHER_ADDR_LEN 6
#define ETHER_HDR_LEN 14
/* Shortest frame on the medium without the FCS; shorter frames we build
 * (ARP) are padded with zeros to it. */
#define ETHER_MIN_FRAME 60

/* EtherTypes. Values below 0x0600 are 802.3 lengths, not types. */
#define ETHER_TYPE_MIN 0x0600
#define ETHER_TYPE_IPV4 0x0800
#define ETHER_TYPE_ARP 0x0806
#define ETHER_TYPE_VLAN 0x8100

struct ether_hdr {
	uint8_t dst[ETHER_ADDR_LEN];
	uint8_t src[ETHER_ADDR_LEN];
	uint8_t type[2];
} __attribute__((packed));

_Static_assert(sizeof(struct ether_hdr) == ETHER_HDR_LEN, "ether_hdr size");
_Static_assert(offsetof(struct ether_hdr, src) == 6, "ether_hdr.src");
_Static_assert(offsetof(struct ether_hdr, type) == 12, "ether_hdr.type");

#endif
