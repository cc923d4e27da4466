/* tests/unit/test_tcp_states.c: every TCP state against every kind of segment, table-driven, with the response RFC 9293 3.10.7 and RFC 5961 require (segment sent, state after, the counter that moved). */
#include <stddef.h>
#include <stdio.h>

#include "test_tcp.h"

/* The states a connection can be put in, plus CLOSED (no socket at all)
 * and LISTEN (a listener, no connection). */
enum setup {
	S_CLOSED, S_LISTEN, S_SYN_SENT, S_SYN_RCVD, S_ESTAB, S_FIN_WAIT_1, S_FIN_WAIT_2,
	S_CLOSE_WAIT, S_CLOSING, S_LAST_ACK, S_TIME_WAIT, S_N
};

static const char *const setup_name[S_N] = {
	"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
	"FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
};

/* The segments, relative to R (the peer's next sequence number, our
 * RCV.NXT) and N (our SND.MAX). */
enum kind {
	K_SYN,        /* SYN, seq R */
	K_SYNACK,     /* SYN,ACK, seq R, ack N */
	K_ACK,        /* ACK, seq R, ack N */
	K_RST,        /* RST, seq R */
	K_RST_INWIN,  /* RST, seq R + 1 (in the window, not exact) */
	K_RSTACK,     /* RST,ACK, seq R, ack N */
	K_FIN,        /* FIN,ACK, seq R, ack N */
	K_DATA,       /* ACK, seq R, ack N, 10 bytes */
	K_OOW_SEQ,    /* ACK, seq R + 2^30 (outside the window), ack N */
	K_ACK_FUTURE, /* ACK, seq R, ack N + 1000 (not sent yet) */
	K_ACK_OLD,    /* ACK, seq R, ack N - 2^30 (older than the window) */
	K_N
};

static const char *const kind_name[K_N] = {
	"SYN", "SYN,ACK", "ACK", "RST", "RST in window", "RST,ACK", "FIN", "data",
	"seq out of window", "ack of unsent data", "ack too old",
};

#define GONE (-1) /* no connection left */
#define SAME (-2) /* state unchanged */
#define NONE 0
#define ST(f) (offsetof(struct riad_tcp_stats, f) + 1) /* 0: no counter to check */

struct cell {
	uint8_t reply;  /* flags of the one segment sent, NONE for none */
	int next;       /* enum tcp_state after, GONE or SAME */
	size_t stat;    /* ST(counter) that must have moved, or 0 */
};

#define CA TCP_ACK
#define CHAL { CA, SAME, ST(challenge_acks) }
#define OOW { CA, SAME, ST(out_of_window) }
#define BADACK { CA, SAME, ST(bad_ack) }

/* RFC 9293 3.10.7 with RFC 5961 (challenge ACKs for SYNs and in-window
 * RSTs, ACK acceptability) and RFC 1337 (TIME-WAIT ignores RST). */
static const struct cell table[S_N][K_N] = {
	[S_CLOSED] = {
		/* 3.10.7.1: RST for everything but a RST. */
		[K_SYN] = { TCP_RST | TCP_ACK, GONE, ST(no_conn) },
		[K_SYNACK] = { TCP_RST, GONE, ST(no_conn) },
		[K_ACK] = { TCP_RST, GONE, ST(no_conn) },
		[K_RST] = { NONE, GONE, ST(no_conn) },
		[K_RST_INWIN] = { NONE, GONE, ST(no_conn) },
		[K_RSTACK] = { NONE, GONE, ST(no_conn) },
		[K_FIN] = { TCP_RST, GONE, ST(no_conn) },
		[K_DATA] = { TCP_RST, GONE, ST(no_conn) },
		[K_OOW_SEQ] = { TCP_RST, GONE, ST(no_conn) },
		[K_ACK_FUTURE] = { TCP_RST, GONE, ST(no_conn) },
		[K_ACK_OLD] = { TCP_RST, GONE, ST(no_conn) },
	},
	[S_LISTEN] = {
		/* 3.10.7.2: RST ignored, ACK answered by RST, SYN opens. */
		[K_SYN] = { TCP_SYN | TCP_ACK, TCP_SYN_RECEIVED, ST(passive_opens) },
		[K_SYNACK] = { TCP_RST, GONE, ST(listen_drop) },
		[K_ACK] = { TCP_RST, GONE, ST(listen_drop) },
		[K_RST] = { NONE, GONE, ST(listen_drop) },
		[K_RST_INWIN] = { NONE, GONE, ST(listen_drop) },
		[K_RSTACK] = { NONE, GONE, ST(listen_drop) },
		[K_FIN] = { TCP_RST, GONE, ST(listen_drop) },
		[K_DATA] = { TCP_RST, GONE, ST(listen_drop) },
		[K_OOW_SEQ] = { TCP_RST, GONE, ST(listen_drop) },
		[K_ACK_FUTURE] = { TCP_RST, GONE, ST(listen_drop) },
		[K_ACK_OLD] = { TCP_RST, GONE, ST(listen_drop) },
	},
	[S_SYN_SENT] = {
		/* 3.10.7.3: an unacceptable ACK gets a RST; a RST counts only
		 * with an acceptable ACK; a SYN without ACK is a simultaneous
		 * open. */
		[K_SYN] = { TCP_SYN | TCP_ACK, TCP_SYN_RECEIVED, 0 },
		[K_SYNACK] = { TCP_ACK, TCP_ESTABLISHED, ST(established) },
		[K_ACK] = { NONE, SAME, ST(synsent_drop) },
		[K_RST] = { NONE, SAME, ST(synsent_drop) },
		[K_RST_INWIN] = { NONE, SAME, ST(synsent_drop) },
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { NONE, SAME, ST(synsent_drop) },
		[K_DATA] = { NONE, SAME, ST(synsent_drop) },
		[K_OOW_SEQ] = { NONE, SAME, ST(synsent_drop) },
		[K_ACK_FUTURE] = { TCP_RST, SAME, ST(synsent_drop) },
		[K_ACK_OLD] = { TCP_RST, SAME, ST(synsent_drop) },
	},
	[S_SYN_RCVD] = {
		/* A passive SYN-RECEIVED returns to LISTEN on RST or SYN. */
		[K_SYN] = { NONE, GONE, ST(syn_in_window) },
		[K_SYNACK] = { NONE, GONE, ST(syn_in_window) },
		[K_ACK] = { NONE, TCP_ESTABLISHED, ST(established) },
		[K_RST] = { NONE, GONE, ST(resets_rx) },
		[K_RST_INWIN] = { CA, SAME, ST(rst_bad_seq) },
		[K_RSTACK] = { NONE, GONE, ST(resets_rx) },
		[K_FIN] = { CA, TCP_CLOSE_WAIT, ST(established) },
		[K_DATA] = { NONE, TCP_ESTABLISHED, ST(rx_bytes) },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = { TCP_RST, SAME, ST(bad_ack) },
		[K_ACK_OLD] = { TCP_RST, SAME, ST(bad_ack) },
	},
	[S_ESTAB] = {
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, SAME, 0 },
		[K_RST] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { CA, TCP_CLOSE_WAIT, 0 },
		[K_DATA] = { NONE, SAME, ST(rx_bytes) }, /* ACK delayed */
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
	[S_FIN_WAIT_1] = {
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, TCP_FIN_WAIT_2, 0 },
		[K_RST] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { CA, TCP_TIME_WAIT, 0 },
		[K_DATA] = { NONE, TCP_FIN_WAIT_2, ST(rx_bytes) },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
	[S_FIN_WAIT_2] = {
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, SAME, 0 },
		[K_RST] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { CA, TCP_TIME_WAIT, 0 },
		[K_DATA] = { NONE, SAME, ST(rx_bytes) },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
	[S_CLOSE_WAIT] = {
		/* Text and FIN after the peer's FIN are ignored (seventh, eighth). */
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, SAME, 0 },
		[K_RST] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { NONE, SAME, 0 },
		[K_DATA] = { NONE, SAME, 0 },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
	[S_CLOSING] = {
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, TCP_TIME_WAIT, 0 },
		[K_RST] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { NONE, TCP_TIME_WAIT, 0 },
		[K_DATA] = { NONE, TCP_TIME_WAIT, 0 },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
	[S_LAST_ACK] = {
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, TCP_CLOSED, 0 },
		[K_RST] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, TCP_CLOSED, ST(resets_rx) },
		[K_FIN] = { NONE, TCP_CLOSED, 0 },
		[K_DATA] = { NONE, TCP_CLOSED, 0 },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
	[S_TIME_WAIT] = {
		[K_SYN] = CHAL,
		[K_SYNACK] = CHAL,
		[K_ACK] = { NONE, SAME, 0 },
		[K_RST] = { NONE, SAME, ST(timewait_rst) },
		[K_RST_INWIN] = CHAL,
		[K_RSTACK] = { NONE, SAME, ST(timewait_rst) },
		[K_FIN] = { NONE, SAME, 0 },
		[K_DATA] = { NONE, SAME, 0 },
		[K_OOW_SEQ] = OOW,
		[K_ACK_FUTURE] = BADACK,
		[K_ACK_OLD] = BADACK,
	},
};

struct env {
	struct th h;
	struct tcp_listener *l;
	struct tcp_conn *c; /* the application's handle, if any */
	uint32_t R, N;
	uint16_t lport, rport;
};

/* Bring a fresh stack to the state. */
static bool setup(struct env *e, enum setup s)
{
	memset(e, 0, sizeof(*e));
	th_init(&e->h);
	struct th *h = &e->h;
	struct th_seg g;
	e->lport = 80;
	e->rport = 4000;
	e->R = 1000;
	e->N = 5000;
	if (s == S_CLOSED)
		return true;
	if (s == S_SYN_SENT) {
		struct th_conn tc;
		if (tcp_connect(h->st, TH_US, 5000, TH_PEER, 4000, h->now, &h->out, &tc.c) != 0)
			return false;
		e->c = tc.c;
		e->lport = 5000;
		if (!th_expect(h, &g, TCP_SYN))
			return false;
		e->N = g.s.seq + 1;
		e->R = 7000;
		return true;
	}
	if (tcp_listen(h->st, 0, 80, 8, &e->l) != 0)
		return false;
	if (s == S_LISTEN)
		return true;
	if (s == S_SYN_RCVD) {
		th_send(h, 4000, 80, TCP_SYN, 999, 0, 65535, NULL, NULL, 0);
		if (!th_expect(h, &g, TCP_SYN | TCP_ACK))
			return false;
		e->N = g.s.seq + 1;
		return true;
	}
	struct th_conn tc;
	if (!th_accept(h, &e->l, &tc, NULL, 4000))
		return false;
	e->c = tc.c;
	e->R = tc.peer_seq;
	e->N = tc.our_seq;
	switch (s) {
	case S_ESTAB:
		break;
	case S_FIN_WAIT_1:
	case S_FIN_WAIT_2:
	case S_CLOSING:
	case S_TIME_WAIT:
		tcp_shutdown_write(e->c, h->now, &h->out);
		if (!th_expect(h, &g, TCP_ACK | TCP_FIN))
			return false;
		e->N++;
		if (s == S_FIN_WAIT_2 || s == S_TIME_WAIT)
			th_send(h, 4000, 80, TCP_ACK, e->R, e->N, 65535, NULL, NULL, 0);
		if (s == S_CLOSING)
			th_send(h, 4000, 80, TCP_ACK | TCP_FIN, e->R, e->N - 1, 65535, NULL, NULL, 0);
		if (s == S_TIME_WAIT)
			th_send(h, 4000, 80, TCP_ACK | TCP_FIN, e->R, e->N, 65535, NULL, NULL, 0);
		if (s == S_CLOSING || s == S_TIME_WAIT) {
			e->R++;
			if (!th_expect(h, &g, TCP_ACK))
				return false;
		}
		break;
	case S_CLOSE_WAIT:
	case S_LAST_ACK:
		th_send(h, 4000, 80, TCP_ACK | TCP_FIN, e->R, e->N, 65535, NULL, NULL, 0);
		e->R++;
		if (!th_expect(h, &g, TCP_ACK))
			return false;
		if (s == S_LAST_ACK) {
			tcp_shutdown_write(e->c, h->now, &h->out);
			if (!th_expect(h, &g, TCP_ACK | TCP_FIN))
				return false;
			e->N++;
		}
		break;
	default:
		return false;
	}
	static const enum tcp_state want[S_N] = {
		[S_ESTAB] = TCP_ESTABLISHED, [S_FIN_WAIT_1] = TCP_FIN_WAIT_1,
		[S_FIN_WAIT_2] = TCP_FIN_WAIT_2, [S_CLOSE_WAIT] = TCP_CLOSE_WAIT,
		[S_CLOSING] = TCP_CLOSING, [S_LAST_ACK] = TCP_LAST_ACK, [S_TIME_WAIT] = TCP_TIME_WAIT,
	};
	return tcp_conn_state(e->c) == want[s] && th_pending(h) == 0;
}

static int state_now(struct env *e)
{
	if (e->c)
		return (int)tcp_conn_state(e->c);
	if (e->h.st->all)
		return (int)e->h.st->all->state;
	return GONE;
}

static void send_kind(struct env *e, enum kind k)
{
	static const uint8_t data[10] = "0123456789";
	uint32_t R = e->R, N = e->N;
	struct th *h = &e->h;
	uint16_t sp = e->rport, dp = e->lport;
	switch (k) {
	case K_SYN:
		th_send(h, sp, dp, TCP_SYN, R, 0, 65535, NULL, NULL, 0);
		break;
	case K_SYNACK:
		th_send(h, sp, dp, TCP_SYN | TCP_ACK, R, N, 65535, NULL, NULL, 0);
		break;
	case K_ACK:
		th_send(h, sp, dp, TCP_ACK, R, N, 65535, NULL, NULL, 0);
		break;
	case K_RST:
		th_send(h, sp, dp, TCP_RST, R, 0, 0, NULL, NULL, 0);
		break;
	case K_RST_INWIN:
		th_send(h, sp, dp, TCP_RST, R + 1, 0, 0, NULL, NULL, 0);
		break;
	case K_RSTACK:
		th_send(h, sp, dp, TCP_RST | TCP_ACK, R, N, 0, NULL, NULL, 0);
		break;
	case K_FIN:
		th_send(h, sp, dp, TCP_FIN | TCP_ACK, R, N, 65535, NULL, NULL, 0);
		break;
	case K_DATA:
		th_send(h, sp, dp, TCP_ACK, R, N, 65535, NULL, data, sizeof(data));
		break;
	case K_OOW_SEQ:
		th_send(h, sp, dp, TCP_ACK, R + 0x40000000u, N, 65535, NULL, NULL, 0);
		break;
	case K_ACK_FUTURE:
		th_send(h, sp, dp, TCP_ACK, R, N + 1000, 65535, NULL, NULL, 0);
		break;
	default:
		th_send(h, sp, dp, TCP_ACK, R, N - 0x40000000u, 65535, NULL, NULL, 0);
		break;
	}
}

static void state_segment_table(void)
{
	for (int s = 0; s < S_N; s++) {
		for (int k = 0; k < K_N; k++) {
			struct env e;
			int fails = check_failures_in_test;
			if (!setup(&e, (enum setup)s)) {
				printf("  setup of %s failed\n", setup_name[s]);
				CHECK(!"setup");
				th_done(&e.h);
				continue;
			}
			const struct cell *want = &table[s][k];
			int before = state_now(&e);
			struct riad_tcp_stats st0 = *th_stats(&e.h);
			send_kind(&e, (enum kind)k);
			struct th_seg g;
			uint8_t got = 0;
			if (th_pop(&e.h, &g))
				got = g.s.flags & (uint8_t)~TCP_PSH;
			CHECK_INT(got, want->reply);
			CHECK_INT(th_pending(&e.h), 0);
			/* The reply's numbers, per RFC 9293. */
			if (got == TCP_ACK) {
				CHECK_INT(g.s.ack, e.R + ((k == K_FIN || k == K_SYNACK) && want->next != SAME ? 1 : 0));
			} else if (got == TCP_RST) {
				uint32_t sent_ack = k == K_ACK_FUTURE ? e.N + 1000
				                    : k == K_ACK_OLD ? e.N - 0x40000000u : e.N;
				CHECK_INT(g.s.seq, sent_ack);
			} else if (got == (TCP_RST | TCP_ACK)) {
				CHECK_INT(g.s.ack, e.R + 1);
			}
			int after = state_now(&e);
			int next = want->next == SAME ? before : want->next;
			CHECK_INT(after, next);
			if (want->stat) {
				uint64_t a = *(uint64_t *)((char *)&st0 + want->stat - 1);
				uint64_t b = *(uint64_t *)((char *)th_stats(&e.h) + want->stat - 1);
				CHECK(b > a);
			}
			if (check_failures_in_test != fails)
				printf("  in %s, got %s\n", setup_name[s], kind_name[k]);
			if (e.c)
				tcp_abort(e.c, e.h.now, &e.h.out);
			if (e.l)
				tcp_listener_close(e.l, e.h.now, &e.h.out);
			th_done(&e.h);
		}
	}
}

/* RFC 9293 3.10.7.4 note / RFC 6191: a SYN above the old sequence space
 * reopens a TIME-WAIT connection through the listener. */
static void time_wait_gives_way_to_a_new_syn(void)
{
	struct env e;
	REQUIRE(setup(&e, S_TIME_WAIT));
	tcp_close(e.c, e.h.now, &e.h.out);
	e.c = NULL;
	th_send(&e.h, 4000, 80, TCP_SYN, e.R + 100000, 0, 65535, NULL, NULL, 0);
	struct th_seg g;
	REQUIRE(th_expect(&e.h, &g, TCP_SYN | TCP_ACK));
	CHECK_INT(g.s.ack, e.R + 100001);
	CHECK_INT(th_stats(&e.h)->timewait_recycled, 1);
	CHECK_INT(e.h.st->nconns, 1);
	tcp_listener_close(e.l, e.h.now, &e.h.out);
	th_done(&e.h);
}

/* The retransmitted SYN of a peer whose SYN,ACK got lost. */
static void syn_received_answers_a_repeated_syn(void)
{
	struct env e;
	REQUIRE(setup(&e, S_SYN_RCVD));
	th_send(&e.h, 4000, 80, TCP_SYN, 999, 0, 65535, NULL, NULL, 0);
	struct th_seg g;
	REQUIRE(th_expect(&e.h, &g, TCP_SYN | TCP_ACK));
	CHECK_INT(g.s.seq, e.N - 1);
	CHECK_INT(g.s.ack, 1000);
	CHECK_INT(state_now(&e), TCP_SYN_RECEIVED);
	/* SYN,ACK retransmissions back off, then the half-open one is dropped. */
	int64_t rto = RIAD_TCP_RTO_INIT_NS;
	for (int i = 0; i < RIAD_TCP_SYNACK_RETRIES; i++) {
		th_run_timers(&e.h, e.h.now + rto);
		REQUIRE(th_expect(&e.h, &g, TCP_SYN | TCP_ACK));
		rto *= 2;
	}
	th_run_timers(&e.h, e.h.now + rto);
	CHECK_INT(state_now(&e), GONE);
	CHECK_INT(th_pending(&e.h), 0);
	tcp_listener_close(e.l, e.h.now, &e.h.out);
	th_done(&e.h);
}

int main(void)
{
	RUN(state_segment_table);
	RUN(time_wait_gives_way_to_a_new_syn);
	RUN(syn_received_answers_a_repeated_syn);
	return check_done();
}
