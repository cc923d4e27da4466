/* tests/unit/test_tcp_pair.c: two TCP stacks back to back through a simulated link that loses, duplicates, reorders and corrupts segments (seeded), moving 10 MB byte-exact each way the test asks, on a fake clock that jumps to the next event. */
#include <stdio.h>

#include "test_tcp.h"

#define PAIR_A 0x0a000001u
#define PAIR_B 0x0a000002u
#define PAIR_DELAY (1 * TH_MS)

struct impair {
	unsigned loss, dup, reorder, corrupt; /* per 10000 */
	const char *name;
};

struct pkt {
	int64_t at;
	struct tcp_stack *to;
	uint32_t src, dst;
	struct riad_pbuf *p;
	uint64_t order;
};

#define NET_MAX 8192

struct sim {
	struct tcp_stack *a, *b;
	struct net_txq out;
	struct pkt net[NET_MAX];
	size_t nnet;
	uint64_t order;
	int64_t now;
	uint64_t rng;
	struct impair im;
	uint64_t lost, duped, reordered, corrupted, sent;
};

static uint64_t sim_rand(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static bool sim_chance(struct sim *s, unsigned per10000)
{
	return per10000 && sim_rand(s) % 10000 < per10000;
}

static void sim_put(struct sim *s, struct tcp_stack *to, uint32_t src, uint32_t dst,
                    struct riad_pbuf *p, int64_t at)
{
	if (s->nnet == NET_MAX) {
		riad_pbuf_unref(p);
		s->lost++;
		return;
	}
	s->net[s->nnet++] = (struct pkt){ at, to, src, dst, p, s->order++ };
}

/* Move what the stacks queued onto the link, impaired. */
static void sim_carry(struct sim *s)
{
	for (size_t i = 0; i < s->out.n; i++) {
		struct net_ip_tx *t = &s->out.items[i];
		struct tcp_stack *to = t->dst == PAIR_A ? s->a : s->b;
		struct riad_pbuf *p = t->p;
		s->sent++;
		if (sim_chance(s, s->im.loss)) {
			s->lost++;
			riad_pbuf_unref(p);
			continue;
		}
		if (sim_chance(s, s->im.corrupt)) {
			struct riad_pbuf *q = riad_pbuf_alloc(0, p->len);
			memcpy(q->data, p->data, p->len);
			q->data[sim_rand(s) % q->len] ^= (uint8_t)(1 + sim_rand(s) % 255);
			riad_pbuf_unref(p);
			p = q;
			s->corrupted++;
		}
		int64_t at = s->now + PAIR_DELAY;
		if (sim_chance(s, s->im.reorder)) {
			at += (int64_t)(sim_rand(s) % (3 * PAIR_DELAY)) + 1;
			s->reordered++;
		}
		if (sim_chance(s, s->im.dup)) {
			riad_pbuf_ref(p);
			sim_put(s, to, t->src, t->dst, p, at + (int64_t)(sim_rand(s) % PAIR_DELAY));
			s->duped++;
		}
		sim_put(s, to, t->src, t->dst, p, at);
	}
	s->out.n = 0;
}

/* Index of the next packet to deliver (earliest, then oldest), or -1. */
static long sim_next(const struct sim *s)
{
	long best = -1;
	for (size_t i = 0; i < s->nnet; i++)
		if (best < 0 || s->net[i].at < s->net[best].at ||
		    (s->net[i].at == s->net[best].at && s->net[i].order < s->net[best].order))
			best = (long)i;
	return best;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* One event: deliver the next packet or run the next timers. Returns false
 * when nothing is left to happen. */
static bool sim_step(struct sim *s)
{
	sim_carry(s);
	long i = sim_next(s);
	int64_t tmr = min64(tcp_next_deadline(s->a), tcp_next_deadline(s->b));
	int64_t pk = i >= 0 ? s->net[i].at : TCP_NEVER;
	if (pk == TCP_NEVER && tmr == TCP_NEVER)
		return false;
	if (pk <= tmr) {
		if (pk > s->now)
			s->now = pk;
		struct pkt p = s->net[i];
		s->net[i] = s->net[--s->nnet];
		tcp_input(p.to, p.src, p.dst, p.p, s->now, &s->out);
	} else {
		if (tmr > s->now)
			s->now = tmr;
		tcp_timers(s->a, s->now, &s->out);
		tcp_timers(s->b, s->now, &s->out);
	}
	return true;
}

static uint8_t byte_at(uint64_t i, unsigned salt)
{
	uint64_t x = (i + salt) * 0x9e3779b97f4a7c15ull;
	return (uint8_t)(x >> 56);
}

struct flow {
	struct tcp_conn *tx, *rx;
	uint64_t sent, got, total;
	unsigned salt;
	bool shut, eof, bad;
};

static void flow_pump(struct sim *s, struct flow *f)
{
	static uint8_t buf[65536];
	while (f->sent < f->total) {
		size_t n = f->total - f->sent < sizeof(buf) ? (size_t)(f->total - f->sent) : sizeof(buf);
		for (size_t k = 0; k < n; k++)
			buf[k] = byte_at(f->sent + k, f->salt);
		long r = tcp_send(f->tx, buf, n, s->now, &s->out);
		if (r <= 0)
			break;
		f->sent += (uint64_t)r;
	}
	if (f->sent == f->total && !f->shut) {
		tcp_shutdown_write(f->tx, s->now, &s->out);
		f->shut = true;
	}
	for (;;) {
		long r = tcp_recv(f->rx, buf, sizeof(buf), s->now, &s->out);
		if (r == 0) {
			f->eof = true;
			break;
		}
		if (r < 0)
			break;
		for (long k = 0; k < r; k++)
			if (buf[k] != byte_at(f->got + (uint64_t)k, f->salt))
				f->bad = true;
		f->got += (uint64_t)r;
	}
}

/* Connect a to b, move `total` bytes a->b (and `back` bytes b->a), close,
 * and wait for everything (TIME-WAIT included) to end. */
static void pair_run(const struct impair *im, uint64_t seed, uint64_t total, uint64_t back,
                     enum tcp_cc_algo cc, unsigned features)
{
	static struct sim s;
	size_t live0 = riad_pbuf_live();
	memset(&s, 0, sizeof(s));
	s.im = *im;
	s.rng = seed * 0x2545f4914f6cdd1dull + 1;
	s.now = 1000 * TH_S;
	uint8_t sa[32], sb[32];
	for (int i = 0; i < 32; i++) {
		sa[i] = (uint8_t)sim_rand(&s);
		sb[i] = (uint8_t)sim_rand(&s);
	}
	s.a = tcp_stack_create(sa, NULL);
	s.b = tcp_stack_create(sb, NULL);
	s.a->features = s.b->features = features;
	struct tcp_listener *l;
	REQUIRE(tcp_listen(s.b, 0, 80, 8, &l) == 0);
	struct flow f = { .total = total, .salt = 1 }, g = { .total = back, .salt = 2 };
	REQUIRE(tcp_connect(s.a, PAIR_A, 0, PAIR_B, 80, s.now, &s.out, &f.tx) == 0);
	tcp_set_cc(f.tx, cc);
	int64_t limit = s.now + 3600 * TH_S;
	while (!(f.rx = tcp_accept(l))) {
		if (!sim_step(&s) || s.now > limit)
			break;
	}
	REQUIRE(f.rx);
	tcp_set_cc(f.rx, cc);
	g.tx = f.rx;
	g.rx = f.tx;
	bool closed_a = false, closed_b = false;
	while (s.now < limit) {
		flow_pump(&s, &f);
		flow_pump(&s, &g);
		if (f.eof && g.eof) {
			if (!closed_a) {
				tcp_close(f.tx, s.now, &s.out);
				closed_a = true;
			}
			if (!closed_b) {
				tcp_close(f.rx, s.now, &s.out);
				closed_b = true;
			}
		}
		if (!sim_step(&s))
			break;
	}
	char name[128];
	snprintf(name, sizeof(name), "%s seed %llu: %llu/%llu, %llu/%llu bytes, %.1f s simulated, "
	         "%llu segments (%llu lost %llu duplicated %llu reordered %llu corrupted), %llu rexmit",
	         im->name, (unsigned long long)seed, (unsigned long long)f.got,
	         (unsigned long long)total, (unsigned long long)g.got, (unsigned long long)back,
	         (double)(s.now - 1000 * TH_S) / TH_S, (unsigned long long)s.sent,
	         (unsigned long long)s.lost, (unsigned long long)s.duped,
	         (unsigned long long)s.reordered, (unsigned long long)s.corrupted,
	         (unsigned long long)(tcp_stack_stats(s.a)->retransmits +
	                              tcp_stack_stats(s.b)->retransmits));
	if (getenv("RIAD_TEST_VERBOSE"))
		printf("  %s\n", name);
	CHECK(!f.bad && !g.bad);
	CHECK_INT(f.got, total);
	CHECK_INT(g.got, back);
	CHECK(f.eof && g.eof);
	CHECK(closed_a && closed_b);
	/* Everything ended: both stacks empty, no timers, no pbufs. */
	CHECK_INT(s.a->nconns, 0);
	CHECK_INT(s.b->nconns, 0);
	CHECK_INT(tcp_next_deadline(s.a), TCP_NEVER);
	CHECK_INT(tcp_next_deadline(s.b), TCP_NEVER);
	if (im->corrupt)
		CHECK(tcp_stack_stats(s.a)->bad_checksum + tcp_stack_stats(s.b)->bad_checksum > 0);
	if (check_failures_in_test)
		printf("  %s\n", name);
	for (size_t i = 0; i < s.nnet; i++)
		riad_pbuf_unref(s.net[i].p);
	net_txq_clear(&s.out);
	tcp_listener_close(l, s.now, &s.out);
	net_txq_clear(&s.out);
	tcp_stack_destroy(s.a);
	tcp_stack_destroy(s.b);
	CHECK_INT(riad_pbuf_live(), live0);
}

#define MB (1024 * 1024)

static const struct impair clean = { 0, 0, 0, 0, "clean" };
static const struct impair loss = { 100, 0, 0, 0, "1% loss" };
static const struct impair dup = { 0, 500, 0, 0, "5% duplication" };
static const struct impair reorder = { 0, 0, 2500, 0, "25% reordering" };
static const struct impair corrupt = { 0, 0, 0, 200, "2% corruption" };
static const struct impair all = { 100, 500, 2500, 200, "all combined" };

static void clean_link_10mb(void)
{
	pair_run(&clean, 1, 10 * MB, 0, TCP_CC_CUBIC, 0);
}

static void loss_10mb(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		pair_run(&loss, seed, 10 * MB, 0, TCP_CC_CUBIC, 0);
}

static void duplication_10mb(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		pair_run(&dup, seed, 10 * MB, 0, TCP_CC_CUBIC, 0);
}

static void reordering_10mb(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		pair_run(&reorder, seed, 10 * MB, 0, TCP_CC_CUBIC, 0);
}

static void corruption_10mb(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		pair_run(&corrupt, seed, 10 * MB, 0, TCP_CC_CUBIC, 0);
}

static void everything_10mb(void)
{
	for (uint64_t seed = 1; seed <= 3; seed++)
		pair_run(&all, seed, 10 * MB, 0, TCP_CC_CUBIC, 0);
}

static void everything_newreno_10mb(void)
{
	for (uint64_t seed = 4; seed <= 5; seed++)
		pair_run(&all, seed, 10 * MB, 0, TCP_CC_NEWRENO, 0);
}

static void everything_without_sack_or_timestamps(void)
{
	pair_run(&all, 6, 10 * MB, 0, TCP_CC_NEWRENO, TCP_FEAT_NO_SACK | TCP_FEAT_NO_TS);
	pair_run(&all, 7, 10 * MB, 0, TCP_CC_CUBIC, TCP_FEAT_NO_SACK | TCP_FEAT_NO_WS);
}

static void both_directions_at_once(void)
{
	for (uint64_t seed = 8; seed <= 9; seed++)
		pair_run(&all, seed, 3 * MB, 3 * MB, TCP_CC_CUBIC, 0);
}

int main(void)
{
	RUN(clean_link_10mb);
	RUN(loss_10mb);
	RUN(duplication_10mb);
	RUN(reordering_10mb);
	RUN(corruption_10mb);
	RUN(everything_10mb);
	RUN(everything_newreno_10mb);
	RUN(everything_without_sack_or_timestamps);
	RUN(both_directions_at_once);
	return check_done();
}
