/* tcp/tcp_wire.h: the TCP header and option layouts on the wire (RFC 9293 3.1, RFC 7323, RFC 2018). */
#ifndef RIAD_TCP_TCP_WIRE_H
#define RIAD_TCP_TCP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define TCP_HDR_LEN 20     /* data offset 5 */
#define TCP_HDR_MAX 60     /* data offset 15 */
#define TCP_OPT_MAX 40     /* TCP_HDR_MAX - TCP_HDR_LEN */

/* Control bits (the low byte of the flags word; NS and the reserved bits
 * are ignored on input and sent as zero). */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

/* Option kinds; EOL and NOP are one byte, every other one is kind, length
 * (counting both bytes), data. */
#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2        /* length 4: MSS (RFC 9293 3.7.1) */
#define TCP_OPT_WS 3         /* length 3: shift count (RFC 7323 2) */
#define TCP_OPT_SACK_OK 4    /* length 2: SACK permitted (RFC 2018 2) */
#define TCP_OPT_SACK 5       /* length 2 + 8n: left, right edges (RFC 2018 3) */
#define TCP_OPT_TS 8         /* length 10: TSval, TSecr (RFC 7323 3) */

#define TCP_OPT_MSS_LEN 4
#define TCP_OPT_WS_LEN 3
#define TCP_OPT_SACK_OK_LEN 2
#define TCP_OPT_TS_LEN 10
#define TCP_OPT_SACK_BLOCK 8
#define TCP_SACK_BLOCKS_MAX 4 /* (40 - 2) / 8 */

#define TCP_WS_MAX 14        /* RFC 7323 2.3: larger shifts are taken as 14 */

struct tcp_hdr {
	uint8_t sport[2];
	uint8_t dport[2];
	uint8_t seq[4];
	uint8_t ack[4];
	uint8_t off;      /* data offset in 32-bit words << 4, reserved bits */
	uint8_t flags;
	uint8_t wnd[2];
	uint8_t csum[2];
	uint8_t urp[2];
} __attribute__((packed));

_Static_assert(sizeof(struct tcp_hdr) == TCP_HDR_LEN, "tcp_hdr size");
_Static_assert(offsetof(struct tcp_hdr, seq) == 4, "tcp_hdr.seq");
_Static_assert(offsetof(struct tcp_hdr, ack) == 8, "tcp_hdr.ack");
_Static_assert(offsetof(struct tcp_hdr, off) == 12, "tcp_hdr.off");
_Static_assert(offsetof(struct tcp_hdr, flags) == 13, "tcp_hdr.flags");
_Static_assert(offsetof(struct tcp_hdr, wnd) == 14, "tcp_hdr.wnd");
_Static_assert(offsetof(struct tcp_hdr, csum) == 16, "tcp_hdr.csum");
_Static_assert(offsetof(struct tcp_hdr, urp) == 18, "tcp_hdr.urp");

#endif
