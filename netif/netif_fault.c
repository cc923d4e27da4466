/* netif/netif_fault.c: a netif that wraps another and applies seeded,
 * reproducible loss, corruption, duplication, reordering and delay to each
 * direction (riad/netif_fault.h describes the steps).
 *
 * A frame entering a direction is decided on at once (process()) and then
 * either dropped, passed on (emit()), or held in that direction's `held`
 * array until its time comes or, for a reordered frame, until enough later
 * frames have passed it. Passing on means inner send for tx, and the
 * `ready` queue that recv pops for rx.
 *
 * Invariants:
 *  1. held[0..nheld) is sorted by due (ties in arrival order), nheld <=
 *     RIAD_NETIF_FAULT_HELD, and ncount is the number of counted entries
 *     (reordered frames, which also leave after `count` later frames).
 *  2. Every frame passed on in a direction decrements the count of each
 *     counted entry that entered before it, once; an entry whose count
 *     reaches 0 is passed on at that point (and counts as passing).
 *  3. recv returns NULL only after inner recv did, so waiting on inner
 *     cannot miss an edge.
 *  4. The tx pump fiber exists while tx frames are held (or until it sees
 *     them gone); if the wrapper is closed meanwhile it is the pump that
 *     frees the state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/netif_fault.h>
#include <riad/time.h>

#include "runtime.h"

#define DEFAULT_REORDER_MAX_NS (10 * RIAD_NS_PER_MS)

struct held {
	struct riad_pbuf *p;
	int64_t due;     /* passed on at this time at the latest */
	uint64_t order;  /* when it entered: the direction's frame number */
	uint32_t count;  /* later frames still to pass it, if counted */
	bool counted;    /* a reordered frame: count matters */
};

struct dir_state {
	struct riad_netif_fault_dir cfg;
	uint64_t s[4];   /* xoshiro256** state */
	struct held *held;
	uint64_t *todo;  /* emit()'s work list, as long as held */
	size_t nheld, cap, ncount;
	struct riad_netif_fault_stats stats;
};

struct fault {
	struct riad_netif nif;
	struct riad_netif *inner;
	struct dir_state dir[2];
	struct riad_pbuf_queue ready;  /* rx frames for recv */
	struct riad_fiber *pump;
	struct riad_waitq pump_wq;
	bool closing;
};

static const struct riad_netif_ops fault_ops;

/* The PRNG: xoshiro256** (Blackman and Vigna), seeded with splitmix64. */

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t xoshiro_next(uint64_t s[4])
{
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A value in [0, n) from the random r, without division. */
static uint64_t below(uint64_t r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)r * n) >> 64);
}

static bool chance(uint64_t r, uint32_t ppm)
{
	return below(r, 1000000) < ppm;
}

/* Held frames. */

static void held_remove(struct dir_state *d, size_t i)
{
	if (d->held[i].counted)
		d->ncount--;
	d->nheld--;
	memmove(&d->held[i], &d->held[i + 1], (d->nheld - i) * sizeof(d->held[0]));
}

/* Insert keeping invariant 1; false (nothing changed) when full or out of
 * memory. *first tells whether it became held[0]. */
static bool held_insert(struct dir_state *d, struct riad_pbuf *p, uint64_t order, int64_t due,
                        uint32_t count, bool *first)
{
	if (d->nheld == RIAD_NETIF_FAULT_HELD)
		return false;
	if (d->nheld == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		if (cap > RIAD_NETIF_FAULT_HELD)
			cap = RIAD_NETIF_FAULT_HELD;
		struct held *h = realloc(d->held, cap * sizeof(*h));
		if (!h)
			return false;
		d->held = h;
		uint64_t *t = realloc(d->todo, (cap + 1) * sizeof(*t));
		if (!t)
			return false;
		d->todo = t;
		d->cap = cap;
	}
	size_t i = d->nheld;
	while (i > 0 && d->held[i - 1].due > due)
		i--;
	memmove(&d->held[i + 1], &d->held[i], (d->nheld - i) * sizeof(d->held[0]));
	d->held[i] = (struct held){
		.p = p, .order = order, .due = due, .count = count, .counted = count > 0
	};
	d->nheld++;
	if (count)
		d->ncount++;
	*first = i == 0;
	return true;
}

/* Passing frames on. */

static void deliver(struct fault *f, enum riad_netif_dir dir, struct riad_pbuf *p)
{
	f->dir[dir].stats.passed++;
	if (dir == RIAD_NETIF_TX)
		riad_netif_send(f->inner, p);
	else
		riad_pbuf_queue_push(&f->ready, p);
}

/* Pass p, which entered as frame number order, on; then whatever held
 * frames that releases (invariant 2). */
static void emit(struct fault *f, enum riad_netif_dir dir, struct riad_pbuf *p, uint64_t order)
{
	struct dir_state *d = &f->dir[dir];
	deliver(f, dir, p);
	if (d->ncount == 0)
		return;
	/* Each frame released here goes past the others in turn: a work
	 * list, not recursion, since it may be thousands long. */
	size_t ntodo = 0;
	d->todo[ntodo++] = order;
	while (ntodo > 0 && d->ncount > 0) {
		uint64_t o = d->todo[--ntodo];
		for (size_t i = 0; i < d->nheld;) {
			struct held *h = &d->held[i];
			if (h->counted && h->order < o && --h->count == 0) {
				struct riad_pbuf *q = h->p;
				d->todo[ntodo++] = h->order;
				held_remove(d, i);
				deliver(f, dir, q);
			} else {
				i++;
			}
		}
	}
}

static void release_due(struct fault *f, enum riad_netif_dir dir, int64_t now)
{
	struct dir_state *d = &f->dir[dir];
	while (d->nheld > 0 && d->held[0].due <= now) {
		struct riad_pbuf *p = d->held[0].p;
		uint64_t order = d->held[0].order;
		held_remove(d, 0);
		emit(f, dir, p, order);
	}
}

/* The tx pump: passes held tx frames on at their time (invariant 4). */

static void fault_free(struct fault *f);

static int pump_main(void *arg)
{
	struct fault *f = arg;
	struct dir_state *d = &f->dir[RIAD_NETIF_TX];
	while (!f->closing && d->nheld > 0) {
		int64_t now = riad_time_ns();
		if (d->held[0].due <= now)
			release_due(f, RIAD_NETIF_TX, now);
		else
			riad_waitq_wait(&f->pump_wq, d->held[0].due);
	}
	f->pump = NULL;
	if (f->closing)
		fault_free(f);
	return 0;
}

static void pump_kick(struct fault *f, bool earlier)
{
	if (f->pump) {
		if (earlier)
			riad_waitq_wake_all(&f->pump_wq);
		return;
	}
	f->pump = riad_fiber_spawn(pump_main, f, 0);
	if (f->pump) {
		riad_fiber_set_name(f->pump, "netif-fault-pump");
		riad_fiber_detach(f->pump);
	}
	/* Without a fiber, held frames still leave at the next send. */
}

/* A pbuf with the bytes of p that nobody else holds; consumes p. NULL if
 * out of memory (p is then released). */
static struct riad_pbuf *own(struct riad_pbuf *p)
{
	if (p->refs == 1)
		return p;
	struct riad_pbuf *c = riad_pbuf_alloc(RIAD_NETIF_RX_HEADROOM, p->len);
	if (c) {
		memcpy(c->data, p->data, p->len);
		riad_pbuf_copy_marks(c, p);
	}
	riad_pbuf_unref(p);
	return c;
}

static struct riad_pbuf *copy(const struct riad_pbuf *p)
{
	struct riad_pbuf *c = riad_pbuf_alloc(RIAD_NETIF_RX_HEADROOM, p->len);
	if (c) {
		memcpy(c->data, p->data, p->len);
		riad_pbuf_copy_marks(c, p);
	}
	return c;
}

/* Hold p until due (and count later frames if count > 0); on overflow drop
 * it. Returns whether it became the first held frame. */
static bool hold(struct fault *f, enum riad_netif_dir dir, struct riad_pbuf *p, uint64_t order,
                 int64_t due, uint32_t count)
{
	struct dir_state *d = &f->dir[dir];
	bool first = false;
	if (!held_insert(d, p, order, due, count, &first)) {
		d->stats.overflow++;
		riad_pbuf_unref(p);
		return false;
	}
	return first;
}

/* One frame entering direction dir at time now: the steps of riad/netif_fault.h.
 * Returns what inner send said when a tx frame went straight through, 0
 * otherwise. */
static int process(struct fault *f, enum riad_netif_dir dir, struct riad_pbuf *p, int64_t now)
{
	struct dir_state *d = &f->dir[dir];
	const struct riad_netif_fault_dir *c = &d->cfg;
	/* Always the same draws per frame, whatever the settings. */
	uint64_t r_loss = xoshiro_next(d->s), r_corrupt = xoshiro_next(d->s);
	uint64_t r_bits = xoshiro_next(d->s), r_dup = xoshiro_next(d->s);
	uint64_t r_reorder = xoshiro_next(d->s), r_jitter = xoshiro_next(d->s);
	uint64_t order = d->stats.frames++;

	if (chance(r_loss, c->loss_ppm)) {
		d->stats.lost++;
		riad_pbuf_unref(p);
		return 0;
	}
	if (chance(r_corrupt, c->corrupt_ppm) && p->len > RIAD_NETIF_HDR_MIN) {
		p = own(p);
		if (!p) {
			d->stats.nomem++;
			return 0;
		}
		uint64_t bits = (uint64_t)(p->len - RIAD_NETIF_HDR_MIN) * 8;
		uint32_t k = c->corrupt_bits ? c->corrupt_bits : 1;
		for (uint32_t i = 0; i < k; i++) {
			uint64_t b = below(splitmix64(&r_bits), bits);
			p->data[RIAD_NETIF_HDR_MIN + b / 8] ^= (uint8_t)(1u << (b % 8));
		}
		/* Received: the device's word that the checksum is good no
		 * longer holds. (Sent with an offload mark, the checksum is
		 * the host's to compute, over the flipped bits: the wrapper
		 * offers no tx offloads when it is set to corrupt them.) */
		if (dir == RIAD_NETIF_RX)
			p->offload &= (uint8_t)~RIAD_PBUF_RX_CSUM_OK;
		d->stats.corrupted++;
	}
	struct riad_pbuf *dup = NULL;
	if (chance(r_dup, c->duplicate_ppm)) {
		dup = copy(p);
		if (dup)
			d->stats.duplicated++;
		else
			d->stats.nomem++;
	}
	int64_t delay = c->delay_ns > 0 ? c->delay_ns : 0;
	if (c->jitter_ns > 0)
		delay += (int64_t)below(r_jitter, (uint64_t)c->jitter_ns);

	bool first = false;
	int result = 0;
	if (chance(r_reorder, c->reorder_ppm)) {
		int64_t max = c->reorder_max_ns > 0 ? c->reorder_max_ns : DEFAULT_REORDER_MAX_NS;
		d->stats.reordered++;
		first |= hold(f, dir, p, order, now + delay + max, c->reorder_gap ? c->reorder_gap : 1);
	} else if (delay > 0) {
		d->stats.delayed++;
		first |= hold(f, dir, p, order, now + delay, 0);
	} else if (dir == RIAD_NETIF_TX && d->ncount == 0) {
		d->stats.passed++;
		result = riad_netif_send(f->inner, p);
	} else {
		emit(f, dir, p, order);
	}
	if (dup) {
		if (delay > 0)
			first |= hold(f, dir, dup, order, now + delay, 0);
		else
			emit(f, dir, dup, order);
	}
	if (dir == RIAD_NETIF_TX && d->nheld > 0)
		pump_kick(f, first);
	return result;
}

/* The ops. */

static int fault_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	struct fault *f = nif->state;
	int64_t now = riad_time_ns();
	nif->stats.tx_frames++;
	nif->stats.tx_bytes += p->len;
	release_due(f, RIAD_NETIF_TX, now);
	return process(f, RIAD_NETIF_TX, p, now);
}

static struct riad_pbuf *fault_recv(struct riad_netif *nif)
{
	struct fault *f = nif->state;
	int64_t now = riad_time_ns();
	for (;;) {
		release_due(f, RIAD_NETIF_RX, now);
		struct riad_pbuf *p = riad_pbuf_queue_pop(&f->ready);
		if (p) {
			nif->stats.rx_frames++;
			nif->stats.rx_bytes += p->len;
			return p;
		}
		p = riad_netif_recv(f->inner);
		if (!p)
			return NULL;
		process(f, RIAD_NETIF_RX, p, now);
	}
}

static int fault_wait(struct riad_netif *nif, int64_t deadline)
{
	struct fault *f = nif->state;
	struct dir_state *d = &f->dir[RIAD_NETIF_RX];
	if (f->ready.count > 0)
		return 0;
	if (d->nheld > 0 && d->held[0].due < deadline) {
		if (d->held[0].due <= riad_time_ns())
			return 0;
		int r = riad_netif_wait(f->inner, d->held[0].due);
		return r == -RIAD_ETIMEDOUT ? 0 : r;
	}
	return riad_netif_wait(f->inner, deadline);
}

static void fault_free(struct fault *f)
{
	for (int i = 0; i < 2; i++) {
		free(f->dir[i].held);
		free(f->dir[i].todo);
	}
	free(f);
}

static void fault_close(struct riad_netif *nif)
{
	struct fault *f = nif->state;
	for (int i = 0; i < 2; i++) {
		struct dir_state *d = &f->dir[i];
		for (size_t j = 0; j < d->nheld; j++)
			riad_pbuf_unref(d->held[j].p);
		d->nheld = d->ncount = 0;
	}
	riad_pbuf_queue_clear(&f->ready);
	riad_netif_close(f->inner);
	f->inner = NULL;
	f->closing = true;
	if (f->pump)
		riad_waitq_wake_all(&f->pump_wq); /* it frees f */
	else
		fault_free(f);
}

static const struct riad_netif_ops fault_ops = {
	.send = fault_send,
	.recv = fault_recv,
	.wait = fault_wait,
	.close = fault_close,
};

static struct fault *fault_of(const struct riad_netif *nif)
{
	if (nif->ops != &fault_ops)
		riad_panic("netif %s is not a fault wrapper", nif->name);
	return nif->state;
}

struct riad_netif *riad_netif_fault_wrap(struct riad_netif *inner,
                                         const struct riad_netif_fault_config *cfg)
{
	struct fault *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	char name[RIAD_NETIF_NAME_MAX];
	snprintf(name, sizeof(name), "fault(%.24s)", inner->name);
	riad_netif_init(&f->nif, &fault_ops, f, inner->mac, inner->mtu, name);
	f->inner = inner;
	/* The inner device's offloads pass through, frames and marks as
	 * they are; but a checksum the host completes after our bit flips
	 * would hide them, so corruption on the way out turns the tx
	 * offloads off (riad_netif_fault_set cannot turn them back). */
	f->nif.features = inner->features;
	if (cfg->tx.corrupt_ppm)
		f->nif.features &= ~(unsigned)(RIAD_NETIF_F_CSUM4 | RIAD_NETIF_F_TSO4);
	for (int i = 0; i < 2; i++) {
		struct dir_state *d = &f->dir[i];
		d->cfg = i == RIAD_NETIF_TX ? cfg->tx : cfg->rx;
		/* Each direction its own stream, so the n-th frame of one
		 * direction meets the same fate however the two interleave. */
		uint64_t x = cfg->seed ^ (i == RIAD_NETIF_TX ? 0x7478747874787478ULL
		                                             : 0x7278727872787278ULL);
		for (int j = 0; j < 4; j++)
			d->s[j] = splitmix64(&x);
	}
	return &f->nif;
}

void riad_netif_fault_set(struct riad_netif *nif, enum riad_netif_dir dir,
                          const struct riad_netif_fault_dir *faults)
{
	fault_of(nif)->dir[dir == RIAD_NETIF_TX].cfg = *faults;
}

void riad_netif_fault_stats(const struct riad_netif *nif, enum riad_netif_dir dir,
                            struct riad_netif_fault_stats *out)
{
	*out = fault_of(nif)->dir[dir == RIAD_NETIF_TX].stats;
}

struct riad_netif *riad_netif_fault_inner(const struct riad_netif *nif)
{
	return fault_of(nif)->inner;
}
