/* bench/storage_crypt/main.c: the unikernel of bench/storage_crypt.sh: throughput of the encryption overlay against the plain device below it, in the same run (sequential write and read in 256 KiB requests, random 4 KiB writes and reads), as MB/s and ratios. */
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/console.h>
#include <riad/devices.h>
#include <riad/time.h>

RIAD_DEVICE_BLOCK(plain);
RIAD_DEVICE_BLOCK(enc);
RIAD_ARG_STRING(key_hex, "key", "", "The overlay's key, in hex.");
RIAD_ARG_INT(passes, "passes", 3, "Sequential passes over the device.");
RIAD_ARG_INT(randops, "randops", 4000, "Random 4 KiB requests.");

#define REQ (256 * 1024)

static uint64_t st = 88172645463325252ull;
static uint64_t next(void)
{
	st ^= st << 13, st ^= st >> 7, st ^= st << 17;
	return st;
}

struct fig {
	double seqw, seqr, randw, randr; /* MB/s */
};

static double mbps(uint64_t bytes, int64_t ns)
{
	return ns > 0 ? (double)bytes / 1e6 / ((double)ns / 1e9) : 0;
}

static int measure(struct riad_block *b, uint8_t *buf, struct fig *f)
{
	uint32_t ss = riad_block_sector_size(b);
	uint64_t n = riad_block_sectors(b), per = REQ / ss, bytes = 0;
	int64_t t = riad_time_ns();
	for (int p = 0; p < passes; p++)
		for (uint64_t s = 0; s + per <= n; s += per, bytes += REQ)
			if (riad_block_write(b, s, buf, per) < 0)
				return -1;
	if (riad_block_flush(b) < 0)
		return -1;
	f->seqw = mbps(bytes, riad_time_ns() - t);
	bytes = 0;
	t = riad_time_ns();
	for (int p = 0; p < passes; p++)
		for (uint64_t s = 0; s + per <= n; s += per, bytes += REQ)
			if (riad_block_read(b, s, buf, per) < 0)
				return -1;
	f->seqr = mbps(bytes, riad_time_ns() - t);
	uint64_t k = 4096 / ss;
	st = 88172645463325252ull;
	t = riad_time_ns();
	for (int64_t i = 0; i < randops; i++)
		if (riad_block_write(b, next() % (n / k) * k, buf, k) < 0)
			return -1;
	if (riad_block_flush(b) < 0)
		return -1;
	f->randw = mbps((uint64_t)randops * 4096, riad_time_ns() - t);
	t = riad_time_ns();
	for (int64_t i = 0; i < randops; i++)
		if (riad_block_read(b, next() % (n / k) * k, buf, k) < 0)
			return -1;
	f->randr = mbps((uint64_t)randops * 4096, riad_time_ns() - t);
	return 0;
}

static void line(const char *what, double plain, double enc)
{
	riad_console_printf("%-22s plain %8.1f MB/s   overlay %8.1f MB/s   ratio %.2f\n", what, plain, enc,
	                    plain > 0 ? enc / plain : 0);
}

int main(void)
{
	uint8_t key[64];
	size_t klen = strlen(key_hex) / 2;
	if (klen < 16 || klen > 64)
		return 1;
	for (size_t i = 0; i < klen; i++) {
		char h[3] = { key_hex[2 * i], key_hex[2 * i + 1], 0 };
		key[i] = (uint8_t)strtoul(h, NULL, 16);
	}
	int e = 0;
	struct riad_block *p = riad_block_open("plain", &e), *d = riad_block_open("enc", &e);
	struct riad_block *c = d ? riad_block_crypt_open(d, key, klen, false, &e) : NULL;
	uint8_t *buf = malloc(REQ);
	if (!p || !c || !buf) {
		riad_console_printf("ERROR open %d\n", e);
		return 1;
	}
	for (size_t i = 0; i < REQ; i++)
		buf[i] = (uint8_t)next();
	struct fig fp, fe;
	if (measure(p, buf, &fp) < 0 || measure(c, buf, &fe) < 0) {
		riad_console_printf("ERROR measuring\n");
		return 1;
	}
	line("sequential write", fp.seqw, fe.seqw);
	line("sequential read", fp.seqr, fe.seqr);
	line("random 4 KiB write", fp.randw, fe.randw);
	line("random 4 KiB read", fp.randr, fe.randr);
	const struct riad_block_stats *s = riad_block_stats(d);
	riad_console_printf("overlay: %llu sectors written below, %llu auth errors\n",
	                    (unsigned long long)s->write_sectors,
	                    (unsigned long long)riad_block_stats(c)->auth_errors);
	riad_block_close(c);
	riad_block_close(d);
	riad_block_close(p);
	return 0;
}
