/* tests/e2e/sse: what a target's instruction set gives a unikernel (tests/e2e/sse.t): floating point and MXCSR kept per fiber where the target is built with SSE (unix, spt), and the encryption overlay on the block device "disk" with the AES implementation the runtime chose (its name is in the block log's debug line). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/devices.h>
#include <riad/fiber.h>

RIAD_DEVICE_BLOCK(disk);

RIAD_ARG_BOOL(format_new, "format", false, "Format the disk as a new encrypted device and write the pattern first.");

static int failed;

static void check(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failed++;
}

#ifdef __SSE__
/* Newton's square root, in doubles passed and returned in SSE registers. */
static double root(double x)
{
	double r = x;
	for (int i = 0; i < 60; i++)
		r = (r + x / r) / 2;
	return r;
}

static unsigned mxcsr_get(void)
{
	unsigned m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static void mxcsr_set(unsigned m)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

#define MXCSR_RC_ZERO 0x6000u /* round toward zero */

/* 1/10 differs by rounding mode: 0x3fb999999999999a to nearest,
 * 0x3fb9999999999999 toward zero. */
static uint64_t tenth_bits(void)
{
	volatile double a = 1.0, b = 10.0;
	double q = a / b;
	uint64_t u;
	memcpy(&u, &q, 8);
	return u;
}

static uint64_t nearest_bits, zero_bits;

static int rounding_fiber(void *arg)
{
	(void)arg;
	mxcsr_set((mxcsr_get() & ~0x6000u) | MXCSR_RC_ZERO);
	zero_bits = tenth_bits();
	riad_fiber_yield();
	/* After main() ran with its own rounding mode: still ours. */
	return (mxcsr_get() & 0x6000u) == MXCSR_RC_ZERO && tenth_bits() == zero_bits;
}

static void floating_point(void)
{
	double r = root(2.0);
	/* printf has no %f (docs/libc.md): print the digits as integers. */
	long whole = (long)r, frac = (long)((r - (double)whole) * 1e9);
	printf("fp: sqrt(2) = %ld.%09ld\n", whole, frac);
	check(whole == 1 && frac == 414213562, "double arithmetic in SSE registers");
	nearest_bits = tenth_bits();
	struct riad_fiber *f = riad_fiber_spawn(rounding_fiber, NULL, 0);
	check(f != NULL, "spawn a fiber");
	if (!f)
		return;
	riad_fiber_yield(); /* the fiber set round-toward-zero and yielded */
	check((mxcsr_get() & 0x6000u) == 0 && tenth_bits() == nearest_bits,
	      "the fiber's rounding mode did not leak into main's");
	check(nearest_bits == 0x3fb999999999999aull && zero_bits == 0x3fb9999999999999ull,
	      "1/10 rounded to nearest and toward zero");
	check(riad_fiber_join(f) == 1, "the fiber kept its rounding mode across a switch");
}
#else
static void floating_point(void)
{
	printf("fp: none (built without SSE)\n");
}
#endif

static const uint8_t key[32] = { 's', 's', 'e', '-', 't', 'e', 's', 't' };

static void pattern(uint8_t *buf, size_t n, uint64_t first)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)((first * 131 + i * 7) ^ (i >> 9));
}

static void crypt(void)
{
	int err = 0;
	struct riad_block *d = riad_block_open("disk", &err);
	check(d != NULL, "open the disk");
	if (!d)
		return;
	struct riad_block *c = riad_block_crypt_open(d, key, sizeof(key), format_new, &err);
	check(c != NULL, "open the encryption overlay");
	if (!c) {
		printf("crypt open: %d\n", err);
		riad_block_close(d);
		return;
	}
	static uint8_t want[64 * 1024], got[sizeof(want)];
	uint32_t ss = riad_block_sector_size(c);
	uint64_t count = sizeof(want) / ss;
	bool ok = true;
	for (uint64_t s = 0; s + count <= riad_block_sectors(c) && s < 64 * count; s += count) {
		pattern(want, sizeof(want), s);
		if (format_new && riad_block_write(c, s, want, count) < 0)
			ok = false;
		if (riad_block_read(c, s, got, count) < 0 || memcmp(want, got, sizeof(want)) != 0)
			ok = false;
	}
	check(ok && riad_block_flush(c) == 0, format_new ? "write and read back through the overlay"
	                                               : "read back what was written before");
	riad_block_close(c);
	riad_block_close(d);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	floating_point();
	crypt();
	printf("sse: %d failed\n", failed);
	return failed ? 1 : 0;
}
