/* tests/unit/test_store_open.c: riad_store_open() over a fake named device holding an MBR disk (a tar archive in partition 1, an encrypted one in partition 2): each layer opened, every error value, everything closed again on failure and by riad_kv_close(), read-only unless asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/kv.h>
#include <riad/store.h>

#include "runtime.h"
#include "check.h"

/* ---- the fake device "disk": a view of one memory device that persists
 * across opens, counting opens and closes (riad_block_open is the
 * target's; unit tests link no target) ---- */

static struct riad_block *disk_mem;
static int opens, closes, open_now;

struct view {
	struct riad_block b;
};

static int v_read(struct riad_block *b, uint64_t s, void *buf, uint64_t n)
{
	(void)b;
	return riad_block_read(disk_mem, s, buf, n);
}

static int v_write(struct riad_block *b, uint64_t s, const void *buf, uint64_t n)
{
	(void)b;
	return riad_block_write(disk_mem, s, buf, n);
}

static int v_flush(struct riad_block *b)
{
	(void)b;
	return riad_block_flush(disk_mem);
}

static void v_close(struct riad_block *b)
{
	closes++;
	open_now--;
	free(b);
}

static const struct riad_block_ops view_ops = {
	.read = v_read, .write = v_write, .flush = v_flush, .close = v_close,
};

struct riad_block *riad_block_open(const char *name, int *err);
struct riad_block *riad_block_open(const char *name, int *err)
{
	if (strcmp(name, "disk") != 0) {
		*err = -RIAD_ENODEV;
		return NULL;
	}
	if (open_now) {
		*err = -RIAD_EBUSY;
		return NULL;
	}
	struct view *v = calloc(1, sizeof(*v));
	riad_block_init(&v->b, &view_ops, name, riad_block_sectors(disk_mem), 512, false);
	opens++;
	open_now++;
	return &v->b;
}

/* ---- the fixture ---- */

#define P1_FIRST 64
#define P1_COUNT 2048
#define P2_FIRST (P1_FIRST + P1_COUNT)
#define P2_COUNT 1984

static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	                         17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const char key_hex[] = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void mbr_entry(uint8_t *sec, int i, uint32_t first, uint32_t count)
{
	uint8_t *e = sec + 446 + 16 * i;
	e[4] = 0x83;
	put32(e + 8, first);
	put32(e + 12, count);
}

static void fill_tar(struct riad_block *dev, const char *what)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_tar_open(dev, true, &err);
	if (!kv) {
		printf("  cannot make the %s archive: %d\n", what, err);
		abort();
	}
	CHECK_INT(riad_kv_set(kv, "hello", what, strlen(what)), 0);
	CHECK_INT(riad_kv_set(kv, "a/b/deep", "deep", 4), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
}

static void make_disk(void)
{
	int err = 0;
	disk_mem = riad_block_mem_open(4096, 512, &err);
	if (!disk_mem)
		abort();
	uint8_t sec[512] = { 0 };
	mbr_entry(sec, 0, P1_FIRST, P1_COUNT);
	mbr_entry(sec, 1, P2_FIRST, P2_COUNT);
	sec[510] = 0x55;
	sec[511] = 0xAA;
	if (riad_block_write(disk_mem, 0, sec, 1) != 0)
		abort();
	struct riad_block *p1 = riad_block_range_open(disk_mem, P1_FIRST, P1_COUNT, false, &err);
	fill_tar(p1, "plain");
	riad_block_close(p1);
	struct riad_block *p2 = riad_block_range_open(disk_mem, P2_FIRST, P2_COUNT, false, &err);
	struct riad_block *c = riad_block_crypt_open(p2, key, sizeof(key), true, &err);
	if (!c)
		abort();
	fill_tar(c, "encrypted");
	riad_block_close(c);
	riad_block_close(p2);
}

/* ---- the tests ---- */

static char value[64];

static int get(struct riad_kv *kv, const char *k)
{
	size_t got = 0;
	memset(value, 0, sizeof(value));
	return riad_kv_get(kv, k, 0, value, sizeof(value) - 1, &got);
}

/* Open spec expecting error e (0: success); after a failure nothing it
 * opened may be left open. Returns the store on success. */
static struct riad_kv *open_expect(const char *spec, const uint8_t *k, size_t klen, bool w, int e)
{
	int err = 12345, was_open = open_now;
	fake_console_take();
	struct riad_kv *kv = riad_store_open(spec, k, klen, w, &err);
	if (e) {
		CHECK(kv == NULL);
		CHECK_INT(err, e);
		CHECK_INT(open_now, was_open);
		CHECK_INT(opens - closes, was_open);
	} else {
		CHECK(kv != NULL);
		CHECK_INT(err, 12345);
	}
	return kv;
}

static void test_plain_partition(void)
{
	struct riad_kv *kv = open_expect("tar:disk@1", NULL, 0, false, 0);
	REQUIRE(kv);
	CHECK_STR(kv->kind, "tar");
	CHECK_INT(open_now, 1);
	CHECK_INT(get(kv, "/hello"), 0);
	CHECK_STR(value, "plain");
	CHECK_INT(get(kv, "a/b/deep"), 0);
	CHECK_STR(value, "deep");
	CHECK_INT(get(kv, "nope"), -RIAD_ENOENT);
	CHECK_INT(riad_kv_exists(kv, "a/b"), RIAD_KV_DICT);
	/* Opened read-only: every change is refused. */
	CHECK_INT(riad_kv_set(kv, "x", "y", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_set_partial(kv, "hello", 0, "y", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_remove(kv, "hello"), -RIAD_EROFS);
	CHECK_INT(riad_kv_rename(kv, "hello", "x"), -RIAD_EROFS);
	CHECK_INT(riad_kv_flush(kv), 0);
	uint8_t d[RIAD_KV_DIGEST_LEN];
	CHECK_INT(riad_kv_digest(kv, "hello", d), 0);
	/* The device is open once: a second stack on it is refused. */
	open_expect("tar:disk@1", NULL, 0, false, -RIAD_EBUSY);
	riad_kv_close(kv);
	CHECK_INT(open_now, 0);
	CHECK_INT(opens, closes);
}

static void test_encrypted_partition(void)
{
	struct riad_kv *kv = open_expect("tar:disk@2", key, sizeof(key), false, 0);
	REQUIRE(kv);
	CHECK_INT(get(kv, "hello"), 0);
	CHECK_STR(value, "encrypted");
	riad_kv_close(kv);
	CHECK_INT(open_now, 0);

	int err = 0;
	char hex[sizeof(key_hex)];
	memcpy(hex, key_hex, sizeof(hex));
	kv = riad_store_open_hex("tar:disk@2", hex, false, &err);
	REQUIRE(kv);
	CHECK_INT(get(kv, "a/b/deep"), 0);
	CHECK_STR(hex, key_hex); /* the caller's text is the caller's */
	riad_kv_close(kv);

	uint8_t wrong[32];
	memcpy(wrong, key, sizeof(wrong));
	wrong[31] ^= 1;
	open_expect("tar:disk@2", wrong, sizeof(wrong), false, -RIAD_EACCES);
	const char *log = fake_console_take();
	CHECK(strstr(log, "[kv] store: the encryption overlay on 'disk@2': access refused") != NULL);
	/* Without the key the partition holds no archive. */
	open_expect("tar:disk@2", NULL, 0, false, -RIAD_EBADMSG);
	/* With a key, partition 1 holds no overlay. */
	open_expect("tar:disk@1", key, sizeof(key), false, -RIAD_EBADMSG);
	CHECK(strstr(fake_console_take(), "the encryption overlay on 'disk@1'") != NULL);
}

static void test_layer_errors(void)
{
	open_expect("tar:disk@3", NULL, 0, false, -RIAD_ENOENT);
	CHECK(strstr(fake_console_take(), "[kv] store: partition '3' of 'disk': no such entry") != NULL);
	open_expect("tar:disk@site", NULL, 0, false, -RIAD_ENOENT); /* MBR: no names */
	open_expect("tar:other", NULL, 0, false, -RIAD_ENODEV);
	CHECK(strstr(fake_console_take(), "[kv] store: block device 'other': no such device") != NULL);
	open_expect("store:disk@1", NULL, 0, false, -RIAD_EBADMSG); /* a tar, not a store */
	CHECK(strstr(fake_console_take(), "the store store on 'disk@1'") != NULL);
	/* The whole disk starts with the MBR, not a tar header. */
	open_expect("tar:disk", NULL, 0, false, -RIAD_EBADMSG);
}

static void test_refused_before_opening(void)
{
	int before = opens;
	open_expect("tar:", NULL, 0, false, -RIAD_EINVAL);
	CHECK(strstr(fake_console_take(), "[kv] store: no device after 'tar:'") != NULL);
	open_expect(NULL, NULL, 0, false, -RIAD_EINVAL);
	open_expect("baked", key, sizeof(key), false, -RIAD_EINVAL);
	CHECK(strstr(fake_console_take(), "baked takes no key") != NULL);
	open_expect("tar:disk@2", key, 15, false, -RIAD_EINVAL);
	open_expect("tar:disk@2", key, 65, false, -RIAD_EINVAL);
	int err = 0;
	CHECK(riad_store_open_hex("tar:disk@2", "0102", false, &err) == NULL);
	CHECK_INT(err, -RIAD_EINVAL);
	CHECK(strstr(fake_console_take(), "0102") == NULL);
	CHECK_INT(opens, before);
}

static void test_baked(void)
{
	int before = opens;
	struct riad_kv *kv = open_expect("baked", NULL, 0, false, 0);
	REQUIRE(kv);
	CHECK_STR(kv->kind, "baked");
	CHECK_INT(get(kv, "hello"), -RIAD_ENOENT); /* the weak empty image */
	riad_kv_close(kv);
	CHECK_INT(opens, before);
}

static void test_writable(void)
{
	struct riad_kv *kv = open_expect("tar:disk@1", NULL, 0, true, 0);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "new/one", "written", 7), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_expect("tar:disk@1", NULL, 0, false, 0);
	REQUIRE(kv);
	CHECK_INT(get(kv, "new/one"), 0);
	CHECK_STR(value, "written");
	CHECK_INT(get(kv, "hello"), 0);
	CHECK_STR(value, "plain");
	riad_kv_close(kv);

	/* The same through the overlay. */
	kv = open_expect("tar:disk@2", key, sizeof(key), true, 0);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "secret", "s3", 2), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_expect("tar:disk@2", key, sizeof(key), false, 0);
	REQUIRE(kv);
	CHECK_INT(get(kv, "secret"), 0);
	CHECK_STR(value, "s3");
	riad_kv_close(kv);
	CHECK_INT(opens, closes);
}

static void test_store_kind(void)
{
	/* A writable store formatted in partition 1 (replacing the archive). */
	int err = 0;
	struct riad_block *p1 = riad_block_range_open(disk_mem, P1_FIRST, P1_COUNT, false, &err);
	REQUIRE(p1);
	struct riad_kv *s = riad_kv_store_open(p1, true, &err);
	REQUIRE(s);
	CHECK_INT(riad_kv_set(s, "k", "v1", 2), 0);
	CHECK_INT(riad_kv_flush(s), 0);
	riad_kv_close(s);
	riad_block_close(p1);

	struct riad_kv *kv = open_expect("store:disk@1", NULL, 0, true, 0);
	REQUIRE(kv);
	CHECK_STR(kv->kind, "store");
	CHECK_INT(get(kv, "k"), 0);
	CHECK_STR(value, "v1");
	CHECK_INT(riad_kv_set(kv, "k2", "v2", 2), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);
	kv = open_expect("store:disk@1", NULL, 0, false, 0);
	REQUIRE(kv);
	CHECK_INT(get(kv, "k2"), 0);
	CHECK_STR(value, "v2");
	CHECK_INT(riad_kv_set(kv, "k3", "v3", 2), -RIAD_EROFS);
	riad_kv_close(kv);
	CHECK_INT(opens, closes);
}

int main(void)
{
	fake_entropy_seed(9);
	riad_random_boot(); /* the overlay draws its salt */
	make_disk();
	RUN(test_plain_partition);
	RUN(test_encrypted_partition);
	RUN(test_layer_errors);
	RUN(test_refused_before_opening);
	RUN(test_baked);
	RUN(test_writable);
	RUN(test_store_kind);
	riad_block_close(disk_mem);
	return check_done();
}
