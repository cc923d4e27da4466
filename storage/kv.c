/* storage/kv.c: the functions of riad/kv.h common to every store: key checks and the wrappers over the ops table. */
#include <string.h>

#include <bearssl.h>

#include <riad/kv.h>

#include "runtime.h"

int riad_kv_key_normalise(const char *key, char out[RIAD_KV_KEY_MAX + 1])
{
	if (!key || !out)
		riad_panic("riad_kv_key_normalise: NULL argument");
	if (*key == '/')
		key++;
	size_t n = strlen(key);
	if (n > 0 && key[n - 1] == '/')
		n--;
	if (n > RIAD_KV_KEY_MAX)
		return -RIAD_ENAMETOOLONG;
	size_t seg = 0; /* start of the current segment */
	for (size_t i = 0; i <= n; i++) {
		if (i < n && key[i] != '/')
			continue;
		size_t len = i - seg;
		if (n > 0) {
			if (len == 0)
				return -RIAD_EINVAL;
			if (len > RIAD_KV_NAME_MAX)
				return -RIAD_ENAMETOOLONG;
			if ((len == 1 && key[seg] == '.') ||
			    (len == 2 && key[seg] == '.' && key[seg + 1] == '.'))
				return -RIAD_EINVAL;
		}
		seg = i + 1;
	}
	memcpy(out, key, n);
	out[n] = '\0';
	return 0;
}

#define NORMALISE(var, key)                                   \
	char var[RIAD_KV_KEY_MAX + 1];                        \
	do {                                                  \
		int r_ = riad_kv_key_normalise((key), var);   \
		if (r_ < 0)                                   \
			return r_;                            \
	} while (0)

static void check_kv(const struct riad_kv *kv, const char *what)
{
	if (!kv || !kv->ops)
		riad_panic("%s: NULL store", what);
}

int riad_kv_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st)
{
	check_kv(kv, "riad_kv_stat");
	if (!st)
		riad_panic("riad_kv_stat: NULL stat");
	NORMALISE(k, key);
	memset(st, 0, sizeof(*st));
	return kv->ops->stat(kv, k, st);
}

int riad_kv_exists(struct riad_kv *kv, const char *key)
{
	struct riad_kv_stat st;
	int r = riad_kv_stat(kv, key, &st);
	if (r == -RIAD_ENOENT)
		return 0;
	return r < 0 ? r : (int)st.type;
}

int riad_kv_size(struct riad_kv *kv, const char *key, uint64_t *size)
{
	struct riad_kv_stat st;
	int r = riad_kv_stat(kv, key, &st);
	if (r < 0)
		return r;
	if (st.type == RIAD_KV_DICT)
		return -RIAD_EISDIR;
	*size = st.size;
	return 0;
}

int riad_kv_last_modified(struct riad_kv *kv, const char *key, int64_t *mtime_ns)
{
	struct riad_kv_stat st;
	int r = riad_kv_stat(kv, key, &st);
	if (r < 0)
		return r;
	*mtime_ns = st.mtime_ns;
	return 0;
}

int riad_kv_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                size_t *got)
{
	check_kv(kv, "riad_kv_get");
	if ((!buf && len) || !got)
		riad_panic("riad_kv_get: NULL buffer");
	NORMALISE(k, key);
	*got = 0;
	return kv->ops->get(kv, k, off, buf, len, got);
}

int riad_kv_digest(struct riad_kv *kv, const char *key, uint8_t out[RIAD_KV_DIGEST_LEN])
{
	check_kv(kv, "riad_kv_digest");
	NORMALISE(k, key);
	if (kv->ops->digest)
		return kv->ops->digest(kv, k, out);
	struct riad_kv_stat st;
	int r = kv->ops->stat(kv, k, &st);
	if (r < 0)
		return r;
	if (st.type == RIAD_KV_DICT)
		return -RIAD_EISDIR;
	br_sha256_context c;
	br_sha256_init(&c);
	uint8_t buf[4096];
	uint64_t off = 0;
	for (;;) {
		size_t got = 0;
		r = kv->ops->get(kv, k, off, buf, sizeof(buf), &got);
		if (r < 0)
			return r;
		if (got == 0)
			break;
		br_sha256_update(&c, buf, got);
		off += got;
	}
	br_sha256_out(&c, out);
	return 0;
}

int riad_kv_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg)
{
	check_kv(kv, "riad_kv_list");
	if (!fn)
		riad_panic("riad_kv_list: NULL callback");
	NORMALISE(k, key);
	return kv->ops->list(kv, k, fn, arg);
}

int riad_kv_set(struct riad_kv *kv, const char *key, const void *data, size_t len)
{
	check_kv(kv, "riad_kv_set");
	if (!data && len)
		riad_panic("riad_kv_set: NULL data");
	NORMALISE(k, key);
	if (!kv->ops->set)
		return -RIAD_EROFS;
	if (!*k)
		return -RIAD_EISDIR;
	return kv->ops->set(kv, k, data, len);
}

int riad_kv_set_partial(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
                        size_t len)
{
	check_kv(kv, "riad_kv_set_partial");
	if (!data && len)
		riad_panic("riad_kv_set_partial: NULL data");
	NORMALISE(k, key);
	if (!kv->ops->set_partial)
		return -RIAD_EROFS;
	if (!*k)
		return -RIAD_EISDIR;
	return kv->ops->set_partial(kv, k, off, data, len);
}

int riad_kv_remove(struct riad_kv *kv, const char *key)
{
	check_kv(kv, "riad_kv_remove");
	NORMALISE(k, key);
	if (!kv->ops->remove)
		return -RIAD_EROFS;
	return kv->ops->remove(kv, k);
}

int riad_kv_rename(struct riad_kv *kv, const char *from, const char *to)
{
	check_kv(kv, "riad_kv_rename");
	NORMALISE(f, from);
	NORMALISE(t, to);
	if (!kv->ops->rename)
		return -RIAD_EROFS;
	if (!*f || !*t)
		return -RIAD_EINVAL;
	return kv->ops->rename(kv, f, t);
}

int riad_kv_flush(struct riad_kv *kv)
{
	check_kv(kv, "riad_kv_flush");
	return kv->ops->flush ? kv->ops->flush(kv) : 0;
}

void riad_kv_close(struct riad_kv *kv)
{
	if (kv)
		kv->ops->close(kv);
}
