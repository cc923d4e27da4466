/* fuzz/storage_tar.c: libFuzzer target for the tar KV store's indexing (storage/kv_tar.c): an archive on a memory block device.
 *
 * Input: the bytes of the device (rounded up to whole 512-byte sectors,
 * with at least 3 KiB of zeros after them so that appending has room).
 * Checks: opening never crashes, hangs or leaks; it fails only with
 * -RIAD_EBADMSG or -RIAD_ENOSPC; on an opened store every key listed at
 * the top two levels stats, every value reads back as many bytes as its
 * size says or is refused as past the device, and a value appended with
 * set and grown with set_partial is found again with the same bytes after
 * reopening.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/kv.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct riad_kv *kv;

static void check_value(const char *key)
{
	struct riad_kv_stat st;
	if (riad_kv_stat(kv, key, &st) < 0)
		abort();
	if (st.type != RIAD_KV_VALUE)
		return;
	static uint8_t buf[8192];
	size_t got = 0;
	int r = riad_kv_get(kv, key, 0, buf, sizeof(buf), &got);
	if (r == 0 && got != (st.size < sizeof(buf) ? st.size : sizeof(buf)))
		abort();
	if (r < 0 && r != -RIAD_EBADMSG)
		abort();
	if (st.size > 1) {
		r = riad_kv_get(kv, key, st.size - 1, buf, 10, &got);
		if (r == 0 && got != 1)
			abort();
	}
}

struct walk {
	char key[RIAD_KV_KEY_MAX + 1];
	int depth;
};

static int visit(void *arg, const char *name, enum riad_kv_type type)
{
	struct walk *w = arg;
	size_t kl0 = strlen(w->key), kl = kl0, nl = strlen(name);
	if (kl + 1 + nl > RIAD_KV_KEY_MAX)
		abort(); /* the store gave a key longer than a key */
	if (kl)
		w->key[kl++] = '/';
	memcpy(w->key + kl, name, nl + 1);
	if (type == RIAD_KV_VALUE)
		check_value(w->key);
	else if (w->depth < 2) {
		w->depth++;
		if (riad_kv_list(kv, w->key, visit, w) != 0)
			abort();
		w->depth--;
	}
	w->key[kl0] = '\0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1 << 20))
		return 0;
	uint64_t sectors = (size + 511) / 512 + 6;
	struct riad_block *dev = riad_block_mem_open(sectors, 512, NULL);
	if (!dev)
		abort();
	uint8_t *img = calloc(sectors, 512);
	memcpy(img, data, size);
	if (riad_block_write(dev, 0, img, sectors) < 0)
		abort();
	free(img);
	int err = 0;
	struct riad_kv_tar_stats st;
	kv = riad_kv_tar_open_stats(dev, true, &st, &err);
	if (!kv) {
		if (err != -RIAD_EBADMSG && err != -RIAD_ENOSPC)
			abort();
		riad_block_close(dev);
		return 0;
	}
	static struct walk w;
	memset(&w, 0, sizeof(w));
	if (riad_kv_list(kv, "", visit, &w) != 0)
		abort();
	uint8_t dg[RIAD_KV_DIGEST_LEN];
	(void)riad_kv_digest(kv, "a", dg);
	int r = riad_kv_set(kv, "fuzz/appended", "appended", 8);
	if (r == 0)
		r = riad_kv_set_partial(kv, "fuzz/appended", 9, "!", 1);
	riad_kv_close(kv);
	kv = riad_kv_tar_open(dev, false, &err);
	if (r == 0) {
		/* what was appended is read back after reopening */
		char buf[16];
		size_t got = 0;
		if (!kv || riad_kv_get(kv, "fuzz/appended", 0, buf, sizeof(buf), &got) < 0 ||
		    got != 10 || memcmp(buf, "appended\0!", 10) != 0)
			abort();
	}
	riad_kv_close(kv);
	kv = NULL;
	riad_block_close(dev);
	return 0;
}
