/* tests/unit/test_netif_fault.c: the fault wrapper over switch ports: a seed
 * reproduces the same faults and another seed does not; the rates of loss,
 * corruption, duplication and reordering over 100 000 frames, in each
 * direction; each kind of fault observable at the receiver; delays and
 * reorder timeouts on the fake clock through the scheduler; the bound on
 * held frames; changing faults at run time; no leaks. */
#include <stdio.h>
#include <stdlib.h>

#include <riad/fiber.h>
#include <riad/netif.h>
#include <riad/netif_fault.h>
#include <riad/netif_switch.h>
#include <riad/time.h>

#include "check.h"
#include "sched_run.h"
#include "test_netif_frames.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0xa };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0xb };

/* What the receiver saw, frame by frame. */
struct seen {
	uint32_t seq;
	uint8_t intact;
	int64_t at;
};

struct run {
	struct riad_netif_fault_config cfg;
	enum riad_netif_dir dir;   /* which side's wrapper has the faults */
	unsigned frames;
	size_t len;
	int64_t gap_ns;            /* time between two sends */
	/* results */
	struct seen *seen;
	size_t nseen, cap;
	struct riad_netif_fault_stats fs;
	struct riad_netif_stats rx_stats;
	size_t live_after;
};

static void record(struct run *r, struct riad_pbuf *p)
{
	if (r->nseen == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->seen = realloc(r->seen, r->cap * sizeof(*r->seen));
	}
	r->seen[r->nseen++] = (struct seen){ frame_seq(p), frame_intact(p), riad_time_ns() };
	riad_pbuf_unref(p);
}

static void drain_into(struct run *r, struct riad_netif *nif)
{
	struct riad_pbuf *p;
	while ((p = riad_netif_recv(nif)))
		record(r, p);
}

/* Port a sends r->frames numbered frames to port b; the faults sit on a's
 * tx side or b's rx side. The receiver is drained after every send, so
 * the switch queue never overflows. */
static int run_main(void *arg)
{
	struct run *r = arg;
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_netif *a = riad_netif_switch_port(sw, mac_a, 0);
	struct riad_netif *b = riad_netif_switch_port(sw, mac_b, 0);
	struct riad_netif *faulty;
	if (r->dir == RIAD_NETIF_TX)
		faulty = a = riad_netif_fault_wrap(a, &r->cfg);
	else
		faulty = b = riad_netif_fault_wrap(b, &r->cfg);
	for (unsigned i = 0; i < r->frames; i++) {
		riad_netif_send(a, frame_make(mac_b, mac_a, i, r->len, 64));
		drain_into(r, b);
		if (r->gap_ns)
			riad_sleep_ns(r->gap_ns);
	}
	/* Let every held frame out: wait until nothing arrives for 1 s. */
	struct riad_pbuf *p;
	while ((p = riad_netif_recv_until(b, riad_time_ns() + RIAD_NS_PER_S)))
		record(r, p);
	riad_netif_fault_stats(faulty, r->dir, &r->fs);
	r->rx_stats = *riad_netif_stats(b);
	riad_netif_close(a);
	riad_netif_close(b);
	riad_netif_switch_free(sw);
	riad_fiber_yield(); /* let a closed wrapper's pump finish */
	r->live_after = riad_pbuf_live();
	return 0;
}

static void run(struct run *r)
{
	r->seen = NULL;
	r->nseen = r->cap = 0;
	if (!r->len)
		r->len = 200;
	riad_sched_run(run_main, r);
}

static const struct riad_netif_fault_dir mixed = {
	.loss_ppm = 10000,       /* 1% */
	.duplicate_ppm = 50000,  /* 5% */
	.reorder_ppm = 250000,   /* 25% */
	.corrupt_ppm = 20000,    /* 2% */
	.reorder_gap = 3,
};

static bool same_seen(const struct run *x, const struct run *y)
{
	if (x->nseen != y->nseen)
		return false;
	for (size_t i = 0; i < x->nseen; i++)
		if (x->seen[i].seq != y->seen[i].seq || x->seen[i].intact != y->seen[i].intact ||
		    x->seen[i].at - y->seen[i].at != x->seen[0].at - y->seen[0].at)
			return false;
	return true;
}

static void same_seed_same_faults(void)
{
	for (int dir = 0; dir < 2; dir++) {
		struct run r1 = { .dir = dir, .frames = 3000 }, r2, r3;
		r1.cfg.seed = 42;
		r1.cfg.tx = r1.cfg.rx = mixed;
		r1.cfg.tx.jitter_ns = r1.cfg.rx.jitter_ns = 200 * RIAD_NS_PER_US;
		r1.gap_ns = 50 * RIAD_NS_PER_US;
		r2 = r1;
		r3 = r1;
		r3.cfg.seed = 43;
		run(&r1);
		run(&r2);
		run(&r3);
		CHECK(r1.nseen > 2900);
		CHECK(same_seen(&r1, &r2));
		CHECK(memcmp(&r1.fs, &r2.fs, sizeof(r1.fs)) == 0);
		CHECK(!same_seen(&r1, &r3));
		CHECK_INT(r1.live_after, 0);
		free(r1.seen);
		free(r2.seen);
		free(r3.seen);
	}
}

/* Within 5 standard deviations of a binomial's mean (plus one). */
static bool near(uint64_t got, uint64_t n, double p)
{
	double mean = (double)n * p, var = (double)n * p * (1 - p);
	double d = (double)got - mean;
	if (d < 0)
		d = -d;
	bool ok = d <= 1 || (d - 1) * (d - 1) <= 25 * var;
	if (!ok)
		printf("  %llu of %llu, expected %.0f (variance %.0f)\n", (unsigned long long)got,
		       (unsigned long long)n, mean, var);
	return ok;
}

static void rates_within_tolerance(void)
{
	for (int dir = 0; dir < 2; dir++) {
		struct run r = { .dir = dir, .frames = 100000, .len = 100 };
		r.cfg.seed = 7 + (uint64_t)dir;
		r.cfg.tx = r.cfg.rx = mixed;
		run(&r);
		uint64_t n = r.frames, kept = n - r.fs.lost;
		CHECK_INT(r.fs.frames, n);
		CHECK(near(r.fs.lost, n, 0.01));
		CHECK(near(r.fs.corrupted, kept, 0.02));
		CHECK(near(r.fs.duplicated, kept, 0.05));
		CHECK(near(r.fs.reordered, kept, 0.25));
		CHECK_INT(r.fs.overflow + r.fs.nomem, 0);
		CHECK_INT(r.fs.passed, kept + r.fs.duplicated);
		/* What the receiver saw agrees with the counters. */
		CHECK_INT(r.nseen, kept + r.fs.duplicated);
		CHECK_INT(r.rx_stats.rx_frames, r.nseen);
		uint64_t broken = 0, out_of_order = 0;
		uint32_t highest = 0;
		for (size_t i = 0; i < r.nseen; i++) {
			broken += !r.seen[i].intact;
			if (!r.seen[i].intact)
				continue; /* its number may be broken too */
			if (r.seen[i].seq < highest)
				out_of_order++;
			else
				highest = r.seen[i].seq;
		}
		/* A corrupted frame that is duplicated arrives broken twice; a
		 * flipped bit in the number itself still reads as broken. */
		CHECK(broken >= r.fs.corrupted && broken <= r.fs.corrupted * 11 / 10 + 5);
		/* Each reordered frame shows as one out of order, but for the
		 * few corrupted ones. */
		CHECK(out_of_order <= r.fs.reordered && out_of_order >= r.fs.reordered * 95 / 100);
		CHECK_INT(r.live_after, 0);
		free(r.seen);
	}
}

static void duplication_is_observable(void)
{
	struct run r = { .dir = RIAD_NETIF_TX, .frames = 100 };
	r.cfg.seed = 1;
	r.cfg.tx.duplicate_ppm = 1000000;
	run(&r);
	REQUIRE(r.nseen == 200);
	for (size_t i = 0; i < 200; i++) {
		CHECK_INT(r.seen[i].seq, i / 2);
		CHECK(r.seen[i].intact);
	}
	CHECK_INT(r.fs.duplicated, 100);
	CHECK_INT(r.live_after, 0);
	free(r.seen);
}

static void reordering_is_observable(void)
{
	/* Every other frame, roughly, waits for 2 later frames to pass. */
	struct run r = { .dir = RIAD_NETIF_RX, .frames = 1000 };
	r.cfg.seed = 5;
	r.cfg.rx.reorder_ppm = 300000;
	r.cfg.rx.reorder_gap = 2;
	run(&r);
	REQUIRE(r.nseen == 1000);
	static bool got[1000];
	memset(got, 0, sizeof(got));
	unsigned late = 0, early_leave = 0;
	for (size_t i = 0; i < r.nseen; i++) {
		uint32_t s = r.seen[i].seq;
		REQUIRE(s < 1000);
		CHECK(!got[s]);
		got[s] = true;
		/* Later frames that came before this one: none if it was not
		 * held, at least reorder_gap if it was (only the last few may
		 * leave earlier, when their hold times out). */
		unsigned overtaken = 0;
		for (size_t j = 0; j < i; j++)
			overtaken += r.seen[j].seq > s;

		late += overtaken > 0;
		early_leave += overtaken == 1 && s < 980;
	}
	CHECK(r.fs.reordered > 200 && r.fs.reordered < 400);
	CHECK(late >= r.fs.reordered - 5 && late <= r.fs.reordered);
	CHECK_INT(early_leave, 0);
	CHECK_INT(r.live_after, 0);
	free(r.seen);
}

/* Corruption: exactly corrupt_bits bits differ, never in the Ethernet
 * header, and a frame the sender still holds is not touched. */

static int corrupt_main(void *arg)
{
	(void)arg;
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_netif *a = riad_netif_switch_port(sw, mac_a, 0);
	struct riad_netif *b = riad_netif_switch_port(sw, mac_b, 0);
	struct riad_netif_fault_config cfg = { .seed = 99 };
	cfg.tx.corrupt_ppm = 1000000;
	cfg.tx.corrupt_bits = 3;
	a = riad_netif_fault_wrap(a, &cfg);
	unsigned ok = 0;
	for (uint32_t i = 0; i < 500; i++) {
		struct riad_pbuf *p = frame_make(mac_b, mac_a, i, 60 + i % 1400, 64);
		riad_pbuf_ref(p);  /* as a retransmission queue would */
		riad_netif_send(a, p);
		struct riad_pbuf *q = riad_netif_recv(b);
		if (!q)
			break;
		bool good = q->len == p->len && memcmp(q->data, p->data, 14) == 0;
		unsigned d = bits_differ(q->data, p->data, p->len);
		/* 3 flips may hit one bit twice: 3 or 1 bits differ. */
		good = good && (d == 3 || d == 1) && frame_intact(p) && p->refs == 1;
		ok += good;
		riad_pbuf_unref(q);
		riad_pbuf_unref(p);
	}
	struct riad_netif_fault_stats fs;
	riad_netif_fault_stats(a, RIAD_NETIF_TX, &fs);
	CHECK_INT(fs.corrupted, 500);
	riad_netif_close(a);
	riad_netif_close(b);
	riad_netif_switch_free(sw);
	return (int)ok;
}

static void corruption_changes_bytes(void)
{
	CHECK_INT(riad_sched_run(corrupt_main, NULL), 500);
	CHECK_INT(riad_pbuf_live(), 0);
}

static void delay_in_each_direction(void)
{
	for (int dir = 0; dir < 2; dir++) {
		struct run r = { .dir = dir, .frames = 50, .gap_ns = RIAD_NS_PER_MS };
		r.cfg.seed = 3;
		r.cfg.tx.delay_ns = r.cfg.rx.delay_ns = 5 * RIAD_NS_PER_MS;
		int64_t t0 = riad_time_ns();
		run(&r);
		REQUIRE(r.nseen == 50);
		for (size_t i = 0; i < 50; i++) {
			CHECK_INT(r.seen[i].seq, i);
			/* Frame i left at t0 + i ms and arrives 5 ms later. */
			CHECK_INT(r.seen[i].at - t0, (int64_t)(i + 5) * RIAD_NS_PER_MS);
		}
		CHECK_INT(r.fs.delayed, 50);
		CHECK_INT(r.live_after, 0);
		free(r.seen);
	}
}

static void jitter_reorders_and_bounds_delay(void)
{
	struct run r = { .dir = RIAD_NETIF_TX, .frames = 2000, .gap_ns = 10 * RIAD_NS_PER_US };
	r.cfg.seed = 11;
	r.cfg.tx.delay_ns = RIAD_NS_PER_MS;
	r.cfg.tx.jitter_ns = RIAD_NS_PER_MS;
	run(&r);
	REQUIRE(r.nseen == 2000);
	unsigned out_of_order = 0;
	for (size_t i = 1; i < r.nseen; i++)
		out_of_order += r.seen[i].seq < r.seen[i - 1].seq;
	CHECK(out_of_order > 100);
	CHECK_INT(r.live_after, 0);
	free(r.seen);
}

static void held_frame_times_out(void)
{
	/* One frame, held for 3 later frames that never come: it leaves after
	 * reorder_max_ns, sent by the wrapper's own fiber. */
	struct run r = { .dir = RIAD_NETIF_TX, .frames = 1 };
	r.cfg.seed = 1;
	r.cfg.tx.reorder_ppm = 1000000;
	r.cfg.tx.reorder_gap = 3;
	r.cfg.tx.reorder_max_ns = 7 * RIAD_NS_PER_MS;
	int64_t t0 = riad_time_ns();
	run(&r);
	REQUIRE(r.nseen == 1);
	CHECK_INT(r.seen[0].at - t0, 7 * RIAD_NS_PER_MS);
	free(r.seen);
}

static void held_frames_are_bounded(void)
{
	struct run r = { .dir = RIAD_NETIF_RX, .frames = RIAD_NETIF_FAULT_HELD + 5 };
	r.cfg.seed = 1;
	r.cfg.rx.delay_ns = 100 * RIAD_NS_PER_MS; /* nothing leaves while sending */
	run(&r);
	CHECK_INT(r.fs.overflow, 5);
	CHECK_INT(r.nseen, RIAD_NETIF_FAULT_HELD);
	CHECK_INT(r.live_after, 0);
	free(r.seen);
}

/* Faults changed at run time: total loss, then none. */
static int set_main(void *arg)
{
	(void)arg;
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_netif *a = riad_netif_switch_port(sw, mac_a, 0);
	struct riad_netif *b = riad_netif_switch_port(sw, mac_b, 0);
	struct riad_netif_fault_config cfg = { .seed = 1 };
	cfg.tx.loss_ppm = 1000000;
	a = riad_netif_fault_wrap(a, &cfg);
	CHECK(strncmp(riad_netif_name(a), "fault(sw", 8) == 0);
	CHECK_MEM(riad_netif_mac(a), mac_a, 6);
	CHECK_INT(riad_netif_mtu(a), 1500);
	CHECK(riad_netif_fault_inner(a) != NULL);
	for (uint32_t i = 0; i < 10; i++)
		riad_netif_send(a, frame_make(mac_b, mac_a, i, 60, 64));
	CHECK(riad_netif_recv(b) == NULL);
	riad_netif_fault_set(a, RIAD_NETIF_TX, &(struct riad_netif_fault_dir){ 0 });
	for (uint32_t i = 0; i < 10; i++)
		riad_netif_send(a, frame_make(mac_b, mac_a, i, 60, 64));
	unsigned n = 0;
	struct riad_pbuf *p;
	while ((p = riad_netif_recv(b))) {
		n++;
		riad_pbuf_unref(p);
	}
	struct riad_netif_fault_stats fs;
	riad_netif_fault_stats(a, RIAD_NETIF_TX, &fs);
	CHECK_INT(fs.lost, 10);
	CHECK_INT(fs.passed, 10);
	CHECK_INT(riad_netif_stats(a)->tx_frames, 20);
	CHECK_INT(riad_netif_stats(riad_netif_fault_inner(a))->tx_frames, 10);
	/* Closing with frames held drops them and frees the pump. */
	riad_netif_fault_set(a, RIAD_NETIF_TX,
	                     &(struct riad_netif_fault_dir){ .delay_ns = RIAD_NS_PER_S });
	riad_netif_send(a, frame_make(mac_b, mac_a, 1, 60, 64));
	riad_fiber_yield();
	riad_netif_close(a);
	riad_netif_close(b);
	riad_netif_switch_free(sw);
	riad_fiber_yield();
	return (int)n;
}

static void faults_change_at_run_time(void)
{
	CHECK_INT(riad_sched_run(set_main, NULL), 10);
	CHECK_INT(riad_pbuf_live(), 0);
}

int main(void)
{
	RUN(same_seed_same_faults);
	RUN(rates_within_tolerance);
	RUN(duplication_is_observable);
	RUN(reordering_is_observable);
	RUN(corruption_changes_bytes);
	RUN(delay_in_each_direction);
	RUN(jitter_reorders_and_bounds_delay);
	RUN(held_frame_times_out);
	RUN(held_frames_are_bounded);
	RUN(faults_change_at_run_time);
	return check_done();
}
