/* tests/unit/test_tcp_dsack.c: duplicate segments counted apart from drops (dup_segs, dup_bytes), the D-SACK blocks (RFC 2883) their ACKs carry, and the sender ignoring D-SACK blocks below SND.UNA. */
#include <stdio.h>

#include "test_tcp.h"

static uint8_t data[8000];

static void ack_of(struct th *h, struct th_seg *s, uint32_t ack, uint8_t nsack)
{
	REQUIRE(th_expect(h, s, TCP_ACK));
	CHECK_INT(s->s.ack, ack);
	CHECK_INT(s->s.nsack, nsack);
	CHECK_INT((s->s.opts & TCP_SEG_SACK) != 0, nsack != 0);
}

static void check_block(const struct th_seg *s, unsigned i, uint32_t start, uint32_t end)
{
	CHECK_INT(s->s.sack[i].start, start);
	CHECK_INT(s->s.sack[i].end, end);
}

/* Data below RCV.NXT again: ACKed at once with a D-SACK block naming it,
 * counted as dup_segs and not out_of_window; the next ACK has no SACK. */
static void duplicate_below_rcv_nxt(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1, .sack_ok = true };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct th_seg s;
	uint32_t p = tc.peer_seq;
	th_peer(&h, &tc, TCP_ACK, p, tc.our_seq, 65535, data, 1000);
	th_peer(&h, &tc, TCP_ACK, p + 1000, tc.our_seq, 65535, data + 1000, 1000);
	ack_of(&h, &s, p + 2000, 0);
	/* The peer's RTO fired before our ACK arrived: 0..1000 again. */
	th_peer(&h, &tc, TCP_ACK, p, tc.our_seq, 65535, data, 1000);
	ack_of(&h, &s, p + 2000, 1);
	check_block(&s, 0, p, p + 1000);
	CHECK_INT(th_pending(&h), 0);
	struct riad_tcp_stats *st = th_stats(&h);
	CHECK_INT(st->dup_segs, 1);
	CHECK_INT(st->dup_bytes, 1000);
	CHECK_INT(st->out_of_window, 0);
	/* Reported once: the next ACK carries no SACK option. */
	th_peer(&h, &tc, TCP_ACK, p + 2000, tc.our_seq, 65535, data + 2000, 1000);
	th_peer(&h, &tc, TCP_ACK, p + 3000, tc.our_seq, 65535, data + 3000, 1000);
	ack_of(&h, &s, p + 4000, 0);
	/* Partly duplicate: only the old part is named, and the segment is
	 * not a duplicate one (dup_segs unchanged). */
	th_peer(&h, &tc, TCP_ACK, p + 3500, tc.our_seq, 65535, data + 3500, 1000);
	ack_of(&h, &s, p + 4500, 1);
	check_block(&s, 0, p + 3500, p + 4000);
	CHECK_INT(st->dup_segs, 1);
	CHECK_INT(st->dup_bytes, 1500);
	/* Far below RCV.NXT (more than a receive buffer): out of window, no
	 * D-SACK. */
	th_peer(&h, &tc, TCP_ACK, p - 0x40000000u, tc.our_seq, 65535, data, 100);
	ack_of(&h, &s, p + 4500, 0);
	CHECK_INT(st->out_of_window, 1);
	CHECK_INT(st->dup_segs, 1);
	/* A keepalive with an old sequence number (Linux's: no data). */
	th_peer(&h, &tc, TCP_ACK, p + 4499, tc.our_seq, 65535, NULL, 0);
	ack_of(&h, &s, p + 4500, 0);
	CHECK_INT(st->dup_segs, 2);
	CHECK_INT(st->out_of_window, 1);
	uint8_t buf[8000];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 4500);
	CHECK_MEM(buf, data, 4500);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* A duplicate of a range held out of order: the D-SACK block, then the
 * held range containing it (RFC 2883 4), then the other ranges. */
static void duplicate_of_a_held_range(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1, .sack_ok = true };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct th_seg s;
	uint32_t p = tc.peer_seq;
	th_peer(&h, &tc, TCP_ACK, p + 1000, tc.our_seq, 65535, data + 1000, 1000);
	ack_of(&h, &s, p, 1);
	th_peer(&h, &tc, TCP_ACK, p + 5000, tc.our_seq, 65535, data + 5000, 1000);
	ack_of(&h, &s, p, 2);
	th_peer(&h, &tc, TCP_ACK, p + 2000, tc.our_seq, 65535, data + 2000, 1000);
	ack_of(&h, &s, p, 2);
	check_block(&s, 0, p + 1000, p + 3000);
	check_block(&s, 1, p + 5000, p + 6000);
	th_peer(&h, &tc, TCP_ACK, p + 1000, tc.our_seq, 65535, data + 1000, 1000);
	ack_of(&h, &s, p, 3);
	check_block(&s, 0, p + 1000, p + 2000);
	check_block(&s, 1, p + 1000, p + 3000);
	check_block(&s, 2, p + 5000, p + 6000);
	struct riad_tcp_stats *st = th_stats(&h);
	CHECK_INT(st->dup_segs, 1);
	CHECK_INT(st->dup_bytes, 1000);
	CHECK_INT(st->out_of_window + st->ooo_full, 0);
	/* Half new, half held: the held half is named. */
	th_peer(&h, &tc, TCP_ACK, p + 4500, tc.our_seq, 65535, data + 4500, 1000);
	ack_of(&h, &s, p, 3);
	check_block(&s, 0, p + 5000, p + 5500);
	check_block(&s, 1, p + 4500, p + 6000);
	check_block(&s, 2, p + 1000, p + 3000);
	CHECK_INT(st->dup_segs, 1);
	CHECK_INT(st->dup_bytes, 1500);
	/* The hole filled: nothing held, no SACK. */
	th_peer(&h, &tc, TCP_ACK, p, tc.our_seq, 65535, data, 1000);
	ack_of(&h, &s, p + 3000, 1);
	th_peer(&h, &tc, TCP_ACK, p + 3000, tc.our_seq, 65535, data + 3000, 1500);
	ack_of(&h, &s, p + 6000, 0);
	uint8_t buf[8000];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 6000);
	CHECK_MEM(buf, data, 6000);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* Without SACK permitted: the duplicate is counted the same, its ACK has
 * no SACK option. */
static void no_dsack_without_sack(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1 };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct th_seg s;
	uint32_t p = tc.peer_seq;
	th_peer(&h, &tc, TCP_ACK, p, tc.our_seq, 65535, data, 1000);
	th_peer(&h, &tc, TCP_ACK, p + 1000, tc.our_seq, 65535, data + 1000, 1000);
	ack_of(&h, &s, p + 2000, 0);
	th_peer(&h, &tc, TCP_ACK, p + 1000, tc.our_seq, 65535, data + 1000, 1000);
	ack_of(&h, &s, p + 2000, 0);
	th_peer(&h, &tc, TCP_ACK, p + 3000, tc.our_seq, 65535, data + 3000, 1000);
	ack_of(&h, &s, p + 2000, 0);
	th_peer(&h, &tc, TCP_ACK, p + 3000, tc.our_seq, 65535, data + 3000, 1000);
	ack_of(&h, &s, p + 2000, 0);
	CHECK_INT(th_stats(&h)->dup_segs, 2);
	CHECK_INT(th_stats(&h)->dup_bytes, 2000);
	CHECK_INT(th_stats(&h)->out_of_window, 0);
	CHECK(tc.c->dsack.start == tc.c->dsack.end);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* In a burst, ACKs of in-order data are held to its end; a duplicate's ACK
 * goes at once, carrying the cumulative ACK and the D-SACK block, and
 * leaves nothing held. */
static void duplicate_in_a_burst(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1, .sack_ok = true };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct th_seg s;
	uint32_t p = tc.peer_seq;
	tcp_input_begin(h.st);
	for (uint32_t i = 0; i < 4; i++)
		th_peer(&h, &tc, TCP_ACK, p + 1000 * i, tc.our_seq, 65535, data + 1000 * i, 1000);
	CHECK_INT(th_pending(&h), 0);
	th_peer(&h, &tc, TCP_ACK, p + 2000, tc.our_seq, 65535, data + 2000, 1000);
	ack_of(&h, &s, p + 4000, 1);
	check_block(&s, 0, p + 2000, p + 3000);
	th_peer(&h, &tc, TCP_ACK, p + 4000, tc.our_seq, 65535, data + 4000, 1000);
	tcp_input_end(h.st, h.now, &h.out);
	CHECK_INT(th_pending(&h), 0); /* one segment since: the delayed-ACK timer */
	th_run_timers(&h, h.now + RIAD_TCP_DELACK_NS);
	ack_of(&h, &s, p + 5000, 0);
	CHECK_INT(th_stats(&h)->dup_segs, 1);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* The peer's FIN again in TIME-WAIT: a duplicate, not a drop; its ACK names
 * the FIN's sequence number as a D-SACK block. */
static void duplicate_fin_in_time_wait(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1, .sack_ok = true };
	REQUIRE(th_connect(&h, &tc, &o));
	struct th_seg s;
	uint32_t p = tc.peer_seq;
	REQUIRE(tcp_shutdown_write(tc.c, h.now, &h.out) == 0);
	REQUIRE(th_expect(&h, &s, TCP_FIN | TCP_ACK));
	th_peer(&h, &tc, TCP_FIN | TCP_ACK, p, tc.our_seq + 1, 65535, NULL, 0);
	ack_of(&h, &s, p + 1, 0);
	CHECK_INT(tcp_conn_state(tc.c), TCP_TIME_WAIT);
	th_peer(&h, &tc, TCP_FIN | TCP_ACK, p, tc.our_seq + 1, 65535, NULL, 0);
	ack_of(&h, &s, p + 1, 1);
	check_block(&s, 0, p, p + 1);
	CHECK_INT(th_stats(&h)->dup_segs, 1);
	CHECK_INT(th_stats(&h)->dup_bytes, 0);
	CHECK_INT(th_stats(&h)->out_of_window, 0);
	CHECK_INT(tcp_conn_state(tc.c), TCP_TIME_WAIT);
	tcp_close(tc.c, h.now, &h.out);
	th_clear(&h);
	th_run_timers_discard(&h, h.now + 2 * RIAD_TCP_MSL_NS + TH_S);
	th_done(&h);
}

/* Our sender given D-SACK blocks (at or below SND.UNA) takes nothing from
 * them into its scoreboard; a normal block beside one still counts. */
static void sender_ignores_dsack_below_snd_una(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1000, .ws = -1, .sack_ok = true };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct th_seg s;
	uint32_t u = tc.our_seq, p = tc.peer_seq;
	CHECK_INT(tcp_send(tc.c, data, 4000, h.now, &h.out), 4000);
	CHECK_INT(th_pending(&h), 4);
	th_clear(&h);
	/* The first segment ACKed, with a D-SACK of it (the peer had it twice). */
	struct th_opt so = { .ws = -1, .nsack = 1, .sack = { { u, u + 1000 } } };
	th_send(&h, tc.rport, tc.lport, TCP_ACK, p, u + 1000, 65535, &so, NULL, 0);
	CHECK_INT(tc.c->nsacked, 0);
	CHECK_INT(th_stats(&h)->sack_blocks_rx, 0);
	/* Duplicate ACKs whose only block lies below SND.UNA: no scoreboard,
	 * no SACK-driven recovery (two of them stay below DupThresh). */
	so.sack[0] = (struct tcp_range){ u + 500, u + 1000 };
	th_send(&h, tc.rport, tc.lport, TCP_ACK, p, u + 1000, 65535, &so, NULL, 0);
	th_send(&h, tc.rport, tc.lport, TCP_ACK, p, u + 1000, 65535, &so, NULL, 0);
	CHECK_INT(tc.c->nsacked, 0);
	CHECK(!tc.c->in_recovery);
	CHECK_INT(th_stats(&h)->sack_blocks_rx, 0);
	CHECK_INT(th_stats(&h)->fast_retransmits, 0);
	/* A D-SACK block first, then a normal one: only the normal one. */
	so.nsack = 2;
	so.sack[0] = (struct tcp_range){ u, u + 1000 };
	so.sack[1] = (struct tcp_range){ u + 2000, u + 3000 };
	th_send(&h, tc.rport, tc.lport, TCP_ACK, p, u + 1000, 65535, &so, NULL, 0);
	CHECK_INT(tc.c->nsacked, 1);
	CHECK_INT(tc.c->sacked[0].start, u + 2000);
	CHECK_INT(tc.c->sacked[0].end, u + 3000);
	CHECK_INT(th_stats(&h)->sack_blocks_rx, 1);
	(void)s;
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_clear(&h);
	th_done(&h);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	RUN(duplicate_below_rcv_nxt);
	RUN(duplicate_of_a_held_range);
	RUN(no_dsack_without_sack);
	RUN(duplicate_in_a_burst);
	RUN(duplicate_fin_in_time_wait);
	RUN(sender_ignores_dsack_below_snd_una);
	return check_done();
}
