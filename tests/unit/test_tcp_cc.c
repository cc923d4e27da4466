/* tests/unit/test_tcp_cc.c: congestion control on an ACK clock (slow start, NewReno's linear growth, CUBIC's concave-then-convex curve and its 0.7 decrease, restart after idle), MSS negotiation and clamping, and ICMP errors. */
#include <stdio.h>

#include "test_tcp.h"

static uint8_t junk[RIAD_TCP_SND_BUF];

/* One round trip: fill the send buffer (fill), take what TCP sends, and
 * after rtt ACK every segment. Returns the segments sent. */
static int round_trip_fill(struct th *h, struct th_conn *tc, int64_t rtt, bool fill)
{
	while (fill && tcp_send(tc->c, junk, sizeof(junk), h->now, &h->out) > 0)
		;
	uint32_t ends[RIAD_NET_TXQ_MAX];
	int n = 0;
	struct th_seg s;
	while (th_pop(h, &s))
		if (s.s.len && n < RIAD_NET_TXQ_MAX)
			ends[n++] = s.s.seq + s.s.len;
	h->now += rtt;
	for (int i = 0; i < n; i++)
		th_peer(h, tc, TCP_ACK, tc->peer_seq, ends[i], 65535, NULL, 0);
	return n;
}

static int round_trip(struct th *h, struct th_conn *tc, int64_t rtt)
{
	return round_trip_fill(h, tc, rtt, true);
}

static void set_up(struct th *h, struct th_conn *tc, enum tcp_cc_algo algo)
{
	th_init(h);
	struct th_opt o = { .mss = 1000, .ws = 10 };
	REQUIRE(th_connect(h, tc, &o));
	tcp_set_cc(tc->c, algo);
}

/* Lose one segment out of a full window: three duplicate ACKs, then the
 * retransmission is ACKed with everything. */
static void lose_one(struct th *h, struct th_conn *tc)
{
	while (tcp_send(tc->c, junk, sizeof(junk), h->now, &h->out) > 0)
		;
	uint32_t una = tc->c->snd_una, end = 0;
	struct th_seg s;
	while (th_pop(h, &s))
		end = s.s.seq + s.s.len;
	for (int i = 0; i < 3; i++)
		th_peer(h, tc, TCP_ACK, tc->peer_seq, una, 65535, NULL, 0);
	while (th_pop(h, &s))
		if (s.s.seq + s.s.len > end)
			end = s.s.seq + s.s.len;
	h->now += 10 * TH_MS;
	th_peer(h, tc, TCP_ACK, tc->peer_seq, end, 65535, NULL, 0);
}

static void slow_start_doubles(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, TCP_CC_NEWRENO);
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK_INT(ti.cwnd, 10 * 1000); /* RFC 6928 */
	int a = round_trip(&h, &tc, 10 * TH_MS);
	int b = round_trip(&h, &tc, 10 * TH_MS);
	int c = round_trip(&h, &tc, 10 * TH_MS);
	CHECK_INT(a, 10);
	CHECK_INT(b, 20);
	CHECK_INT(c, 40);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void newreno_grows_one_segment_per_rtt(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, TCP_CC_NEWRENO);
	for (int i = 0; i < 3; i++)
		round_trip(&h, &tc, 10 * TH_MS);
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	uint32_t before = ti.cwnd;
	lose_one(&h, &tc);
	tcp_conn_info(tc.c, &ti);
	CHECK(ti.ssthresh <= before / 2 + 1000 && ti.ssthresh >= before / 2 - 1000);
	uint32_t w = ti.cwnd;
	CHECK(w <= ti.ssthresh);
	/* RFC 6582 option 1 left cwnd near the (empty) flight: slow start
	 * back to ssthresh first, then one segment per round trip. */
	int ca = 0;
	for (int i = 0; i < 20 && ca < 10; i++) {
		round_trip(&h, &tc, 10 * TH_MS);
		tcp_conn_info(tc.c, &ti);
		if (w >= ti.ssthresh) {
			uint32_t inc = ti.cwnd - w;
			CHECK(inc >= 500 && inc <= 1500);
			ca++;
		}
		w = ti.cwnd;
	}
	CHECK_INT(ca, 10);
	tcp_conn_info(tc.c, &ti);
	CHECK(ti.cwnd >= ti.ssthresh + 8000);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void cubic_backs_off_to_seven_tenths_then_plateaus(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, TCP_CC_CUBIC);
	for (int i = 0; i < 3; i++)
		round_trip(&h, &tc, 50 * TH_MS);
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	uint32_t wmax = ti.cwnd;
	lose_one(&h, &tc);
	tcp_conn_info(tc.c, &ti);
	CHECK_INT(ti.ssthresh, (uint32_t)((uint64_t)wmax * 7 / 10));
	CHECK_INT(tc.c->cc.w_max, wmax);
	/* Rounds of 200 ms (long enough that CUBIC, not its Reno-friendly
	 * estimate, sets the pace): slow start back to ssthresh, then from the
	 * start of congestion avoidance (round r0) concave growth up to W_max
	 * at K, a plateau, and convex growth beyond. */
	enum { R = 80 };
	uint32_t w[R];
	int r0 = -1;
	for (int i = 0; i < R; i++) {
		round_trip(&h, &tc, 200 * TH_MS);
		tcp_conn_info(tc.c, &ti);
		w[i] = ti.cwnd;
		if (r0 < 0 && i > 0 && w[i - 1] >= ti.ssthresh)
			r0 = i - 1;
	}
	REQUIRE(r0 >= 0);
	/* K = cbrt((W_max - cwnd_epoch) / MSS / C) seconds, C = 0.4. */
	double k = 0;
	while (k * k * k < (double)(wmax - w[r0]) / 1000 / 0.4)
		k += 0.001;
	int ki = r0 + (int)(k / 0.2 + 0.5);
	REQUIRE(ki + 3 < R);
	CHECK(w[r0 + 2] - w[r0 + 1] > w[ki - 1] - w[ki - 2]); /* concave */
	CHECK(w[ki] > wmax * 97 / 100 && w[ki] < wmax * 103 / 100);
	CHECK(w[R - 1] - w[R - 2] > w[ki + 1] - w[ki]);       /* convex */
	CHECK(w[R - 1] > wmax * 12 / 10);
	if (check_failures_in_test)
		for (int i = 0; i < R; i++)
			printf("  round %d cwnd %u (wmax %u, K %.2f s, from round %d)\n", i, w[i], wmax, k, r0);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void idle_restarts_from_the_initial_window(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, TCP_CC_CUBIC);
	CHECK_INT(tcp_send(tc.c, junk, 100000, h.now, &h.out), 100000);
	for (int i = 0; i < 10; i++)
		round_trip_fill(&h, &tc, 10 * TH_MS, false);
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK(ti.cwnd > 40000);
	CHECK_INT(ti.in_flight + ti.unsent, 0);
	h.now += 10 * TH_S;
	CHECK_INT(tcp_send(tc.c, junk, 50000, h.now, &h.out), 50000);
	CHECK_INT(th_pending(&h), 10);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void mss_is_negotiated_and_clamped(void)
{
	struct th h;
	th_init(&h);
	tcp_stack_set_mss(h.st, 1200);
	struct th_conn tc;
	struct th_opt o = { .mss = 10, .ws = -1 };
	struct tcp_conn *c;
	REQUIRE(tcp_connect(h.st, TH_US, 5000, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	CHECK_INT(s.s.mss, 1200);
	tcp_abort(c, h.now, &h.out);
	th_clear(&h);
	/* A tiny MSS is raised to RIAD_TCP_MSS_MIN (CVE-2019-11479). */
	REQUIRE(th_connect(&h, &tc, &o));
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK_INT(ti.mss, RIAD_TCP_MSS_MIN);
	tcp_abort(tc.c, h.now, &h.out);
	th_clear(&h);
	/* None at all: 536 (RFC 9293 3.7.1). */
	o.mss = 0;
	tc.c = NULL;
	REQUIRE(tcp_connect(h.st, TH_US, 5001, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	th_send(&h, 4000, 5001, TCP_SYN | TCP_ACK, 1, s.s.seq + 1, 65535, &o, NULL, 0);
	tcp_conn_info(c, &ti);
	CHECK_INT(ti.mss, 536);
	/* A bigger one is clamped to ours. */
	tcp_abort(c, h.now, &h.out);
	th_clear(&h);
	o.mss = 9000;
	REQUIRE(tcp_connect(h.st, TH_US, 5002, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	th_send(&h, 4000, 5002, TCP_SYN | TCP_ACK, 1, s.s.seq + 1, 65535, &o, NULL, 0);
	tcp_conn_info(c, &ti);
	CHECK_INT(ti.mss, 1200);
	tcp_abort(c, h.now, &h.out);
	th_done(&h);
}

static void icmp_errors(void)
{
	struct th h;
	th_init(&h);
	struct tcp_conn *c;
	REQUIRE(tcp_connect(h.st, TH_US, 5000, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	uint8_t q[8];
	wire_put16(q, 5000);
	wire_put16(q + 2, 4000);
	/* A quote of a sequence number not in flight is not believed. */
	wire_put32(q + 4, s.s.seq + 100);
	tcp_icmp_error(h.st, TH_US, TH_PEER, q, 8, 3, 3, 0, h.now, &h.out);
	CHECK_INT(tcp_conn_state(c), TCP_SYN_SENT);
	/* Port unreachable while connecting: refused. */
	wire_put32(q + 4, s.s.seq);
	tcp_icmp_error(h.st, TH_US, TH_PEER, q, 8, 3, 3, 0, h.now, &h.out);
	CHECK_INT(tcp_conn_error(c), -RIAD_ECONNREFUSED);
	tcp_close(c, h.now, &h.out);

	/* Fragmentation needed: the MSS follows the next-hop MTU, and the
	 * segment goes again at once. */
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1 };
	REQUIRE(th_connect(&h, &tc, &o));
	CHECK_INT(tcp_send(tc.c, junk, 3000, h.now, &h.out), 3000);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.len, 1460);
	th_clear(&h);
	wire_put32(q + 4, s.s.seq);
	tcp_icmp_error(h.st, TH_US, TH_PEER, q, 8, 3, 4, 1000, h.now, &h.out);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.seq, tc.our_seq);
	CHECK_INT(s.s.len, 960);
	th_clear(&h);
	/* Host unreachable on an established connection: only remembered, and
	 * reported if the connection then times out. */
	tcp_icmp_error(h.st, TH_US, TH_PEER, q, 8, 3, 1, 0, h.now, &h.out);
	CHECK_INT(tcp_conn_state(tc.c), TCP_ESTABLISHED);
	th_run_timers_discard(&h, h.now + 3600 * TH_S);
	CHECK_INT(tcp_conn_error(tc.c), -RIAD_EHOSTUNREACH);
	tcp_close(tc.c, h.now, &h.out);
	th_done(&h);
}

int main(void)
{
	RUN(slow_start_doubles);
	RUN(newreno_grows_one_segment_per_rtt);
	RUN(cubic_backs_off_to_seven_tenths_then_plateaus);
	RUN(idle_restarts_from_the_initial_window);
	RUN(mss_is_negotiated_and_clamped);
	RUN(icmp_errors);
	return check_done();
}
