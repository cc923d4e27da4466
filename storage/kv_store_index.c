/* storage/kv_store_index.c: the writable store's index in RAM: its keys in an order where a dictionary's keys are contiguous, and the key rules of riad/kv.h applied to sets, removes and renames (docs/storage-store.md, "Memory"). */
#include <stdlib.h>
#include <string.h>

#include <riad/kv.h>

#include "kv_store_index.h"

/* Keys compare as if '/' were the lowest byte, so that a dictionary's keys
 * are contiguous, right after its name, in the order of their names. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	for (size_t i = 0; i < n; i++) {
		unsigned x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x == '/')
			x = 0;
		if (y == '/')
			y = 0;
		if (x != y)
			return x < y ? -1 : 1;
	}
	return alen < blen ? -1 : alen > blen;
}

/* The first entry not below key. */
size_t kv_store_index_lower_bound(const struct kv_store_index *s, const char *key, size_t klen)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(s->e[mid].key, s->e[mid].klen, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct entry *kv_store_index_find(struct kv_store_index *s, const char *key, size_t klen)
{
	size_t i = kv_store_index_lower_bound(s, key, klen);
	if (i < s->n && s->e[i].klen == klen && memcmp(s->e[i].key, key, klen) == 0)
		return &s->e[i];
	return NULL;
}

/* The entries below the dictionary key ("" is the root): [*lo, *hi). */
void kv_store_index_dict_range(struct kv_store_index *s, const char *key, size_t klen,
                               size_t *lo, size_t *hi)
{
	if (klen == 0) {
		*lo = 0, *hi = s->n;
		return;
	}
	memcpy(s->scratch, key, klen);
	s->scratch[klen] = '/';
	*lo = kv_store_index_lower_bound(s, s->scratch, klen + 1);
	s->scratch[klen] = '\x01';
	*hi = kv_store_index_lower_bound(s, s->scratch, klen + 1);
}

bool kv_store_index_is_dict(struct kv_store_index *s, const char *key, size_t klen)
{
	size_t lo, hi;
	kv_store_index_dict_range(s, key, klen, &lo, &hi);
	return lo < hi;
}

/* Whether some dictionary above key is a value: -RIAD_ENOTDIR. */
static int check_parents(struct kv_store_index *s, const char *key, size_t klen)
{
	for (size_t i = 0; i < klen; i++)
		if (key[i] == '/' && kv_store_index_find(s, key, i))
			return -RIAD_ENOTDIR;
	return 0;
}

static int reserve(struct kv_store_index *s, size_t more_keys, size_t more_bytes)
{
	if (s->n + more_keys > RIAD_KV_STORE_KEYS ||
	    s->key_bytes + more_bytes > RIAD_KV_STORE_KEY_BYTES)
		return -RIAD_ENOSPC;
	if (s->n + more_keys > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		while (cap < s->n + more_keys)
			cap *= 2;
		if (cap > RIAD_KV_STORE_KEYS)
			cap = RIAD_KV_STORE_KEYS;
		struct entry *e = realloc(s->e, cap * sizeof(*e));
		if (!e)
			return -RIAD_ENOMEM;
		s->e = e, s->cap = cap;
	}
	return 0;
}

static void drop_range(struct kv_store_index *s, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++) {
		s->key_bytes -= s->e[i].klen + 1;
		free(s->e[i].key);
	}
	memmove(&s->e[lo], &s->e[hi], (s->n - hi) * sizeof(*s->e));
	s->n -= hi - lo;
}

/* Insert e (its key allocated by the caller, room reserved) in order. */
static void insert(struct kv_store_index *s, const struct entry *e)
{
	size_t i = kv_store_index_lower_bound(s, e->key, e->klen);
	memmove(&s->e[i + 1], &s->e[i], (s->n - i) * sizeof(*s->e));
	s->e[i] = *e;
	s->n++;
	s->key_bytes += e->klen + 1;
}

static char *key_dup(const char *key, size_t klen)
{
	char *k = malloc(klen + 1);
	if (k) {
		memcpy(k, key, klen);
		k[klen] = '\0';
	}
	return k;
}

/* The index side of a set, in two steps so that nothing can fail after the
 * record is in the log but the allocation of a new key: the checks and
 * the room in the array (kv_store_index_set_check), then the entry (_apply). */
int kv_store_index_set_check(struct kv_store_index *s, const char *key, size_t klen)
{
	if (klen == 0)
		return -RIAD_EISDIR;
	int r = check_parents(s, key, klen);
	if (r < 0)
		return r;
	if (kv_store_index_is_dict(s, key, klen))
		return -RIAD_EISDIR;
	if (!kv_store_index_find(s, key, klen))
		return reserve(s, 1, klen + 1);
	return 0;
}

int kv_store_index_set_apply(struct kv_store_index *s, const char *key, size_t klen, uint64_t vsec,
                         uint32_t voff, uint64_t size, int64_t mtime)
{
	struct entry *e = kv_store_index_find(s, key, klen);
	if (e) {
		e->vsec = vsec, e->voff = voff, e->size = size, e->mtime = mtime;
		return 0;
	}
	struct entry n = { .vsec = vsec, .voff = voff, .size = size, .mtime = mtime,
	                   .klen = (uint32_t)klen };
	n.key = key_dup(key, klen);
	if (!n.key)
		return -RIAD_ENOMEM;
	insert(s, &n);
	return 0;
}

int kv_store_index_remove(struct kv_store_index *s, const char *key, size_t klen, bool dry)
{
	struct entry *e = klen ? kv_store_index_find(s, key, klen) : NULL;
	size_t lo, hi;
	if (e) {
		lo = (size_t)(e - s->e), hi = lo + 1;
	} else {
		kv_store_index_dict_range(s, key, klen, &lo, &hi);
		if (lo == hi)
			return klen ? -RIAD_ENOENT : 0;
	}
	if (!dry)
		drop_range(s, lo, hi);
	return 0;
}

int kv_store_index_rename(struct kv_store_index *s, const char *from, size_t flen,
                          const char *to, size_t tlen, bool dry)
{
	if (flen == 0 || tlen == 0)
		return -RIAD_EINVAL;
	struct entry *fe = kv_store_index_find(s, from, flen);
	size_t lo, hi;
	if (fe) {
		lo = (size_t)(fe - s->e), hi = lo + 1;
	} else {
		kv_store_index_dict_range(s, from, flen, &lo, &hi);
		if (lo == hi)
			return -RIAD_ENOENT;
	}
	if (flen == tlen && memcmp(from, to, flen) == 0)
		return 0;
	if (tlen > flen && memcmp(to, from, flen) == 0 && to[flen] == '/')
		return -RIAD_EINVAL;
	int r = check_parents(s, to, tlen);
	if (r < 0)
		return r;
	struct entry *te = kv_store_index_find(s, to, tlen);
	if (fe) {
		if (kv_store_index_is_dict(s, to, tlen))
			return -RIAD_EISDIR;
	} else if (te || kv_store_index_is_dict(s, to, tlen)) {
		return -RIAD_EEXIST;
	}
	/* Key bytes after the move: each moved key changes by tlen - flen. */
	size_t count = hi - lo;
	size_t old_bytes = 0, new_bytes = 0;
	for (size_t i = lo; i < hi; i++) {
		old_bytes += s->e[i].klen + 1;
		new_bytes += s->e[i].klen - flen + tlen + 1;
		if (s->e[i].klen - flen + tlen > RIAD_KV_KEY_MAX)
			return -RIAD_ENAMETOOLONG;
	}
	size_t te_bytes = te ? te->klen + 1 : 0;
	if (s->key_bytes - old_bytes - te_bytes + new_bytes > RIAD_KV_STORE_KEY_BYTES)
		return -RIAD_ENOSPC;
	if (dry)
		return 0;
	struct entry *moved = malloc(count * sizeof(*moved));
	if (!moved)
		return -RIAD_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct entry *o = &s->e[lo + i];
		size_t nk = o->klen - flen + tlen;
		char *k = malloc(nk + 1);
		if (!k) {
			while (i--)
				free(moved[i].key);
			free(moved);
			return -RIAD_ENOMEM;
		}
		memcpy(k, to, tlen);
		memcpy(k + tlen, o->key + flen, o->klen - flen + 1);
		moved[i] = *o;
		moved[i].key = k;
		moved[i].klen = (uint32_t)nk;
	}
	drop_range(s, lo, hi);
	if (te) {
		size_t ti = kv_store_index_lower_bound(s, to, tlen);
		drop_range(s, ti, ti + 1);
	}
	/* The moved keys stay in order among themselves and nothing else is
	 * below to: they go in as one block. */
	size_t at = kv_store_index_lower_bound(s, moved[0].key, moved[0].klen);
	memmove(&s->e[at + count], &s->e[at], (s->n - at) * sizeof(*s->e));
	memcpy(&s->e[at], moved, count * sizeof(*moved));
	s->n += count;
	s->key_bytes += new_bytes;
	free(moved);
	return 0;
}

void kv_store_index_free(struct kv_store_index *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].key);
	free(s->e);
	free(s->scratch);
	s->e = NULL, s->n = s->cap = s->key_bytes = 0, s->scratch = NULL;
}
