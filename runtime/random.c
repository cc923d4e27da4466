/* runtime/random.c: the unikernel's one Fortuna generator behind riad/random.h. */
#include <riad/random.h>
#include <riad/time.h>

#include "fortuna.h"
#include "platform.h"
#include "runtime.h"

/* Bytes of host entropy taken at boot: twice the key size, so a host source
 * that delivers less than full entropy per byte still gives a 256-bit seed. */
#define BOOT_SEED_BYTES 64

static struct riad_fortuna G;
static bool ready;

static struct riad_fortuna *gen(void)
{
	if (!ready) {
		riad_fortuna_init(&G);
		ready = true;
	}
	return &G;
}

void riad_random_boot(void)
{
	uint8_t seed[BOOT_SEED_BYTES];
	riad_platform_entropy(seed, sizeof(seed));
	riad_fortuna_reseed(gen(), seed, sizeof(seed));
	volatile uint8_t *v = seed;
	for (size_t i = 0; i < sizeof(seed); i++)
		v[i] = 0;
}

void riad_random_bytes(void *buf, size_t len)
{
	struct riad_fortuna *f = gen();
	riad_fortuna_maybe_reseed(f, riad_time_ns());
	if (!riad_fortuna_seeded(f))
		riad_panic("random: generator used before it was seeded "
		           "(start-up seeds it before main(); do not ask for random bytes earlier)");
	riad_fortuna_generate(f, buf, len);
}

uint32_t riad_random_u32(void)
{
	uint8_t b[4];
	riad_random_bytes(b, sizeof(b));
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint64_t riad_random_u64(void)
{
	uint8_t b[8];
	riad_random_bytes(b, sizeof(b));
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = x << 8 | b[i];
	return x;
}

uint64_t riad_random_below(uint64_t bound)
{
	if (bound == 0)
		riad_panic("random: riad_random_below(0): the bound must be positive");
	/* 2^64 mod bound values at the bottom would come up once more than the
	 * others under x % bound; drawing again when x falls there removes the
	 * bias. Fewer than half of all draws are rejected, for any bound. */
	uint64_t reject_below = (0 - bound) % bound;
	for (;;) {
		uint64_t x = riad_random_u64();
		if (x >= reject_below)
			return x % bound;
	}
}

void riad_random_add_entropy(unsigned source, const void *data, size_t len)
{
	riad_fortuna_accumulate(gen(), source, data, len);
}

bool riad_random_is_seeded(void)
{
	return ready && riad_fortuna_seeded(&G);
}
