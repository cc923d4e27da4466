/* tests/unit/test_kv_baked.c: the baked store (storage/kv_baked.c): a hand-made image linked in as riad_kv_baked_image, the order of keys and names, and refusal of every kind of malformed image. */
#include <stdio.h>
#include <stdlib.h>

#include <bearssl.h>

#include <riad/kv.h>

#include "../../storage/kv_baked.h"
#include "../../storage/kv_baked_wire.h"
#include "check.h"

#define LE32(v) (v) & 0xff, ((v) >> 8) & 0xff, ((v) >> 16) & 0xff, ((v) >> 24) & 0xff
#define LE64(v) LE32((uint64_t)(v) & 0xffffffffu), LE32(((uint64_t)(v) >> 32) & 0xffffffffu)
#define SHA_HELLO                                                                          \
	0x2c, 0xf2, 0x4d, 0xba, 0x5f, 0xb0, 0xa3, 0x0e, 0x26, 0xe8, 0x3b, 0x2a, 0xc5, 0xb9, \
	0xe2, 0x9e, 0x1b, 0x16, 0x1e, 0x5c, 0x1f, 0xa7, 0x42, 0x5e, 0x73, 0x04, 0x33, 0x62, \
	0x93, 0x8b, 0x98, 0x24
#define SHA_HI                                                                             \
	0x8f, 0x43, 0x43, 0x46, 0x64, 0x8f, 0x6b, 0x96, 0xdf, 0x89, 0xdd, 0xa9, 0x01, 0xc5, \
	0x17, 0x6b, 0x10, 0xa6, 0xd8, 0x39, 0x61, 0xdd, 0x3c, 0x1a, 0xc8, 0x8b, 0x59, 0xb2, \
	0xdc, 0x32, 0x7a, 0xa4
#define MTIME 1700000000000000000ull

/* What riad build would bake from a/b and a/c (both "hello") and z ("hi"):
 * this definition replaces the library's weak empty one. */
__attribute__((aligned(RIAD_BAKED_ALIGN))) const unsigned char riad_kv_baked_image[290] = {
	'R', 'I', 'A', 'D', 'B', 'A', 'K', '1', LE32(1), LE32(3),
	LE64(64), LE64(256), LE64(10), LE64(272), LE64(18), LE64(290),
	/* entries */
	LE64(272), LE64(5), LE64(MTIME), LE32(0), LE32(3), SHA_HELLO,
	LE64(272), LE64(5), LE64(MTIME), LE32(4), LE32(3), SHA_HELLO,
	LE64(288), LE64(2), LE64(MTIME), LE32(8), LE32(1), SHA_HI,
	/* names, then padding to 272 */
	'a', '/', 'b', 0, 'a', '/', 'c', 0, 'z', 0, 0, 0, 0, 0, 0, 0,
	/* data: "hello" at 272, "hi" at 288 */
	'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'h', 'i',
};

static struct riad_kv *open_linked(void)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_baked_open(&err);
	CHECK_INT(err, 0);
	return kv;
}

static void test_linked_stat(void)
{
	struct riad_kv *kv = open_linked();
	REQUIRE(kv);
	CHECK_STR(kv->kind, "baked");
	struct riad_kv_stat st;
	CHECK_INT(riad_kv_stat(kv, "", &st), 0);
	CHECK_INT(st.type, RIAD_KV_DICT);
	CHECK_INT(riad_kv_stat(kv, "a", &st), 0);
	CHECK_INT(st.type, RIAD_KV_DICT);
	CHECK_INT(riad_kv_stat(kv, "/a/b", &st), 0);
	CHECK_INT(st.type, RIAD_KV_VALUE);
	CHECK_INT(st.size, 5);
	CHECK_INT(st.mtime_ns, (long long)MTIME);
	CHECK_INT(riad_kv_exists(kv, "z"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_exists(kv, "a/"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "nope"), 0);
	CHECK_INT(riad_kv_exists(kv, "a/x"), 0);
	CHECK_INT(riad_kv_exists(kv, "a/b/c"), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_exists(kv, "z/y/x"), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_exists(kv, "b"), 0);
	CHECK_INT(riad_kv_exists(kv, "a/../z"), -RIAD_EINVAL);
	uint64_t size = 0;
	CHECK_INT(riad_kv_size(kv, "a", &size), -RIAD_EISDIR);
	riad_kv_close(kv);
}

static void test_linked_get(void)
{
	struct riad_kv *kv = open_linked();
	REQUIRE(kv);
	char buf[16] = { 0 };
	size_t got = 99;
	CHECK_INT(riad_kv_get(kv, "a/c", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 5);
	CHECK_MEM(buf, "hello", 5);
	CHECK_INT(riad_kv_get(kv, "a/b", 1, buf, 3, &got), 0);
	CHECK_INT(got, 3);
	CHECK_MEM(buf, "ell", 3);
	CHECK_INT(riad_kv_get(kv, "a/b", 4, buf, 10, &got), 0);
	CHECK_INT(got, 1);
	CHECK_INT(buf[0], 'o');
	CHECK_INT(riad_kv_get(kv, "a/b", 5, buf, 10, &got), 0);
	CHECK_INT(got, 0);
	CHECK_INT(riad_kv_get(kv, "a/b", UINT64_MAX, buf, 10, &got), 0);
	CHECK_INT(got, 0);
	CHECK_INT(riad_kv_get(kv, "z", 0, buf, sizeof(buf), &got), 0);
	CHECK_INT(got, 2);
	CHECK_MEM(buf, "hi", 2);
	CHECK_INT(riad_kv_get(kv, "a", 0, buf, sizeof(buf), &got), -RIAD_EISDIR);
	CHECK_INT(riad_kv_get(kv, "", 0, buf, sizeof(buf), &got), -RIAD_EISDIR);
	CHECK_INT(riad_kv_get(kv, "y", 0, buf, sizeof(buf), &got), -RIAD_ENOENT);
	CHECK_INT(riad_kv_get(kv, "z/q", 0, buf, sizeof(buf), &got), -RIAD_ENOTDIR);
	uint8_t d[RIAD_KV_DIGEST_LEN];
	static const uint8_t hello[] = { SHA_HELLO }, hi[] = { SHA_HI };
	CHECK_INT(riad_kv_digest(kv, "a/b", d), 0);
	CHECK_MEM(d, hello, sizeof(d));
	CHECK_INT(riad_kv_digest(kv, "z", d), 0);
	CHECK_MEM(d, hi, sizeof(d));
	CHECK_INT(riad_kv_digest(kv, "a", d), -RIAD_EISDIR);
	riad_kv_close(kv);
}

static void test_linked_readonly(void)
{
	struct riad_kv *kv = open_linked();
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "n", "x", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_set_partial(kv, "a/b", 0, "x", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_remove(kv, "z"), -RIAD_EROFS);
	CHECK_INT(riad_kv_rename(kv, "z", "y"), -RIAD_EROFS);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
}

struct listing {
	char text[512];
	int stop_after;
	int calls;
};

static int collect(void *arg, const char *name, enum riad_kv_type type)
{
	struct listing *l = arg;
	size_t n = strlen(l->text);
	snprintf(l->text + n, sizeof(l->text) - n, "%s%s ", name, type == RIAD_KV_DICT ? "/" : "");
	l->calls++;
	return l->stop_after && l->calls == l->stop_after ? 42 : 0;
}

static void test_linked_list(void)
{
	struct riad_kv *kv = open_linked();
	REQUIRE(kv);
	struct listing l = { "", 0, 0 };
	CHECK_INT(riad_kv_list(kv, "/", collect, &l), 0);
	CHECK_STR(l.text, "a/ z ");
	l = (struct listing){ "", 0, 0 };
	CHECK_INT(riad_kv_list(kv, "a", collect, &l), 0);
	CHECK_STR(l.text, "b c ");
	l = (struct listing){ "", 1, 0 };
	CHECK_INT(riad_kv_list(kv, "a", collect, &l), 42);
	CHECK_STR(l.text, "b ");
	CHECK_INT(riad_kv_list(kv, "z", collect, &l), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_list(kv, "q", collect, &l), -RIAD_ENOENT);
	CHECK_INT(riad_kv_list(kv, "a/b/c", collect, &l), -RIAD_ENOTDIR);
	riad_kv_close(kv);
}

/* ---- images built here, to be damaged ---- */

struct file {
	const char *key;
	const char *data;
};

static uint8_t img[8192];

static size_t align_up(size_t v)
{
	return (v + RIAD_BAKED_ALIGN - 1) & ~(size_t)(RIAD_BAKED_ALIGN - 1);
}

/* Lay out files (keys in the image's order, no deduplication) in img;
 * returns the image's size. */
static size_t build(const struct file *f, uint32_t n)
{
	memset(img, 0, sizeof(img));
	struct riad_baked_header h = { .version = RIAD_BAKED_VERSION, .count = n };
	memcpy(h.magic, RIAD_BAKED_MAGIC, 8);
	h.entries_off = sizeof(h);
	h.names_off = h.entries_off + n * sizeof(struct riad_baked_entry);
	size_t pos = h.names_off;
	for (uint32_t i = 0; i < n; i++) {
		memcpy(img + pos, f[i].key, strlen(f[i].key) + 1);
		pos += strlen(f[i].key) + 1;
	}
	h.names_size = pos - h.names_off;
	h.data_off = align_up(pos);
	pos = h.data_off;
	for (uint32_t i = 0; i < n; i++) {
		struct riad_baked_entry e = { 0 };
		pos = align_up(pos);
		e.data_off = pos;
		e.size = strlen(f[i].data);
		e.key_len = (uint32_t)strlen(f[i].key);
		e.key_off = 0;
		for (uint32_t j = 0; j < i; j++)
			e.key_off += (uint32_t)strlen(f[j].key) + 1;
		br_sha256_context c;
		br_sha256_init(&c);
		br_sha256_update(&c, f[i].data, e.size);
		br_sha256_out(&c, e.sha256);
		memcpy(img + pos, f[i].data, e.size);
		pos += e.size;
		memcpy(img + h.entries_off + i * sizeof(e), &e, sizeof(e));
	}
	h.data_size = pos - h.data_off;
	h.image_size = pos;
	memcpy(img, &h, sizeof(h));
	return pos;
}

static struct riad_baked_header *hdr(void)
{
	return (struct riad_baked_header *)img;
}

static struct riad_baked_entry *ent(uint32_t i)
{
	return (struct riad_baked_entry *)(img + hdr()->entries_off) + i;
}

static int open_err(size_t size)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_baked_open_image(img, size, &err);
	if (kv) {
		riad_kv_close(kv);
		return 0;
	}
	return err;
}

static void test_order_of_names(void)
{
	/* '/' sorts before every other byte: the keys below "b" come before
	 * "b-c" and "b.d", and listing the root gives names in byte order. */
	static const struct file f[] = {
		{ "b/x", "1" }, { "b-c", "22" }, { "b.d", "333" }, { "ba", "" },
	};
	size_t size = build(f, 4);
	int err = 0;
	struct riad_kv *kv = riad_kv_baked_open_image(img, size, &err);
	REQUIRE(kv);
	struct listing l = { "", 0, 0 };
	CHECK_INT(riad_kv_list(kv, "", collect, &l), 0);
	CHECK_STR(l.text, "b/ b-c b.d ba ");
	for (size_t i = 0; i < 4; i++) {
		uint64_t s = 99;
		CHECK_INT(riad_kv_size(kv, f[i].key, &s), 0);
		CHECK_INT(s, strlen(f[i].data));
	}
	CHECK_INT(riad_kv_exists(kv, "b"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "b-"), 0);
	size_t got = 1;
	char c;
	CHECK_INT(riad_kv_get(kv, "ba", 0, &c, 1, &got), 0);
	CHECK_INT(got, 0);
	riad_kv_close(kv);
	/* The same keys in plain byte order are refused. */
	static const struct file g[] = { { "b-c", "22" }, { "b/x", "1" } };
	CHECK_INT(open_err(build(g, 2)), -RIAD_EBADMSG);
}

static void test_empty_image(void)
{
	size_t size = build(NULL, 0);
	CHECK_INT(size, sizeof(struct riad_baked_header));
	int err = 0;
	struct riad_kv *kv = riad_kv_baked_open_image(img, size, &err);
	REQUIRE(kv);
	struct riad_kv_stat st;
	CHECK_INT(riad_kv_stat(kv, "", &st), 0);
	CHECK_INT(st.type, RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "x"), 0);
	struct listing l = { "", 0, 0 };
	CHECK_INT(riad_kv_list(kv, "", collect, &l), 0);
	CHECK_INT(l.calls, 0);
	riad_kv_close(kv);
}

static const struct file two[] = { { "d/e", "hello" }, { "f", "world!" } };

static void test_bad_header(void)
{
	size_t size = build(two, 2);
	CHECK_INT(open_err(size), 0);
	CHECK_INT(open_err(size - 1), -RIAD_EBADMSG);
	CHECK_INT(open_err(10), -RIAD_EBADMSG);
	img[0] = 'X';
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	hdr()->version = 2;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	hdr()->count = RIAD_KV_BAKED_FILES_MAX + 1;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	hdr()->count = 3;
	hdr()->entries_off = size - 100;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	hdr()->names_size = UINT64_MAX - 10;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	hdr()->data_size++;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	hdr()->image_size = sizeof(struct riad_baked_header) - 1;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	int err = 0;
	CHECK(riad_kv_baked_open_image(NULL, 100, &err) == NULL);
	CHECK_INT(err, -RIAD_EBADMSG);
}

static void test_bad_entries(void)
{
	size_t size = build(two, 2);
	ent(1)->size = 1000; /* past the data */
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	ent(0)->data_off = UINT64_MAX - 2;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	ent(0)->data_off = 3; /* before the data */
	ent(0)->size = 1;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	ent(1)->key_off = 100; /* past the names */
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	ent(0)->key_len = 2; /* no NUL after it */
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	ent(0)->key_len = 0;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	build(two, 2);
	ent(1)->key_off = 0; /* "d/e" twice */
	ent(1)->key_len = 3;
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
	static const struct file dotdot[] = { { "a/../b", "x" } };
	CHECK_INT(open_err(build(dotdot, 1)), -RIAD_EBADMSG);
	static const struct file slash[] = { { "/a", "x" } };
	CHECK_INT(open_err(build(slash, 1)), -RIAD_EBADMSG);
	static const struct file empty_seg[] = { { "a//b", "x" } };
	CHECK_INT(open_err(build(empty_seg, 1)), -RIAD_EBADMSG);
	static const struct file both[] = { { "a", "x" }, { "a/b", "y" } };
	CHECK_INT(open_err(build(both, 2)), -RIAD_EBADMSG);
	static const struct file dup[] = { { "a", "x" }, { "a", "y" } };
	CHECK_INT(open_err(build(dup, 2)), -RIAD_EBADMSG);
	/* A NUL inside a key. */
	size = build(two, 2);
	img[hdr()->names_off + 1] = '\0';
	CHECK_INT(open_err(size), -RIAD_EBADMSG);
}

int main(void)
{
	RUN(test_linked_stat);
	RUN(test_linked_get);
	RUN(test_linked_readonly);
	RUN(test_linked_list);
	RUN(test_order_of_names);
	RUN(test_empty_image);
	RUN(test_bad_header);
	RUN(test_bad_entries);
	return check_done();
}
