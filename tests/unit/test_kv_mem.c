/* tests/unit/test_kv_mem.c: the memory KV store, key normalisation, and a random model-based test against a naive reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/kv.h>

#include "check.h"

static void test_normalise(void)
{
	char out[RIAD_KV_KEY_MAX + 1];
	CHECK_INT(riad_kv_key_normalise("/a/b/", out), 0);
	CHECK_STR(out, "a/b");
	CHECK_INT(riad_kv_key_normalise("", out), 0);
	CHECK_STR(out, "");
	CHECK_INT(riad_kv_key_normalise("/", out), 0);
	CHECK_STR(out, "");
	CHECK_INT(riad_kv_key_normalise("a..b/.c", out), 0);
	CHECK_STR(out, "a..b/.c");
	CHECK_INT(riad_kv_key_normalise("a//b", out), -RIAD_EINVAL);
	CHECK_INT(riad_kv_key_normalise("//", out), 0); /* one '/' stripped each side: the root */
	CHECK_STR(out, "");
	CHECK_INT(riad_kv_key_normalise("///", out), -RIAD_EINVAL);
	CHECK_INT(riad_kv_key_normalise("a/./b", out), -RIAD_EINVAL);
	CHECK_INT(riad_kv_key_normalise("a/..", out), -RIAD_EINVAL);
	CHECK_INT(riad_kv_key_normalise("..", out), -RIAD_EINVAL);
	CHECK_INT(riad_kv_key_normalise("a//", out), -RIAD_EINVAL);
	char seg[300];
	memset(seg, 'x', 256);
	seg[256] = '\0';
	CHECK_INT(riad_kv_key_normalise(seg, out), -RIAD_ENAMETOOLONG);
	seg[255] = '\0';
	CHECK_INT(riad_kv_key_normalise(seg, out), 0);
	static char big[RIAD_KV_KEY_MAX + 10];
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = (i % 10 == 9) ? '/' : 'k';
	big[RIAD_KV_KEY_MAX + 1] = '\0';
	CHECK_INT(riad_kv_key_normalise(big, out), -RIAD_ENAMETOOLONG);
	big[RIAD_KV_KEY_MAX] = '\0';
	big[RIAD_KV_KEY_MAX - 1] = 'k';
	CHECK_INT(riad_kv_key_normalise(big, out), 0);
}

struct names {
	char buf[8][32];
	int type[8];
	int n;
};

static int collect(void *arg, const char *name, enum riad_kv_type type)
{
	struct names *ns = arg;
	if (ns->n < 8) {
		snprintf(ns->buf[ns->n], sizeof(ns->buf[0]), "%s", name);
		ns->type[ns->n] = type;
	}
	ns->n++;
	return 0;
}

static int stop_at_two(void *arg, const char *name, enum riad_kv_type type)
{
	(void)name, (void)type;
	return ++*(int *)arg == 2 ? 42 : 0;
}

static void test_basic(void)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_mem_open(&err);
	REQUIRE(kv);
	CHECK_STR(kv->kind, "mem");
	CHECK_INT(riad_kv_exists(kv, "/"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "a"), 0);
	CHECK_INT(riad_kv_set(kv, "/d/e/f", "hello", 5), 0);
	CHECK_INT(riad_kv_set(kv, "d-x", "1", 1), 0);
	CHECK_INT(riad_kv_set(kv, "d/a", "", 0), 0);
	CHECK_INT(riad_kv_exists(kv, "d"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "d/e/"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "d/e/f"), RIAD_KV_VALUE);
	uint64_t size = 0;
	CHECK_INT(riad_kv_size(kv, "d/e/f", &size), 0);
	CHECK_INT(size, 5);
	CHECK_INT(riad_kv_size(kv, "d", &size), -RIAD_EISDIR);
	char buf[16];
	size_t got = 99;
	CHECK_INT(riad_kv_get(kv, "d/e/f", 1, buf, 3, &got), 0);
	CHECK_INT(got, 3);
	CHECK_MEM(buf, "ell", 3);
	CHECK_INT(riad_kv_get(kv, "d/e/f", 5, buf, 3, &got), 0);
	CHECK_INT(got, 0);
	CHECK_INT(riad_kv_get(kv, "d/e/f", 1ull << 40, buf, 3, &got), 0);
	CHECK_INT(got, 0);
	CHECK_INT(riad_kv_get(kv, "d", 0, buf, 3, &got), -RIAD_EISDIR);
	CHECK_INT(riad_kv_get(kv, "nope", 0, buf, 3, &got), -RIAD_ENOENT);
	CHECK_INT(riad_kv_get(kv, "d/e/f/g", 0, buf, 3, &got), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_set(kv, "d/e/f/g", "x", 1), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_set(kv, "d/e", "x", 1), -RIAD_EISDIR);
	CHECK_INT(riad_kv_set(kv, "/", "x", 1), -RIAD_EISDIR);
	CHECK_INT(riad_kv_set(kv, "a//b", "x", 1), -RIAD_EINVAL);

	struct names ns = { 0 };
	CHECK_INT(riad_kv_list(kv, "", collect, &ns), 0);
	CHECK_INT(ns.n, 2);
	CHECK_STR(ns.buf[0], "d");
	CHECK_INT(ns.type[0], RIAD_KV_DICT);
	CHECK_STR(ns.buf[1], "d-x");
	CHECK_INT(ns.type[1], RIAD_KV_VALUE);
	memset(&ns, 0, sizeof(ns));
	CHECK_INT(riad_kv_list(kv, "d", collect, &ns), 0);
	CHECK_INT(ns.n, 2);
	CHECK_STR(ns.buf[0], "a");
	CHECK_STR(ns.buf[1], "e");
	CHECK_INT(riad_kv_list(kv, "d-x", collect, &ns), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_list(kv, "zz", collect, &ns), -RIAD_ENOENT);
	int cnt = 0;
	CHECK_INT(riad_kv_list(kv, "", stop_at_two, &cnt), 42);

	uint8_t dg[RIAD_KV_DIGEST_LEN];
	static const uint8_t hello_sha[32] = {
		0x2c, 0xf2, 0x4d, 0xba, 0x5f, 0xb0, 0xa3, 0x0e, 0x26, 0xe8, 0x3b,
		0x2a, 0xc5, 0xb9, 0xe2, 0x9e, 0x1b, 0x16, 0x1e, 0x5c, 0x1f, 0xa7,
		0x42, 0x5e, 0x73, 0x04, 0x33, 0x62, 0x93, 0x8b, 0x98, 0x24,
	};
	CHECK_INT(riad_kv_digest(kv, "d/e/f", dg), 0);
	CHECK_MEM(dg, hello_sha, 32);
	CHECK_INT(riad_kv_digest(kv, "d", dg), -RIAD_EISDIR);

	/* partial set grows with zeros */
	CHECK_INT(riad_kv_set_partial(kv, "d/e/f", 7, "!!", 2), 0);
	CHECK_INT(riad_kv_get(kv, "d/e/f", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 9);
	CHECK_MEM(buf, "hello\0\0!!", 9);
	CHECK_INT(riad_kv_set_partial(kv, "new/p", 2, "z", 1), 0);
	CHECK_INT(riad_kv_get(kv, "new/p", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 3);
	CHECK_MEM(buf, "\0\0z", 3);
	CHECK_INT(riad_kv_set_partial(kv, "new/p", UINT64_MAX, "z", 1), -RIAD_ENOSPC);

	int64_t mt = 0;
	CHECK_INT(riad_kv_last_modified(kv, "d/e/f", &mt), 0);
	CHECK(mt > 0);
	CHECK_INT(riad_kv_last_modified(kv, "d", &mt), 0);
	CHECK(mt > 0);

	/* rename a dictionary, then a value over a value */
	CHECK_INT(riad_kv_rename(kv, "d", "d/x"), -RIAD_EINVAL);
	CHECK_INT(riad_kv_rename(kv, "d", "q/r"), 0);
	CHECK_INT(riad_kv_exists(kv, "d"), 0);
	CHECK_INT(riad_kv_exists(kv, "q/r/e/f"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_rename(kv, "d-x", "q/r/a"), 0);
	CHECK_INT(riad_kv_get(kv, "q/r/a", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 1);
	CHECK_INT(riad_kv_rename(kv, "new/p", "q/r"), -RIAD_EISDIR);
	CHECK_INT(riad_kv_rename(kv, "nope", "x"), -RIAD_ENOENT);
	CHECK_INT(riad_kv_rename(kv, "/", "x"), -RIAD_EINVAL);

	/* remove a dictionary recursively */
	CHECK_INT(riad_kv_remove(kv, "q"), 0);
	CHECK_INT(riad_kv_exists(kv, "q/r/e/f"), 0);
	CHECK_INT(riad_kv_remove(kv, "q"), -RIAD_ENOENT);
	CHECK_INT(riad_kv_exists(kv, "new/p"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_remove(kv, "/"), 0);
	CHECK_INT(riad_kv_exists(kv, "new"), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
}

static void test_limit(void)
{
	struct riad_kv *kv = riad_kv_mem_open(NULL);
	REQUIRE(kv);
	size_t chunk = RIAD_KV_MEM_MAX_BYTES / 4;
	uint8_t *big = calloc(1, chunk);
	REQUIRE(big);
	CHECK_INT(riad_kv_set(kv, "a", big, chunk), 0);
	CHECK_INT(riad_kv_set(kv, "b", big, chunk), 0);
	CHECK_INT(riad_kv_set(kv, "c", big, chunk), 0);
	CHECK_INT(riad_kv_set(kv, "d", big, chunk), -RIAD_ENOSPC);
	CHECK_INT(riad_kv_exists(kv, "d"), 0);
	CHECK_INT(riad_kv_set_partial(kv, "a", chunk, big, chunk), -RIAD_ENOSPC);
	CHECK_INT(riad_kv_set(kv, "a", big, chunk / 2), 0); /* shrinking gives back */
	CHECK_INT(riad_kv_set(kv, "d", big, chunk / 2), 0);
	CHECK_INT(riad_kv_remove(kv, "b"), 0);
	CHECK_INT(riad_kv_set(kv, "e", big, chunk), 0);
	free(big);
	riad_kv_close(kv);
}

/* ---- the model: a plain list of values, every answer by brute force ---- */

#define MODEL_MAX 64
struct model {
	char key[MODEL_MAX][128];
	char val[MODEL_MAX][24];
	size_t len[MODEL_MAX];
	int n;
};

static bool below(const char *k, const char *d)
{
	size_t dl = strlen(d);
	return dl == 0 ? *k != 0 : strncmp(k, d, dl) == 0 && k[dl] == '/';
}

static int m_find(const struct model *m, const char *k)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->key[i], k) == 0)
			return i;
	return -1;
}

static bool m_isdict(const struct model *m, const char *k)
{
	if (!*k)
		return true;
	for (int i = 0; i < m->n; i++)
		if (below(m->key[i], k))
			return true;
	return false;
}

static bool m_through_value(const struct model *m, const char *k)
{
	for (int i = 0; i < m->n; i++)
		if (below(k, m->key[i]))
			return true;
	return false;
}

static int m_missing(const struct model *m, const char *k)
{
	return m_through_value(m, k) ? -RIAD_ENOTDIR : -RIAD_ENOENT;
}

static int m_stat(const struct model *m, const char *k, int *type)
{
	if (m_find(m, k) >= 0)
		return *type = RIAD_KV_VALUE, 0;
	if (m_isdict(m, k))
		return *type = RIAD_KV_DICT, 0;
	return m_missing(m, k);
}

static void m_del(struct model *m, int i)
{
	m->n--;
	memmove(m->key[i], m->key[m->n], sizeof(m->key[0]));
	memmove(m->val[i], m->val[m->n], sizeof(m->val[0]));
	m->len[i] = m->len[m->n];
}

static int m_set(struct model *m, const char *k, size_t off, const char *d, size_t len, bool partial)
{
	int i = m_find(m, k);
	if (i < 0) {
		if (m_isdict(m, k))
			return -RIAD_EISDIR;
		if (m_through_value(m, k))
			return -RIAD_ENOTDIR;
		i = m->n++;
		snprintf(m->key[i], sizeof(m->key[i]), "%s", k);
		m->len[i] = 0;
		memset(m->val[i], 0, sizeof(m->val[i]));
	}
	if (!partial) {
		memset(m->val[i], 0, sizeof(m->val[i]));
		m->len[i] = 0;
	}
	memcpy(m->val[i] + off, d, len);
	if (off + len > m->len[i])
		m->len[i] = off + len;
	return 0;
}

static int m_remove(struct model *m, const char *k)
{
	int i = m_find(m, k);
	if (i >= 0) {
		m_del(m, i);
		return 0;
	}
	if (!m_isdict(m, k))
		return m_missing(m, k);
	for (int j = m->n - 1; j >= 0; j--)
		if (below(m->key[j], k))
			m_del(m, j);
	return 0;
}

static int m_rename(struct model *m, const char *f, const char *t)
{
	int type;
	if (strcmp(f, t) == 0)
		return m_stat(m, f, &type);
	if (below(t, f))
		return -RIAD_EINVAL;
	int r = m_stat(m, f, &type);
	if (r < 0)
		return r;
	if (m_find(m, t) < 0 && m_isdict(m, t))
		return -RIAD_EISDIR;
	if (m_through_value(m, t))
		return -RIAD_ENOTDIR;
	int tv = m_find(m, t);
	if (tv >= 0)
		m_del(m, tv);
	size_t fl = strlen(f);
	for (int i = 0; i < m->n; i++) {
		if (strcmp(m->key[i], f) == 0 || below(m->key[i], f)) {
			char nk[128];
			size_t tl = strlen(t), rl = strlen(m->key[i] + fl);
			memcpy(nk, t, tl);
			memcpy(nk + tl, m->key[i] + fl, rl + 1);
			memcpy(m->key[i], nk, tl + rl + 1);
		}
	}
	return 0;
}

static uint32_t rng = 12345;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static void rand_key(char *k)
{
	static const char *segs[] = { "a", "b", "a-", "c" };
	int depth = 1 + (int)rnd(3);
	k[0] = '\0';
	for (int i = 0; i < depth; i++) {
		if (i)
			strcat(k, "/");
		strcat(k, segs[rnd(4)]);
	}
}

struct ref_list {
	char names[MODEL_MAX][128];
	int types[MODEL_MAX];
	int n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int m_list(const struct model *m, const char *k, struct ref_list *out)
{
	if (m_find(m, k) >= 0)
		return -RIAD_ENOTDIR;
	if (!m_isdict(m, k))
		return m_missing(m, k);
	size_t skip = *k ? strlen(k) + 1 : 0;
	out->n = 0;
	for (int i = 0; i < m->n; i++) {
		if (!below(m->key[i], k))
			continue;
		char name[128];
		snprintf(name, sizeof(name), "%s", m->key[i] + skip);
		char *sl = strchr(name, '/');
		if (sl)
			*sl = '\0';
		bool dup = false;
		for (int j = 0; j < out->n; j++)
			dup |= strcmp(out->names[j], name) == 0;
		if (!dup)
			snprintf(out->names[out->n++], 128, "%s", name);
	}
	qsort(out->names, (size_t)out->n, sizeof(out->names[0]), cmp_str);
	for (int j = 0; j < out->n; j++) {
		char full[160];
		snprintf(full, sizeof(full), "%s%s%s", k, *k ? "/" : "", out->names[j]);
		out->types[j] = m_find(m, full) >= 0 ? RIAD_KV_VALUE : RIAD_KV_DICT;
	}
	return 0;
}

struct got_list {
	char names[MODEL_MAX][128];
	int types[MODEL_MAX];
	int n;
};

static int collect_all(void *arg, const char *name, enum riad_kv_type type)
{
	struct got_list *g = arg;
	if (g->n < MODEL_MAX) {
		snprintf(g->names[g->n], 128, "%s", name);
		g->types[g->n] = type;
	}
	g->n++;
	return 0;
}

static void test_model(void)
{
	struct riad_kv *kv = riad_kv_mem_open(NULL);
	REQUIRE(kv);
	static struct model m;
	memset(&m, 0, sizeof(m));
	int failures = 0;
	for (int step = 0; step < 20000 && failures < 5; step++) {
		char k[128], t[32];
		rand_key(k);
		rand_key(t);
		int op = (int)rnd(8);
		int want = 0, got = 0;
		char data[8];
		size_t len = rnd(6), off = rnd(8);
		for (size_t i = 0; i < len; i++)
			data[i] = (char)('A' + rnd(26));
		switch (op) {
		case 0:
		case 1:
			if (m.n >= MODEL_MAX - 1)
				continue;
			want = m_set(&m, k, 0, data, len, false);
			got = riad_kv_set(kv, k, data, len);
			break;
		case 2:
			if (m.n >= MODEL_MAX - 1)
				continue;
			want = m_set(&m, k, off, data, len, true);
			got = riad_kv_set_partial(kv, k, off, data, len);
			break;
		case 3:
			if (rnd(20) == 0)
				k[0] = '\0'; /* the root, now and then */
			want = m_remove(&m, k);
			got = riad_kv_remove(kv, k);
			break;
		case 4: {
			bool longkeys = false; /* keep every key within the model's buffers */
			for (int i = 0; i < m.n; i++)
				longkeys |= strlen(m.key[i]) > 60;
			if (longkeys)
				continue;
			want = m_rename(&m, k, t);
			got = riad_kv_rename(kv, k, t);
			break;
		}
		case 5: {
			int type = 0;
			want = m_stat(&m, k, &type);
			got = riad_kv_exists(kv, k);
			if (want == 0)
				want = type;
			if (want == -RIAD_ENOENT)
				want = 0;
			break;
		}
		case 6: {
			char buf[32];
			size_t n = 0;
			int i = m_find(&m, k);
			int type = 0;
			want = i >= 0 ? 0 : m_stat(&m, k, &type);
			if (want == 0 && i < 0)
				want = -RIAD_EISDIR;
			got = riad_kv_get(kv, k, off, buf, 5, &n);
			if (want == 0 && got == 0) {
				size_t exp = off >= m.len[i] ? 0 : m.len[i] - off;
				if (exp > 5)
					exp = 5;
				if (n != exp || memcmp(buf, m.val[i] + off, n) != 0) {
					check_fail(__FILE__, __LINE__, "get contents differ from the model");
					failures++;
				}
			}
			break;
		}
		case 7: {
			char d[128];
			snprintf(d, sizeof(d), "%s", k);
			char *sl = strrchr(d, '/');
			if (sl)
				*sl = '\0';
			else if (rnd(2))
				d[0] = '\0';
			static struct ref_list rl;
			static struct got_list gl;
			memset(&gl, 0, sizeof(gl));
			want = m_list(&m, d, &rl);
			got = riad_kv_list(kv, d, collect_all, &gl);
			if (want == 0 && got == 0) {
				bool same = gl.n == rl.n;
				for (int j = 0; same && j < rl.n; j++)
					same = strcmp(gl.names[j], rl.names[j]) == 0 &&
					       gl.types[j] == rl.types[j];
				if (!same) {
					check_fail(__FILE__, __LINE__, "list differs from the model");
					failures++;
				}
			}
			break;
		}
		}
		if (want != got) {
			char msg[160];
			snprintf(msg, sizeof(msg), "step %d op %d key %s to %s: store %d, model %d", step,
			         op, k, t, got, want);
			check_fail(__FILE__, __LINE__, msg);
			failures++;
		}
	}
	riad_kv_close(kv);
}

int main(void)
{
	RUN(test_normalise);
	RUN(test_basic);
	RUN(test_limit);
	RUN(test_model);
	return check_done();
}
