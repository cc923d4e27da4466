/* tcp/tcp_seg.c: parsing a received TCP header and its options through the bounds-checked reader. */
#include "tcp_seg.h"

#include <string.h>

#include "net.h"
#include "wire.h"

/* RFC 9293 3.1 and 3.2: options are EOL, NOP, or kind-length-data with a
 * length counting kind and length, so a length below 2 cannot be skipped
 * and running past the header cannot be trusted; both drop the segment
 * (the issue asks for drops, and a peer that sends them is broken or
 * hostile). Known kinds must have their RFC length. */
static int tcp_seg_options(struct wire_rd *r, struct tcp_seg *s)
{
	while (wire_left(r) > 0) {
		uint8_t kind = wire_u8(r);
		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP)
			continue;
		if (wire_left(r) < 1)
			return TCP_SEG_ERR_OPTION;
		uint8_t olen = wire_u8(r);
		if (olen < 2 || (size_t)olen - 2 > wire_left(r))
			return TCP_SEG_ERR_OPTION;
		struct wire_rd o = wire_rd(wire_take(r, (size_t)olen - 2), (size_t)olen - 2);
		switch (kind) {
		case TCP_OPT_MSS:
			if (olen != TCP_OPT_MSS_LEN)
				return TCP_SEG_ERR_OPTION;
			s->mss = wire_u16(&o);
			if (s->mss == 0)
				return TCP_SEG_ERR_MSS;
			s->opts |= TCP_SEG_MSS;
			break;
		case TCP_OPT_WS:
			if (olen != TCP_OPT_WS_LEN)
				return TCP_SEG_ERR_OPTION;
			s->wscale = wire_u8(&o);
			/* RFC 7323 2.3: a shift above 14 is used as 14. */
			if (s->wscale > TCP_WS_MAX)
				s->wscale = TCP_WS_MAX;
			s->opts |= TCP_SEG_WS;
			break;
		case TCP_OPT_SACK_OK:
			if (olen != TCP_OPT_SACK_OK_LEN)
				return TCP_SEG_ERR_OPTION;
			s->opts |= TCP_SEG_SACK_OK;
			break;
		case TCP_OPT_TS:
			if (olen != TCP_OPT_TS_LEN)
				return TCP_SEG_ERR_OPTION;
			s->tsval = wire_u32(&o);
			s->tsecr = wire_u32(&o);
			s->opts |= TCP_SEG_TS;
			break;
		case TCP_OPT_SACK: {
			size_t n = ((size_t)olen - 2) / TCP_OPT_SACK_BLOCK;
			if (((size_t)olen - 2) % TCP_OPT_SACK_BLOCK != 0 || n == 0 || n > TCP_SACK_BLOCKS_MAX)
				return TCP_SEG_ERR_OPTION;
			for (size_t i = 0; i < n; i++) {
				s->sack[i].start = wire_u32(&o);
				s->sack[i].end = wire_u32(&o);
			}
			s->nsack = (uint8_t)n;
			s->opts |= TCP_SEG_SACK;
			break;
		}
		default:
			break; /* unknown kinds are skipped (RFC 9293 3.2: MUST ignore) */
		}
		if (o.err)
			return TCP_SEG_ERR_OPTION;
	}
	return r->err ? TCP_SEG_ERR_OPTION : TCP_SEG_OK;
}

int tcp_seg_parse(const uint8_t *p, size_t len, struct tcp_seg *s)
{
	memset(s, 0, sizeof(*s));
	if (len < TCP_HDR_LEN)
		return TCP_SEG_ERR_SHORT;
	struct wire_rd r = wire_rd(p, len);
	s->sport = wire_u16(&r);
	s->dport = wire_u16(&r);
	s->seq = wire_u32(&r);
	s->ack = wire_u32(&r);
	uint8_t off = wire_u8(&r);
	s->flags = wire_u8(&r);
	s->wnd = wire_u16(&r);
	(void)wire_u16(&r); /* checksum: tcp_seg_csum_ok */
	s->urp = wire_u16(&r);
	if (r.err)
		return TCP_SEG_ERR_SHORT;
	size_t hlen = (size_t)(off >> 4) * 4;
	if (hlen < TCP_HDR_LEN || hlen > len)
		return TCP_SEG_ERR_OFFSET;
	s->hlen = (uint8_t)hlen;
	s->data = p + hlen;
	s->len = (uint32_t)(len - hlen);
	if (s->sport == 0 || s->dport == 0)
		return TCP_SEG_ERR_PORT;
	uint8_t f = s->flags;
	/* SYN opens, FIN and RST close: together they are nonsense (and a
	 * classic scan); refused before any state looks at them. */
	if ((f & TCP_SYN) && (f & (TCP_FIN | TCP_RST)))
		return TCP_SEG_ERR_FLAGS;
	/* RFC 9293 3.8.5 (RFC 6093): the urgent pointer is the offset of the
	 * byte after the urgent data; riad does not deliver urgent data apart,
	 * and a pointer past this segment's data is refused as the issue asks. */
	if ((f & TCP_URG) && s->urp > s->len)
		return TCP_SEG_ERR_URG;
	struct wire_rd o = wire_rd(p + TCP_HDR_LEN, hlen - TCP_HDR_LEN);
	return tcp_seg_options(&o, s);
}

int tcp_seg_csum_ok(const uint8_t *p, size_t len, uint32_t src, uint32_t dst)
{
	if (len > 0xffff)
		return 0;
	uint32_t sum = wire_csum_pseudo4(src, dst, NET_PROTO_TCP, (uint16_t)len);
	return wire_csum_fold(wire_csum_add(sum, p, len)) == 0;
}
