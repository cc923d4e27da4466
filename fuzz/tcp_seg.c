/* fuzz/tcp_seg.c: libFuzzer target for tcp_seg_parse, the one reader of received TCP headers and options.
 *
 * Input: the bytes of a TCP segment (header onward). Checks that the parse
 * stays inside the input (ASan), that a segment it accepts is consistent
 * (header length 20..60 and within the input, payload exactly the rest,
 * option values in range), that it is deterministic, and that the same
 * bytes through a stack with a listener neither crash nor leak. */
#include <stdlib.h>
#include <string.h>

#include <riad/pbuf.h>

#include "tcp.h"
#include "tcp_seg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tcp_stack *st;
static struct tcp_listener *l;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65535)
		return 0;
	/* An exact-size copy, so that ASan sees any read past the end. */
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	struct tcp_seg s, t;
	int r = tcp_seg_parse(b, size, &s);
	if (r > 0 || r < TCP_SEG_ERR_PORT)
		abort();
	if (r == TCP_SEG_OK) {
		if (s.hlen < 20 || s.hlen > 60 || s.hlen % 4 || s.hlen > size)
			abort();
		if (s.data != b + s.hlen || s.len != size - s.hlen)
			abort();
		if ((s.opts & TCP_SEG_MSS) && s.mss == 0)
			abort();
		if ((s.opts & TCP_SEG_WS) && s.wscale > TCP_WS_MAX)
			abort();
		if ((s.opts & TCP_SEG_SACK) != 0 && (s.nsack < 1 || s.nsack > TCP_SACK_BLOCKS_MAX))
			abort();
		if (!(s.opts & TCP_SEG_SACK) && s.nsack)
			abort();
		if ((s.flags & TCP_URG) && s.urp > s.len)
			abort();
		if (s.sport == 0 || s.dport == 0)
			abort();
	}
	if (tcp_seg_parse(b, size, &t) != r || (r == TCP_SEG_OK && memcmp(&s, &t, sizeof(s)) != 0))
		abort();
	(void)tcp_seg_csum_ok(b, size, 0x0a000002, 0x0a000001);

	/* The same bytes as a received segment, to a stack listening on the
	 * destination port. */
	if (!st) {
		static const uint8_t secret[32] = { 7 };
		st = tcp_stack_create(secret, NULL);
		if (!st || tcp_listen(st, 0, 80, 4, &l) != 0)
			abort();
	}
	size_t live = riad_pbuf_live();
	struct riad_pbuf *p = riad_pbuf_alloc(64, size);
	if (!p)
		abort();
	memcpy(p->data, b, size);
	if (size >= 4) {
		p->data[2] = 0;
		p->data[3] = 80;
	}
	static struct net_txq out;
	tcp_input(st, 0x0a000002, 0x0a000001, p, 1000000000LL, &out);
	for (size_t i = 0; i < out.n; i++) {
		struct tcp_seg o;
		if (tcp_seg_parse(out.items[i].p->data, out.items[i].p->len, &o) != TCP_SEG_OK)
			abort();
		if (!tcp_seg_csum_ok(out.items[i].p->data, out.items[i].p->len, out.items[i].src,
		                     out.items[i].dst))
			abort();
	}
	net_txq_clear(&out);
	/* Half-open connections the SYNs made are the stack's, not leaks; keep
	 * the stack small by starting over now and then. */
	if (riad_pbuf_live() != live)
		abort();
	static unsigned n;
	if (++n % 256 == 0) {
		tcp_stack_destroy(st);
		st = NULL;
	}
	free(b);
	return 0;
}
