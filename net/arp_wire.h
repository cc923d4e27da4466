/* net/arp_wire.h: the ARP packet for IPv4 over Ethernet on the wire (RFC 826). */
#ifndef RIAD_NET_ARP_WIRE_H
#define RIAD_NET_ARP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ARP_LEN 28            /* the whole packet for Ethernet/IPv4 */
#define ARP_HTYPE_ETHER 1     /* ar$hrd */
#define ARP_PTYPE_IPV4 0x0800 /* ar$pro */
#define ARP_HLEN_ETHER 6      /* ar$hln */
#define ARP_PLEN_IPV4 4       /* ar$pln */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

struct arp_pkt {
	uint8_t htype[2];
	uint8_t ptype[2];
	uint8_t hlen;
	uint8_t plen;
	uint8_t op[2];
	uint8_t sha[6]; /* sender hardware address */
	uint8_t spa[4]; /* sender protocol address */
	uint8_t tha[6]; /* target hardware address */
	uint8_t tpa[4]; /* target protocol address */
} __attribute__((packed));

_Static_assert(sizeof(struct arp_pkt) == ARP_LEN, "arp_pkt size");
_Static_assert(offsetof(struct arp_pkt, op) == 6, "arp_pkt.op");
_Static_assert(offsetof(struct arp_pkt, sha) == 8, "arp_pkt.sha");
_Static_assert(offsetof(struct arp_pkt, spa) == 14, "arp_pkt.spa");
_Static_assert(offsetof(struct arp_pkt, tha) == 18, "arp_pkt.tha");
_Static_assert(offsetof(struct arp_pkt, tpa) == 24, "arp_pkt.tpa");

#endif
