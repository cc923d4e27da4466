/* fuzz/storage_store.c: libFuzzer target for the writable store's image parser (superblocks, log sectors, records, replay) and the operations on whatever it opens.
 *
 * Input: one mode byte, then patches. Mode: bit 0 recompute the CRC of
 * every log sector (sectors 2..) and the batch fields of each COMMIT
 * sector, bit 1 the CRC of both superblocks (so the
 * fuzzer reaches the record parser behind the checksums), bits 4-7 the
 * half size H - 8 (the device is 2 + 2H sectors of 512 bytes). A patch is
 * a sector number (one byte, modulo the device), an offset and a length
 * (two bytes each, little-endian) and that many bytes written there
 * (clipped to the sector). The seeds (fuzz/corpus/storage_store/, made by
 * fuzz/storage_store_seeds.sh) are stores written by riad disk, patched
 * whole.
 *
 * Checks: opening returns a store or an error, never crashes or hangs;
 * an opened store lists names without '/', each listed value has a stat
 * and reads back to its size (or -RIAD_EBADMSG); set, remove, rename and
 * flush on it return errors, never crash; it opens again or is refused;
 * nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/kv.h>

#include "../storage/crc32c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SS 512

/* Recompute the checksums the mode asks for: superblocks; log sectors,
 * with each COMMIT sector's batch fields made to match the sectors before
 * it in its half (little-endian host). */
static void seal(struct riad_block *b, uint64_t n, uint64_t h, unsigned mode)
{
	uint8_t s[SS];
	uint32_t bstart = 0, brun = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (riad_block_read(b, i, s, 1))
			abort();
		if (i == 2 || i == 2 + h)
			bstart = 0, brun = 0;
		if (i < 2 && (mode & 2)) {
			uint32_t c = storage_crc32c(0, s, 60);
			memcpy(s + 60, &c, 4);
		} else if (i >= 2 && (mode & 1)) {
			uint32_t pos = (uint32_t)(i - 2 - (i >= 2 + h ? h : 0));
			if (s[22] & 1) {
				memcpy(s + 24, &bstart, 4);
				memcpy(s + 28, &brun, 4);
				bstart = pos + 1, brun = 0;
			} else {
				brun = storage_crc32c(brun, s + 32, SS - 32);
			}
			uint32_t c = storage_crc32c(0, s + 4, SS - 4);
			memcpy(s, &c, 4);
		}
		if (riad_block_write(b, i, s, 1))
			abort();
	}
}

static int walk(struct riad_kv *kv, const char *dir, int depth);

struct ctx {
	struct riad_kv *kv;
	const char *dir;
	int depth;
	int n;
};

static uint8_t vbuf[4096];

static int visit(void *arg, const char *name, enum riad_kv_type type)
{
	struct ctx *c = arg;
	if (!*name || strchr(name, '/') || strlen(name) > RIAD_KV_NAME_MAX)
		abort();
	if (++c->n > 4096)
		return 1;
	char path[RIAD_KV_KEY_MAX + 1];
	size_t dl = strlen(c->dir), nl = strlen(name);
	if (dl + 1 + nl > RIAD_KV_KEY_MAX)
		abort(); /* a key longer than keys may be */
	memcpy(path, c->dir, dl);
	size_t p = dl;
	if (dl)
		path[p++] = '/';
	memcpy(path + p, name, nl + 1);
	struct riad_kv_stat st;
	if (riad_kv_stat(c->kv, path, &st) != 0 || st.type != type)
		abort();
	if (type == RIAD_KV_DICT)
		return c->depth < 16 ? walk(c->kv, path, c->depth + 1) : 0;
	uint64_t off = 0;
	for (;;) {
		size_t got = 0;
		int r = riad_kv_get(c->kv, path, off, vbuf, sizeof(vbuf), &got);
		if (r == -RIAD_EBADMSG)
			return 0;
		if (r != 0)
			abort();
		if (got == 0)
			break;
		off += got;
	}
	if (off != st.size)
		abort();
	return 0;
}

static int walk(struct riad_kv *kv, const char *dir, int depth)
{
	struct ctx c = { kv, dir, depth, 0 };
	int r = riad_kv_list(kv, dir, visit, &c);
	if (r < 0 && r != -RIAD_EIO)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	uint64_t h = 8 + (mode >> 4), n = 2 + 2 * h;
	int err = 0;
	struct riad_block *b = riad_block_mem_open(n, SS, &err);
	if (!b)
		abort();
	uint8_t s[SS];
	size_t i = 1;
	while (i + 5 <= size) {
		uint64_t sec = data[i] % n;
		size_t off = (size_t)(data[i + 1] | data[i + 2] << 8), len = (size_t)(data[i + 3] | data[i + 4] << 8);
		i += 5;
		if (len > size - i)
			len = size - i;
		if (riad_block_read(b, sec, s, 1))
			abort();
		if (off < SS)
			memcpy(s + off, data + i, len < SS - off ? len : SS - off);
		if (riad_block_write(b, sec, s, 1))
			abort();
		i += len;
	}
	seal(b, n, h, mode);

	struct riad_kv *kv = riad_kv_store_open(b, false, &err);
	if (!kv) {
		if (err != -RIAD_EBADMSG && err != -RIAD_ENOSPC)
			abort();
	} else {
		walk(kv, "", 0);
		static const char big[3000];
		int r = riad_kv_set(kv, "fuzz/a", "x", 1);
		if (r == 0)
			r = riad_kv_set(kv, "fuzz/b", big, sizeof(big));
		(void)riad_kv_rename(kv, "fuzz", "moved");
		(void)riad_kv_remove(kv, "moved/a");
		(void)riad_kv_flush(kv);
		walk(kv, "", 0);
		riad_kv_close(kv);
		kv = riad_kv_store_open(b, false, &err);
		if (kv) {
			walk(kv, "", 0);
			riad_kv_close(kv);
		}
	}
	riad_block_close(b);
	return 0;
}
