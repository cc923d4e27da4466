/* riad/random.h: the random device, one Fortuna generator per unikernel.
 *
 * Everything that needs unpredictable bytes (TCP initial sequence numbers and
 * ports, DNS query ids, TLS, keys) takes them from here. It is a
 * cryptographically secure generator: Fortuna with AES-256 in counter mode
 * and 32 SHA-256 entropy pools, as in mirage-crypto-rng. Its output is
 * unpredictable to anyone who does not know the host's entropy, and an
 * attacker who learns the generator's state later cannot recover earlier
 * output (the key is replaced after every request).
 *
 * Seeding: start-up seeds the generator from the target's entropy source
 * (getrandom on unix; RDSEED/RDRAND and timer jitter on the solo5 targets)
 * before main() runs, so application code never sees it unseeded. Entropy
 * added later with riad_random_add_entropy() collects in the pools; the
 * generator reseeds from them, on the next request, once pool 0 holds
 * RIAD_RANDOM_MIN_POOL_BYTES of new input and RIAD_RANDOM_RESEED_NS has passed
 * since the last reseed from the pools (riad/opt.h).
 *
 * Errors: there are none to handle. Asking for random bytes before the
 * generator is seeded (from a constructor that runs before start-up, say)
 * and riad_random_below(0) are programmer errors: the unikernel aborts with
 * a message and status 255, rather than hand out predictable bytes.
 *
 * Blocking: no function here blocks or parks the fiber, so all may be called
 * from any fiber, from device event handlers, or outside the scheduler. Each
 * request does a little AES work (an AES key schedule and three blocks for
 * a small one); for many bytes, one riad_random_bytes() is cheaper than many
 * riad_random_u32() calls. Output is never buffered ahead of a request.
 *
 * Ownership: buffers are the caller's; nothing is kept after a call returns.
 */
#ifndef RIAD_RANDOM_H
#define RIAD_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fill buf with len random bytes (len may be 0; any size is fine). */
void riad_random_bytes(void *buf, size_t len);

/* A random 32-bit or 64-bit value, every value equally likely. */
uint32_t riad_random_u32(void);
uint64_t riad_random_u64(void);

/* A random value in [0, bound), every value equally likely (no modulo bias:
 * draws that would bias the result are thrown away and drawn again, on
 * average fewer than two draws). bound must be > 0; 0 aborts. */
uint64_t riad_random_below(uint64_t bound);

/* Feed len bytes observed from entropy source number source (0..255; larger
 * numbers are taken modulo 256) into the pools. Each source feeds the 32
 * pools in turn, one pool per call, starting at pool 0, so a source that
 * contributes regularly reaches all of them; give each source its own
 * number. Inputs of 1 to 32 bytes suit Fortuna best (a timestamp, the low
 * bits of a cycle counter); longer ones are accepted whole. Copies nothing:
 * the bytes are hashed in at once. The entropy takes effect at the next
 * reseed, never in the middle of a request. May be called before the
 * generator is seeded; it does not seed it by itself until the reseed rule
 * above is met. */
void riad_random_add_entropy(unsigned source, const void *data, size_t len);

/* Source numbers the runtime itself uses; applications and devices pick
 * others (16 and up are never used by riad). */
enum {
	RIAD_RANDOM_SOURCE_SCHED = 0,  /* when the scheduler's waits return */
	RIAD_RANDOM_SOURCE_HOST = 1,   /* periodic reads of the host source */
	RIAD_RANDOM_SOURCE_DEVICE = 2, /* device event timings */
};

/* Whether the generator has been seeded (by start-up, or by a reseed from
 * the pools). Once true, it stays true. */
bool riad_random_is_seeded(void);

/* Overwrite n bytes at p with zeros in a way the compiler cannot drop as
 * a dead store: for keys, secrets and plaintext about to go out of scope
 * or be freed. Never parks. */
void riad_wipe(void *p, size_t n);

#endif
