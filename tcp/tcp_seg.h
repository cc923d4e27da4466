/* tcp/tcp_seg.h: one received TCP segment, parsed and bounds-checked (the only reader of untrusted TCP bytes). */
#ifndef RIAD_TCP_TCP_SEG_H
#define RIAD_TCP_TCP_SEG_H

#include <stddef.h>
#include <stdint.h>

#include "tcp_wire.h"

/* Which options a segment carried (struct tcp_seg.opts). */
#define TCP_SEG_MSS 0x01
#define TCP_SEG_WS 0x02
#define TCP_SEG_SACK_OK 0x04
#define TCP_SEG_TS 0x08
#define TCP_SEG_SACK 0x10

struct tcp_sack_block {
	uint32_t start, end; /* [start, end) in sequence space */
};

/* A parsed segment. data points into the caller's buffer (borrowed). */
struct tcp_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;          /* TCP_FIN ... TCP_CWR */
	uint16_t wnd;           /* as on the wire, not yet scaled */
	uint16_t urp;
	uint8_t hlen;           /* header length with options, 20..60 */
	const uint8_t *data;    /* payload */
	uint32_t len;           /* payload bytes */
	uint8_t opts;           /* TCP_SEG_* */
	uint16_t mss;           /* TCP_SEG_MSS: never 0 */
	uint8_t wscale;         /* TCP_SEG_WS: clamped to TCP_WS_MAX */
	uint32_t tsval, tsecr;  /* TCP_SEG_TS */
	uint8_t nsack;          /* TCP_SEG_SACK: 1..4 blocks, as sent */
	struct tcp_sack_block sack[TCP_SACK_BLOCKS_MAX];
};

/* Why a segment could not be parsed; each has its drop counter. */
enum tcp_seg_err {
	TCP_SEG_OK = 0,
	TCP_SEG_ERR_SHORT = -1,   /* fewer than 20 bytes */
	TCP_SEG_ERR_OFFSET = -2,  /* data offset below 5 or beyond the segment */
	TCP_SEG_ERR_OPTION = -3,  /* option length 0 or 1, overrunning, or wrong for its kind */
	TCP_SEG_ERR_MSS = -4,     /* MSS option with the value 0 */
	TCP_SEG_ERR_URG = -5,     /* URG with the urgent pointer beyond the data */
	TCP_SEG_ERR_FLAGS = -6,   /* SYN with FIN or with RST */
	TCP_SEG_ERR_PORT = -7,    /* source or destination port 0 */
};

/* Parse len bytes at p (the TCP header onward). Returns TCP_SEG_OK and
 * fills s, or a negative enum tcp_seg_err (s is then partly filled). Does
 * not look at the checksum (that needs the addresses: tcp_seg_csum_ok). */
int tcp_seg_parse(const uint8_t *p, size_t len, struct tcp_seg *s);

/* Whether the checksum of the len-byte segment at p, sent from src to dst
 * (host order), verifies. */
int tcp_seg_csum_ok(const uint8_t *p, size_t len, uint32_t src, uint32_t dst);

/* Sequence space the segment occupies: payload plus one for SYN, one for FIN. */
static inline uint32_t tcp_seg_seqlen(const struct tcp_seg *s)
{
	return s->len + ((s->flags & TCP_SYN) ? 1u : 0u) + ((s->flags & TCP_FIN) ? 1u : 0u);
}

#endif
