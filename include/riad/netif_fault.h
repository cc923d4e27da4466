/* riad/netif_fault.h: the fault wrapper: seeded, reproducible faults over any net device
 * (an implementation of the device contract, riad/netif.h).
 */
#ifndef RIAD_NETIF_FAULT_H
#define RIAD_NETIF_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/netif.h>

/* The fault wrapper (netif/netif_fault.c): wraps any netif and applies
 * seeded, reproducible faults to each direction, as netem would.
 *
 * Each frame entering a direction (tx: passed to send; rx: received from
 * the inner device) goes through these steps, each decided by the
 * direction's own PRNG (xoshiro256**, seeded from the seed with
 * splitmix64; not the Fortuna generator):
 *
 *   1. loss: dropped with probability loss_ppm / 1e6;
 *   2. corruption: with probability corrupt_ppm / 1e6, corrupt_bits bits
 *      (at least 1) at random positions after the 14-byte Ethernet header
 *      are flipped (a damaged header is what a real FCS catches and turns
 *      into loss); frames of 14 bytes or less are left alone;
 *   3. duplication: with probability duplicate_ppm / 1e6 a copy follows
 *      the frame;
 *   4. reordering: with probability reorder_ppm / 1e6 the frame is held
 *      back until reorder_gap (0 means 1) later frames have gone past it,
 *      or reorder_max_ns (0 means 10 ms) have passed, whichever is first;
 *   5. delay: the frame (and its copy) leaves delay_ns plus a uniform
 *      random [0, jitter_ns) later; frames that leave at the same time
 *      keep their order, so jitter reorders but a fixed delay does not.
 *
 * Every frame consumes the same number of draws from its direction's PRNG
 * whatever the settings, so a seed reproduces the same decisions for the
 * n-th frame of a direction in every run, and changing one probability
 * does not change the other kinds of faults. Delayed transmissions leave
 * from a fiber of the wrapper, at their time, through the scheduler's
 * timers; delayed receptions become ready for recv at their time (wait
 * returns then). At most RIAD_NETIF_FAULT_HELD frames per direction are
 * held back or delayed; a frame beyond that is dropped and counted in
 * overflow.
 *
 * The wrapper owns inner: closing it closes inner too. Its MAC, MTU and
 * name ("fault(inner)") are inner's; its riad_netif_stats count what
 * crosses its own boundary (frames sent by the caller, frames handed to
 * it). */
struct riad_netif_fault_dir {
	uint32_t loss_ppm;       /* parts per million, 0..1000000 */
	uint32_t corrupt_ppm;
	uint32_t corrupt_bits;   /* bits flipped in a corrupted frame (0: 1) */
	uint32_t duplicate_ppm;
	uint32_t reorder_ppm;
	uint32_t reorder_gap;    /* later frames a held frame waits for (0: 1) */
	int64_t reorder_max_ns;  /* longest hold (0: 10 ms) */
	int64_t delay_ns;        /* fixed delay of every frame */
	int64_t jitter_ns;       /* plus a uniform random [0, jitter_ns) */
};

struct riad_netif_fault_config {
	uint64_t seed;
	struct riad_netif_fault_dir rx, tx;
};

/* What the wrapper did, per direction. Once nothing is held back,
 * frames + duplicated == passed + lost + overflow + (frames dropped for
 * nomem): every frame and every copy either left or was dropped once. */
struct riad_netif_fault_stats {
	uint64_t frames;      /* frames that entered this direction */
	uint64_t passed;      /* frames (and copies) that left it */
	uint64_t lost;
	uint64_t corrupted;
	uint64_t duplicated;  /* copies made */
	uint64_t reordered;   /* frames held back for later frames */
	uint64_t delayed;     /* frames that waited for delay_ns/jitter_ns */
	uint64_t overflow;    /* frames or copies dropped: RIAD_NETIF_FAULT_HELD
	                       * were held already */
	uint64_t nomem;       /* copies not made for want of memory: a skipped
	                       * duplicate, or a dropped frame that was to be
	                       * corrupted while others held it */
};

enum riad_netif_dir { RIAD_NETIF_RX = 0, RIAD_NETIF_TX = 1 };

/* Wrap inner (which the wrapper then owns) with the faults in cfg (copied).
 * NULL if out of memory (inner is then left open and unchanged). */
struct riad_netif *riad_netif_fault_wrap(struct riad_netif *inner,
                                         const struct riad_netif_fault_config *cfg);

/* Change one direction's faults from now on (e.g. stop losing frames to
 * let a test finish). The PRNG streams go on where they were; frames
 * already held keep their times. nif must come from riad_netif_fault_wrap
 * (aborts otherwise). */
void riad_netif_fault_set(struct riad_netif *nif, enum riad_netif_dir dir,
                          const struct riad_netif_fault_dir *faults);

void riad_netif_fault_stats(const struct riad_netif *nif, enum riad_netif_dir dir,
                            struct riad_netif_fault_stats *out);

/* The inner device (for its own counters). */
struct riad_netif *riad_netif_fault_inner(const struct riad_netif *nif);

/* The text form of a configuration (netif/netif_fault_spec.c), as the boot
 * option --net-faults takes it: "seed=42,loss=1%,tx:delay=10ms" (the
 * grammar is in docs/netif.md). Parse fills *cfg (only on success) and
 * *seeded (whether seed= was given) and returns 0, or -RIAD_EINVAL with a
 * one-line reason naming the offending item in err (errlen bytes, always
 * NUL-terminated; err may be NULL). Format writes the canonical text of
 * cfg, which parses back to cfg, as snprintf does: at most len bytes, and
 * returns the length the whole text needs. */
int riad_netif_fault_spec_parse(const char *spec, struct riad_netif_fault_config *cfg,
                                bool *seeded, char *err, size_t errlen);
size_t riad_netif_fault_spec_format(const struct riad_netif_fault_config *cfg, char *buf,
                                    size_t len);

#endif
