/* tests/storage/crypt_crash.c: the unikernel of crypt_crash.t: a seeded load of writes through the encryption overlay on its block device "disk", printing "OPEN n ss seed S" once its disk is open, "W i" after write i returns and "F i" after each flush, until killed.
 *
 * Write i (from 0) covers [s, s + len) from an xorshift64 generator seeded
 * with --seed (crypt_crash_check.py draws the same); each sector k of it
 * holds the 16 bytes u64 (seed << 32 | (i + 1)), u64 (k) repeated, so the
 * checker knows every sector's old and new contents.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/console.h>
#include <riad/devices.h>

RIAD_DEVICE_BLOCK(disk);
RIAD_ARG_STRING(key_hex, "key", "", "The overlay's key, in hex.");
RIAD_ARG_INT(seed, "seed", 1, "Seed of the load.");
RIAD_ARG_INT(writes, "writes", 100000, "Writes to make before exiting.");
RIAD_ARG_INT(maxlen, "maxlen", 40, "Longest write, in sectors.");
RIAD_ARG_INT(flush_every, "flush-every", 4, "Flush after every this many writes.");

static uint64_t st;
static uint64_t next(void)
{
	st ^= st << 13, st ^= st >> 7, st ^= st << 17;
	return st;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

int main(void)
{
	uint8_t key[64];
	size_t klen = strlen(key_hex) / 2;
	if (klen < 16 || klen > 64) {
		riad_console_printf("ERROR --key\n");
		return 1;
	}
	for (size_t i = 0; i < klen; i++) {
		char h[3] = { key_hex[2 * i], key_hex[2 * i + 1], 0 };
		key[i] = (uint8_t)strtoul(h, NULL, 16);
	}
	int e = 0;
	struct riad_block *d = riad_block_open("disk", &e);
	struct riad_block *c = d ? riad_block_crypt_open(d, key, klen, false, &e) : NULL;
	if (!c) {
		riad_console_printf("ERROR open %d\n", e);
		return 1;
	}
	uint64_t n = riad_block_sectors(c);
	uint32_t ss = riad_block_sector_size(c);
	uint8_t *buf = malloc((size_t)maxlen * ss);
	riad_console_printf("OPEN %llu %u seed %lld\n", (unsigned long long)n, ss, (long long)seed);
	st = (uint64_t)seed * 0x9E3779B97F4A7C15ull | 1;
	for (int64_t i = 0; i < writes; i++) {
		uint64_t r = next();
		uint64_t s = r % n, len = 1 + (r >> 32) % (uint64_t)maxlen;
		if (len > n - s)
			len = n - s;
		for (uint64_t k = 0; k < len; k++)
			for (uint32_t o = 0; o < ss; o += 16) {
				put64(buf + k * ss + o, (uint64_t)seed << 32 | (uint64_t)(i + 1));
				put64(buf + k * ss + o + 8, s + k);
			}
		if ((e = riad_block_write(c, s, buf, len)) < 0) {
			riad_console_printf("ERROR write %d\n", e);
			return 1;
		}
		riad_console_printf("W %lld\n", (long long)i);
		if ((i + 1) % flush_every == 0) {
			if ((e = riad_block_flush(c)) < 0) {
				riad_console_printf("ERROR flush %d\n", e);
				return 1;
			}
			riad_console_printf("F %lld\n", (long long)i);
		}
	}
	riad_block_close(c);
	riad_block_close(d);
	return 0;
}
