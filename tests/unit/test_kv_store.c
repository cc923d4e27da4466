/* tests/unit/test_kv_store.c: the writable store (storage/kv_store.c): basic operations and their errors, directories, partial gets and sets, compaction, a full store, a seeded model-based test with torn writes injected at random points (every flushed key checked after each reopen), and damaged images (flipped bits, truncated logs, garbage) rejected with a counted error. */
#include <stdio.h>
#include <stdlib.h>

#include <riad/block.h>
#include <riad/kv.h>

#include "../../storage/crc32c.h"
#include "check.h"

/* ---- helpers ---- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	return rng_state = x;
}
static uint64_t below(uint64_t n) { return rnd() % n; }

static struct riad_block *memdev(uint64_t sectors)
{
	int err = 0;
	struct riad_block *b = riad_block_mem_open(sectors, 512, &err);
	if (!b)
		abort();
	return b;
}

static struct riad_kv *open_store(struct riad_block *b, bool fmt)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_store_open(b, fmt, &err);
	if (!kv)
		printf("  riad_kv_store_open: %d: %s\n", err, fake_console_take());
	return kv;
}

static int get_str(struct riad_kv *kv, const char *key, char *buf, size_t cap)
{
	size_t got = 0;
	int r = riad_kv_get(kv, key, 0, buf, cap - 1, &got);
	buf[r == 0 ? got : 0] = '\0';
	return r;
}

struct names {
	char s[64][64];
	int t[64];
	int n;
};

static int collect(void *arg, const char *name, enum riad_kv_type type)
{
	struct names *n = arg;
	if (n->n < 64) {
		snprintf(n->s[n->n], sizeof(n->s[0]), "%s", name);
		n->t[n->n++] = type;
	}
	return 0;
}

/* ---- basic operations ---- */

static void test_crc32c(void)
{
	CHECK_INT(storage_crc32c(0, "123456789", 9), 0xe3069283u);
	CHECK_INT(storage_crc32c(storage_crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
}

static void test_basic(void)
{
	struct riad_block *b = memdev(2048);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	char buf[256];
	CHECK_INT(riad_kv_set(kv, "/hello", "world", 5), 0);
	CHECK_INT(get_str(kv, "hello", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "world");
	CHECK_INT(riad_kv_set(kv, "hello", "there!", 6), 0);
	CHECK_INT(get_str(kv, "hello", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "there!");
	uint64_t size = 0;
	CHECK_INT(riad_kv_size(kv, "hello", &size), 0);
	CHECK_INT(size, 6);
	CHECK_INT(riad_kv_exists(kv, "nope"), 0);
	CHECK_INT(get_str(kv, "nope", buf, sizeof(buf)), -RIAD_ENOENT);
	CHECK_INT(riad_kv_set(kv, "empty", "", 0), 0);
	CHECK_INT(riad_kv_size(kv, "empty", &size), 0);
	CHECK_INT(size, 0);
	/* partial get */
	size_t got = 0;
	CHECK_INT(riad_kv_get(kv, "hello", 2, buf, 3, &got), 0);
	CHECK_INT(got, 3);
	CHECK_MEM(buf, "ere", 3);
	CHECK_INT(riad_kv_get(kv, "hello", 6, buf, 3, &got), 0);
	CHECK_INT(got, 0);
	/* set_partial: inside, past the end (zeros), new key */
	CHECK_INT(riad_kv_set_partial(kv, "hello", 1, "EL", 2), 0);
	CHECK_INT(get_str(kv, "hello", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "tELre!");
	CHECK_INT(riad_kv_set_partial(kv, "hello", 8, "xy", 2), 0);
	CHECK_INT(riad_kv_get(kv, "hello", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 10);
	CHECK_MEM(buf, "tELre!\0\0xy", 10);
	CHECK_INT(riad_kv_set_partial(kv, "fresh", 3, "z", 1), 0);
	CHECK_INT(riad_kv_get(kv, "fresh", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 4);
	CHECK_MEM(buf, "\0\0\0z", 4);
	/* remove */
	CHECK_INT(riad_kv_remove(kv, "fresh"), 0);
	CHECK_INT(riad_kv_remove(kv, "fresh"), -RIAD_ENOENT);
	/* flushed survives a reopen; what follows the flush does not */
	CHECK_INT(riad_kv_flush(kv), 0);
	CHECK_INT(riad_kv_set(kv, "late", "x", 1), 0);
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_get(kv, "hello", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 10);
	CHECK_MEM(buf, "tELre!\0\0xy", 10);
	CHECK_INT(riad_kv_exists(kv, "empty"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_exists(kv, "late"), 0);
	CHECK_INT(riad_kv_exists(kv, "fresh"), 0);
	riad_kv_close(kv);
	riad_block_close(b);
}

static void test_dirs(void)
{
	struct riad_block *b = memdev(2048);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "a/b/c", "1", 1), 0);
	CHECK_INT(riad_kv_set(kv, "a/b-x", "2", 1), 0);
	CHECK_INT(riad_kv_set(kv, "a/b0", "3", 1), 0);
	CHECK_INT(riad_kv_set(kv, "a/a", "4", 1), 0);
	CHECK_INT(riad_kv_set(kv, "z", "5", 1), 0);
	CHECK_INT(riad_kv_exists(kv, "a"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "a/b"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "/"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_set(kv, "a/b", "x", 1), -RIAD_EISDIR);
	CHECK_INT(riad_kv_set(kv, "z/q", "x", 1), -RIAD_ENOTDIR);
	char buf[16];
	CHECK_INT(get_str(kv, "a", buf, sizeof(buf)), -RIAD_EISDIR);
	struct names n = { .n = 0 };
	CHECK_INT(riad_kv_list(kv, "a", collect, &n), 0);
	REQUIRE(n.n == 4);
	CHECK_STR(n.s[0], "a");
	CHECK_STR(n.s[1], "b");
	CHECK_INT(n.t[1], RIAD_KV_DICT);
	CHECK_STR(n.s[2], "b-x");
	CHECK_STR(n.s[3], "b0");
	CHECK_INT(n.t[3], RIAD_KV_VALUE);
	n.n = 0;
	CHECK_INT(riad_kv_list(kv, "", collect, &n), 0);
	CHECK_INT(n.n, 2);
	CHECK_INT(riad_kv_list(kv, "z", collect, &n), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_list(kv, "q", collect, &n), -RIAD_ENOENT);
	/* rename a value, a dictionary; refusals */
	CHECK_INT(riad_kv_rename(kv, "z", "y/z"), 0);
	CHECK_INT(riad_kv_exists(kv, "z"), 0);
	CHECK_INT(get_str(kv, "y/z", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "5");
	CHECK_INT(riad_kv_rename(kv, "a/b", "m"), 0);
	CHECK_INT(get_str(kv, "m/c", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "1");
	CHECK_INT(riad_kv_exists(kv, "a/b"), 0);
	CHECK_INT(riad_kv_rename(kv, "m", "m/n"), -RIAD_EINVAL);
	CHECK_INT(riad_kv_rename(kv, "m", "y"), -RIAD_EEXIST);
	CHECK_INT(riad_kv_rename(kv, "a/a", "y"), -RIAD_EISDIR);
	CHECK_INT(riad_kv_rename(kv, "a/a", "a/b0"), 0); /* replaces a value */
	CHECK_INT(get_str(kv, "a/b0", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "4");
	CHECK_INT(riad_kv_rename(kv, "nope", "x"), -RIAD_ENOENT);
	/* remove a dictionary */
	CHECK_INT(riad_kv_remove(kv, "a"), 0);
	CHECK_INT(riad_kv_exists(kv, "a/b-x"), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	n.n = 0;
	CHECK_INT(riad_kv_list(kv, "", collect, &n), 0);
	REQUIRE(n.n == 2);
	CHECK_STR(n.s[0], "m");
	CHECK_STR(n.s[1], "y");
	CHECK_INT(get_str(kv, "m/c", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "1");
	riad_kv_close(kv);
	riad_block_close(b);
}

/* Values spanning many sectors and the write buffer, read in odd pieces. */
static void test_big_values(void)
{
	struct riad_block *b = memdev(4096);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	size_t len = 100000;
	uint8_t *v = malloc(len), *w = malloc(len);
	REQUIRE(v && w);
	for (size_t i = 0; i < len; i++)
		v[i] = (uint8_t)(i * 7 + i / 511);
	CHECK_INT(riad_kv_set(kv, "big", v, len), 0);
	for (int pass = 0; pass < 2; pass++) {
		size_t got = 0;
		memset(w, 0, len);
		CHECK_INT(riad_kv_get(kv, "big", 0, w, len, &got), 0);
		CHECK_INT(got, len);
		CHECK_MEM(w, v, len);
		CHECK_INT(riad_kv_get(kv, "big", 12345, w, 777, &got), 0);
		CHECK_INT(got, 777);
		CHECK_MEM(w, v + 12345, 777);
		CHECK_INT(riad_kv_get(kv, "big", len - 10, w, 100, &got), 0);
		CHECK_INT(got, 10);
		CHECK_INT(riad_kv_flush(kv), 0);
		riad_kv_close(kv);
		kv = open_store(b, false);
		REQUIRE(kv);
	}
	/* a partial set in the middle of a big value */
	CHECK_INT(riad_kv_set_partial(kv, "big", 50000, "HELLO", 5), 0);
	memcpy(v + 50000, "HELLO", 5);
	size_t got = 0;
	CHECK_INT(riad_kv_get(kv, "big", 0, w, len, &got), 0);
	CHECK_MEM(w, v, len);
	uint8_t d[32];
	CHECK_INT(riad_kv_digest(kv, "big", d), 0);
	riad_kv_close(kv);
	free(v);
	free(w);
	riad_block_close(b);
}

/* Other sector sizes, up to the largest. */
static void test_sector_sizes(void)
{
	static const uint32_t sizes[] = { 1024, 4096, 65536 };
	size_t len = 300000;
	uint8_t *v = malloc(len), *w = malloc(len);
	REQUIRE(v && w);
	for (size_t i = 0; i < len; i++)
		v[i] = (uint8_t)(i * 13 + i / 1000);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		int err = 0;
		struct riad_block *b = riad_block_mem_open(sizes[k] == 65536 ? 40 : 2000, sizes[k], &err);
		REQUIRE(b);
		struct riad_kv *kv = open_store(b, true);
		REQUIRE(kv);
		for (int round = 0; round < 6; round++) {
			v[0] = (uint8_t)round;
			CHECK_INT(riad_kv_set(kv, "d/big", v, len), 0);
			CHECK_INT(riad_kv_set(kv, "d/small", "s", 1), 0);
			CHECK_INT(riad_kv_flush(kv), 0);
		}
		riad_kv_close(kv);
		kv = open_store(b, false);
		REQUIRE(kv);
		size_t got = 0;
		CHECK_INT(riad_kv_get(kv, "d/big", 0, w, len, &got), 0);
		CHECK_INT(got, len);
		CHECK_MEM(w, v, len);
		CHECK_INT(riad_kv_get(kv, "d/big", 99999, w, 3, &got), 0);
		CHECK_MEM(w, v + 99999, 3);
		riad_kv_close(kv);
		riad_block_close(b);
	}
	free(v);
	free(w);
}

/* Overwriting keys many times on a small device compacts, keeps the latest
 * values, and refuses what cannot fit. */
static void test_compaction_and_full(void)
{
	struct riad_block *b = memdev(200); /* halves of 99 sectors */
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	struct riad_kv_store_stats st0, st1;
	riad_kv_store_stats(&st0);
	char key[32], val[600], buf[700];
	for (int i = 0; i < 400; i++) {
		snprintf(key, sizeof(key), "k%d", i % 5);
		memset(val, 'a' + i % 26, sizeof(val));
		snprintf(val, sizeof(val), "%d", i);
		val[strlen(val)] = '.';
		REQUIRE(riad_kv_set(kv, key, val, sizeof(val)) == 0);
		if (i % 7 == 0)
			REQUIRE(riad_kv_flush(kv) == 0);
	}
	riad_kv_store_stats(&st1);
	CHECK(st1.compactions > st0.compactions);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	for (int k = 0; k < 5; k++) {
		int i = 395 + k;
		snprintf(key, sizeof(key), "k%d", i % 5);
		size_t got = 0;
		CHECK_INT(riad_kv_get(kv, key, 0, buf, sizeof(buf), &got), 0);
		CHECK_INT(got, sizeof(val));
		CHECK_INT(atoi(buf), i);
	}
	/* fill it: about 99 * 488 bytes per half */
	int r = 0, i;
	static char big[4000];
	for (i = 0; i < 100 && r == 0; i++) {
		snprintf(key, sizeof(key), "fill%d", i);
		r = riad_kv_set(kv, key, big, sizeof(big));
	}
	CHECK_INT(r, -RIAD_ENOSPC);
	CHECK(i > 5);
	/* Fill the last bytes with keys of 200-byte names; then a remove of a
	 * key with a 240-byte name cannot fit. */
	static char victim[241], lkey[240];
	memset(victim, 'v', 240);
	CHECK_INT(riad_kv_remove(kv, "fill1"), 0);
	CHECK_INT(riad_kv_set(kv, victim, "v", 1), 0);
	memset(lkey, 'f', 200);
	int nl = 0;
	for (size_t len = 2048;; len /= 2) {
		for (;;) {
			snprintf(lkey + 200, 20, "%d", nl);
			if (riad_kv_set(kv, lkey, big, len) < 0)
				break;
			nl++;
		}
		if (len == 0)
			break;
	}
	CHECK(nl > 3);
	riad_kv_store_stats(&st0);
	CHECK_INT(riad_kv_remove(kv, victim), 0);
	riad_kv_store_stats(&st1);
	CHECK_INT(st1.compactions, st0.compactions + 1);
	CHECK_INT(riad_kv_exists(kv, victim), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, victim), 0);
	snprintf(lkey + 200, 20, "%d", nl - 1);
	CHECK_INT(riad_kv_exists(kv, lkey), RIAD_KV_VALUE);
	for (int k = 0; k < nl; k++) {
		snprintf(lkey + 200, 20, "%d", k);
		CHECK_INT(riad_kv_remove(kv, lkey), 0);
	}
	CHECK_INT(riad_kv_set(kv, "huge", big, sizeof(big) * 20), -RIAD_ENOSPC);
	/* removing makes room again */
	CHECK_INT(riad_kv_remove(kv, "fill0"), 0);
	CHECK_INT(riad_kv_remove(kv, "fill2"), 0);
	CHECK_INT(riad_kv_set(kv, "again", big, sizeof(big)), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "again"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_exists(kv, "fill0"), 0);
	CHECK_INT(riad_kv_exists(kv, "fill3"), RIAD_KV_VALUE);
	riad_kv_close(kv);
	/* too small a device */
	struct riad_block *tiny = memdev(17);
	int err = 0;
	CHECK(!riad_kv_store_open(tiny, true, &err));
	CHECK_INT(err, -RIAD_EINVAL);
	riad_block_close(tiny);
	riad_block_close(b);
}

/* Small keys each flushed on their own leave most of a sector unused;
 * compaction packs them, so far more keys fit than sectors. */
static void test_small_flushes(void)
{
	struct riad_block *b = memdev(200);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	char key[32];
	for (int i = 0; i < 600; i++) {
		snprintf(key, sizeof(key), "d%d/key%d", i % 7, i);
		REQUIRE(riad_kv_set(kv, key, key, strlen(key)) == 0);
		REQUIRE(riad_kv_flush(kv) == 0);
	}
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	char buf[32];
	for (int i = 0; i < 600; i += 37) {
		snprintf(key, sizeof(key), "d%d/key%d", i % 7, i);
		CHECK_INT(get_str(kv, key, buf, sizeof(buf)), 0);
		CHECK_STR(buf, key);
	}
	riad_kv_close(kv);
	riad_block_close(b);
}

/* RIAD_KV_STORE_KEYS keys fit; one more is -RIAD_ENOSPC; they all come
 * back after a reopen. */
static void test_key_limit(void)
{
	struct riad_block *b = memdev(32768);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	char key[32];
	int r = 0;
	for (int i = 0; i < RIAD_KV_STORE_KEYS && r == 0; i++) {
		snprintf(key, sizeof(key), "d%02d/k%06d", i / 4096, i);
		r = riad_kv_set(kv, key, "", 0);
	}
	CHECK_INT(r, 0);
	CHECK_INT(riad_kv_set(kv, "one/more", "", 0), -RIAD_ENOSPC);
	CHECK_INT(riad_kv_set(kv, "d00/k000000", "x", 1), 0); /* replacing is fine */
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_store(b, false);
	REQUIRE(kv);
	snprintf(key, sizeof(key), "d%02d/k%06d", (RIAD_KV_STORE_KEYS - 1) / 4096,
	         RIAD_KV_STORE_KEYS - 1);
	CHECK_INT(riad_kv_exists(kv, key), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_remove(kv, "d00"), 0);
	CHECK_INT(riad_kv_set(kv, "one/more", "", 0), 0);
	riad_kv_close(kv);
	riad_block_close(b);
}

/* A read-only device gives a read-only store. */
static void test_read_only(void)
{
	struct riad_block *b = memdev(256);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "a", "1", 1), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	b->read_only = true; /* as riad_block_file_open(path, true) would */
	kv = open_store(b, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "a"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_set(kv, "b", "1", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	int err = 0;
	CHECK(!riad_kv_store_open(b, true, &err));
	CHECK_INT(err, -RIAD_EROFS);
	b->read_only = false;
	riad_block_close(b);
}

/* ---- the model ---- */

struct mkey {
	char *key;
	uint8_t *val;
	size_t len;
};

struct model {
	struct mkey *k;
	size_t n;
};

static void model_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->k[i].key), free(m->k[i].val);
	free(m->k);
	m->k = NULL, m->n = 0;
}

static struct model model_copy(const struct model *m)
{
	struct model c = { calloc(m->n + 1, sizeof(struct mkey)), m->n };
	for (size_t i = 0; i < m->n; i++) {
		c.k[i].key = strdup(m->k[i].key);
		c.k[i].len = m->k[i].len;
		c.k[i].val = malloc(m->k[i].len + 1);
		memcpy(c.k[i].val, m->k[i].val, m->k[i].len);
	}
	return c;
}

static struct mkey *model_find(struct model *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->k[i].key, key) == 0)
			return &m->k[i];
	return NULL;
}

static bool under(const char *key, const char *dir)
{
	size_t d = strlen(dir);
	return strncmp(key, dir, d) == 0 && key[d] == '/';
}

static bool model_is_dict(struct model *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (under(m->k[i].key, key))
			return true;
	return false;
}

static bool model_parent_value(struct model *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (under(key, m->k[i].key))
			return true;
	return false;
}

static void model_del(struct model *m, size_t i)
{
	free(m->k[i].key), free(m->k[i].val);
	m->k[i] = m->k[--m->n];
}

static int model_set(struct model *m, const char *key, const uint8_t *v, size_t len)
{
	if (model_parent_value(m, key))
		return -RIAD_ENOTDIR;
	if (model_is_dict(m, key))
		return -RIAD_EISDIR;
	struct mkey *e = model_find(m, key);
	if (!e) {
		m->k = realloc(m->k, (m->n + 1) * sizeof(*m->k));
		e = &m->k[m->n++];
		e->key = strdup(key);
		e->val = NULL;
	}
	free(e->val);
	e->val = malloc(len + 1);
	memcpy(e->val, v, len);
	e->len = len;
	return 0;
}

static int model_set_partial(struct model *m, const char *key, size_t off, const uint8_t *v,
                             size_t len)
{
	if (model_parent_value(m, key))
		return -RIAD_ENOTDIR;
	if (model_is_dict(m, key))
		return -RIAD_EISDIR;
	struct mkey *e = model_find(m, key);
	size_t old = e ? e->len : 0, size = off + len > old ? off + len : old;
	uint8_t *nv = calloc(1, size + 1);
	if (e)
		memcpy(nv, e->val, old);
	memcpy(nv + off, v, len);
	int r = model_set(m, key, nv, size);
	free(nv);
	return r;
}

static int model_remove(struct model *m, const char *key)
{
	int found = 0;
	for (size_t i = 0; i < m->n;)
		if (strcmp(m->k[i].key, key) == 0 || under(m->k[i].key, key)) {
			model_del(m, i);
			found = 1;
		} else {
			i++;
		}
	return found ? 0 : -RIAD_ENOENT;
}

static int model_rename(struct model *m, const char *from, const char *to)
{
	struct mkey *f = model_find(m, from);
	bool fdict = model_is_dict(m, from);
	if (!f && !fdict)
		return -RIAD_ENOENT;
	if (strcmp(from, to) == 0)
		return 0;
	if (under(to, from))
		return -RIAD_EINVAL;
	if (model_parent_value(m, to))
		return -RIAD_ENOTDIR;
	struct mkey *t = model_find(m, to);
	if (f) {
		if (model_is_dict(m, to))
			return -RIAD_EISDIR;
		if (t)
			model_del(m, (size_t)(t - m->k));
		f = model_find(m, from);
		free(f->key);
		f->key = strdup(to);
		return 0;
	}
	if (t || model_is_dict(m, to))
		return -RIAD_EEXIST;
	size_t fl = strlen(from);
	for (size_t i = 0; i < m->n; i++)
		if (under(m->k[i].key, from)) {
			char *nk = malloc(strlen(to) + strlen(m->k[i].key) - fl + 1);
			strcpy(nk, to);
			strcat(nk, m->k[i].key + fl);
			free(m->k[i].key);
			m->k[i].key = nk;
		}
	return 0;
}

/* Read the whole store into a model (NULL on any error). */
static int walk(struct riad_kv *kv, const char *dir, struct model *out)
{
	struct names *n = calloc(1, sizeof(*n));
	int r = riad_kv_list(kv, dir, collect, n);
	for (int i = 0; r == 0 && i < n->n; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", n->s[i]);
		if (n->t[i] == RIAD_KV_DICT) {
			r = walk(kv, path, out);
			continue;
		}
		uint64_t size = 0;
		r = riad_kv_size(kv, path, &size);
		if (r < 0)
			break;
		uint8_t *v = malloc(size + 1);
		size_t got = 0;
		r = riad_kv_get(kv, path, 0, v, size, &got);
		if (r == 0 && got != size)
			r = -1;
		if (r == 0)
			r = model_set(out, path, v, size);
		free(v);
	}
	free(n);
	return r;
}

static bool model_equal(struct model *a, struct model *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		struct mkey *e = model_find(b, a->k[i].key);
		if (!e || e->len != a->k[i].len || memcmp(e->val, a->k[i].val, e->len) != 0)
			return false;
	}
	return true;
}

/* A crash that tears a write in any order (riad/block.h allows a torn
 * multi-sector write to keep any of its sectors): the at-th write keeps a
 * random subset of its sectors, then nothing is written any more. */
struct scramble {
	struct riad_block b;
	struct riad_block *inner;
	uint64_t writes, at, bits;
	bool crashed;
};

static int scr_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	return riad_block_read(((struct scramble *)b)->inner, sector, buf, count);
}

static int scr_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct scramble *w = (struct scramble *)b;
	if (w->crashed)
		return -RIAD_EIO;
	if (++w->writes != w->at)
		return riad_block_write(w->inner, sector, buf, count);
	for (uint64_t i = 0; i < count; i++)
		if ((w->bits >> (i % 64)) & 1)
			riad_block_write(w->inner, sector + i, (const uint8_t *)buf + i * b->sector_size, 1);
	w->crashed = true;
	return -RIAD_EIO;
}

static int scr_flush(struct riad_block *b)
{
	struct scramble *w = (struct scramble *)b;
	return w->crashed ? -RIAD_EIO : riad_block_flush(w->inner);
}

static void scr_close(struct riad_block *b)
{
	free(b);
}

static const struct riad_block_ops scramble_ops = {
	.read = scr_read, .write = scr_write, .flush = scr_flush, .close = scr_close,
};

static struct riad_block *scramble_wrap(struct riad_block *inner, uint64_t at, uint64_t bits)
{
	struct scramble *w = calloc(1, sizeof(*w));
	riad_block_init(&w->b, &scramble_ops, "scramble", riad_block_sectors(inner),
	                riad_block_sector_size(inner), false);
	w->inner = inner, w->at = at, w->bits = bits;
	return &w->b;
}

static const char *names[] = { "a", "b", "c", "dd" };

static void random_key(char *key, size_t cap)
{
	int depth = 1 + (int)below(3);
	key[0] = '\0';
	for (int i = 0; i < depth; i++) {
		size_t l = strlen(key);
		snprintf(key + l, cap - l, "%s%s", i ? "/" : "", names[below(4)]);
	}
}

static size_t random_len(void)
{
	uint64_t c = below(100);
	if (c < 10)
		return 0;
	if (c < 80)
		return (size_t)below(700);
	if (c < 97)
		return (size_t)below(5000);
	return (size_t)below(20000);
}

/* A batch torn in any order over leftovers of an earlier torn batch: the
 * first sector of the new batch missing and an old one there instead, the
 * rest and the COMMIT written. The batch CRC in the COMMIT sector refuses
 * the mix; the store opens as it was. */
static void test_torn_over_leftovers(void)
{
	struct riad_block *b = memdev(400);
	struct riad_kv *kv = open_store(b, true);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "base", "1", 1), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	char v[1200];
	/* Lifetime 1: a 3-sector batch; only its first two sectors land. */
	memset(v, 'o', sizeof(v));
	struct riad_block *w = scramble_wrap(b, 2, 0x3); /* write 1: the superblock */
	kv = open_store(w, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "old", v, sizeof(v)), 0);
	CHECK_INT(riad_kv_flush(kv), -RIAD_EIO);
	riad_kv_close(kv);
	riad_block_close(w);
	/* Lifetime 2: the same place; all but its first sector land. */
	memset(v, 'n', sizeof(v));
	w = scramble_wrap(b, 2, 0x6);
	kv = open_store(w, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "new", v, sizeof(v)), 0);
	CHECK_INT(riad_kv_flush(kv), -RIAD_EIO);
	riad_kv_close(kv);
	riad_block_close(w);
	kv = open_store(b, false);
	REQUIRE(kv);
	struct model now = { 0 };
	CHECK_INT(walk(kv, "", &now), 0);
	CHECK_INT(now.n, 1);
	CHECK(model_find(&now, "base") != NULL);
	model_free(&now);
	riad_kv_close(kv);
	riad_block_close(b);
}

/* Seeded: random sets, removes, renames and flushes against the model, with
 * a torn write (then nothing more written: a crash) at a random write.
 * After each crash the store is opened again on the device below and must
 * equal the model as of the last acknowledged flush or of a later
 * operation (a batch commits whole or not at all; a compaction commits the
 * batch so far); every flushed key must be there. */
static void model_run(uint64_t seed, int steps, uint64_t dev_sectors, bool scrambled,
                      int *crashes_out)
{
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	struct riad_block *inner = memdev(dev_sectors);
	struct riad_kv *kv = open_store(inner, true);
	REQUIRE(kv);
	riad_kv_close(kv);
	struct model cur = { 0 }, acked = { 0 };
	struct model *snaps = NULL;
	size_t nsnaps = 0;
	int crashes = 0;
	uint8_t *val = malloc(20000);
	char key[64], key2[64];
	struct riad_block *fw = NULL;
	kv = NULL;
	for (int step = 0; step < steps; step++) {
		if (!kv) {
			if (scrambled) {
				fw = scramble_wrap(inner, 1 + below(12), rnd());
			} else {
				struct riad_block_faults f = { 0 };
				f.torn_write = 1 + below(12);
				f.torn_sectors = below(40);
				int err = 0;
				fw = riad_block_fault_wrap(inner, &f, &err);
				REQUIRE(fw);
			}
			kv = open_store(fw, false);
			REQUIRE(kv);
		}
		uint64_t op = below(100);
		int r, want;
		if (op < 55) {
			random_key(key, sizeof(key));
			size_t len = random_len();
			for (size_t i = 0; i < len; i++)
				val[i] = (uint8_t)rnd();
			r = riad_kv_set(kv, key, val, len);
			want = r == -RIAD_EIO ? -RIAD_EIO : model_set(&cur, key, val, len);
		} else if (op < 60) {
			random_key(key, sizeof(key));
			size_t len = (size_t)below(600), off = (size_t)below(2000);
			for (size_t i = 0; i < len; i++)
				val[i] = (uint8_t)rnd();
			r = riad_kv_set_partial(kv, key, off, val, len);
			want = r == -RIAD_EIO ? -RIAD_EIO : model_set_partial(&cur, key, off, val, len);
		} else if (op < 65) {
			random_key(key, sizeof(key));
			r = riad_kv_remove(kv, key);
			want = r == -RIAD_EIO ? -RIAD_EIO : model_remove(&cur, key);
		} else if (op < 75) {
			random_key(key, sizeof(key));
			random_key(key2, sizeof(key2));
			r = riad_kv_rename(kv, key, key2);
			want = r == -RIAD_EIO ? -RIAD_EIO : model_rename(&cur, key, key2);
		} else if (op < 95) {
			r = riad_kv_flush(kv);
			want = r == -RIAD_EIO ? -RIAD_EIO : 0;
			if (r == 0) {
				model_free(&acked);
				acked = model_copy(&cur);
				for (size_t i = 0; i < nsnaps; i++)
					model_free(&snaps[i]);
				nsnaps = 0;
			}
		} else {
			struct model now = { 0 };
			r = walk(kv, "", &now);
			want = r == -RIAD_EIO ? -RIAD_EIO : 0;
			if (r == 0 && !model_equal(&now, &cur)) {
				printf("  seed %llu step %d: the store differs from the model\n",
				       (unsigned long long)seed, step);
				check_failures_in_test++;
			}
			model_free(&now);
		}
		if (r != want) {
			printf("  seed %llu step %d op %llu key %s: %d, model says %d\n",
			       (unsigned long long)seed, step, (unsigned long long)op, key, r, want);
			check_failures_in_test++;
			break;
		}
		if (r != -RIAD_EIO) {
			snaps = realloc(snaps, (nsnaps + 1) * sizeof(*snaps));
			snaps[nsnaps++] = model_copy(&cur);
			continue;
		}
		/* The crash: reopen on the device below. */
		crashes++;
		riad_kv_close(kv);
		riad_block_close(fw);
		kv = open_store(inner, false);
		if (!kv) {
			printf("  seed %llu step %d: the store does not open after a crash\n",
			       (unsigned long long)seed, step);
			check_failures_in_test++;
			break;
		}
		struct model now = { 0 };
		r = walk(kv, "", &now);
		riad_kv_close(kv);
		kv = NULL;
		bool ok = r == 0 && model_equal(&now, &acked);
		for (size_t i = 0; !ok && r == 0 && i < nsnaps; i++)
			ok = model_equal(&now, &snaps[i]);
		if (!ok) {
			printf("  seed %llu step %d: after the crash the store is neither the "
			       "flushed state nor a later one (walk %d, %zu keys, flushed %zu)\n",
			       (unsigned long long)seed, step, r, now.n, acked.n);
			check_failures_in_test++;
			model_free(&now);
			break;
		}
		model_free(&cur);
		cur = now;
		model_free(&acked);
		acked = model_copy(&cur);
		for (size_t i = 0; i < nsnaps; i++)
			model_free(&snaps[i]);
		nsnaps = 0;
	}
	if (kv) {
		riad_kv_close(kv);
		riad_block_close(fw);
	}
	for (size_t i = 0; i < nsnaps; i++)
		model_free(&snaps[i]);
	free(snaps);
	model_free(&cur);
	model_free(&acked);
	free(val);
	riad_block_close(inner);
	*crashes_out += crashes;
}

static void test_model_crashes(void)
{
	int crashes = 0;
	struct riad_kv_store_stats st0, st1;
	riad_kv_store_stats(&st0);
	const char *env = getenv("RIAD_TEST_SEED");
	uint64_t first = env ? strtoull(env, NULL, 0) : 1;
	for (uint64_t seed = first; seed < first + 8; seed++)
		model_run(seed, 1500, seed % 2 ? 300 : 1200, false, &crashes);
	riad_kv_store_stats(&st1);
	printf("  prefix tears: %d crashes in 12000 steps, %llu compactions, %llu torn tails ignored\n", crashes,
	       (unsigned long long)(st1.compactions - st0.compactions),
	       (unsigned long long)(st1.torn_tails - st0.torn_tails));
	CHECK(crashes >= 200);
	CHECK(st1.compactions > st0.compactions);
	crashes = 0;
	riad_kv_store_stats(&st0);
	for (uint64_t seed = first + 100; seed < first + 108; seed++)
		model_run(seed, 1500, seed % 2 ? 300 : 1200, true, &crashes);
	riad_kv_store_stats(&st1);
	printf("  tears in any order: %d crashes in 12000 steps, %llu compactions, %llu torn tails ignored\n",
	       crashes, (unsigned long long)(st1.compactions - st0.compactions),
	       (unsigned long long)(st1.torn_tails - st0.torn_tails));
	CHECK(crashes >= 200);
}

/* ---- damaged images ---- */

/* A store with a few flushed batches; returns the device. */
static struct riad_block *sample(void)
{
	struct riad_block *b = memdev(400);
	struct riad_kv *kv = open_store(b, true);
	if (!kv)
		abort();
	char key[16], v[1500];
	for (int i = 0; i < 12; i++) {
		snprintf(key, sizeof(key), "d/k%d", i);
		memset(v, 'a' + i, sizeof(v));
		if (riad_kv_set(kv, key, v, sizeof(v)) || (i % 3 == 2 && riad_kv_flush(kv)))
			abort();
	}
	riad_kv_close(kv);
	return b;
}

static int open_err(struct riad_block *b)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_store_open(b, false, &err);
	if (kv) {
		riad_kv_close(kv);
		return 0;
	}
	return err;
}

static void flip(struct riad_block *b, uint64_t sector, unsigned bit)
{
	uint8_t buf[512];
	if (riad_block_read(b, sector, buf, 1) == 0) {
		buf[bit / 8 % 512] ^= (uint8_t)(1u << (bit % 8));
		(void)riad_block_write(b, sector, buf, 1);
	}
}

static void test_damage(void)
{
	struct riad_kv_store_stats st0, st1;
	riad_kv_store_stats(&st0);
	/* A flipped bit anywhere in the committed log before its last batch:
	 * refused. (Damage in the last batch looks like a crash that tore it:
	 * docs/storage-store.md.) */
	struct riad_block *b0 = sample();
	unsigned last_commit = 0, prev_commit = 0;
	for (unsigned s = 2; s < 2 + 199; s++) {
		uint8_t probe[512];
		riad_block_read(b0, s, probe, 1);
		if (probe[22] & 1) /* COMMIT */
			prev_commit = last_commit, last_commit = s;
	}
	riad_block_close(b0);
	CHECK(prev_commit > 20);
	int tried = 0;
	for (unsigned s = 2; s <= prev_commit; s += 2, tried++) {
		struct riad_block *b = sample();
		flip(b, s, 8 * 40 + s);
		int r = open_err(b);
		if (r != -RIAD_EBADMSG)
			printf("  flipped sector %u: %d\n", s, r);
		CHECK_INT(r, -RIAD_EBADMSG);
		riad_block_close(b);
	}
	riad_kv_store_stats(&st1);
	CHECK(st1.rejected >= st0.rejected + (uint64_t)tried);
	/* ... and in the last batch: the batch before it. */
	for (unsigned s = prev_commit + 1; s <= last_commit; s++) {
		struct riad_block *b = sample();
		flip(b, s, 8 * 40 + s);
		struct riad_kv *kv = open_store(b, false);
		CHECK(kv);
		if (kv) {
			CHECK_INT(riad_kv_exists(kv, "d/k11"), 0);
			CHECK_INT(riad_kv_exists(kv, "d/k8"), RIAD_KV_VALUE);
			riad_kv_close(kv);
		}
		riad_block_close(b);
	}
	/* Both superblocks damaged: refused; one of them: opens. */
	struct riad_block *b = sample();
	flip(b, 0, 100);
	CHECK_INT(open_err(b), 0);
	flip(b, 1, 100);
	CHECK_INT(open_err(b), -RIAD_EBADMSG);
	riad_block_close(b);
	/* A flip seen only by reads after opening: that key is -RIAD_EBADMSG. */
	b = sample();
	struct riad_kv *kv = open_store(b, false);
	REQUIRE(kv);
	flip(b, 2 + 20, 8 * 200);
	int bad = 0;
	for (int i = 0; i < 12; i++) {
		char key[16], v[1500];
		size_t got;
		snprintf(key, sizeof(key), "d/k%d", i);
		int r = riad_kv_get(kv, key, 0, v, sizeof(v), &got);
		CHECK(r == 0 || r == -RIAD_EBADMSG);
		bad += r == -RIAD_EBADMSG;
	}
	CHECK(bad >= 1);
	riad_kv_close(kv);
	riad_block_close(b);
	/* A log cut short at a commit (its last sectors zeroed): an older
	 * committed state, no error. Zeroed in the middle: refused. */
	b = sample();
	kv = open_store(b, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "d/k11"), RIAD_KV_VALUE);
	riad_kv_close(kv);
	uint8_t zero[512] = { 0 }, probe[512];
	uint64_t last = 2;
	for (uint64_t s = 2; s < 2 + 199; s++) {
		riad_block_read(b, s, probe, 1);
		if (probe[22] & 1) /* COMMIT */
			last = s;
	}
	uint64_t prev = 2;
	for (uint64_t s = 2; s < last; s++) {
		riad_block_read(b, s, probe, 1);
		if (probe[22] & 1)
			prev = s;
	}
	for (uint64_t s = prev + 1; s <= last; s++)
		riad_block_write(b, s, zero, 1);
	kv = open_store(b, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "d/k11"), 0);
	CHECK_INT(riad_kv_exists(kv, "d/k8"), RIAD_KV_VALUE);
	riad_kv_close(kv);
	riad_block_write(b, 3, zero, 1);
	CHECK_INT(open_err(b), -RIAD_EBADMSG);
	riad_block_close(b);
	/* An image cut short (smaller than the store it holds). */
	b = sample();
	struct riad_block *small = memdev(300);
	uint8_t sec[512];
	for (uint64_t s = 0; s < 300; s++) {
		riad_block_read(b, s, sec, 1);
		riad_block_write(small, s, sec, 1);
	}
	CHECK_INT(open_err(small), -RIAD_EBADMSG);
	riad_block_close(small);
	riad_block_close(b);
	/* Garbage, zeros. */
	b = memdev(256);
	CHECK_INT(open_err(b), -RIAD_EBADMSG);
	rng_state = 42;
	for (uint64_t s = 0; s < 256; s++) {
		for (int i = 0; i < 512; i++)
			sec[i] = (uint8_t)rnd();
		riad_block_write(b, s, sec, 1);
	}
	CHECK_INT(open_err(b), -RIAD_EBADMSG);
	riad_block_close(b);
	/* Random bit flips in random sectors: never a crash; opens or -EBADMSG. */
	for (int i = 0; i < 200; i++) {
		b = sample();
		rng_state = 1000 + (uint64_t)i;
		int nflips = 1 + (int)below(4);
		for (int k = 0; k < nflips; k++)
			flip(b, below(60), (unsigned)below(4096));
		int r = open_err(b);
		CHECK(r == 0 || r == -RIAD_EBADMSG);
		riad_block_close(b);
	}
}

static struct riad_block *clone(struct riad_block *b)
{
	uint64_t n = riad_block_sectors(b);
	struct riad_block *c = memdev(n);
	uint8_t *buf = malloc(n * 512);
	if (riad_block_read(b, 0, buf, n) || riad_block_write(c, 0, buf, n))
		abort();
	free(buf);
	return c;
}

/* A crash at every single write of a fixed load that passes through
 * compactions: after each, the store opens as of the last acknowledged
 * flush or of the one in flight. */
static void test_compaction_crash(void)
{
	enum { M = 120 };
	struct riad_block *base = memdev(200);
	struct riad_kv *kv = open_store(base, true);
	REQUIRE(kv);
	riad_kv_close(kv);
	static struct model after[M + 1];
	char key[16], v[900];
	for (int j = 0; j < M; j++) {
		after[j + 1] = model_copy(&after[j]);
		snprintf(key, sizeof(key), "k%d", j % 10);
		memset(v, 'a' + j % 26, sizeof(v));
		model_set(&after[j + 1], key, (uint8_t *)v, sizeof(v));
	}
	struct riad_kv_store_stats st0, st1;
	riad_kv_store_stats(&st0);
	int crashes = 0;
	for (uint64_t k = 1;; k++) {
		struct riad_block *c = clone(base);
		struct riad_block_faults f = { .torn_write = k, .torn_sectors = k % 7 };
		int err = 0;
		struct riad_block *fw = riad_block_fault_wrap(c, &f, &err);
		REQUIRE(fw);
		kv = open_store(fw, false);
		REQUIRE(kv);
		int r = 0, acked = 0;
		for (int j = 0; j < M && r == 0; j++) {
			snprintf(key, sizeof(key), "k%d", j % 10);
			memset(v, 'a' + j % 26, sizeof(v));
			r = riad_kv_set(kv, key, v, sizeof(v));
			if (r == 0)
				r = riad_kv_flush(kv);
			if (r == 0)
				acked = j + 1;
		}
		riad_kv_close(kv);
		riad_block_close(fw);
		if (r == 0) {
			riad_block_close(c);
			break;
		}
		crashes++;
		kv = open_store(c, false);
		CHECK(kv);
		if (kv) {
			struct model now = { 0 };
			CHECK_INT(walk(kv, "", &now), 0);
			riad_kv_close(kv);
			if (!model_equal(&now, &after[acked]) &&
			    (acked == M || !model_equal(&now, &after[acked + 1]))) {
				printf("  crash at write %llu: not the state after %d or %d sets\n",
				       (unsigned long long)k, acked, acked + 1);
				check_failures_in_test++;
			}
			model_free(&now);
		}
		riad_block_close(c);
	}
	riad_kv_store_stats(&st1);
	printf("  %d crash points, %llu compactions\n", crashes,
	       (unsigned long long)(st1.compactions - st0.compactions));
	CHECK(crashes > M);
	CHECK(st1.compactions - st0.compactions >= 100);
	for (int j = 0; j <= M; j++)
		model_free(&after[j]);
	riad_block_close(base);
}

/* The write buffer and device failing: the store reports -RIAD_EIO and
 * refuses changes until reopened; the flushed state is intact. */
static void test_dead_disk(void)
{
	struct riad_block *inner = sample();
	struct riad_block_faults f = { .fail_write = 2, .sticky = true };
	int err = 0;
	struct riad_block *fw = riad_block_fault_wrap(inner, &f, &err);
	REQUIRE(fw);
	struct riad_kv *kv = open_store(fw, false);
	REQUIRE(kv);
	char v[4000] = { 0 };
	int r = 0;
	for (int i = 0; i < 20 && r == 0; i++)
		r = riad_kv_set(kv, "x", v, sizeof(v));
	if (r == 0)
		r = riad_kv_flush(kv);
	CHECK_INT(r, -RIAD_EIO);
	CHECK_INT(riad_kv_set(kv, "y", "1", 1), -RIAD_EIO);
	riad_kv_close(kv);
	riad_block_close(fw);
	kv = open_store(inner, false);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "d/k8"), RIAD_KV_VALUE);
	riad_kv_close(kv);
	riad_block_close(inner);
}

int main(void)
{
	RUN(test_crc32c);
	RUN(test_basic);
	RUN(test_dirs);
	RUN(test_big_values);
	RUN(test_sector_sizes);
	RUN(test_compaction_and_full);
	RUN(test_small_flushes);
	RUN(test_key_limit);
	RUN(test_read_only);
	RUN(test_damage);
	RUN(test_dead_disk);
	RUN(test_compaction_crash);
	RUN(test_torn_over_leftovers);
	RUN(test_model_crashes);
	return check_done();
}
