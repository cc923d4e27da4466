/* tests/unit/test_tcp_limits.c: every TCP table and queue stays within its riad/opt.h bound under floods (connections, TIME-WAIT, out-of-order ranges, SACK scoreboard, listeners, output queue), and what each limit does when reached. */
#include "test_tcp.h"

/* A SYN flood from distinct ports: the connection table stops at
 * RIAD_TCP_CONNS_MAX (or the backlog), the rest is answered statelessly. */
static void syn_flood_is_bounded(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l;
	REQUIRE(tcp_listen(h.st, 0, 80, RIAD_TCP_BACKLOG_MAX, &l) == 0);
	unsigned n = RIAD_TCP_BACKLOG_MAX + 500;
	for (unsigned i = 0; i < n; i++) {
		th_send(&h, (uint16_t)(1024 + i), 80, TCP_SYN, i * 1000u, 0, 65535, NULL, NULL, 0);
		th_clear(&h);
	}
	CHECK_INT(h.st->nconns, RIAD_TCP_BACKLOG_MAX);
	CHECK_INT(th_stats(&h)->syncookies_tx, 500);
	CHECK_INT(th_stats(&h)->tx, n);
	/* Unanswered half-open connections go after their SYN,ACK retries. */
	th_run_timers_discard(&h, h.now + 300 * TH_S);
	CHECK_INT(h.st->nconns, 0);
	CHECK_INT(tcp_next_deadline(h.st), TCP_NEVER);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* More connections than RIAD_TCP_CONNS_MAX: connect refuses, listeners
 * fall back to cookies. */
static void connection_table_limit(void)
{
	struct th h;
	th_init(&h);
	static struct tcp_conn *c[RIAD_TCP_CONNS_MAX];
	for (unsigned i = 0; i < RIAD_TCP_CONNS_MAX; i++) {
		REQUIRE(tcp_connect(h.st, TH_US, 0, TH_PEER, (uint16_t)(1 + i % 60000), h.now, &h.out,
		                    &c[i]) == 0);
		th_clear(&h);
	}
	struct tcp_conn *x;
	CHECK_INT(tcp_connect(h.st, TH_US, 0, TH_PEER, 9, h.now, &h.out, &x), -RIAD_ENOBUFS);
	struct tcp_listener *l;
	REQUIRE(tcp_listen(h.st, 0, 80, 8, &l) == 0);
	th_send(&h, 4000, 80, TCP_SYN, 1, 0, 65535, NULL, NULL, 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	CHECK_INT(th_stats(&h)->syncookies_tx, 1);
	CHECK_INT(h.st->nconns, RIAD_TCP_CONNS_MAX);
	for (unsigned i = 0; i < RIAD_TCP_CONNS_MAX; i++)
		tcp_abort(c[i], h.now, &h.out);
	th_clear(&h);
	CHECK_INT(h.st->nconns, 0);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* TIME-WAIT entries beyond RIAD_TCP_TIMEWAIT_MAX end early, oldest first. */
static void time_wait_table_limit(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	unsigned n = RIAD_TCP_TIMEWAIT_MAX + 10;
	for (unsigned i = 0; i < n; i++) {
		struct th_conn tc;
		REQUIRE(th_accept(&h, &l, &tc, NULL, (uint16_t)(1024 + i)));
		/* We close first and the peer answers: TIME-WAIT is ours. */
		tcp_close(tc.c, h.now, &h.out);
		th_peer(&h, &tc, TCP_ACK | TCP_FIN, tc.peer_seq, tc.our_seq + 1, 65535, NULL, 0);
		th_clear(&h);
	}
	CHECK_INT(h.st->timewait.n, RIAD_TCP_TIMEWAIT_MAX);
	CHECK_INT(h.st->nconns, RIAD_TCP_TIMEWAIT_MAX);
	CHECK_INT(th_stats(&h)->timewait_recycled, 10);
	/* The oldest ones went: a segment for the first gets a RST. */
	th_send(&h, 1024, 80, TCP_ACK, 5, 5, 65535, NULL, NULL, 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_RST));
	th_run_timers_discard(&h, h.now + 2 * RIAD_TCP_MSL_NS);
	CHECK_INT(h.st->nconns, 0);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* Segments that would need more than RIAD_TCP_OOO_MAX separate ranges are
 * dropped and counted; the data arrives later intact. */
static void out_of_order_table_limit(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = 7, .sack_ok = true };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	static uint8_t data[RIAD_TCP_RCV_BUF];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ (i >> 9));
	uint32_t p = tc.peer_seq;
	/* Every other 100-byte piece, from 100 on: 40 ranges offered. */
	for (unsigned i = 1; i <= 40; i++)
		th_peer(&h, &tc, TCP_ACK, p + 200 * i, tc.our_seq, 65535, data + 200 * i, 100);
	CHECK_INT(tc.c->nooo, RIAD_TCP_OOO_MAX);
	CHECK_INT(th_stats(&h)->ooo_full, 40 - RIAD_TCP_OOO_MAX);
	CHECK_INT(th_stats(&h)->ooo_segs, RIAD_TCP_OOO_MAX);
	struct th_seg s;
	while (th_pop(&h, &s)) {
		CHECK(s.s.nsack >= 1 && s.s.nsack <= 4);
		CHECK_INT(s.s.ack, p);
	}
	/* Then everything in order (the retransmission). */
	for (unsigned i = 0; i < 82; i++)
		th_peer(&h, &tc, TCP_ACK, p + 100 * i, tc.our_seq, 65535, data + 100 * i, 100);
	th_clear(&h);
	static uint8_t got[RIAD_TCP_RCV_BUF];
	CHECK_INT(tcp_recv(tc.c, got, sizeof(got), h.now, &h.out), 8200);
	CHECK_MEM(got, data, 8200);
	CHECK_INT(tc.c->nooo, 0);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

/* A peer reporting more SACK ranges than RIAD_TCP_SACK_MAX: the scoreboard
 * stays bounded and sorted. */
static void sack_scoreboard_limit(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 100, .ws = -1, .sack_ok = true };
	REQUIRE(th_connect(&h, &tc, &o));
	static uint8_t buf[10000];
	CHECK_INT(tcp_send(tc.c, buf, sizeof(buf), h.now, &h.out), sizeof(buf));
	th_clear(&h);
	uint32_t u = tc.our_seq;
	for (unsigned i = 0; i < 40; i++) {
		struct th_opt so = { .ws = -1, .nsack = 1,
		                     .sack = { { u + 200 * i + 100, u + 200 * i + 150 } } };
		th_send(&h, 4000, 5000, TCP_ACK, tc.peer_seq, u, 65535, &so, NULL, 0);
	}
	CHECK(tc.c->nsacked <= RIAD_TCP_SACK_MAX);
	for (unsigned i = 1; i < tc.c->nsacked; i++)
		CHECK(seq_gt(tc.c->sacked[i].start, tc.c->sacked[i - 1].end));
	/* Blocks outside [SND.UNA, SND.MAX] are ignored. */
	unsigned before = tc.c->nsacked;
	struct th_opt bad = { .ws = -1, .nsack = 2,
	                      .sack = { { u - 500, u - 100 }, { u + 20000, u + 20100 } } };
	th_send(&h, 4000, 5000, TCP_ACK, tc.peer_seq, u, 65535, &bad, NULL, 0);
	CHECK_INT(tc.c->nsacked, before);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void listener_limits(void)
{
	struct th h;
	th_init(&h);
	static struct tcp_listener *l[RIAD_TCP_LISTENERS_MAX];
	for (unsigned i = 0; i < RIAD_TCP_LISTENERS_MAX; i++)
		REQUIRE(tcp_listen(h.st, 0, (uint16_t)(100 + i), 1, &l[i]) == 0);
	struct tcp_listener *x;
	CHECK_INT(tcp_listen(h.st, 0, 99, 1, &x), -RIAD_ENOBUFS);
	CHECK_INT(tcp_listen(h.st, 0, 100, 1, &x), -RIAD_EADDRINUSE);
	CHECK_INT(tcp_listen(h.st, 0, 0, 1, &x), -RIAD_EINVAL);
	tcp_listener_close(l[0], h.now, &h.out);
	CHECK_INT(tcp_listen(h.st, TH_US, 100, 1, &x), 0); /* a specific address next to... */
	tcp_listener_close(x, h.now, &h.out);
	for (unsigned i = 1; i < RIAD_TCP_LISTENERS_MAX; i++)
		tcp_listener_close(l[i], h.now, &h.out);
	th_done(&h);
}

/* A full output queue: TCP defers data (and ACKs owed), counts what it
 * had to drop, and catches up through the timers once drained. */
static void full_output_queue(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 100, .ws = 7 };
	REQUIRE(th_connect(&h, &tc, &o));
	/* Make the peer's window and our cwnd large. */
	tc.c->cc.cwnd = 1000000;
	static uint8_t buf[60000];
	CHECK_INT(tcp_send(tc.c, buf, sizeof(buf), h.now, &h.out), sizeof(buf));
	CHECK_INT(h.out.n, RIAD_NET_TXQ_MAX - TCP_TXQ_RESERVE);
	CHECK_INT(tcp_next_deadline(h.st), h.now);
	th_clear(&h);
	uint32_t total = 0;
	for (int i = 0; i < 10 && total < sizeof(buf); i++) {
		tcp_timers(h.st, h.now, &h.out);
		struct th_seg s;
		while (th_pop(&h, &s))
			total += s.s.len;
	}
	CHECK_INT(total + (RIAD_NET_TXQ_MAX - TCP_TXQ_RESERVE) * 100, sizeof(buf));
	/* Filled to the brim by someone else: RSTs and ACKs are dropped and
	 * counted. */
	while (net_txq_space(&h.out))
		net_txq_push(&h.out, 0, 0, 6, riad_pbuf_alloc(0, 1));
	th_send(&h, 4000, 81, TCP_SYN, 1, 0, 65535, NULL, NULL, 0);
	CHECK_INT(th_stats(&h)->tx_overflow, 1);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

int main(void)
{
	RUN(syn_flood_is_bounded);
	RUN(connection_table_limit);
	RUN(time_wait_table_limit);
	RUN(out_of_order_table_limit);
	RUN(sack_scoreboard_limit);
	RUN(listener_limits);
	RUN(full_output_queue);
	return check_done();
}
