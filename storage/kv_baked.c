/* storage/kv_baked.c: riad_kv_baked_open(), the read-only store of the files riad build baked into the image (storage/kv_baked_wire.h). */
#include <stdlib.h>
#include <string.h>

#include <riad/kv.h>

#include "kv_baked.h"
#include "kv_baked_wire.h"

struct baked {
	struct riad_kv kv;
	const unsigned char *img;
	struct riad_baked_header h;
};

static struct baked *to_baked(struct riad_kv *kv)
{
	return (struct baked *)kv;
}

/* Entries are read by copy: an image given to riad_kv_baked_open_image()
 * need not be aligned. */
static void entry_at(const struct baked *b, uint32_t i, struct riad_baked_entry *e)
{
	memcpy(e, b->img + b->h.entries_off + (uint64_t)i * sizeof(*e), sizeof(*e));
}

static const char *key_of(const struct baked *b, const struct riad_baked_entry *e)
{
	return (const char *)b->img + b->h.names_off + e->key_off;
}

/* The first entry whose key is not before key (count if none). */
static uint32_t lower_bound(const struct baked *b, const char *key, size_t len)
{
	uint32_t lo = 0, hi = b->h.count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct riad_baked_entry e;
		entry_at(b, mid, &e);
		if (riad_baked_key_cmp(key_of(b, &e), e.key_len, key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool is_below(const char *k, size_t klen, const char *dict, size_t dlen)
{
	return klen > dlen && k[dlen] == '/' && memcmp(k, dict, dlen) == 0;
}

/* Where key is: 1 with *e its entry (a value), 2 for a dictionary with
 * *first the index of the first key below it, or a negative error. */
static int locate(const struct baked *b, const char *key, struct riad_baked_entry *e,
                  uint32_t *first)
{
	size_t len = strlen(key);
	if (len == 0) {
		*first = 0;
		return RIAD_KV_DICT;
	}
	uint32_t i = lower_bound(b, key, len);
	if (i < b->h.count) {
		entry_at(b, i, e);
		const char *k = key_of(b, e);
		if (e->key_len == len && memcmp(k, key, len) == 0)
			return RIAD_KV_VALUE;
		if (is_below(k, e->key_len, key, len)) {
			*first = i;
			return RIAD_KV_DICT;
		}
	}
	/* Absent: -RIAD_ENOTDIR if a value is on the way. */
	for (size_t n = len; n-- > 0;) {
		if (key[n] != '/')
			continue;
		i = lower_bound(b, key, n);
		if (i < b->h.count) {
			entry_at(b, i, e);
			if (e->key_len == n && memcmp(key_of(b, e), key, n) == 0)
				return -RIAD_ENOTDIR;
		}
	}
	return -RIAD_ENOENT;
}

static int baked_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st)
{
	struct riad_baked_entry e;
	uint32_t first;
	int r = locate(to_baked(kv), key, &e, &first);
	if (r < 0)
		return r;
	st->type = (enum riad_kv_type)r;
	if (r == RIAD_KV_VALUE) {
		st->size = e.size;
		st->mtime_ns = e.mtime_ns;
	}
	return 0;
}

static int find_value(struct baked *b, const char *key, struct riad_baked_entry *e)
{
	uint32_t first;
	int r = locate(b, key, e, &first);
	if (r < 0)
		return r;
	return r == RIAD_KV_DICT ? -RIAD_EISDIR : 0;
}

static int baked_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                     size_t *got)
{
	struct baked *b = to_baked(kv);
	struct riad_baked_entry e;
	int r = find_value(b, key, &e);
	if (r < 0)
		return r;
	if (off >= e.size)
		return 0;
	uint64_t n = e.size - off;
	if (n > len)
		n = len;
	memcpy(buf, b->img + e.data_off + off, (size_t)n);
	*got = (size_t)n;
	return 0;
}

static int baked_digest(struct riad_kv *kv, const char *key, uint8_t out[RIAD_KV_DIGEST_LEN])
{
	struct riad_baked_entry e;
	int r = find_value(to_baked(kv), key, &e);
	if (r < 0)
		return r;
	memcpy(out, e.sha256, RIAD_KV_DIGEST_LEN);
	return 0;
}

static int baked_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg)
{
	struct baked *b = to_baked(kv);
	struct riad_baked_entry e;
	uint32_t i;
	int r = locate(b, key, &e, &i);
	if (r < 0)
		return r;
	if (r == RIAD_KV_VALUE)
		return -RIAD_ENOTDIR;
	size_t plen = strlen(key);
	size_t skip = plen ? plen + 1 : 0;
	char name[RIAD_KV_NAME_MAX + 1], last[RIAD_KV_NAME_MAX + 1] = "";
	for (; i < b->h.count; i++) {
		entry_at(b, i, &e);
		const char *k = key_of(b, &e);
		if (plen && !is_below(k, e.key_len, key, plen))
			break;
		const char *seg = k + skip;
		size_t rest = e.key_len - skip;
		const char *slash = memchr(seg, '/', rest);
		size_t n = slash ? (size_t)(slash - seg) : rest;
		memcpy(name, seg, n);
		name[n] = '\0';
		/* The keys below one dictionary are contiguous: list it once. */
		if (slash && strcmp(name, last) == 0)
			continue;
		memcpy(last, name, n + 1);
		r = fn(arg, name, slash ? RIAD_KV_DICT : RIAD_KV_VALUE);
		if (r != 0)
			return r;
	}
	return 0;
}

static void baked_close(struct riad_kv *kv)
{
	free(kv);
}

static const struct riad_kv_ops baked_ops = {
	.stat = baked_stat,
	.get = baked_get,
	.list = baked_list,
	.digest = baked_digest,
	.close = baked_close,
};

/* Whether [off, off + len) lies within [0, size), without overflow. */
static bool within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Whether the image is one riad build could have written: every offset in
 * bounds, every key valid, NUL-terminated and after the one before. */
static bool well_formed(const struct baked *b, size_t avail)
{
	const struct riad_baked_header *h = &b->h;
	if (memcmp(h->magic, RIAD_BAKED_MAGIC, sizeof(h->magic)) != 0 ||
	    h->version != RIAD_BAKED_VERSION || h->count > RIAD_KV_BAKED_FILES_MAX ||
	    h->image_size < sizeof(*h) || h->image_size > avail)
		return false;
	if (!within(h->entries_off, (uint64_t)h->count * sizeof(struct riad_baked_entry),
	            h->image_size) ||
	    !within(h->names_off, h->names_size, h->image_size) ||
	    !within(h->data_off, h->data_size, h->image_size))
		return false;
	const char *prev = NULL;
	size_t prev_len = 0;
	for (uint32_t i = 0; i < h->count; i++) {
		struct riad_baked_entry e;
		entry_at(b, i, &e);
		if (e.key_len == 0 || e.key_len > RIAD_KV_KEY_MAX ||
		    !within(e.key_off, (uint64_t)e.key_len + 1, h->names_size) ||
		    e.data_off < h->data_off || !within(e.data_off - h->data_off, e.size, h->data_size))
			return false;
		const char *k = key_of(b, &e);
		char norm[RIAD_KV_KEY_MAX + 1];
		if (k[e.key_len] != '\0' || strlen(k) != e.key_len ||
		    riad_kv_key_normalise(k, norm) != 0 || strcmp(norm, k) != 0)
			return false;
		if (prev && (riad_baked_key_cmp(prev, prev_len, k, e.key_len) >= 0 ||
		             is_below(k, e.key_len, prev, prev_len)))
			return false;
		prev = k;
		prev_len = e.key_len;
	}
	return true;
}

struct riad_kv *riad_kv_baked_open_image(const void *image, size_t image_size, int *err)
{
	int e = -RIAD_EBADMSG;
	struct baked *b = NULL;
	if (!image || image_size < sizeof(struct riad_baked_header))
		goto fail;
	e = -RIAD_ENOMEM;
	b = calloc(1, sizeof(*b));
	if (!b)
		goto fail;
	b->img = image;
	memcpy(&b->h, image, sizeof(b->h));
	e = -RIAD_EBADMSG;
	if (!well_formed(b, image_size))
		goto fail;
	b->kv.ops = &baked_ops;
	b->kv.kind = "baked";
	return &b->kv;
fail:
	free(b);
	if (err)
		*err = e;
	return NULL;
}

struct riad_kv *riad_kv_baked_open(int *err)
{
	return riad_kv_baked_open_image(riad_kv_baked_image, SIZE_MAX, err);
}
