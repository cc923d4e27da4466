/* runtime/fortuna.c: the Fortuna generator; rules F1-F9 are in fortuna.h.
 *
 * Only constant-time code is used: no table lookups indexed by secrets.
 * AES is crypto_impl.h's choice, AES-NI where the build and the CPU have
 * it and BearSSL's bitsliced 64-bit AES elsewhere (hvt guests, which must
 * not execute SSE instructions); br_sha256_* is portable C.
 */
#include <string.h>

#include <riad/opt.h>
#include <riad/random.h>

#include "crypto_impl.h"
#include "fortuna.h"
#include "runtime.h"

#define wipe riad_wipe

static void ctr_add(uint8_t ctr[16], uint64_t n)
{
	for (int i = 15; i >= 0 && n != 0; i--) {
		uint64_t sum = (uint64_t)ctr[i] + (n & 0xff);
		ctr[i] = (uint8_t)sum;
		n = (n >> 8) + (sum >> 8);
	}
}

static bool ctr_is_zero(const uint8_t ctr[16])
{
	uint8_t acc = 0;
	for (int i = 0; i < 16; i++)
		acc |= ctr[i];
	return acc == 0;
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* BearSSL's CTR counts only the last 32 bits of the block and leaves the
 * first 96 (its IV) alone; F2 wants a 128-bit counter. So run up to the
 * point where the low word wraps, carry into the IV by hand, go on. */
void riad_fortuna_ctr_xor(const br_block_ctr_class *const *aes, const uint8_t ctr[16],
                          void *data, size_t len)
{
	uint8_t iv[16];
	memcpy(iv, ctr, 16);
	uint32_t cc = load_be32(iv + 12);
	uint8_t *p = data;
	while (len > 0) {
		uint64_t room = ((uint64_t)1 << 32) - cc; /* blocks before the wrap */
		size_t n = len;
		if ((uint64_t)len > room * 16)
			n = (size_t)(room * 16);
		cc = (*aes)->run(aes, iv, cc, p, n);
		p += n;
		len -= n;
		if (len > 0) {
			/* Stopped at the wrap (cc is 0 again): carry into the IV. */
			for (int i = 11; i >= 0 && ++iv[i] == 0; i--)
				;
		}
	}
	wipe(iv, sizeof(iv));
}

static void set_key(struct riad_fortuna *f, const uint8_t key[32])
{
	memcpy(f->key, key, 32);
	crypto_impl_aes_ctr()->init(&f->aes.vtable, f->key, 32);
}

/* F1: the second SHA-256 over a first digest. */
static void sha256_again(const uint8_t in[32], uint8_t out[32])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, in, 32);
	br_sha256_out(&c, out);
	wipe(&c, sizeof(c));
}

void riad_fortuna_init(struct riad_fortuna *f)
{
	static const uint8_t zero[32];
	memset(f, 0, sizeof(*f));
	set_key(f, zero);
	for (int i = 0; i < RIAD_FORTUNA_POOLS; i++)
		br_sha256_init(&f->pools[i]);
}

bool riad_fortuna_seeded(const struct riad_fortuna *f)
{
	return !ctr_is_zero(f->ctr);
}

/* F4, given the SHA-256 context already fed with K || seed (the seed is one
 * piece for an explicit reseed, one digest per pool for F8). */
static void reseed_from(struct riad_fortuna *f, br_sha256_context *h)
{
	uint8_t d1[32], d2[32];
	br_sha256_out(h, d1);
	sha256_again(d1, d2);
	set_key(f, d2);
	ctr_add(f->ctr, 1);
	wipe(d1, sizeof(d1));
	wipe(d2, sizeof(d2));
	wipe(h, sizeof(*h));
}

void riad_fortuna_reseed(struct riad_fortuna *f, const void *seed, size_t len)
{
	br_sha256_context h;
	br_sha256_init(&h);
	br_sha256_update(&h, f->key, 32);
	br_sha256_update(&h, seed, len);
	reseed_from(f, &h);
}

void riad_fortuna_add(struct riad_fortuna *f, unsigned source, unsigned pool,
                      const void *data, size_t len)
{
	uint8_t header[2] = { (uint8_t)(source & 0xff), (uint8_t)(len & 0xff) };
	pool &= RIAD_FORTUNA_POOLS - 1;
	br_sha256_update(&f->pools[pool], header, 2);
	br_sha256_update(&f->pools[pool], data, len);
	if (pool == 0)
		f->pool0_bytes += len;
}

void riad_fortuna_accumulate(struct riad_fortuna *f, unsigned source,
                             const void *data, size_t len)
{
	uint8_t *next = &f->next_pool[source & (RIAD_FORTUNA_SOURCES - 1)];
	riad_fortuna_add(f, source, *next, data, len);
	*next = (uint8_t)((*next + 1) & (RIAD_FORTUNA_POOLS - 1));
}

bool riad_fortuna_maybe_reseed(struct riad_fortuna *f, int64_t now)
{
	if (f->pool0_bytes < RIAD_RANDOM_MIN_POOL_BYTES)
		return false;
	if (f->pool_reseeded && now - f->last_reseed_ns < RIAD_RANDOM_RESEED_NS)
		return false;
	f->reseeds++;
	f->pool0_bytes = 0;
	f->pool_reseeded = true;
	f->last_reseed_ns = now;
	br_sha256_context h;
	br_sha256_init(&h);
	br_sha256_update(&h, f->key, 32);
	for (int i = 0; i < RIAD_FORTUNA_POOLS; i++) {
		if ((f->reseeds & (((uint64_t)1 << i) - 1)) != 0)
			break; /* 2^i does not divide r, so neither does 2^(i+1) */
		uint8_t d1[32], d2[32];
		br_sha256_out(&f->pools[i], d1);
		sha256_again(d1, d2);
		br_sha256_update(&h, d2, 32);
		br_sha256_init(&f->pools[i]);
		wipe(d1, sizeof(d1));
		wipe(d2, sizeof(d2));
	}
	reseed_from(f, &h);
	return true;
}

/* F5 for one chunk of m <= RIAD_FORTUNA_CHUNK bytes. The whole blocks are
 * made in place; the partial block and the two rekeying blocks in tail. */
static void generate_chunk(struct riad_fortuna *f, uint8_t *out, size_t m)
{
	size_t whole = m / 16, rest = m % 16;
	size_t tail_blocks = (rest ? 1 : 0) + 2;
	uint8_t tail[48], ctr[16];

	memset(out, 0, whole * 16);
	riad_fortuna_ctr_xor(&f->aes.vtable, f->ctr, out, whole * 16);
	memcpy(ctr, f->ctr, 16);
	ctr_add(ctr, whole);
	memset(tail, 0, sizeof(tail));
	riad_fortuna_ctr_xor(&f->aes.vtable, ctr, tail, tail_blocks * 16);
	memcpy(out + whole * 16, tail, rest);
	set_key(f, tail + tail_blocks * 16 - 32);
	ctr_add(f->ctr, whole + tail_blocks);
	wipe(tail, sizeof(tail));
	wipe(ctr, sizeof(ctr));
}

void riad_fortuna_generate(struct riad_fortuna *f, void *buf, size_t len)
{
	if (!riad_fortuna_seeded(f))
		riad_panic("fortuna: generate on an unseeded generator");
	uint8_t *p = buf;
	while (len > 0) {
		size_t m = len < RIAD_FORTUNA_CHUNK ? len : RIAD_FORTUNA_CHUNK;
		generate_chunk(f, p, m);
		p += m;
		len -= m;
	}
}
