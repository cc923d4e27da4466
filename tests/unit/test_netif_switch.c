/* tests/unit/test_netif_switch.c: the in-memory switch: unicast, broadcast
 * and multicast, unknown destinations, the queue bound and its drop count,
 * size checks, zero-copy hand-over, promiscuous ports, several ports with
 * fibers exchanging frames, waiting with deadlines, no leaks. */
#include <stdio.h>
#include <stdlib.h>

#include <riad/fiber.h>
#include <riad/netif.h>
#include <riad/netif_switch.h>
#include <riad/time.h>

#include "check.h"
#include "sched_run.h"
#include "test_netif_frames.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0xc };
static const uint8_t mac_mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
static const uint8_t mac_nobody[6] = { 0x02, 0, 0, 0, 0, 0xee };

struct three {
	struct riad_netif_switch *sw;
	struct riad_netif *a, *b, *c;
};

static void three_open(struct three *t)
{
	t->sw = riad_netif_switch_new();
	t->a = riad_netif_switch_port(t->sw, mac_a, 0);
	t->b = riad_netif_switch_port(t->sw, mac_b, 0);
	t->c = riad_netif_switch_port(t->sw, mac_c, 0);
}

static size_t drain(struct riad_netif *nif)
{
	size_t n = 0;
	struct riad_pbuf *p;
	while ((p = riad_netif_recv(nif))) {
		riad_pbuf_unref(p);
		n++;
	}
	return n;
}

static void unicast_reaches_only_its_port(void)
{
	struct three t;
	three_open(&t);
	REQUIRE(t.a && t.b && t.c);
	CHECK_STR(riad_netif_name(t.a), "sw0.0");
	CHECK_MEM(riad_netif_mac(t.b), mac_b, 6);
	CHECK_INT(riad_netif_mtu(t.a), 1500);

	CHECK_INT(riad_netif_send(t.a, frame_make(mac_b, mac_a, 7, 100, 64)), 0);
	CHECK(riad_netif_recv(t.a) == NULL);
	CHECK(riad_netif_recv(t.c) == NULL);
	struct riad_pbuf *p = riad_netif_recv(t.b);
	REQUIRE(p);
	CHECK_INT(p->len, 100);
	CHECK_INT(frame_seq(p), 7);
	CHECK(frame_intact(p));
	CHECK(riad_pbuf_headroom(p) >= RIAD_NETIF_RX_HEADROOM);
	riad_pbuf_unref(p);
	CHECK(riad_netif_recv(t.b) == NULL);

	CHECK_INT(riad_netif_stats(t.a)->tx_frames, 1);
	CHECK_INT(riad_netif_stats(t.a)->tx_bytes, 100);
	CHECK_INT(riad_netif_stats(t.b)->rx_frames, 1);
	CHECK_INT(riad_netif_stats(t.b)->rx_bytes, 100);
	CHECK_INT(riad_netif_stats(t.c)->rx_frames, 0);
	struct riad_netif_switch_stats s;
	riad_netif_switch_stats(t.sw, &s);
	CHECK_INT(s.frames, 1);
	CHECK_INT(s.delivered, 1);
	CHECK_INT(s.no_dest, 0);
	riad_netif_switch_free(t.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void broadcast_and_multicast_reach_all_others(void)
{
	struct three t;
	three_open(&t);
	riad_netif_send(t.a, frame_make(mac_bcast, mac_a, 1, 60, 64));
	riad_netif_send(t.b, frame_make(mac_mcast, mac_b, 2, 60, 64));
	struct riad_pbuf *p;
	/* a gets b's multicast only; b gets a's broadcast; c both. */
	REQUIRE((p = riad_netif_recv(t.a)));
	CHECK_INT(frame_seq(p), 2);
	riad_pbuf_unref(p);
	CHECK(riad_netif_recv(t.a) == NULL);
	REQUIRE((p = riad_netif_recv(t.b)));
	CHECK_INT(frame_seq(p), 1);
	riad_pbuf_unref(p);
	CHECK(riad_netif_recv(t.b) == NULL);
	REQUIRE((p = riad_netif_recv(t.c)));
	CHECK_INT(frame_seq(p), 1);
	CHECK(frame_intact(p));
	/* Each receiver has its own buffer: changing one changes no other. */
	p->data[20] ^= 0xff;
	riad_pbuf_unref(p);
	REQUIRE((p = riad_netif_recv(t.c)));
	CHECK_INT(frame_seq(p), 2);
	CHECK(frame_intact(p));
	riad_pbuf_unref(p);
	struct riad_netif_switch_stats s;
	riad_netif_switch_stats(t.sw, &s);
	CHECK_INT(s.frames, 2);
	CHECK_INT(s.delivered, 4);
	riad_netif_switch_free(t.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void unknown_destination_is_counted(void)
{
	struct three t;
	three_open(&t);
	CHECK_INT(riad_netif_send(t.a, frame_make(mac_nobody, mac_a, 1, 60, 64)), 0);
	CHECK_INT(drain(t.b) + drain(t.c), 0);
	struct riad_netif_switch_stats s;
	riad_netif_switch_stats(t.sw, &s);
	CHECK_INT(s.no_dest, 1);
	CHECK_INT(s.delivered, 0);
	/* Sending to oneself reaches nobody either. */
	riad_netif_send(t.a, frame_make(mac_a, mac_a, 2, 60, 64));
	CHECK_INT(drain(t.a), 0);
	riad_netif_switch_stats(t.sw, &s);
	CHECK_INT(s.no_dest, 2);
	riad_netif_switch_free(t.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void queue_is_bounded_and_drops_counted(void)
{
	struct three t;
	three_open(&t);
	unsigned extra = 10;
	for (unsigned i = 0; i < RIAD_NETIF_SWITCH_QUEUE + extra; i++)
		CHECK_INT(riad_netif_send(t.a, frame_make(mac_b, mac_a, i, 64, 64)), 0);
	CHECK_INT(riad_netif_stats(t.b)->rx_drop_queue, extra);
	CHECK_INT(riad_netif_stats(t.a)->tx_frames, RIAD_NETIF_SWITCH_QUEUE + extra);
	/* The first RIAD_NETIF_SWITCH_QUEUE frames, in order; then none. */
	for (unsigned i = 0; i < RIAD_NETIF_SWITCH_QUEUE; i++) {
		struct riad_pbuf *p = riad_netif_recv(t.b);
		REQUIRE(p);
		CHECK_INT(frame_seq(p), i);
		riad_pbuf_unref(p);
	}
	CHECK(riad_netif_recv(t.b) == NULL);
	struct riad_netif_switch_stats s;
	riad_netif_switch_stats(t.sw, &s);
	CHECK_INT(s.dropped, extra);
	/* Room again after draining. */
	riad_netif_send(t.a, frame_make(mac_b, mac_a, 999, 64, 64));
	CHECK_INT(drain(t.b), 1);
	/* Frames left queued are freed with the port. */
	for (unsigned i = 0; i < 5; i++)
		riad_netif_send(t.a, frame_make(mac_b, mac_a, i, 64, 64));
	riad_netif_close(t.b);
	riad_netif_switch_free(t.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void sizes_are_checked_on_both_sides(void)
{
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_netif *big = riad_netif_switch_port(sw, mac_a, 9000);
	struct riad_netif *small = riad_netif_switch_port(sw, mac_b, 1000);
	CHECK_INT(riad_netif_mtu(small), 1000);
	/* Runt: shorter than an Ethernet header. */
	struct riad_pbuf *p = frame_make(mac_b, mac_a, 1, 20, 64);
	riad_pbuf_trim(p, 13);
	CHECK_INT(riad_netif_send(big, p), -RIAD_EMSGSIZE);
	CHECK_INT(riad_netif_stats(big)->tx_drop_size, 1);
	/* Longer than the sender's MTU allows. */
	CHECK_INT(riad_netif_send(small, frame_make(mac_a, mac_b, 2, 1000 + 19, 64)), -RIAD_EMSGSIZE);
	CHECK_INT(riad_netif_stats(small)->tx_drop_size, 1);
	/* The largest frame a port may send, tagged: mtu + 18. */
	CHECK_INT(riad_netif_send(small, frame_make(mac_a, mac_b, 3, 1000 + 18, 64)), 0);
	CHECK_INT(drain(big), 1);
	/* Fine for the sender, too long for the receiver. */
	CHECK_INT(riad_netif_send(big, frame_make(mac_b, mac_a, 4, 1400, 64)), 0);
	CHECK_INT(riad_netif_stats(small)->rx_drop_size, 1);
	CHECK_INT(drain(small), 0);
	riad_netif_switch_free(sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void sender_buffer_handed_over_when_alone(void)
{
	struct three t;
	three_open(&t);
	/* Enough headroom and nobody else holds it: the same buffer. */
	struct riad_pbuf *p = frame_make(mac_b, mac_a, 1, 80, 128);
	riad_netif_send(t.a, p);
	struct riad_pbuf *q = riad_netif_recv(t.b);
	CHECK(q == p);
	riad_pbuf_unref(q);
	/* Held elsewhere too (a retransmission queue): a copy, and changing
	 * it leaves the sender's bytes alone. */
	p = frame_make(mac_b, mac_a, 2, 80, 128);
	riad_pbuf_ref(p);
	riad_netif_send(t.a, p);
	q = riad_netif_recv(t.b);
	REQUIRE(q);
	CHECK(q != p);
	CHECK_INT(p->refs, 1);
	riad_pbuf_pull(q, 14);
	q->data[10] ^= 1;
	CHECK_INT(p->len, 80);
	CHECK(frame_intact(p));
	riad_pbuf_unref(q);
	riad_pbuf_unref(p);
	/* Too little headroom: a copy with the promised headroom. */
	p = frame_make(mac_b, mac_a, 3, 80, 0);
	riad_netif_send(t.a, p);
	q = riad_netif_recv(t.b);
	REQUIRE(q);
	CHECK(riad_pbuf_headroom(q) >= RIAD_NETIF_RX_HEADROOM);
	CHECK_INT(frame_seq(q), 3);
	riad_pbuf_unref(q);
	riad_netif_switch_free(t.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void promiscuous_port_sees_everything(void)
{
	struct three t;
	three_open(&t);
	riad_netif_switch_promisc(t.c, true);
	riad_netif_send(t.a, frame_make(mac_b, mac_a, 1, 60, 64));
	riad_netif_send(t.a, frame_make(mac_nobody, mac_a, 2, 60, 64));
	riad_netif_send(t.c, frame_make(mac_c, mac_c, 3, 60, 64));
	CHECK_INT(drain(t.b), 1);
	struct riad_pbuf *p = riad_netif_recv(t.c);
	REQUIRE(p);
	CHECK_INT(frame_seq(p), 1);
	riad_pbuf_unref(p);
	p = riad_netif_recv(t.c);
	REQUIRE(p);
	CHECK_INT(frame_seq(p), 2);
	riad_pbuf_unref(p);
	CHECK(riad_netif_recv(t.c) == NULL); /* not its own */
	struct riad_netif_switch_stats s;
	riad_netif_switch_stats(t.sw, &s);
	CHECK_INT(s.no_dest, 2); /* a promiscuous copy is not a destination */
	riad_netif_switch_promisc(t.c, false);
	riad_netif_send(t.a, frame_make(mac_b, mac_a, 4, 60, 64));
	CHECK_INT(drain(t.c), 0);
	riad_netif_switch_free(t.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void ports_are_limited(void)
{
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_netif *ports[RIAD_NETIF_SWITCH_PORTS];
	for (unsigned i = 0; i < RIAD_NETIF_SWITCH_PORTS; i++) {
		ports[i] = riad_netif_switch_port(sw, NULL, 0);
		REQUIRE(ports[i]);
		CHECK_INT(riad_netif_mac(ports[i])[5], i);
		CHECK_INT(riad_netif_mac(ports[i])[0], 0x02);
	}
	CHECK(riad_netif_switch_port(sw, NULL, 0) == NULL);
	riad_netif_close(ports[3]);
	ports[3] = riad_netif_switch_port(sw, NULL, 0);
	CHECK(ports[3] != NULL);
	riad_netif_switch_free(sw);
}

/* Several ports, one fiber each: every fiber sends a frame to every other
 * port, then receives one from every other port, waiting as needed. */

#define NPORTS 8
#define ROUNDS 20

struct peer {
	struct riad_netif *nif;
	unsigned index;
	unsigned got[NPORTS];
	unsigned bad;
};

static struct peer peers[NPORTS];

static int peer_main(void *arg)
{
	struct peer *me = arg;
	for (unsigned r = 0; r < ROUNDS; r++) {
		for (unsigned j = 0; j < NPORTS; j++) {
			if (j == me->index)
				continue;
			uint32_t seq = r << 16 | me->index << 8 | j;
			riad_netif_send(me->nif, frame_make(riad_netif_mac(peers[j].nif),
			                                    riad_netif_mac(me->nif), seq, 64 + j, 64));
		}
		riad_fiber_yield();
		unsigned want = NPORTS - 1;
		while (want > 0) {
			struct riad_pbuf *p = riad_netif_recv_until(me->nif, RIAD_TIME_NEVER);
			if (!p)
				return -1;
			uint32_t seq = frame_seq(p);
			unsigned from = seq >> 8 & 0xff, to = seq & 0xff;
			if (to != me->index || from >= NPORTS || !frame_intact(p) ||
			    memcmp(p->data + 6, riad_netif_mac(peers[from].nif), 6) != 0)
				me->bad++;
			else
				me->got[from]++;
			riad_pbuf_unref(p);
			want--;
		}
	}
	return 0;
}

static int many_ports_main(void *arg)
{
	(void)arg;
	struct riad_fiber *f[NPORTS];
	for (unsigned i = 0; i < NPORTS; i++)
		f[i] = riad_fiber_spawn(peer_main, &peers[i], 0);
	int bad = 0;
	for (unsigned i = 0; i < NPORTS; i++)
		bad |= riad_fiber_join(f[i]);
	return bad;
}

static void many_ports_with_fibers(void)
{
	struct riad_netif_switch *sw = riad_netif_switch_new();
	memset(peers, 0, sizeof(peers));
	for (unsigned i = 0; i < NPORTS; i++) {
		peers[i].nif = riad_netif_switch_port(sw, NULL, 0);
		peers[i].index = i;
	}
	CHECK_INT(riad_sched_run(many_ports_main, NULL), 0);
	for (unsigned i = 0; i < NPORTS; i++) {
		CHECK_INT(peers[i].bad, 0);
		for (unsigned j = 0; j < NPORTS; j++)
			CHECK_INT(peers[i].got[j], j == i ? 0 : ROUNDS);
		CHECK_INT(riad_netif_stats(peers[i].nif)->rx_frames, ROUNDS * (NPORTS - 1));
		CHECK_INT(riad_netif_stats(peers[i].nif)->rx_drop_queue, 0);
	}
	riad_netif_switch_free(sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

/* A fiber waiting on a port wakes when a frame is queued for it, at the
 * time it was sent; waiting without one times out at the deadline. */

static struct three waiting;
static int64_t woke_at;

static int waiter(void *arg)
{
	(void)arg;
	struct riad_pbuf *p = riad_netif_recv_until(waiting.b, riad_time_ns() + RIAD_NS_PER_S);
	woke_at = riad_time_ns();
	int seq = p ? (int)frame_seq(p) : -1;
	riad_pbuf_unref(p);
	return seq;
}

static int wait_main(void *arg)
{
	(void)arg;
	int64_t t0 = riad_time_ns();
	/* Nothing comes: the deadline. */
	CHECK_INT(riad_netif_wait(waiting.b, t0 + 5 * RIAD_NS_PER_MS), -RIAD_ETIMEDOUT);
	CHECK_INT(riad_time_ns(), t0 + 5 * RIAD_NS_PER_MS);
	CHECK(riad_netif_recv_until(waiting.b, t0 + 10 * RIAD_NS_PER_MS) == NULL);
	CHECK_INT(riad_time_ns(), t0 + 10 * RIAD_NS_PER_MS);
	/* A frame comes 20 ms later, sent by this fiber. */
	struct riad_fiber *w = riad_fiber_spawn(waiter, NULL, 0);
	riad_sleep_ns(20 * RIAD_NS_PER_MS);
	int64_t sent = riad_time_ns();
	riad_netif_send(waiting.a, frame_make(mac_b, mac_a, 42, 60, 64));
	int seq = riad_fiber_join(w);
	CHECK_INT(seq, 42);
	CHECK_INT(woke_at, sent);
	/* Input already queued: wait returns at once. */
	riad_netif_send(waiting.a, frame_make(mac_b, mac_a, 43, 60, 64));
	CHECK_INT(riad_netif_wait(waiting.b, RIAD_TIME_NEVER), 0);
	CHECK_INT(drain(waiting.b), 1);
	return 0;
}

static void waiting_with_deadlines(void)
{
	three_open(&waiting);
	CHECK_INT(riad_sched_run(wait_main, NULL), 0);
	riad_netif_switch_free(waiting.sw);
	CHECK_INT(riad_pbuf_live(), 0);
}

static int dummy_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	(void)nif;
	riad_pbuf_unref(p);
	return 0;
}
static struct riad_pbuf *dummy_recv(struct riad_netif *nif)
{
	(void)nif;
	return NULL;
}
static int dummy_wait(struct riad_netif *nif, int64_t deadline)
{
	(void)nif;
	(void)deadline;
	return -RIAD_ETIMEDOUT;
}
static void dummy_close(struct riad_netif *nif)
{
	(void)nif;
}
static const struct riad_netif_ops dummy_ops = { dummy_send, dummy_recv, dummy_wait, dummy_close };
static const struct riad_netif_ops incomplete_ops = { .send = dummy_send, .recv = dummy_recv };
static struct riad_netif bogus;

static void init_incomplete_ops(void)
{
	riad_netif_init(&bogus, &incomplete_ops, NULL, mac_a, 1500, "bogus");
}

static void init_tiny_mtu(void)
{
	riad_netif_init(&bogus, &dummy_ops, NULL, mac_a, 67, "bogus");
}

static void promisc_on_other_netif(void)
{
	riad_netif_init(&bogus, &dummy_ops, NULL, mac_a, 1500, "bogus");
	riad_netif_switch_promisc(&bogus, true);
}

static void misuse_aborts(void)
{
	CHECK(expect_abort(init_incomplete_ops));
	CHECK(strstr(fake_console_take(), "incomplete ops") != NULL);
	CHECK(expect_abort(init_tiny_mtu));
	CHECK(strstr(fake_console_take(), "MTU 67") != NULL);
	CHECK(expect_abort(promisc_on_other_netif));
	CHECK(strstr(fake_console_take(), "not a switch port") != NULL);
	/* A long name is cut to fit. */
	riad_netif_init(&bogus, &dummy_ops, NULL, mac_a, 1500,
	                "a-very-long-interface-name-indeed-longer-than-32");
	CHECK_INT(strlen(riad_netif_name(&bogus)), RIAD_NETIF_NAME_MAX - 1);
}

int main(void)
{
	RUN(unicast_reaches_only_its_port);
	RUN(broadcast_and_multicast_reach_all_others);
	RUN(unknown_destination_is_counted);
	RUN(queue_is_bounded_and_drops_counted);
	RUN(sizes_are_checked_on_both_sides);
	RUN(sender_buffer_handed_over_when_alone);
	RUN(promiscuous_port_sees_everything);
	RUN(ports_are_limited);
	RUN(many_ports_with_fibers);
	RUN(waiting_with_deadlines);
	RUN(misuse_aborts);
	return check_done();
}
