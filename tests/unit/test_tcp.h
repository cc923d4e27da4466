/* tests/unit/test_tcp.h: the TCP tests' harness: one stack, a fake peer that crafts segments into tcp_input, and the segments TCP queued, parsed back. */
#ifndef RIAD_TESTS_TEST_TCP_H
#define RIAD_TESTS_TEST_TCP_H

#include <stdlib.h>
#include <string.h>

#include <riad/pbuf.h>

#include "tcp.h"
#include "tcp_int.h"
#include "tcp_seg.h"
#include "wire.h"
#include "check.h"

#define TH_US 0x0a000001u   /* 10.0.0.1: the stack under test */
#define TH_PEER 0x0a000002u /* 10.0.0.2: the crafted peer */
#define TH_MS (1000 * 1000LL)
#define TH_S (1000 * TH_MS)

static const uint8_t th_secret[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

/* Options of a crafted segment. */
struct th_opt {
	uint16_t mss;    /* 0: none */
	int ws;          /* -1: none */
	bool sack_ok;
	bool ts;
	uint32_t tsval, tsecr;
	uint8_t nsack;
	struct tcp_range sack[4];
	/* raw option bytes instead of the above, if rawlen */
	const uint8_t *raw;
	size_t rawlen;
};

static const struct th_opt th_noopt = { .ws = -1 };

/* A segment TCP sent, parsed; data copied. */
struct th_seg {
	struct tcp_seg s;
	uint32_t src, dst;
	uint8_t data[2048];
	bool csum_ok;
};

struct th {
	struct tcp_stack *st;
	struct net_txq out;
	int64_t now;
	size_t live0;
	size_t next; /* next segment of out to pop */
};

static inline void th_init(struct th *h)
{
	memset(h, 0, sizeof(*h));
	h->live0 = riad_pbuf_live();
	h->st = tcp_stack_create(th_secret, NULL);
	h->now = 1000 * TH_S;
}

static inline void th_clear(struct th *h)
{
	net_txq_clear(&h->out);
	h->next = 0;
}

/* Free everything and check that no pbuf leaked. */
static inline void th_done(struct th *h)
{
	th_clear(h);
	tcp_stack_destroy(h->st);
	CHECK_INT(riad_pbuf_live(), h->live0);
}

static inline struct riad_tcp_stats *th_stats(struct th *h)
{
	return tcp_stack_stats(h->st);
}

/* Build a segment from the peer (sport -> dport) into a new pbuf. */
static inline struct riad_pbuf *th_build(uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq,
                                         uint32_t ack, uint16_t wnd, const struct th_opt *o,
                                         const void *data, size_t len)
{
	uint8_t opt[60];
	size_t olen = 0;
	if (o && o->rawlen) {
		memcpy(opt, o->raw, o->rawlen);
		olen = o->rawlen;
	} else if (o) {
		if (o->mss) {
			opt[olen++] = 2, opt[olen++] = 4;
			wire_put16(opt + olen, o->mss);
			olen += 2;
		}
		if (o->ws >= 0)
			opt[olen++] = 1, opt[olen++] = 3, opt[olen++] = 3, opt[olen++] = (uint8_t)o->ws;
		if (o->sack_ok)
			opt[olen++] = 1, opt[olen++] = 1, opt[olen++] = 4, opt[olen++] = 2;
		if (o->ts) {
			opt[olen++] = 1, opt[olen++] = 1, opt[olen++] = 8, opt[olen++] = 10;
			wire_put32(opt + olen, o->tsval);
			wire_put32(opt + olen + 4, o->tsecr);
			olen += 8;
		}
		if (o->nsack) {
			opt[olen++] = 1, opt[olen++] = 1, opt[olen++] = 5;
			opt[olen++] = (uint8_t)(2 + 8 * o->nsack);
			for (int i = 0; i < o->nsack; i++) {
				wire_put32(opt + olen, o->sack[i].start);
				wire_put32(opt + olen + 4, o->sack[i].end);
				olen += 8;
			}
		}
		while (olen % 4)
			opt[olen++] = 0;
	}
	size_t hlen = 20 + olen;
	struct riad_pbuf *p = riad_pbuf_alloc(64, hlen + len);
	uint8_t *b = p->data;
	memset(b, 0, 20);
	wire_put16(b, sport);
	wire_put16(b + 2, dport);
	wire_put32(b + 4, seq);
	wire_put32(b + 8, ack);
	b[12] = (uint8_t)((hlen / 4) << 4);
	b[13] = flags;
	wire_put16(b + 14, wnd);
	memcpy(b + 20, opt, olen);
	if (len)
		memcpy(b + hlen, data, len);
	uint32_t sum = wire_csum_pseudo4(TH_PEER, TH_US, 6, (uint16_t)p->len);
	wire_put16(b + 16, wire_csum_fold(wire_csum_add(sum, b, p->len)));
	return p;
}

/* Feed a segment from the peer's port 4000 (or sport) to our port dport. */
static inline void th_send(struct th *h, uint16_t sport, uint16_t dport, uint8_t flags, uint32_t seq,
                           uint32_t ack, uint16_t wnd, const struct th_opt *o, const void *data,
                           size_t len)
{
	tcp_input(h->st, TH_PEER, TH_US, th_build(sport, dport, flags, seq, ack, wnd, o, data, len),
	          h->now, &h->out);
}

/* Segments queued and not yet popped. */
static inline size_t th_pending(const struct th *h)
{
	return h->out.n - h->next;
}

/* Pop (parse) the next queued segment; false if none. */
static inline bool th_pop(struct th *h, struct th_seg *s)
{
	if (h->next >= h->out.n)
		return false;
	struct net_ip_tx *t = &h->out.items[h->next++];
	memset(s, 0, sizeof(*s));
	s->src = t->src;
	s->dst = t->dst;
	s->csum_ok = tcp_seg_csum_ok(t->p->data, t->p->len, t->src, t->dst);
	int r = tcp_seg_parse(t->p->data, t->p->len, &s->s);
	CHECK_INT(r, 0);
	CHECK(s->csum_ok);
	CHECK(riad_pbuf_headroom(t->p) >= NET_HEADROOM);
	CHECK_INT(t->proto, 6);
	size_t n = s->s.len < sizeof(s->data) ? s->s.len : sizeof(s->data);
	memcpy(s->data, s->s.data, n);
	s->s.data = s->data;
	if (h->next == h->out.n)
		th_clear(h);
	return true;
}

/* Pop and expect exactly these flags; returns the segment. */
static inline bool th_expect(struct th *h, struct th_seg *s, uint8_t flags)
{
	if (!th_pop(h, s)) {
		CHECK(!"a segment was expected");
		return false;
	}
	if ((s->s.flags & ~TCP_PSH) != (flags & ~TCP_PSH)) {
		check_fail_int(__FILE__, __LINE__, "flags", s->s.flags, flags);
		return false;
	}
	return true;
}

/* Run timers until `until` (jumping to each deadline); the output stays
 * queued for the test to look at. */
static inline void th_run_timers(struct th *h, int64_t until)
{
	for (;;) {
		int64_t d = tcp_next_deadline(h->st);
		if (d > until)
			break;
		if (d > h->now)
			h->now = d;
		if (net_txq_space(&h->out) <= TCP_TXQ_RESERVE) {
			CHECK(!"the output queue filled up: pop or clear it");
			break;
		}
		tcp_timers(h->st, h->now, &h->out);
	}
	h->now = until;
}

/* The same, throwing the output away. */
static inline void th_run_timers_discard(struct th *h, int64_t until)
{
	for (;;) {
		int64_t d = tcp_next_deadline(h->st);
		if (d > until)
			break;
		if (d > h->now)
			h->now = d;
		tcp_timers(h->st, h->now, &h->out);
		th_clear(h);
	}
	h->now = until;
}

/* ---- a connection driven to ESTABLISHED ---- */

struct th_conn {
	struct tcp_conn *c;
	uint16_t lport, rport;
	uint32_t our_seq;  /* our side's next sequence number (SND.NXT) */
	uint32_t peer_seq; /* the crafted peer's next sequence number */
};

/* Passive open on port 80 from peer port 4000 with options o (and the
 * same options echoed on the final ACK). */
static inline bool th_accept(struct th *h, struct tcp_listener **lp, struct th_conn *tc,
                             const struct th_opt *o, uint16_t rport)
{
	struct tcp_listener *l = *lp;
	if (!l && tcp_listen(h->st, 0, 80, 16, lp) != 0)
		return false;
	l = *lp;
	struct th_seg s;
	uint32_t isn = 1000000;
	th_send(h, rport, 80, TCP_SYN, isn, 0, 65535, o, NULL, 0);
	if (!th_expect(h, &s, TCP_SYN | TCP_ACK))
		return false;
	CHECK_INT(s.s.ack, isn + 1);
	struct th_opt o2 = o ? *o : th_noopt;
	o2.mss = 0;
	o2.ws = -1;
	o2.sack_ok = false;
	o2.tsecr = s.s.tsval;
	th_send(h, rport, 80, TCP_ACK, isn + 1, s.s.seq + 1, 65535, &o2, NULL, 0);
	tc->c = tcp_accept(l);
	if (!tc->c)
		return false;
	tc->lport = 80;
	tc->rport = rport;
	tc->our_seq = s.s.seq + 1;
	tc->peer_seq = isn + 1;
	return true;
}

/* Active open to the peer's port 4000 from our port 5000. */
static inline bool th_connect(struct th *h, struct th_conn *tc, const struct th_opt *o)
{
	struct th_seg s;
	if (tcp_connect(h->st, TH_US, 5000, TH_PEER, 4000, h->now, &h->out, &tc->c) != 0)
		return false;
	if (!th_expect(h, &s, TCP_SYN))
		return false;
	uint32_t isn = 7000000;
	struct th_opt o2 = o ? *o : th_noopt;
	o2.tsecr = s.s.tsval;
	th_send(h, 4000, 5000, TCP_SYN | TCP_ACK, isn, s.s.seq + 1, 65535, &o2, NULL, 0);
	if (!th_expect(h, &s, TCP_ACK))
		return false;
	tc->lport = 5000;
	tc->rport = 4000;
	tc->our_seq = s.s.seq;
	tc->peer_seq = isn + 1;
	return tcp_conn_state(tc->c) == TCP_ESTABLISHED;
}

/* Send from the peer on an established th_conn (options: none). */
static inline void th_peer(struct th *h, struct th_conn *tc, uint8_t flags, uint32_t seq, uint32_t ack,
                           uint16_t wnd, const void *data, size_t len)
{
	th_send(h, tc->rport, tc->lport, flags, seq, ack, wnd, NULL, data, len);
}

#endif
