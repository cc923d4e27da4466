/* bench/storage_crypt/main.c: the unikernel of bench/storage_crypt.sh: throughput of the encryption overlay against the plain device below it, in the same run, at 512 and 4096-byte sectors, in 4 KiB and 64 KiB requests (sequential write and read, random writes and reads; the best of --repeat runs each, the machine being shared), as MB/s and ratios; and BearSSL's AES-GCM alone on one core, the ceiling. */
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/console.h>
#include <riad/devices.h>
#include <riad/time.h>

#if defined(__has_include)
#if __has_include(<bearssl.h>)
#include <bearssl.h>
#define HAVE_BEARSSL_H 1
#endif
#endif

RIAD_DEVICE_BLOCK(plain);
RIAD_DEVICE_BLOCK(enc);   /* an overlay image at 512-byte sectors */
RIAD_DEVICE_BLOCK(enc4k); /* an overlay image at 4096-byte sectors */
RIAD_ARG_STRING(key_hex, "key", "", "The overlay's key, in hex.");
RIAD_ARG_INT(mib_per_test, "mib", 64, "MiB moved per sequential test (at least one pass).");
RIAD_ARG_INT(randops, "randops", 4000, "Random requests per random test.");
RIAD_ARG_INT(repeat, "repeat", 3, "Runs of each test, plain and overlay alternating; the best counts.");

#define MAXREQ (64 * 1024)

static uint64_t st = 88172645463325252ull;
static uint64_t next(void)
{
	st ^= st << 13, st ^= st >> 7, st ^= st << 17;
	return st;
}

/* Throughput in tenths of MB/s (integers: guests are built without SSE,
 * so without floating point). */
static uint64_t mbps(uint64_t bytes, int64_t ns)
{
	return ns > 0 ? bytes * 10000 / (uint64_t)ns : 0;
}

/* A device of 4096-byte sectors over one of 512-byte sectors (unix gives
 * files 512-byte sectors). */
struct wide {
	struct riad_block b;
	struct riad_block *in;
	uint64_t k;
};
static int wide_read(struct riad_block *b, uint64_t s, void *p, uint64_t n)
{
	struct wide *w = (struct wide *)b;
	return riad_block_read(w->in, s * w->k, p, n * w->k);
}
static int wide_write(struct riad_block *b, uint64_t s, const void *p, uint64_t n)
{
	struct wide *w = (struct wide *)b;
	return riad_block_write(w->in, s * w->k, p, n * w->k);
}
static int wide_flush(struct riad_block *b)
{
	return riad_block_flush(((struct wide *)b)->in);
}
static void wide_close(struct riad_block *b)
{
	free(b);
}
static const struct riad_block_ops wide_ops = {
	.read = wide_read, .write = wide_write, .flush = wide_flush, .close = wide_close
};
static struct riad_block *wide_open(struct riad_block *in, uint32_t ss)
{
	struct wide *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->in = in;
	w->k = ss / riad_block_sector_size(in);
	riad_block_init(&w->b, &wide_ops, "wide", riad_block_sectors(in) / w->k, ss, false);
	return &w->b;
}

enum { SEQW, SEQR, RANDW, RANDR, NKIND };
static const char *kind_name[NKIND] = { "sequential write", "sequential read", "random write",
	                                "random read" };

/* MB/s of one kind of test in requests of req bytes on b. */
static uint64_t measure(struct riad_block *b, uint8_t *buf, int kind, uint32_t req)
{
	uint32_t ss = riad_block_sector_size(b);
	uint64_t n = riad_block_sectors(b), per = req / ss, bytes = 0;
	uint64_t want = (uint64_t)mib_per_test << 20;
	int64_t t = riad_time_ns();
	int r = 0;
	if (kind == SEQW || kind == SEQR) {
		while (bytes < want && r == 0)
			for (uint64_t s = 0; s + per <= n && r == 0; s += per, bytes += req)
				r = kind == SEQW ? riad_block_write(b, s, buf, per)
				                 : riad_block_read(b, s, buf, per);
	} else {
		st = 88172645463325252ull;
		for (int64_t i = 0; i < randops && r == 0; i++, bytes += req) {
			uint64_t s = next() % (n / per) * per;
			r = kind == RANDW ? riad_block_write(b, s, buf, per) : riad_block_read(b, s, buf, per);
		}
	}
	if (r == 0 && (kind == SEQW || kind == RANDW))
		r = riad_block_flush(b);
	if (r < 0) {
		riad_console_printf("ERROR %s: %d\n", kind_name[kind], r);
		exit(1);
	}
	return mbps(bytes, riad_time_ns() - t);
}

/* BearSSL's AES-256-GCM on one core, sector by sector as the overlay does
 * it (a reset, 8 bytes of AAD, the sector, the tag): the ceiling of what
 * the overlay can reach whatever the device below. */
static uint64_t gcm_ceiling(uint32_t ss, uint8_t *buf)
{
#ifdef HAVE_BEARSSL_H
	static const uint8_t k[32] = "ceiling key, 32 bytes, not used";
	br_aes_gen_ctr_keys aes;
	br_gcm_context gcm;
	const br_block_ctr_class *vt = br_aes_x86ni_ctr_get_vtable();
	if (!vt)
		vt = &br_aes_ct64_ctr_vtable;
	br_ghash gh = br_ghash_pclmul_get();
	if (!gh)
		gh = br_ghash_ctmul64;
	vt->init(&aes.vtable, k, 32);
	br_gcm_init(&gcm, &aes.vtable, gh);
	uint8_t iv[12] = { 0 }, aad[8] = { 0 }, tag[16];
	uint64_t bytes = 0, want = 64u << 20;
	int64_t t = riad_time_ns();
	for (uint64_t i = 0; bytes < want; i++, bytes += ss) {
		memcpy(iv, &i, 8);
		br_gcm_reset(&gcm, iv, sizeof(iv));
		br_gcm_aad_inject(&gcm, aad, sizeof(aad));
		br_gcm_flip(&gcm);
		br_gcm_run(&gcm, 1, buf, ss);
		br_gcm_get_tag(&gcm, tag);
	}
	return mbps(bytes, riad_time_ns() - t);
#else
	(void)ss, (void)buf;
	return 0;
#endif
}

static void run(struct riad_block *p, struct riad_block *c, uint8_t *buf)
{
	uint32_t ss = riad_block_sector_size(c);
	riad_console_printf("%u-byte sectors:\n", ss);
	static const uint32_t reqs[] = { 4096, 65536 };
	for (int ri = 0; ri < 2; ri++)
		for (int kind = 0; kind < NKIND; kind++) {
			uint64_t fp = 0, fe = 0;
			for (int64_t k = 0; k < (repeat > 0 ? repeat : 1); k++) {
				uint64_t x = measure(p, buf, kind, reqs[ri]), y = measure(c, buf, kind, reqs[ri]);
				fp = x > fp ? x : fp, fe = y > fe ? y : fe;
			}
			uint64_t ratio = fp > 0 ? (fe * 100 + fp / 2) / fp : 0; /* hundredths */
			riad_console_printf("  %-16s %2u KiB  plain %6llu.%llu MB/s  overlay %5llu.%llu MB/s  "
			                    "ratio %llu.%02llu%s\n",
			                    kind_name[kind], reqs[ri] / 1024, (unsigned long long)(fp / 10),
			                    (unsigned long long)(fp % 10), (unsigned long long)(fe / 10),
			                    (unsigned long long)(fe % 10), (unsigned long long)(ratio / 100),
			                    (unsigned long long)(ratio % 100),
			                    fe * 2 >= fp ? "" : "  (goal 0.50 not met)");
		}
	uint64_t ceil = 0;
	for (int64_t k = 0; k < (repeat > 0 ? repeat : 1); k++) {
		uint64_t x = gcm_ceiling(ss, buf);
		ceil = x > ceil ? x : ceil;
	}
	if (ceil > 0)
		riad_console_printf("  ceiling: BearSSL AES-256-GCM alone, %u-byte sectors, one core: "
		                    "%llu.%llu MB/s\n",
		                    ss, (unsigned long long)(ceil / 10), (unsigned long long)(ceil % 10));
	else
		riad_console_printf("  ceiling: not measured (no <bearssl.h> for this target)\n");
	riad_console_printf("  below the overlay: %llu sectors written, %llu requests; %llu auth "
	                    "errors\n",
	                    (unsigned long long)riad_block_stats(c)->write_sectors,
	                    (unsigned long long)riad_block_stats(c)->inner_ops,
	                    (unsigned long long)riad_block_stats(c)->auth_errors);
}

static struct riad_block *overlay(struct riad_block *d, const uint8_t *key, size_t klen)
{
	int e = 0;
	struct riad_block *c = d ? riad_block_crypt_open(d, key, klen, false, &e) : NULL;
	if (!c) {
		riad_console_printf("ERROR open %d\n", e);
		exit(1);
	}
	return c;
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
	struct riad_block *d4 = riad_block_open("enc4k", &e);
	uint8_t *buf = malloc(MAXREQ);
	if (!p || !d || !d4 || !buf) {
		riad_console_printf("ERROR open %d\n", e);
		return 1;
	}
	for (size_t i = 0; i < MAXREQ; i++)
		buf[i] = (uint8_t)next();
	struct riad_block *c = overlay(d, key, klen);
	run(p, c, buf);
	riad_block_close(c);
	struct riad_block *p4 = wide_open(p, 4096), *w4 = wide_open(d4, 4096);
	if (!p4 || !w4)
		return 1;
	c = overlay(w4, key, klen);
	run(p4, c, buf);
	riad_block_close(c);
	riad_block_close(w4);
	riad_block_close(p4);
	riad_block_close(d4);
	riad_block_close(d);
	riad_block_close(p);
	return 0;
}
