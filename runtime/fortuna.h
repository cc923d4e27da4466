/* runtime/fortuna.h: the Fortuna generator as a pure state machine (private).
 *
 * This is the algorithm behind riad/random.h, on an explicit state and with
 * the time passed in, so that tests can drive it to known answers. It reads
 * no clock, keeps no global, never allocates and never blocks. random.c holds
 * the one instance the unikernel uses.
 *
 * It follows mirage-crypto-rng's rng/fortuna.ml (itself Ferguson, Schneier
 * and Kohno, "Cryptography Engineering", chapter 9). The rules, written out
 * so that tests/unit/fortuna_kat.py can derive the same bytes independently:
 *
 *  F1. SHAd256(x) = SHA-256(SHA-256(x)).
 *  F2. The generator is a 32-byte key K and a 128-bit counter C, both zero
 *      at init. The AES-256 keystream block j of a request is
 *      AES-256_K(C + j) where C + j is taken modulo 2^128 and encoded big
 *      endian (mirage-crypto's AES.CTR, a full 128-bit counter).
 *  F3. The generator is seeded once C != 0 (mirage's `seeded`).
 *  F4. reseed(s): K = SHAd256(K || s), then C = C + 1.
 *  F5. A request for n > 0 bytes is cut into chunks of at most
 *      RIAD_FORTUNA_CHUNK bytes. For each chunk of m bytes, with
 *      b = ceil(m / 16) + 2 blocks of keystream from C: the chunk is the
 *      first m bytes, the new K is the last 32 bytes (blocks b-2 and b-1),
 *      and C = C + b. Keystream bytes between m and 16*(b-2) are dropped.
 *      A request for 0 bytes changes nothing.
 *  F6. Pool input: data d from source s for pool p feeds the running SHA-256
 *      of pool p & 31 with the two bytes (s & 0xff, len(d) & 0xff), then d.
 *      Input to pool 0 adds len(d) to pool 0's byte count.
 *  F7. accumulate: each source (0..255) has its own round-robin index,
 *      starting at pool 0, that advances by one pool per call.
 *  F8. A pool reseed increments the reseed count r, resets pool 0's byte
 *      count, and does reseed(SHAd256(P_i) || ...) over the pools i = 0..31
 *      in order with 2^i dividing r, each then emptied. SHAd256(P_i) is the
 *      SHA-256 of pool i's SHA-256 digest.
 *  F9. maybe_reseed(now) does a pool reseed when pool 0's byte count is at
 *      least RIAD_RANDOM_MIN_POOL_BYTES and either no pool reseed happened
 *      yet or now - (time of the last pool reseed) >= RIAD_RANDOM_RESEED_NS.
 *      Explicit reseeds (F4) do not count as pool reseeds.
 *
 * Where riad differs from mirage-crypto-rng, deliberately:
 *  - F5: chunks of 2^20 bytes, as the Fortuna book says (mirage: 2^16). The
 *    output differs only for requests longer than 2^16 bytes.
 *  - F9: "at least" 64 bytes and 100 ms, the book's values in riad/opt.h
 *    (mirage: more than 64 bytes and more than 1 s), and the first pool
 *    reseed is not held back by the time rule (mirage measures from time 0,
 *    which has no meaning for riad's monotonic clock).
 *  - The pool reseed check (F9) is a separate call, made by random.c before
 *    each request; mirage makes it inside generate.
 */
#ifndef RIAD_RUNTIME_FORTUNA_H
#define RIAD_RUNTIME_FORTUNA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#define RIAD_FORTUNA_POOLS 32
#define RIAD_FORTUNA_SOURCES 256
#define RIAD_FORTUNA_CHUNK (1u << 20)

struct riad_fortuna {
	uint8_t key[32];
	br_aes_gen_ctr_keys aes;      /* expanded from key (crypto_impl.h) */
	uint8_t ctr[16];              /* big endian */
	br_sha256_context pools[RIAD_FORTUNA_POOLS];
	uint64_t pool0_bytes;
	uint64_t reseeds;             /* pool reseeds so far (r in F8) */
	int64_t last_reseed_ns;       /* of the last pool reseed, if any */
	bool pool_reseeded;
	uint8_t next_pool[RIAD_FORTUNA_SOURCES]; /* F7 */
};

/* Unseeded state: zero key and counter, empty pools. */
void riad_fortuna_init(struct riad_fortuna *f);

/* Whether the generator may produce output (F3). */
bool riad_fortuna_seeded(const struct riad_fortuna *f);

/* F4. The seed is hashed, not kept; the caller may wipe it. */
void riad_fortuna_reseed(struct riad_fortuna *f, const void *seed, size_t len);

/* F6: feed one pool directly. */
void riad_fortuna_add(struct riad_fortuna *f, unsigned source, unsigned pool,
                      const void *data, size_t len);

/* F6 and F7: feed the source's next pool. */
void riad_fortuna_accumulate(struct riad_fortuna *f, unsigned source,
                             const void *data, size_t len);

/* F9. Returns true if it reseeded. */
bool riad_fortuna_maybe_reseed(struct riad_fortuna *f, int64_t now);

/* F5: fill buf with len bytes. The generator must be seeded: generating from
 * an unseeded state is a programmer error and panics. */
void riad_fortuna_generate(struct riad_fortuna *f, void *buf, size_t len);

/* The CTR mode of F2, exposed for its test vectors: XOR len bytes of data
 * with the keystream of aes (any BearSSL CTR implementation's keys, by
 * their vtable field) starting at counter ctr (not updated); len need not
 * be a multiple of 16. */
void riad_fortuna_ctr_xor(const br_block_ctr_class *const *aes, const uint8_t ctr[16],
                          void *data, size_t len);

#endif
