/* tests/unit/test_tcp_conn.c: TCP connections against a crafted peer on a fake clock: handshakes both ways, data both ways, closes, resets, retransmission and backoff, fast retransmit, SACK, window scaling, zero windows, keepalive, TIME-WAIT, SYN cookies, delayed ACKs and Nagle. */
#include "test_tcp.h"

static uint8_t pattern[65536];

static void fill_pattern(void)
{
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + (i >> 8));
}

static void passive_open_data_and_peer_close(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	REQUIRE(th_accept(&h, &l, &tc, NULL, 4000));
	CHECK_INT(tcp_conn_state(tc.c), TCP_ESTABLISHED);
	CHECK(tcp_conn_events(tc.c) & TCP_EV_CONNECTED);
	CHECK_INT(th_stats(&h)->passive_opens, 1);
	CHECK_INT(th_stats(&h)->established, 1);
	CHECK(tcp_accept(l) == NULL);

	/* Peer -> us: two segments, ACKed after the second (delayed ACK). */
	th_peer(&h, &tc, TCP_ACK | TCP_PSH, tc.peer_seq, tc.our_seq, 65535, "hello ", 6);
	CHECK_INT(th_pending(&h), 0);
	th_peer(&h, &tc, TCP_ACK | TCP_PSH, tc.peer_seq + 6, tc.our_seq, 65535, "world", 5);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 11);
	tc.peer_seq += 11;
	CHECK(tcp_conn_events(tc.c) & TCP_EV_READABLE);
	char buf[64];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 11);
	CHECK_MEM(buf, "hello world", 11);
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), -RIAD_EAGAIN);

	/* Us -> peer. */
	CHECK_INT(tcp_send(tc.c, "answer", 6, h.now, &h.out), 6);
	REQUIRE(th_expect(&h, &s, TCP_ACK | TCP_PSH) || true);
	CHECK_INT(s.s.seq, tc.our_seq);
	CHECK_INT(s.s.len, 6);
	CHECK_MEM(s.data, "answer", 6);
	tc.our_seq += 6;

	/* The peer ACKs and closes: CLOSE-WAIT, EOF. */
	th_peer(&h, &tc, TCP_ACK | TCP_FIN, tc.peer_seq, tc.our_seq, 65535, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 1);
	CHECK_INT(tcp_conn_state(tc.c), TCP_CLOSE_WAIT);
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 0);
	/* We close: FIN, LAST-ACK, and the final ACK frees everything. */
	tcp_close(tc.c, h.now, &h.out);
	REQUIRE(th_expect(&h, &s, TCP_ACK | TCP_FIN));
	CHECK_INT(s.s.seq, tc.our_seq);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq + 1, tc.our_seq + 1, 65535, NULL, 0);
	CHECK_INT(th_pending(&h), 0);
	CHECK_INT(h.st->nconns, 0);
	CHECK_INT(tcp_next_deadline(h.st), TCP_NEVER);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void active_open_close_and_time_wait(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 1000, .ws = -1 };
	REQUIRE(th_connect(&h, &tc, &o));
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK_INT(ti.mss, 1000);
	CHECK(!ti.ts && !ti.sack && ti.snd_scale == 0 && ti.rcv_scale == 0);
	CHECK_INT(th_stats(&h)->active_opens, 1);

	/* Send 2500 bytes: segments of 1000, 1000, 500. */
	CHECK_INT(tcp_send(tc.c, pattern, 2500, h.now, &h.out), 2500);
	struct th_seg s;
	for (int i = 0; i < 3; i++) {
		REQUIRE(th_pop(&h, &s));
		CHECK_INT(s.s.seq, tc.our_seq + 1000u * (unsigned)i);
		CHECK_INT(s.s.len, i < 2 ? 1000 : 500);
		CHECK_MEM(s.data, pattern + 1000 * i, s.s.len);
	}
	CHECK_INT(th_pending(&h), 0);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq + 2500, 65535, NULL, 0);
	tc.our_seq += 2500;
	CHECK_INT(tcp_next_deadline(h.st), TCP_NEVER);

	/* We close first: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT. */
	CHECK_INT(tcp_shutdown_write(tc.c, h.now, &h.out), 0);
	CHECK_INT(tcp_conn_state(tc.c), TCP_FIN_WAIT_1);
	REQUIRE(th_expect(&h, &s, TCP_ACK | TCP_FIN));
	CHECK_INT(tcp_send(tc.c, "x", 1, h.now, &h.out), -RIAD_EPIPE);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq + 1, 65535, NULL, 0);
	CHECK_INT(tcp_conn_state(tc.c), TCP_FIN_WAIT_2);
	/* Data still arrives in FIN-WAIT-2 (half close). */
	th_peer(&h, &tc, TCP_ACK | TCP_FIN, tc.peer_seq, tc.our_seq + 1, 65535, "bye", 3);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 4);
	CHECK_INT(tcp_conn_state(tc.c), TCP_TIME_WAIT);
	CHECK(tcp_conn_events(tc.c) & TCP_EV_CLOSED);
	char buf[8];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 3);
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 0);
	tcp_close(tc.c, h.now, &h.out);
	CHECK_INT(h.st->timewait.n, 1);
	/* A retransmitted FIN is ACKed again (and restarts 2*MSL). */
	h.now += 10 * TH_S;
	th_peer(&h, &tc, TCP_ACK | TCP_FIN, tc.peer_seq + 3, tc.our_seq + 1, 65535, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 4);
	CHECK_INT(tcp_next_deadline(h.st), h.now + 2 * RIAD_TCP_MSL_NS);
	/* 2*MSL later it is gone; a new segment then gets a RST. */
	th_run_timers(&h, h.now + 2 * RIAD_TCP_MSL_NS);
	CHECK_INT(h.st->nconns, 0);
	CHECK_INT(h.st->timewait.n, 0);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq + 4, tc.our_seq + 1, 65535, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_RST));
	CHECK_INT(s.s.seq, tc.our_seq + 1);
	th_done(&h);
}

static void retransmission_backs_off_and_gives_up(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	REQUIRE(th_connect(&h, &tc, NULL));
	int64_t t0 = h.now;
	CHECK_INT(tcp_send(tc.c, "data", 4, h.now, &h.out), 4);
	struct th_seg s;
	REQUIRE(th_pop(&h, &s));
	/* The handshake measured RTT 0: the RTO is the floor. */
	int64_t rto = RIAD_TCP_RTO_MIN_NS;
	CHECK_INT(tcp_next_deadline(h.st), t0 + rto);
	int64_t at = t0;
	for (int i = 0; i < RIAD_TCP_RETRIES; i++) {
		at += rto;
		th_run_timers(&h, at);
		REQUIRE(th_pop(&h, &s));
		CHECK_INT(s.s.seq, tc.our_seq);
		CHECK_INT(s.s.len, 4);
		CHECK_INT(th_pending(&h), 0);
		rto = rto * 2 > RIAD_TCP_RTO_MAX_NS ? RIAD_TCP_RTO_MAX_NS : rto * 2;
		CHECK_INT(tcp_next_deadline(h.st), at + rto);
	}
	CHECK_INT(th_stats(&h)->retransmits, RIAD_TCP_RETRIES);
	CHECK_INT(th_stats(&h)->rto, RIAD_TCP_RETRIES);
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK_INT(ti.cwnd, ti.mss);
	th_run_timers(&h, at + rto);
	CHECK_INT(tcp_conn_state(tc.c), TCP_CLOSED);
	CHECK_INT(tcp_conn_error(tc.c), -RIAD_ECONNABORTED);
	CHECK(tcp_conn_events(tc.c) & TCP_EV_ERROR);
	CHECK_INT(tcp_send(tc.c, "x", 1, h.now, &h.out), -RIAD_ECONNABORTED);
	CHECK_INT(th_stats(&h)->timeouts, 1);
	tcp_close(tc.c, h.now, &h.out);
	CHECK_INT(h.st->nconns, 0);
	th_done(&h);
}

static void retransmission_recovers_and_measures(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	REQUIRE(th_connect(&h, &tc, NULL));
	CHECK_INT(tcp_send(tc.c, "abcdef", 6, h.now, &h.out), 6);
	struct th_seg s;
	REQUIRE(th_pop(&h, &s));
	th_run_timers(&h, h.now + RIAD_TCP_RTO_MIN_NS);
	REQUIRE(th_pop(&h, &s)); /* the retransmission */
	/* Karn: the ACK of retransmitted data gives no RTT sample. */
	struct tcp_info a, b;
	tcp_conn_info(tc.c, &a);
	h.now += 50 * TH_MS;
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq + 6, 65535, NULL, 0);
	tcp_conn_info(tc.c, &b);
	CHECK_INT(a.srtt_ns, b.srtt_ns);
	CHECK_INT(b.in_flight, 0);
	CHECK_INT(tcp_next_deadline(h.st), TCP_NEVER);
	/* New data is timed: 30 ms later its ACK moves SRTT. */
	tc.our_seq += 6;
	CHECK_INT(tcp_send(tc.c, "gh", 2, h.now, &h.out), 2);
	REQUIRE(th_pop(&h, &s));
	h.now += 30 * TH_MS;
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq + 2, 65535, NULL, 0);
	tcp_conn_info(tc.c, &b);
	CHECK(b.srtt_ns > a.srtt_ns);
	tcp_abort(tc.c, h.now, &h.out);
	REQUIRE(th_expect(&h, &s, TCP_RST | TCP_ACK));
	th_done(&h);
}

/* Send n full segments of data and pop them. */
static void send_segments(struct th *h, struct th_conn *tc, int n, uint32_t mss)
{
	CHECK_INT(tcp_send(tc->c, pattern, (size_t)n * mss, h->now, &h->out), (long)n * mss);
	struct th_seg s;
	for (int i = 0; i < n; i++) {
		REQUIRE(th_pop(h, &s));
		CHECK_INT(s.s.len, mss);
	}
	CHECK_INT(th_pending(h), 0);
}

static void fast_retransmit_on_three_dupacks(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 1000, .ws = -1 };
	REQUIRE(th_connect(&h, &tc, &o));
	tcp_set_cc(tc.c, TCP_CC_NEWRENO);
	send_segments(&h, &tc, 8, 1000);
	uint32_t una = tc.our_seq;
	struct th_seg s;
	/* Segment 0 is lost; 1.. arrive: duplicate ACKs. Limited transmit
	 * would send new data on the first two; there is none. */
	for (int i = 0; i < 2; i++) {
		th_peer(&h, &tc, TCP_ACK, tc.peer_seq, una, 65535, NULL, 0);
		CHECK_INT(th_pending(&h), 0);
	}
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, una, 65535, NULL, 0);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.seq, una);
	CHECK_INT(s.s.len, 1000);
	CHECK_INT(th_stats(&h)->fast_retransmits, 1);
	CHECK_INT(th_stats(&h)->dup_acks, 3);
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK(ti.in_recovery);
	CHECK_INT(ti.ssthresh, 4000); /* NewReno: FlightSize / 2 */
	CHECK_INT(ti.cwnd, 4000 + 3000);
	/* Partial ACK (segment 0 and 1 arrived, 2 lost too): resend 2. */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, una + 2000, 65535, NULL, 0);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.seq, una + 2000);
	tcp_conn_info(tc.c, &ti);
	CHECK(ti.in_recovery);
	/* Full ACK: recovery ends, cwnd = min(ssthresh, flight + mss). */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, una + 8000, 65535, NULL, 0);
	tcp_conn_info(tc.c, &ti);
	CHECK(!ti.in_recovery);
	CHECK_INT(ti.cwnd, 2000);
	CHECK_INT(ti.in_flight, 0);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void sack_retransmits_the_holes(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 1000, .ws = -1, .sack_ok = true };
	REQUIRE(th_connect(&h, &tc, &o));
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	REQUIRE(ti.sack);
	send_segments(&h, &tc, 10, 1000);
	uint32_t u = tc.our_seq;
	struct th_seg s;
	/* Segments 0 and 3 lost; the peer SACKs 1-2 and then 4-9 grows. */
	struct th_opt so = { .ws = -1, .nsack = 1, .sack = { { u + 1000, u + 3000 } } };
	th_send(&h, 4000, 5000, TCP_ACK, tc.peer_seq, u, 65535, &so, NULL, 0);
	CHECK_INT(th_pending(&h), 0);
	so.nsack = 2;
	so.sack[0] = (struct tcp_range){ u + 4000, u + 5000 };
	so.sack[1] = (struct tcp_range){ u + 1000, u + 3000 };
	th_send(&h, 4000, 5000, TCP_ACK, tc.peer_seq, u, 65535, &so, NULL, 0);
	/* More than 2 MSS SACKed above SND.UNA: recovery at once (RFC 6675),
	 * resending segment 0 first. */
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.seq, u);
	CHECK_INT(th_stats(&h)->fast_retransmits, 1);
	so.sack[0] = (struct tcp_range){ u + 4000, u + 7000 };
	th_send(&h, 4000, 5000, TCP_ACK, tc.peer_seq, u, 65535, &so, NULL, 0);
	/* Then the hole at 3000 (below three SACKed segments). */
	bool hole3 = false;
	while (th_pop(&h, &s))
		if (s.s.seq == u + 3000)
			hole3 = true;
	CHECK(hole3);
	CHECK(th_stats(&h)->sack_blocks_rx >= 5);
	/* Cumulative ACK of everything ends recovery. */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, u + 10000, 65535, NULL, 0);
	tcp_conn_info(tc.c, &ti);
	CHECK(!ti.in_recovery);
	CHECK_INT(tc.c->nsacked, 0);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void receiver_sends_sack_blocks(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = -1, .sack_ok = true };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct th_seg s;
	uint32_t p = tc.peer_seq;
	/* 100..200 and 300..400 arrive before 0..100. */
	th_peer(&h, &tc, TCP_ACK, p + 100, tc.our_seq, 65535, pattern + 100, 100);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p);
	CHECK_INT(s.s.nsack, 1);
	CHECK_INT(s.s.sack[0].start, p + 100);
	CHECK_INT(s.s.sack[0].end, p + 200);
	th_peer(&h, &tc, TCP_ACK, p + 300, tc.our_seq, 65535, pattern + 300, 100);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.nsack, 2);
	CHECK_INT(s.s.sack[0].start, p + 300); /* the latest first (RFC 2018 4) */
	CHECK_INT(s.s.sack[1].start, p + 100);
	CHECK_INT(th_stats(&h)->ooo_segs, 2);
	th_peer(&h, &tc, TCP_ACK, p, tc.our_seq, 65535, pattern, 100);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p + 200);
	CHECK_INT(s.s.nsack, 1);
	th_peer(&h, &tc, TCP_ACK, p + 200, tc.our_seq, 65535, pattern + 200, 100);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p + 400);
	CHECK_INT(s.s.nsack, 0);
	uint8_t buf[512];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 400);
	CHECK_MEM(buf, pattern, 400);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void window_scaling_and_timestamps(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = 3, .ts = true, .tsval = 777 };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	struct tcp_info ti;
	tcp_conn_info(tc.c, &ti);
	CHECK(ti.ts);
	CHECK_INT(ti.snd_scale, 3);
	CHECK_INT(ti.rcv_scale, h.st->rcv_scale);
	CHECK_INT(ti.mss, 1460 - 12);
	CHECK_INT(ti.snd_wnd, 65535u << 3);
	/* Our window field is scaled down. */
	struct th_opt t = { .ws = -1, .ts = true, .tsval = 800 };
	th_send(&h, 4000, 80, TCP_ACK, tc.peer_seq, tc.our_seq, 100, &t, "a", 1);
	th_send(&h, 4000, 80, TCP_ACK, tc.peer_seq + 1, tc.our_seq, 100, &t, "b", 1);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK(s.s.opts & TCP_SEG_TS);
	CHECK_INT(s.s.tsecr, 800);
	CHECK_INT((uint32_t)s.s.wnd, (RIAD_TCP_RCV_BUF - 2) >> h.st->rcv_scale);
	tc.peer_seq += 2;
	/* The peer's window 250 means 2000 bytes. */
	th_send(&h, 4000, 80, TCP_ACK, tc.peer_seq, tc.our_seq, 250, &t, NULL, 0);
	CHECK_INT(tcp_send(tc.c, pattern, 2000, h.now, &h.out), 2000);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.len, 1448);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.len, 552);
	CHECK_INT(th_pending(&h), 0);
	/* PAWS: an older timestamp is dropped, with an ACK. */
	struct th_opt old = { .ws = -1, .ts = true, .tsval = 700 };
	th_send(&h, 4000, 80, TCP_ACK, tc.peer_seq, tc.our_seq, 250, &old, "c", 1);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq);
	CHECK_INT(th_stats(&h)->paws, 1);
	/* A segment without a timestamp on a timestamped connection: dropped. */
	th_send(&h, 4000, 80, TCP_ACK, tc.peer_seq, tc.our_seq, 250, NULL, "c", 1);
	CHECK_INT(th_stats(&h)->no_timestamp, 1);
	CHECK_INT(th_pending(&h), 0);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void zero_window_and_persist(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 1000, .ws = -1 };
	REQUIRE(th_connect(&h, &tc, &o));
	/* The peer closes its window. */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 0, NULL, 0);
	CHECK_INT(tcp_send(tc.c, pattern, 3000, h.now, &h.out), 3000);
	CHECK_INT(th_pending(&h), 0);
	int64_t d = tcp_next_deadline(h.st);
	CHECK(d > h.now && d != TCP_NEVER);
	struct th_seg s;
	/* Probes: one byte beyond the window, backing off. */
	int64_t prev = h.now;
	int64_t gap = 0;
	for (int i = 0; i < 5; i++) {
		d = tcp_next_deadline(h.st);
		CHECK(d - prev >= gap);
		gap = d - prev;
		prev = d;
		th_run_timers(&h, d);
		REQUIRE(th_pop(&h, &s));
		CHECK_INT(s.s.seq, tc.our_seq);
		CHECK_INT(s.s.len, 1);
		th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 0, NULL, 0);
		CHECK_INT(th_pending(&h), 0);
	}
	CHECK_INT(th_stats(&h)->persist_probes, 5);
	CHECK_INT(tcp_conn_state(tc.c), TCP_ESTABLISHED);
	/* The window opens (the probe byte is accepted): the rest flows. */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq + 1, 10000, NULL, 0);
	uint32_t got = 0;
	while (th_pop(&h, &s)) {
		CHECK_INT(s.s.seq, tc.our_seq + 1 + got);
		got += s.s.len;
	}
	CHECK_INT(got, 2999);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void we_advertise_a_zero_window_and_reopen_it(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	struct th_opt o = { .mss = 1460, .ws = 0 };
	REQUIRE(th_accept(&h, &l, &tc, &o, 4000));
	uint32_t p = tc.peer_seq;
	uint32_t sent = 0;
	struct th_seg s;
	uint16_t last_wnd = 1;
	while (sent < RIAD_TCP_RCV_BUF) {
		uint32_t n = RIAD_TCP_RCV_BUF - sent < 1460 ? RIAD_TCP_RCV_BUF - sent : 1460;
		th_peer(&h, &tc, TCP_ACK, p + sent, tc.our_seq, 65535, pattern, n);
		sent += n;
		while (th_pop(&h, &s))
			last_wnd = s.s.wnd;
	}
	th_run_timers(&h, h.now + RIAD_TCP_DELACK_NS);
	while (th_pop(&h, &s))
		last_wnd = s.s.wnd;
	CHECK_INT(last_wnd, 0);
	CHECK_INT(tcp_conn_readable(tc.c), RIAD_TCP_RCV_BUF);
	/* More data is beyond the window: trimmed, ACKed, counted. */
	th_peer(&h, &tc, TCP_ACK, p + sent, tc.our_seq, 65535, pattern, 100);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p + sent);
	CHECK_INT(s.s.wnd, 0);
	CHECK_INT(th_stats(&h)->beyond_window, 100);
	/* Reading reopens it with a window update. */
	static uint8_t buf[RIAD_TCP_RCV_BUF];
	CHECK_INT(tcp_recv(tc.c, buf, 8192, h.now, &h.out), 8192);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK(s.s.wnd > 0);
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), RIAD_TCP_RCV_BUF - 8192);
	tcp_close(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void keepalive_probes_then_times_out(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	REQUIRE(th_connect(&h, &tc, NULL));
	tcp_set_keepalive(tc.c, true, 10 * TH_S, 2 * TH_S, 3, h.now);
	CHECK_INT(tcp_next_deadline(h.st), h.now + 10 * TH_S);
	struct th_seg s;
	th_run_timers(&h, h.now + 10 * TH_S);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.seq, tc.our_seq - 1);
	CHECK_INT(s.s.len, 0);
	/* An answer resets the count and the idle time. */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, NULL, 0);
	th_run_timers(&h, h.now + 10 * TH_S);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	for (int i = 0; i < 2; i++) {
		th_run_timers(&h, h.now + 2 * TH_S);
		REQUIRE(th_expect(&h, &s, TCP_ACK));
	}
	CHECK_INT(th_stats(&h)->keepalive_probes, 4);
	th_run_timers(&h, h.now + 2 * TH_S);
	CHECK_INT(tcp_conn_state(tc.c), TCP_CLOSED);
	CHECK_INT(tcp_conn_error(tc.c), -RIAD_ECONNABORTED);
	tcp_close(tc.c, h.now, &h.out);
	th_done(&h);
}

static void syn_cookies_when_the_backlog_is_full(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l;
	REQUIRE(tcp_listen(h.st, 0, 80, 2, &l) == 0);
	struct th_seg s;
	/* Two half-open connections fill the backlog. */
	th_send(&h, 4001, 80, TCP_SYN, 100, 0, 65535, NULL, NULL, 0);
	th_send(&h, 4002, 80, TCP_SYN, 200, 0, 65535, NULL, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	CHECK_INT(h.st->nconns, 2);
	/* The third gets a cookie: no state. */
	struct th_opt o = { .mss = 1460, .ws = 5, .sack_ok = true, .ts = true, .tsval = 42 };
	th_send(&h, 4003, 80, TCP_SYN, 300, 0, 65535, &o, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	CHECK_INT(h.st->nconns, 2);
	CHECK_INT(th_stats(&h)->syncookies_tx, 1);
	CHECK_INT(s.s.ack, 301);
	CHECK(s.s.opts & TCP_SEG_TS);
	CHECK(s.s.opts & TCP_SEG_WS);
	CHECK(s.s.opts & TCP_SEG_SACK_OK);
	uint32_t cookie = s.s.seq;
	/* A wrong cookie: RST, counted. */
	struct th_opt t = { .ws = -1, .ts = true, .tsval = 43, .tsecr = s.s.tsval };
	th_send(&h, 4003, 80, TCP_ACK, 301, cookie + 2, 65535, &t, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_RST));
	CHECK_INT(th_stats(&h)->bad_cookie, 1);
	/* The right one creates an ESTABLISHED connection with the options the
	 * cookie remembered, and its data is taken. */
	th_send(&h, 4003, 80, TCP_ACK, 301, cookie + 1, 65535, &t, "hi", 2);
	CHECK_INT(th_stats(&h)->syncookies_ok, 1);
	CHECK_INT(h.st->nconns, 3);
	struct tcp_conn *c = tcp_accept(l);
	REQUIRE(c);
	CHECK_INT(c->t.rport, 4003);
	struct tcp_info ti;
	tcp_conn_info(c, &ti);
	CHECK_INT(ti.state, TCP_ESTABLISHED);
	CHECK(ti.ts && ti.sack);
	CHECK_INT(ti.snd_scale, 5);
	CHECK_INT(ti.mss, 1460 - 12);
	char buf[4];
	CHECK_INT(tcp_recv(c, buf, 4, h.now, &h.out), 2);
	tcp_close(c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void delayed_ack_timer_and_nagle(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	REQUIRE(th_connect(&h, &tc, NULL));
	struct th_seg s;
	/* One segment: ACKed by the delayed-ACK timer. */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, "a", 1);
	CHECK_INT(th_pending(&h), 0);
	CHECK_INT(tcp_next_deadline(h.st), h.now + RIAD_TCP_DELACK_NS);
	th_run_timers(&h, h.now + RIAD_TCP_DELACK_NS);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 1);
	CHECK_INT(th_stats(&h)->delayed_acks, 1);
	tc.peer_seq++;
	/* Nagle: a second small write waits for the first one's ACK. */
	CHECK_INT(tcp_send(tc.c, "x", 1, h.now, &h.out), 1);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(tcp_send(tc.c, "y", 1, h.now, &h.out), 1);
	CHECK_INT(tcp_send(tc.c, "z", 1, h.now, &h.out), 1);
	CHECK_INT(th_pending(&h), 0);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq + 1, 65535, NULL, 0);
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.len, 2);
	CHECK_MEM(s.data, "yz", 2);
	/* No-delay: every write goes at once. */
	tcp_set_nodelay(tc.c, true, h.now, &h.out);
	CHECK_INT(tcp_send(tc.c, "1", 1, h.now, &h.out), 1);
	CHECK_INT(th_pending(&h), 1);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void rst_rules_and_challenge_acks(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	REQUIRE(th_connect(&h, &tc, NULL));
	struct th_seg s;
	/* RFC 5961: a RST in the window but not at RCV.NXT: challenge ACK. */
	th_peer(&h, &tc, TCP_RST, tc.peer_seq + 10, 0, 0, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq);
	CHECK_INT(th_stats(&h)->challenge_acks, 1);
	/* Out of the window: silently dropped. */
	th_peer(&h, &tc, TCP_RST, tc.peer_seq + 1000000, 0, 0, NULL, 0);
	CHECK_INT(th_pending(&h), 0);
	CHECK_INT(th_stats(&h)->rst_bad_seq, 2);
	/* A SYN on an established connection: challenge ACK. */
	th_peer(&h, &tc, TCP_SYN, tc.peer_seq + 5, 0, 65535, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(th_stats(&h)->syn_in_window, 1);
	/* Rate limit: RIAD_TCP_CHALLENGE_ACKS_PER_S per second. */
	for (int i = 0; i < 20; i++)
		th_peer(&h, &tc, TCP_RST, tc.peer_seq + 10, 0, 0, NULL, 0);
	CHECK_INT(th_pending(&h), RIAD_TCP_CHALLENGE_ACKS_PER_S - 2);
	th_clear(&h);
	CHECK(th_stats(&h)->challenge_limited > 0);
	/* Exactly at RCV.NXT: reset. */
	th_peer(&h, &tc, TCP_RST, tc.peer_seq, 0, 0, NULL, 0);
	CHECK_INT(tcp_conn_state(tc.c), TCP_CLOSED);
	CHECK_INT(tcp_conn_error(tc.c), -RIAD_ECONNRESET);
	char b[4];
	CHECK_INT(tcp_recv(tc.c, b, 4, h.now, &h.out), -RIAD_ECONNRESET);
	CHECK_INT(th_stats(&h)->resets_rx, 1);
	tcp_close(tc.c, h.now, &h.out);
	CHECK_INT(h.st->nconns, 0);
	th_done(&h);
}

static void connect_refused_and_closed_port(void)
{
	struct th h;
	th_init(&h);
	struct tcp_conn *c;
	REQUIRE(tcp_connect(h.st, TH_US, 0, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	CHECK(s.s.sport >= 49152);
	CHECK(s.s.opts & TCP_SEG_MSS);
	CHECK(s.s.opts & TCP_SEG_WS);
	CHECK(s.s.opts & TCP_SEG_SACK_OK);
	CHECK(s.s.opts & TCP_SEG_TS);
	/* A RST without an acceptable ACK is ignored; with one it refuses. */
	th_send(&h, 4000, s.s.sport, TCP_RST | TCP_ACK, 0, s.s.seq + 5, 0, NULL, NULL, 0);
	CHECK_INT(tcp_conn_state(c), TCP_SYN_SENT);
	th_send(&h, 4000, s.s.sport, TCP_RST | TCP_ACK, 0, s.s.seq + 1, 0, NULL, NULL, 0);
	CHECK_INT(tcp_conn_state(c), TCP_CLOSED);
	CHECK_INT(tcp_conn_error(c), -RIAD_ECONNREFUSED);
	tcp_close(c, h.now, &h.out);
	/* A segment to a port nobody listens on: RST (RFC 9293 3.10.7.1). */
	th_send(&h, 4000, 81, TCP_SYN, 1000, 0, 65535, NULL, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_RST | TCP_ACK));
	CHECK_INT(s.s.seq, 0);
	CHECK_INT(s.s.ack, 1001);
	th_send(&h, 4000, 81, TCP_ACK, 1000, 5555, 65535, NULL, "abc", 3);
	REQUIRE(th_expect(&h, &s, TCP_RST));
	CHECK_INT(s.s.seq, 5555);
	th_send(&h, 4000, 81, TCP_RST, 1000, 0, 65535, NULL, NULL, 0);
	CHECK_INT(th_pending(&h), 0);
	CHECK_INT(th_stats(&h)->no_conn, 3);
	th_done(&h);
}

static void syn_retries_then_timeout(void)
{
	struct th h;
	th_init(&h);
	struct tcp_conn *c;
	REQUIRE(tcp_connect(h.st, TH_US, 5000, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	int64_t rto = RIAD_TCP_RTO_INIT_NS;
	for (int i = 0; i < RIAD_TCP_SYN_RETRIES; i++) {
		CHECK_INT(tcp_next_deadline(h.st), h.now + rto);
		th_run_timers(&h, h.now + rto);
		REQUIRE(th_expect(&h, &s, TCP_SYN));
		rto *= 2;
	}
	th_run_timers(&h, h.now + rto);
	CHECK_INT(tcp_conn_error(c), -RIAD_ECONNABORTED);
	tcp_close(c, h.now, &h.out);
	th_done(&h);
}

static void listener_close_resets_pending(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL;
	struct th_conn tc;
	REQUIRE(th_accept(&h, &l, &tc, NULL, 4000));
	/* A second one established but not accepted, a third half-open. */
	struct th_seg s;
	th_send(&h, 4001, 80, TCP_SYN, 500, 0, 65535, NULL, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	th_send(&h, 4001, 80, TCP_ACK, 501, s.s.seq + 1, 65535, NULL, NULL, 0);
	th_send(&h, 4002, 80, TCP_SYN, 700, 0, 65535, NULL, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	CHECK(tcp_listener_events(l) & TCP_EV_ACCEPT);
	tcp_listener_close(l, h.now, &h.out);
	REQUIRE(th_expect(&h, &s, TCP_RST | TCP_ACK));
	REQUIRE(th_expect(&h, &s, TCP_RST | TCP_ACK));
	CHECK_INT(h.st->nconns, 1); /* the accepted one lives on */
	tcp_close(tc.c, h.now, &h.out);
	th_done(&h);
}

static void notify_list_names_changed_sockets(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l;
	REQUIRE(tcp_listen(h.st, 0, 80, 4, &l) == 0);
	int ltag, ctag;
	tcp_listener_set_user(l, &ltag);
	struct th_seg s;
	th_send(&h, 4000, 80, TCP_SYN, 1, 0, 65535, NULL, NULL, 0);
	REQUIRE(th_pop(&h, &s));
	CHECK(tcp_notify_next(h.st) == NULL);
	th_send(&h, 4000, 80, TCP_ACK, 2, s.s.seq + 1, 65535, NULL, NULL, 0);
	CHECK(tcp_notify_next(h.st) == &ltag);
	CHECK(tcp_notify_next(h.st) == NULL);
	struct tcp_conn *c = tcp_accept(l);
	REQUIRE(c);
	tcp_conn_set_user(c, &ctag);
	th_send(&h, 4000, 80, TCP_ACK, 2, s.s.seq + 1, 65535, NULL, "x", 1);
	th_send(&h, 4000, 80, TCP_ACK, 3, s.s.seq + 1, 65535, NULL, "y", 1);
	CHECK(tcp_notify_next(h.st) == &ctag);
	CHECK(tcp_notify_next(h.st) == NULL);
	tcp_close(c, h.now, &h.out); /* unread data: reset */
	CHECK_INT(th_stats(&h)->after_close, 1);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void odd_segments_and_edges(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l = NULL, *l2;
	struct th_conn tc;
	REQUIRE(th_accept(&h, &l, &tc, NULL, 4000));
	struct th_seg s;
	/* A FIN without ACK on a synchronised connection: dropped (fifth step). */
	th_peer(&h, &tc, TCP_FIN, tc.peer_seq, 0, 65535, NULL, 0);
	CHECK_INT(th_stats(&h)->no_ack, 1);
	CHECK_INT(tcp_conn_state(tc.c), TCP_ESTABLISHED);
	/* A FIN ahead of missing data waits for it. */
	th_peer(&h, &tc, TCP_ACK | TCP_FIN, tc.peer_seq + 5, tc.our_seq, 65535, "world", 5);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq);
	CHECK_INT(tcp_conn_state(tc.c), TCP_ESTABLISHED);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, "hello", 5);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 11);
	CHECK_INT(tcp_conn_state(tc.c), TCP_CLOSE_WAIT);
	char buf[16];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 10);
	CHECK_MEM(buf, "helloworld", 10);
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 0);
	/* A partly duplicate segment: the old part is trimmed, the new taken. */
	tcp_abort(tc.c, h.now, &h.out);
	th_clear(&h);
	REQUIRE(th_accept(&h, &l, &tc, NULL, 4001));
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, "abc", 3);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, "abcdef", 6);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, tc.peer_seq + 6);
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 6);
	CHECK_MEM(buf, "abcdef", 6);
	/* Data arriving after tcp_close has nobody to read it: RST. */
	tcp_close(tc.c, h.now, &h.out);
	REQUIRE(th_expect(&h, &s, TCP_ACK | TCP_FIN));
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq + 6, tc.our_seq, 65535, "late", 4);
	REQUIRE(th_expect(&h, &s, TCP_RST | TCP_ACK));
	CHECK_INT(th_stats(&h)->after_close, 1);
	CHECK_INT(h.st->nconns, 0);
	/* At a listener, a bare FIN is dropped; a listener on our exact address
	 * wins over the wildcard one. */
	th_send(&h, 4100, 80, TCP_FIN, 5, 0, 65535, NULL, NULL, 0);
	CHECK_INT(th_stats(&h)->listen_drop, 1);
	CHECK_INT(th_pending(&h), 0);
	REQUIRE(tcp_listen(h.st, TH_US, 80, 1, &l2) == 0);
	th_send(&h, 4100, 80, TCP_SYN, 5, 0, 65535, NULL, NULL, 0);
	REQUIRE(th_expect(&h, &s, TCP_SYN | TCP_ACK));
	CHECK_INT(l2->pending.n, 1);
	CHECK_INT(l->pending.n, 0);
	tcp_listener_close(l2, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

static void shutdown_during_the_handshake(void)
{
	struct th h;
	th_init(&h);
	struct tcp_conn *c;
	REQUIRE(tcp_connect(h.st, TH_US, 5000, TH_PEER, 4000, h.now, &h.out, &c) == 0);
	struct th_seg s;
	REQUIRE(th_expect(&h, &s, TCP_SYN));
	CHECK_INT(tcp_send(c, "early", 5, h.now, &h.out), 5);
	CHECK_INT(tcp_shutdown_write(c, h.now, &h.out), 0);
	CHECK_INT(th_pending(&h), 0);
	th_send(&h, 4000, 5000, TCP_SYN | TCP_ACK, 100, s.s.seq + 1, 65535, NULL, NULL, 0);
	CHECK_INT(tcp_conn_state(c), TCP_FIN_WAIT_1);
	REQUIRE(th_expect(&h, &s, TCP_ACK | TCP_FIN));
	CHECK_INT(s.s.len, 5);
	CHECK_MEM(s.data, "early", 5);
	CHECK_INT(tcp_send(c, "x", 1, h.now, &h.out), -RIAD_EPIPE);
	tcp_abort(c, h.now, &h.out);
	th_done(&h);
}

static void small_window_is_used_by_the_persist_timer(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	struct th_opt o = { .mss = 1000, .ws = -1 };
	REQUIRE(th_connect(&h, &tc, &o));
	/* A 100-byte window after a large one: sender SWS avoidance waits... */
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 100, NULL, 0);
	CHECK_INT(tcp_send(tc.c, pattern, 3000, h.now, &h.out), 3000);
	CHECK_INT(th_pending(&h), 0);
	/* ... until the persist timer sends what fits. */
	th_run_timers(&h, tcp_next_deadline(h.st));
	struct th_seg s;
	REQUIRE(th_pop(&h, &s));
	CHECK_INT(s.s.len, 100);
	tcp_abort(tc.c, h.now, &h.out);
	th_done(&h);
}

static void orphan_in_a_zero_window_gives_up(void)
{
	struct th h;
	th_init(&h);
	struct th_conn tc;
	REQUIRE(th_connect(&h, &tc, NULL));
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 0, NULL, 0);
	CHECK_INT(tcp_send(tc.c, pattern, 100, h.now, &h.out), 100);
	tcp_close(tc.c, h.now, &h.out);
	/* The peer keeps its window shut and never answers: after
	 * RIAD_TCP_RETRIES probes the orphan goes. */
	th_run_timers_discard(&h, h.now + 7200 * TH_S);
	CHECK_INT(h.st->nconns, 0);
	CHECK_INT(th_stats(&h)->timeouts, 1);
	th_done(&h);
}

static void rsts_for_closed_ports_are_rate_limited(void)
{
	struct th h;
	th_init(&h);
	for (int i = 0; i < RIAD_TCP_RST_PER_S + 100; i++) {
		th_send(&h, 4000, 81, TCP_SYN, 1, 0, 65535, NULL, NULL, 0);
		th_clear(&h);
	}
	CHECK_INT(th_stats(&h)->resets_tx, RIAD_TCP_RST_PER_S);
	CHECK_INT(th_stats(&h)->rst_limited, 100);
	h.now += TH_S / 2;
	th_send(&h, 4000, 81, TCP_SYN, 1, 0, 65535, NULL, NULL, 0);
	CHECK_INT(th_pending(&h), 1);
	th_done(&h);
}

/* Between tcp_input_begin and tcp_input_end the ACKs that in-order data
 * earns wait for the end of the burst and go as one; ACKs the sender's
 * loss recovery counts go at once; an idle connection keeps no buffers. */
static void acks_held_to_the_end_of_a_burst(void)
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
	for (int i = 0; i < 6; i++)
		th_peer(&h, &tc, TCP_ACK, p + 1000u * (uint32_t)i, tc.our_seq, 65535,
		        pattern + 1000 * i, 1000);
	CHECK_INT(th_pending(&h), 0);
	tcp_input_end(h.st, h.now, &h.out);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p + 6000);
	CHECK_INT(th_pending(&h), 0);
	/* One segment alone: the delayed-ACK timer, as without a burst. */
	tcp_input_begin(h.st);
	th_peer(&h, &tc, TCP_ACK, p + 6000, tc.our_seq, 65535, pattern + 6000, 1000);
	tcp_input_end(h.st, h.now, &h.out);
	CHECK_INT(th_pending(&h), 0);
	CHECK_INT(tcp_next_deadline(h.st), h.now + RIAD_TCP_DELACK_NS);
	/* Out of order, then the hole filled: both ACKed at once. */
	tcp_input_begin(h.st);
	th_peer(&h, &tc, TCP_ACK, p + 8000, tc.our_seq, 65535, pattern + 8000, 1000);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p + 7000);
	CHECK_INT(s.s.nsack, 1);
	CHECK(tc.c->ooo != NULL);
	th_peer(&h, &tc, TCP_ACK, p + 7000, tc.our_seq, 65535, pattern + 7000, 1000);
	REQUIRE(th_expect(&h, &s, TCP_ACK));
	CHECK_INT(s.s.ack, p + 9000);
	CHECK_INT(s.s.nsack, 0);
	CHECK(tc.c->ooo == NULL);
	tcp_input_end(h.st, h.now, &h.out);
	CHECK_INT(th_pending(&h), 0);
	/* Drained: the receive buffer is given back. */
	static uint8_t buf[9000];
	CHECK_INT(tcp_recv(tc.c, buf, sizeof(buf), h.now, &h.out), 9000);
	CHECK_MEM(buf, pattern, 9000);
	CHECK(tc.c->rb.mem == NULL);
	CHECK_INT(tcp_conn_rcv_wnd(tc.c), RIAD_TCP_RCV_BUF);
	/* Sent and acknowledged: so is the send buffer. */
	CHECK_INT(tcp_send(tc.c, "hello", 5, h.now, &h.out), 5);
	CHECK(tc.c->sb.mem != NULL);
	REQUIRE(th_pop(&h, &s));
	th_peer(&h, &tc, TCP_ACK, p + 9000, tc.our_seq + 5, 65535, NULL, 0);
	CHECK(tc.c->sb.mem == NULL);
	th_clear(&h);
	tcp_abort(tc.c, h.now, &h.out);
	tcp_listener_close(l, h.now, &h.out);
	th_done(&h);
}

int main(void)
{
	fill_pattern();
	RUN(passive_open_data_and_peer_close);
	RUN(active_open_close_and_time_wait);
	RUN(retransmission_backs_off_and_gives_up);
	RUN(retransmission_recovers_and_measures);
	RUN(fast_retransmit_on_three_dupacks);
	RUN(sack_retransmits_the_holes);
	RUN(receiver_sends_sack_blocks);
	RUN(window_scaling_and_timestamps);
	RUN(zero_window_and_persist);
	RUN(we_advertise_a_zero_window_and_reopen_it);
	RUN(keepalive_probes_then_times_out);
	RUN(syn_cookies_when_the_backlog_is_full);
	RUN(delayed_ack_timer_and_nagle);
	RUN(rst_rules_and_challenge_acks);
	RUN(connect_refused_and_closed_port);
	RUN(syn_retries_then_timeout);
	RUN(listener_close_resets_pending);
	RUN(notify_list_names_changed_sockets);
	RUN(odd_segments_and_edges);
	RUN(shutdown_during_the_handshake);
	RUN(small_window_is_used_by_the_persist_timer);
	RUN(orphan_in_a_zero_window_gives_up);
	RUN(rsts_for_closed_ports_are_rate_limited);
	RUN(acks_held_to_the_end_of_a_burst);
	return check_done();
}
