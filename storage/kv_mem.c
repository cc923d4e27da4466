/* storage/kv_mem.c: riad_kv_mem_open(), a writable KV store in memory (riad/kv.h).
 *
 * The values live in one array sorted by key in path order: segment by
 * segment, so that '/' sorts before every other byte. In that order every
 * key below a dictionary "d" comes right after "d" and before any sibling
 * of "d", and the names directly below "d" come in byte order; dictionaries
 * are never stored, they are the ranges that share a prefix "d/".
 */
#include <stdlib.h>
#include <string.h>

#include <riad/clock.h>
#include <riad/kv.h>

#include "kv_path.h"

struct mem_ent {
	char *key;
	uint8_t *data;
	size_t len;
	int64_t mtime_ns;
};

struct kv_mem {
	struct riad_kv kv;
	struct mem_ent *ents;
	size_t n, cap;
	size_t bytes; /* charged against RIAD_KV_MEM_MAX_BYTES */
};

/* What one value costs against the limit. */
static size_t ent_cost(size_t keylen, size_t len)
{
	return sizeof(struct mem_ent) + keylen + 1 + len;
}

static int64_t now_ns(void)
{
	int64_t t = riad_clock_wall_ns();
	return t > 0 ? t : 0;
}

/* The first index whose key is not before key (n if none). */
static size_t lower_bound(const struct kv_mem *m, const char *key, size_t keylen)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = m->ents[mid].key;
		if (kv_path_cmp(k, strlen(k), key, keylen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the value key, or -1. */
static long find_value(const struct kv_mem *m, const char *key)
{
	size_t kl = strlen(key);
	size_t i = lower_bound(m, key, kl);
	if (i < m->n && strcmp(m->ents[i].key, key) == 0)
		return (long)i;
	return -1;
}

/* The range [*first, *end) of values below the dictionary key ("" is the
 * root: everything). */
static void below(const struct kv_mem *m, const char *key, size_t *first, size_t *end)
{
	size_t kl = strlen(key);
	if (kl == 0) {
		*first = 0;
		*end = m->n;
		return;
	}
	size_t i = lower_bound(m, key, kl);
	if (i < m->n && strcmp(m->ents[i].key, key) == 0)
		i++;
	*first = i;
	while (i < m->n && kv_path_is_below(m->ents[i].key, key, kl))
		i++;
	*end = i;
}

/* -RIAD_ENOTDIR if a proper ancestor of key is a value, else 0. */
static int check_ancestors(const struct kv_mem *m, const char *key)
{
	char buf[RIAD_KV_KEY_MAX + 1];
	size_t kl = strlen(key);
	memcpy(buf, key, kl + 1);
	for (size_t i = 0; i < kl; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		long v = find_value(m, buf);
		buf[i] = '/';
		if (v >= 0)
			return -RIAD_ENOTDIR;
	}
	return 0;
}

static int mem_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	long v = find_value(m, key);
	if (v >= 0) {
		st->type = RIAD_KV_VALUE;
		st->size = m->ents[v].len;
		st->mtime_ns = m->ents[v].mtime_ns;
		return 0;
	}
	size_t a, b;
	below(m, key, &a, &b);
	if (a == b && *key)
		return check_ancestors(m, key) < 0 ? -RIAD_ENOTDIR : -RIAD_ENOENT;
	st->type = RIAD_KV_DICT;
	st->size = 0;
	st->mtime_ns = 0;
	for (size_t i = a; i < b; i++) /* the newest change below it */
		if (m->ents[i].mtime_ns > st->mtime_ns)
			st->mtime_ns = m->ents[i].mtime_ns;
	return 0;
}

static int mem_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                   size_t *got)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	long v = find_value(m, key);
	if (v < 0) {
		struct riad_kv_stat st;
		int r = mem_stat(kv, key, &st);
		return r < 0 ? r : -RIAD_EISDIR;
	}
	const struct mem_ent *e = &m->ents[v];
	if (off >= e->len)
		return 0;
	size_t n = e->len - (size_t)off;
	if (n > len)
		n = len;
	memcpy(buf, e->data + off, n);
	*got = n;
	return 0;
}

static int mem_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	if (find_value(m, key) >= 0)
		return -RIAD_ENOTDIR;
	size_t a, b;
	below(m, key, &a, &b);
	if (a == b && *key)
		return check_ancestors(m, key) < 0 ? -RIAD_ENOTDIR : -RIAD_ENOENT;
	size_t kl = strlen(key);
	size_t skip = kl ? kl + 1 : 0;
	char name[RIAD_KV_NAME_MAX + 1];
	name[0] = '\0';
	bool have = false;
	for (size_t i = a; i < b; i++) {
		const char *rest = m->ents[i].key + skip;
		const char *slash = strchr(rest, '/');
		size_t nl = slash ? (size_t)(slash - rest) : strlen(rest);
		if (have && strlen(name) == nl && memcmp(name, rest, nl) == 0)
			continue; /* another key below the same dictionary */
		memcpy(name, rest, nl);
		name[nl] = '\0';
		have = true;
		int r = fn(arg, name, slash ? RIAD_KV_DICT : RIAD_KV_VALUE);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Make room for one more entry at index i. */
static int insert_at(struct kv_mem *m, size_t i)
{
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		if (nc > SIZE_MAX / sizeof(struct mem_ent))
			return -RIAD_ENOMEM;
		struct mem_ent *ne = realloc(m->ents, nc * sizeof(*ne));
		if (!ne)
			return -RIAD_ENOMEM;
		m->ents = ne;
		m->cap = nc;
	}
	memmove(&m->ents[i + 1], &m->ents[i], (m->n - i) * sizeof(*m->ents));
	m->n++;
	memset(&m->ents[i], 0, sizeof(m->ents[i]));
	return 0;
}

static void drop_range(struct kv_mem *m, size_t a, size_t b)
{
	if (a == b)
		return;
	for (size_t i = a; i < b; i++) {
		m->bytes -= ent_cost(strlen(m->ents[i].key), m->ents[i].len);
		free(m->ents[i].key);
		free(m->ents[i].data);
	}
	memmove(&m->ents[a], &m->ents[b], (m->n - b) * sizeof(*m->ents));
	m->n -= b - a;
}

/* The index of the value key, created empty if it does not exist; checks
 * that key is not a dictionary nor below a value, and that extra more bytes
 * of value stay within the limit (the caller charges them). */
static int value_for_write(struct kv_mem *m, const char *key, size_t extra, size_t *idx)
{
	size_t kl = strlen(key);
	size_t i = lower_bound(m, key, kl);
	bool exists = i < m->n && strcmp(m->ents[i].key, key) == 0;
	if (!exists) {
		if (i < m->n && kv_path_is_below(m->ents[i].key, key, kl))
			return -RIAD_EISDIR;
		int r = check_ancestors(m, key);
		if (r < 0)
			return r;
	}
	size_t cost = exists ? extra : ent_cost(kl, extra);
	if (cost > RIAD_KV_MEM_MAX_BYTES || m->bytes > RIAD_KV_MEM_MAX_BYTES - cost)
		return -RIAD_ENOSPC;
	if (!exists) {
		char *k = strdup(key);
		if (!k)
			return -RIAD_ENOMEM;
		int r = insert_at(m, i);
		if (r < 0) {
			free(k);
			return r;
		}
		m->ents[i].key = k;
		m->bytes += ent_cost(kl, 0);
	}
	*idx = i;
	return 0;
}

static int mem_set(struct riad_kv *kv, const char *key, const void *data, size_t len)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	uint8_t *copy = NULL;
	if (len) {
		if (len > RIAD_KV_MEM_MAX_BYTES)
			return -RIAD_ENOSPC;
		copy = malloc(len);
		if (!copy)
			return -RIAD_ENOMEM;
		memcpy(copy, data, len);
	}
	long old = find_value(m, key);
	size_t oldlen = old >= 0 ? m->ents[old].len : 0;
	size_t i;
	/* Charge only the growth: the old bytes are given back below. */
	int r = value_for_write(m, key, len > oldlen ? len - oldlen : 0, &i);
	if (r < 0) {
		free(copy);
		return r;
	}
	struct mem_ent *e = &m->ents[i];
	m->bytes = m->bytes - e->len + len;
	free(e->data);
	e->data = copy;
	e->len = len;
	e->mtime_ns = now_ns();
	return 0;
}

static int mem_set_partial(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
                           size_t len)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	if (off > RIAD_KV_MEM_MAX_BYTES || len > RIAD_KV_MEM_MAX_BYTES - off)
		return -RIAD_ENOSPC;
	size_t end = (size_t)off + len;
	long old = find_value(m, key);
	size_t oldlen = old >= 0 ? m->ents[old].len : 0;
	size_t i;
	int r = value_for_write(m, key, end > oldlen ? end - oldlen : 0, &i);
	if (r < 0)
		return r;
	struct mem_ent *e = &m->ents[i];
	if (end > e->len) {
		uint8_t *nd = realloc(e->data, end);
		if (!nd) {
			if (old < 0) /* created just now: take it out again */
				drop_range(m, i, i + 1);
			return -RIAD_ENOMEM;
		}
		memset(nd + e->len, 0, end - e->len);
		m->bytes += end - e->len;
		e->data = nd;
		e->len = end;
	}
	if (len)
		memcpy(e->data + off, data, len);
	e->mtime_ns = now_ns();
	return 0;
}

static int mem_remove(struct riad_kv *kv, const char *key)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	long v = find_value(m, key);
	if (v >= 0) {
		drop_range(m, (size_t)v, (size_t)v + 1);
		return 0;
	}
	size_t a, b;
	below(m, key, &a, &b);
	if (a == b)
		return *key ? (check_ancestors(m, key) < 0 ? -RIAD_ENOTDIR : -RIAD_ENOENT) : 0;
	drop_range(m, a, b);
	return 0;
}

static int cmp_ent(const void *x, const void *y)
{
	const struct mem_ent *a = x, *b = y;
	return kv_path_cmp(a->key, strlen(a->key), b->key, strlen(b->key));
}

static int mem_rename(struct riad_kv *kv, const char *from, const char *to)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	size_t fl = strlen(from), tl = strlen(to);
	if (strcmp(from, to) == 0) {
		struct riad_kv_stat st;
		return mem_stat(kv, from, &st);
	}
	if (kv_path_is_below(to, from, fl))
		return -RIAD_EINVAL; /* into itself */
	long fv = find_value(m, from);
	size_t a, b;
	if (fv >= 0) {
		a = (size_t)fv;
		b = a + 1;
	} else {
		below(m, from, &a, &b);
		if (a == b)
			return check_ancestors(m, from) < 0 ? -RIAD_ENOTDIR : -RIAD_ENOENT;
	}
	/* The target: a value there is replaced; a dictionary is refused. */
	size_t ta, tb;
	below(m, to, &ta, &tb);
	if (ta != tb)
		return -RIAD_EISDIR;
	int r = check_ancestors(m, to);
	if (r < 0)
		return r;
	long tv = find_value(m, to);
	/* Build every new key first, so that running out of memory or over the
	 * limit changes nothing. */
	size_t cnt = b - a;
	size_t grow = 0;
	char **nk = calloc(cnt, sizeof(*nk));
	if (!nk)
		return -RIAD_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		const char *rest = m->ents[a + i].key + fl;
		size_t rl = strlen(rest);
		if (tl + rl > RIAD_KV_KEY_MAX) {
			r = -RIAD_ENAMETOOLONG;
			goto fail;
		}
		nk[i] = malloc(tl + rl + 1);
		if (!nk[i]) {
			r = -RIAD_ENOMEM;
			goto fail;
		}
		memcpy(nk[i], to, tl);
		memcpy(nk[i] + tl, rest, rl + 1);
		if (tl > fl)
			grow += tl - fl;
	}
	size_t shrink = tv >= 0 ? ent_cost(tl, m->ents[tv].len) : 0;
	if (grow > shrink && m->bytes + (grow - shrink) > RIAD_KV_MEM_MAX_BYTES) {
		r = -RIAD_ENOSPC;
		goto fail;
	}
	for (size_t i = 0; i < cnt; i++) {
		struct mem_ent *e = &m->ents[a + i];
		m->bytes -= strlen(e->key);
		m->bytes += strlen(nk[i]);
		free(e->key);
		e->key = nk[i];
	}
	free(nk);
	if (tv >= 0) /* its index is outside [a, b): to is not below from */
		drop_range(m, (size_t)tv, (size_t)tv + 1);
	qsort(m->ents, m->n, sizeof(*m->ents), cmp_ent);
	return 0;
fail:
	for (size_t i = 0; i < cnt; i++)
		free(nk[i]);
	free(nk);
	return r;
}

static int mem_flush(struct riad_kv *kv)
{
	(void)kv;
	return 0;
}

static void mem_close(struct riad_kv *kv)
{
	struct kv_mem *m = (struct kv_mem *)kv;
	drop_range(m, 0, m->n);
	free(m->ents);
	free(m);
}

static const struct riad_kv_ops mem_ops = {
	.stat = mem_stat,
	.get = mem_get,
	.list = mem_list,
	.set = mem_set,
	.set_partial = mem_set_partial,
	.remove = mem_remove,
	.rename = mem_rename,
	.flush = mem_flush,
	.close = mem_close,
};

struct riad_kv *riad_kv_mem_open(int *err)
{
	struct kv_mem *m = calloc(1, sizeof(*m));
	if (!m) {
		if (err)
			*err = -RIAD_ENOMEM;
		return NULL;
	}
	m->kv.ops = &mem_ops;
	m->kv.kind = "mem";
	return &m->kv;
}
