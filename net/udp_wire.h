/* net/udp_wire.h: the UDP header on the wire (RFC 768). */
#ifndef RIAD_NET_UDP_WIRE_H
#define RIAD_NET_UDP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define UDP_HDR_LEN 8

struct udp_hdr {
	uint8_t sport[2];
	uint8_t dport[2];
	uint8_t len[2];  /* header and data */
	uint8_t csum[2]; /* 0: none was computed; a computed 0 is sent as 0xffff */
} __attribute__((packed));

_Static_assert(sizeof(struct udp_hdr) == UDP_HDR_LEN, "udp_hdr size");
_Static_assert(offsetof(struct udp_hdr, len) == 4, "udp_hdr.len");
_Static_assert(offsetof(struct udp_hdr, csum) == 6, "udp_hdr.csum");

#endif
