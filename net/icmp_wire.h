/* net/icmp_wire.h: ICMP messages on the wire (RFC 792, RFC 1191). */
#ifndef RIAD_NET_ICMP_WIRE_H
#define RIAD_NET_ICMP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ICMP_HDR_LEN 8 /* type, code, checksum, and 4 bytes that depend on the type */

#define ICMP_ECHO_REPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO_REQUEST 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMP_REPLY 14

/* Destination unreachable codes. */
#define ICMP_UNREACH_NET 0
#define ICMP_UNREACH_HOST 1
#define ICMP_UNREACH_PROTO 2
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_NEEDFRAG 4 /* next-hop MTU in the low 16 bits of the rest (RFC 1191) */

/* Parameter problem code: the first octet of the rest points at the octet
 * of the quoted header at fault. */
#define ICMP_PARAM_POINTER 0

/* Errors quote the offending datagram's header and at least 8 bytes of its
 * data; we quote as much as keeps the whole error within 576 bytes (RFC 1812
 * 4.3.2.3), the datagram size every host accepts. */
#define ICMP_ERR_MAX_LEN 576

struct icmp_hdr {
	uint8_t type;
	uint8_t code;
	uint8_t csum[2];
	uint8_t rest[4]; /* echo: id, seq; unreachable: unused, or next-hop MTU; parameter problem: pointer, unused */
} __attribute__((packed));

_Static_assert(sizeof(struct icmp_hdr) == ICMP_HDR_LEN, "icmp_hdr size");
_Static_assert(offsetof(struct icmp_hdr, csum) == 2, "icmp_hdr.csum");
_Static_assert(offsetof(struct icmp_hdr, rest) == 4, "icmp_hdr.rest");

#endif
