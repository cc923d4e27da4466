/* fuzz/storage_crypt.c: libFuzzer target for the encryption overlay: its header and metadata parsing and its read, write and fallback paths on damaged images.
 *
 * Input: byte 0 chooses the sector size (bit 0: 512 or 4096), whether the
 * header may be damaged (bit 1) and which sector is written afterwards
 * (the rest); the remaining bytes are XORed onto a valid overlay image
 * (three groups, every sector written twice, made once per size with a
 * fixed key and salt), from its first byte if the header may be damaged,
 * else from sector 1. Checks: opening never fails other than with
 * -RIAD_EBADMSG or -RIAD_EACCES; every sector reads as 0 or -RIAD_EBADMSG,
 * and what reads is a version that was written or zeros (never garbage);
 * one read of the whole device gives the same bytes and fails if any
 * sector did (the batched path); a write that returns 0 reads back, one
 * sector and then a run across groups; nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/random.h>

#include "../storage/block_crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t KEY[32] = "fuzzing key, not a secret, 32 b";

/* The overlay draws its salt here: fixed, so the image is the same every
 * run. */
void riad_random_bytes(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
}

struct base {
	uint32_t ss;
	uint64_t inner, n;
	uint8_t *image, *v1, *v2;
};
static struct base bases[2];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 131 + (i >> 9));
}

static struct base *base_get(int which)
{
	struct base *b = &bases[which];
	if (b->image)
		return b;
	b->ss = which ? 4096 : 512;
	b->n = which ? 250 : 30;
	b->inner = block_crypt_inner_sectors(b->n, b->ss);
	struct riad_block *m = riad_block_mem_open(b->inner, b->ss, NULL);
	struct riad_block *c = riad_block_crypt_open(m, KEY, sizeof(KEY), true, NULL);
	if (!c)
		abort();
	b->v1 = malloc(b->n * b->ss);
	b->v2 = malloc(b->n * b->ss);
	b->image = malloc(b->inner * b->ss);
	fill(b->v1, b->n * b->ss, 1);
	fill(b->v2, b->n * b->ss, 2);
	/* The last sector is left never written. */
	if (riad_block_write(c, 0, b->v1, b->n - 1) || riad_block_write(c, 0, b->v2, b->n - 1))
		abort();
	memset(b->v1 + (b->n - 1) * b->ss, 0, b->ss);
	memset(b->v2 + (b->n - 1) * b->ss, 0, b->ss);
	riad_block_close(c);
	riad_block_read(m, 0, b->image, b->inner);
	riad_block_close(m);
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct base *b = base_get(data[0] & 1);
	uint32_t ss = b->ss;
	struct riad_block *m = riad_block_mem_open(b->inner, ss, NULL);
	uint8_t *img = malloc(b->inner * ss), *p = malloc(ss), *zero = calloc(1, ss);
	uint8_t *all = malloc(b->n * ss), *one = malloc(b->n * ss);
	memcpy(img, b->image, b->inner * ss);
	size_t off = data[0] & 2 ? 0 : ss;
	for (size_t i = 1; i < size && off + i - 1 < b->inner * ss; i++)
		img[off + i - 1] ^= data[i];
	riad_block_write(m, 0, img, b->inner);
	int e = 0;
	struct riad_block *c = riad_block_crypt_open(m, KEY, sizeof(KEY), false, &e);
	if (!c) {
		if (e != -RIAD_EBADMSG && e != -RIAD_EACCES)
			abort();
		goto out;
	}
	if (riad_block_sectors(c) > b->n)
		abort(); /* the header's size cannot grow without the key */
	bool failed = false;
	for (uint64_t d = 0; d < riad_block_sectors(c); d++) {
		int r = riad_block_read(c, d, p, 1);
		if (r != 0 && r != -RIAD_EBADMSG)
			abort();
		failed |= r != 0;
		memcpy(one + d * ss, p, ss);
		if (r == 0 && memcmp(p, b->v1 + d * ss, ss) && memcmp(p, b->v2 + d * ss, ss) &&
		    memcmp(p, zero, ss))
			abort(); /* garbage returned as data */
		if (r != 0 && memcmp(p, zero, ss))
			abort(); /* a failed sector must not leak its bytes */
	}
	uint64_t n = riad_block_sectors(c);
	int r = riad_block_read(c, 0, all, n);
	if (r != (failed ? -RIAD_EBADMSG : 0) || memcmp(all, one, n * ss))
		abort(); /* one request must read what sector by sector does */
	uint64_t d = (data[0] >> 2) % n;
	fill(p, ss, 3);
	if (riad_block_write(c, d, p, 1) == 0) {
		uint8_t *q = malloc(ss);
		if (riad_block_read(c, d, q, 1) != 0 || memcmp(p, q, ss))
			abort();
		free(q);
	}
	/* A run from d over the next group boundary (the whole device at most). */
	uint64_t len = n - d < 20 ? n - d : 20;
	fill(all, len * ss, 4);
	if (riad_block_write(c, d, all, len) == 0) {
		if (riad_block_read(c, d, one, len) != 0 || memcmp(all, one, len * ss))
			abort();
	}
	riad_block_close(c);
out:
	riad_block_close(m);
	free(img);
	free(p);
	free(zero);
	free(all);
	free(one);
	return 0;
}
