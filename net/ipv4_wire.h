/* net/ipv4_wire.h: the IPv4 header on the wire (RFC 791) and special addresses (RFC 1122, RFC 5735). */
#ifndef RIAD_NET_IPV4_WIRE_H
#define RIAD_NET_IPV4_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_MIN 20   /* IHL 5 */
#define IPV4_HDR_MAX 60   /* IHL 15 */
#define IPV4_MAX_LEN 65535
#define IPV4_MIN_MTU 68   /* RFC 791: every host must take 68-byte datagrams */

/* flags_frag: 3 flag bits, then the offset in 8-byte units. */
#define IPV4_FLAG_RESERVED 0x8000
#define IPV4_FLAG_DF 0x4000
#define IPV4_FLAG_MF 0x2000
#define IPV4_FRAG_OFFSET_MASK 0x1fff

/* Options (RFC 791 section 3.1): these two are one byte long, every other
 * one is type, length (counting both), data. */
#define IPV4_OPT_EOL 0
#define IPV4_OPT_NOP 1
#define IPV4_OPT_RR 7      /* record route: type, length, pointer, addresses */
#define IPV4_OPT_TS 68     /* timestamp: type, length, pointer, overflow << 4 | flag, entries */
#define IPV4_OPT_LSRR 131  /* loose source and record route: as record route */
#define IPV4_OPT_SSRR 137  /* strict source and record route: as record route */
#define IPV4_OPT_RA 148    /* router alert (RFC 2113): type, length 4, value */

/* Timestamp flags (the low 4 bits of its fourth octet). */
#define IPV4_TS_ONLY 0     /* 4-byte timestamps */
#define IPV4_TS_ADDR 1     /* address, timestamp pairs */
#define IPV4_TS_PRESPEC 3  /* addresses given by the sender, each with room for its timestamp */

#define IPV4_BROADCAST 0xffffffffu
#define IPV4_ANY 0u

struct ipv4_hdr {
	uint8_t ver_ihl;    /* version << 4 | header length in 32-bit words */
	uint8_t tos;
	uint8_t total_len[2];
	uint8_t id[2];
	uint8_t flags_frag[2];
	uint8_t ttl;
	uint8_t proto;
	uint8_t csum[2];
	uint8_t src[4];
	uint8_t dst[4];
} __attribute__((packed));

_Static_assert(sizeof(struct ipv4_hdr) == IPV4_HDR_MIN, "ipv4_hdr size");
_Static_assert(offsetof(struct ipv4_hdr, total_len) == 2, "ipv4_hdr.total_len");
_Static_assert(offsetof(struct ipv4_hdr, flags_frag) == 6, "ipv4_hdr.flags_frag");
_Static_assert(offsetof(struct ipv4_hdr, ttl) == 8, "ipv4_hdr.ttl");
_Static_assert(offsetof(struct ipv4_hdr, csum) == 10, "ipv4_hdr.csum");
_Static_assert(offsetof(struct ipv4_hdr, src) == 12, "ipv4_hdr.src");
_Static_assert(offsetof(struct ipv4_hdr, dst) == 16, "ipv4_hdr.dst");

/* Address classes, host byte order. */
#define IPV4_IS_MULTICAST(a) (((a) & 0xf0000000u) == 0xe0000000u) /* 224/4 */
#define IPV4_IS_CLASS_E(a) (((a) & 0xf0000000u) == 0xf0000000u)   /* 240/4, incl. broadcast */
#define IPV4_IS_LOOPBACK(a) (((a) & 0xff000000u) == 0x7f000000u)  /* 127/8 */
#define IPV4_IS_THIS_NET(a) (((a) & 0xff000000u) == 0)            /* 0/8 */

#endif
