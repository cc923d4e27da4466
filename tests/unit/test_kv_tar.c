/* tests/unit/test_kv_tar.c: the tar KV store on archives built here block by block: every header format, appending, and hostile headers. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/kv.h>
#include <riad/log.h>

#include "check.h"

/* ---- an archive builder, written from the format's description ---- */

struct ar {
	uint8_t buf[1 << 16];
	size_t len;
};

static void octal(uint8_t *f, size_t len, unsigned long long v)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%0*llo", (int)len - 1, v);
	memcpy(f, tmp, len - 1);
	f[len - 1] = 0;
}

enum { SUM_UNSIGNED, SUM_SIGNED, SUM_WRONG };

static void sum(uint8_t *h, int how)
{
	memset(h + 148, ' ', 8);
	long s = 0;
	for (int i = 0; i < 512; i++)
		s += how == SUM_SIGNED ? (long)(signed char)h[i] : (long)h[i];
	if (how == SUM_WRONG)
		s += 1;
	char tmp[16];
	snprintf(tmp, sizeof(tmp), "%06lo", (unsigned long)s & 0777777);
	memcpy(h + 148, tmp, 6);
	h[154] = 0;
}

/* A header block; returns it so a test can change it (then call sum). */
static uint8_t *hdr(struct ar *a, const char *name, char type, unsigned long long size,
                    const char *magic)
{
	uint8_t *h = a->buf + a->len;
	memset(h, 0, 512);
	size_t nl = strlen(name);
	memcpy(h, name, nl > 100 ? 100 : nl);
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 1000);
	octal(h + 116, 8, 1000);
	octal(h + 124, 12, size);
	octal(h + 136, 12, 1700000000);
	h[156] = (uint8_t)type;
	if (magic && strcmp(magic, "gnu") == 0)
		memcpy(h + 257, "ustar  ", 8);
	else if (magic)
		memcpy(h + 257, "ustar\0" "00", 8);
	sum(h, SUM_UNSIGNED);
	a->len += 512;
	return h;
}

static void data(struct ar *a, const void *d, size_t n)
{
	memcpy(a->buf + a->len, d, n);
	a->len += (n + 511) / 512 * 512;
}

static void file(struct ar *a, const char *name, const char *content)
{
	hdr(a, name, '0', strlen(content), "ustar");
	data(a, content, strlen(content));
}

static void gnu_longname(struct ar *a, const char *name)
{
	hdr(a, "././@LongLink", 'L', strlen(name) + 1, "gnu");
	data(a, name, strlen(name) + 1);
}

/* One pax header of raw records. */
static void pax_raw(struct ar *a, char type, const char *recs, size_t n)
{
	hdr(a, "PaxHeaders/x", type, n, "ustar");
	data(a, recs, n);
}

static void pax_rec(char *out, const char *k, const char *v)
{
	size_t body = strlen(k) + strlen(v) + 3;
	size_t len = body + 1;
	while (len != body + (size_t)snprintf(NULL, 0, "%zu", len))
		len = body + (size_t)snprintf(NULL, 0, "%zu", len);
	sprintf(out + strlen(out), "%zu %s=%s\n", len, k, v);
}

static void end(struct ar *a)
{
	memset(a->buf + a->len, 0, 1024);
	a->len += 1024;
}

/* A device of sectors * ss bytes holding the archive at its start. */
static struct riad_block *dev_of(const struct ar *a, uint64_t sectors, uint32_t ss)
{
	struct riad_block *b = riad_block_mem_open(sectors, ss, NULL);
	if (!b)
		abort();
	size_t n = (a->len + ss - 1) / ss;
	if (n > sectors)
		abort();
	uint8_t *tmp = calloc(n ? n : 1, ss);
	memcpy(tmp, a->buf, a->len);
	if (n && riad_block_write(b, 0, tmp, n) < 0)
		abort();
	free(tmp);
	return b;
}

static int get_str(struct riad_kv *kv, const char *key, char *out, size_t cap)
{
	size_t got = 0;
	int r = riad_kv_get(kv, key, 0, out, cap - 1, &got);
	out[r == 0 ? got : 0] = '\0';
	return r;
}

static struct ar A;

/* Open the archive in A on a fresh device; *dev gets it. */
static struct riad_kv *open_ar(struct riad_block **dev, struct riad_kv_tar_stats *st, int *err)
{
	*dev = dev_of(&A, 256, 512);
	return riad_kv_tar_open_stats(*dev, false, st, err);
}

/* ---- formats ---- */

static void test_ustar(void)
{
	memset(&A, 0, sizeof(A));
	file(&A, "./hello.txt", "hello, world\n");
	hdr(&A, "dir/", '5', 0, "ustar");
	hdr(&A, "empty/", '5', 0, "ustar");
	file(&A, "dir/sub/a", "A");
	uint8_t *h = hdr(&A, "b", '0', 2, "ustar");
	/* prefix field: "long/prefix" + "/" + "b" */
	memcpy(h + 345, "long/prefix", 11);
	sum(h, SUM_UNSIGNED);
	data(&A, "BB", 2);
	end(&A);
	struct riad_block *dev;
	struct riad_kv_tar_stats st;
	int err = 0;
	struct riad_kv *kv = open_ar(&dev, &st, &err);
	REQUIRE(kv);
	CHECK_STR(kv->kind, "tar");
	CHECK_INT(st.members, 5);
	char buf[64];
	CHECK_INT(get_str(kv, "hello.txt", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "hello, world\n");
	CHECK_INT(get_str(kv, "long/prefix/b", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "BB");
	CHECK_INT(get_str(kv, "dir/sub/a", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "A");
	size_t got = 0;
	CHECK_INT(riad_kv_get(kv, "hello.txt", 7, buf, 3, &got), 0);
	CHECK_INT(got, 3);
	CHECK_MEM(buf, "wor", 3);
	CHECK_INT(riad_kv_get(kv, "hello.txt", 13, buf, 3, &got), 0);
	CHECK_INT(got, 0);
	CHECK_INT(riad_kv_exists(kv, "dir"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "dir/sub"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "empty"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "long"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "nope"), 0);
	CHECK_INT(riad_kv_get(kv, "hello.txt/x", 0, buf, 1, &got), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_get(kv, "dir", 0, buf, 1, &got), -RIAD_EISDIR);
	int64_t mt;
	CHECK_INT(riad_kv_last_modified(kv, "hello.txt", &mt), 0);
	CHECK_INT(mt, 1700000000LL * 1000000000);
	uint8_t dg[32];
	CHECK_INT(riad_kv_digest(kv, "dir/sub/a", dg), 0);
	static const uint8_t sha_a[4] = { 0x55, 0x9a, 0xea, 0xd0 };
	CHECK_MEM(dg, sha_a, 4);
	CHECK_INT(riad_kv_set(kv, "x", "1", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_remove(kv, "x"), -RIAD_EROFS);
	riad_kv_close(kv);
	riad_block_close(dev);
}

struct lst {
	char s[256];
};

static int lst_fn(void *arg, const char *name, enum riad_kv_type t)
{
	struct lst *l = arg;
	snprintf(l->s + strlen(l->s), sizeof(l->s) - strlen(l->s), "%s%s ", name,
	         t == RIAD_KV_DICT ? "/" : "");
	return 0;
}

static void test_list_and_replace(void)
{
	memset(&A, 0, sizeof(A));
	file(&A, "d/b", "old");
	file(&A, "d-x", "1");
	file(&A, "d/a", "a");
	file(&A, "d/b", "new");
	file(&A, "f", "value then dir");
	file(&A, "f/g", "g");
	hdr(&A, "d/c", '2', 0, "ustar");   /* symlink: skipped */
	hdr(&A, "d/h", '1', 0, "ustar");   /* hard link: skipped */
	file(&A, "../evil", "x");          /* no key: skipped */
	file(&A, "d/./e//f", "e");
	hdr(&A, "sized-dir/", '5', 1024, "ustar"); /* no data follows, as GNU tar reads it */
	file(&A, "after-dir", "ok");
	hdr(&A, "fifo", '6', 512, "ustar");       /* its size in data is skipped */
	memset(A.buf + A.len, 'Z', 512);
	A.len += 512;
	file(&A, "after-fifo", "ok");
	end(&A);
	struct riad_block *dev;
	struct riad_kv_tar_stats st;
	struct riad_kv *kv = open_ar(&dev, &st, NULL);
	REQUIRE(kv);
	CHECK_INT(st.replaced, 2);
	CHECK_INT(st.skipped, 3);
	CHECK_INT(riad_kv_exists(kv, "after-dir"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_exists(kv, "after-fifo"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_exists(kv, "sized-dir"), RIAD_KV_DICT);
	CHECK_INT(st.bad_names, 1);
	struct lst l = { "" };
	CHECK_INT(riad_kv_list(kv, "", lst_fn, &l), 0);
	CHECK_STR(l.s, "after-dir after-fifo d/ d-x f/ sized-dir/ ");
	memset(&l, 0, sizeof(l));
	CHECK_INT(riad_kv_list(kv, "d", lst_fn, &l), 0);
	CHECK_STR(l.s, "a b e/ ");
	CHECK_INT(riad_kv_list(kv, "d-x", lst_fn, &l), -RIAD_ENOTDIR);
	CHECK_INT(riad_kv_list(kv, "zz", lst_fn, &l), -RIAD_ENOENT);
	char buf[32];
	CHECK_INT(get_str(kv, "d/b", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "new");
	CHECK_INT(get_str(kv, "d/e/f", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "e");
	CHECK_INT(riad_kv_exists(kv, "f"), RIAD_KV_DICT);
	CHECK_INT(riad_kv_exists(kv, "d/c"), 0);
	riad_kv_close(kv);
	riad_block_close(dev);
}

static void test_gnu_and_pax(void)
{
	char longn[400], longp[400];
	memset(&A, 0, sizeof(A));
	/* 300 bytes of name: two segments */
	memset(longn, 'n', 300);
	longn[0] = 'L';
	longn[150] = '/';
	longn[300] = 0;
	gnu_longname(&A, longn);
	hdr(&A, "truncated-name", '0', 4, "gnu");
	data(&A, "gnu!", 4);
	/* pax: path, size and a fractional mtime */
	memset(longp, 'p', 260);
	longp[0] = 'P';
	longp[100] = '/';
	longp[260] = 0;
	char recs[1024] = "";
	pax_rec(recs, "path", longp);
	pax_rec(recs, "mtime", "1234567890.5");
	pax_rec(recs, "size", "5");
	pax_rec(recs, "comment", "ignored = fine");
	pax_raw(&A, 'x', recs, strlen(recs));
	hdr(&A, "ignored", '0', 0, "ustar"); /* the pax size wins */
	data(&A, "pax!!", 5);
	/* a global header is checked and ignored */
	char g[256] = "";
	pax_rec(g, "comment", "global");
	pax_raw(&A, 'g', g, strlen(g));
	/* base-256 size */
	uint8_t *h = hdr(&A, "b256", '0', 0, "gnu");
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[135] = 3;
	sum(h, SUM_UNSIGNED);
	data(&A, "abc", 3);
	/* base-256 negative mtime */
	h = hdr(&A, "old", '0', 1, "gnu");
	memset(h + 136, 0xff, 12);
	h[147] = 0xfe; /* -2 */
	sum(h, SUM_UNSIGNED);
	data(&A, "o", 1);
	/* a signed checksum, as old tars wrote */
	h = hdr(&A, "caf\xc3\xa9", '0', 1, "ustar");
	sum(h, SUM_SIGNED);
	data(&A, "s", 1);
	/* GNU 'K' long link before a symlink */
	hdr(&A, "././@LongLink", 'K', 5, "gnu");
	data(&A, "tgt!", 5);
	hdr(&A, "link", '2', 0, "gnu");
	end(&A);

	struct riad_block *dev;
	struct riad_kv_tar_stats st;
	int err = 0;
	struct riad_kv *kv = open_ar(&dev, &st, &err);
	REQUIRE(kv);
	char buf[32];
	CHECK_INT(get_str(kv, longn, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "gnu!");
	CHECK_INT(riad_kv_exists(kv, "truncated-name"), 0);
	CHECK_INT(get_str(kv, longp, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "pax!!");
	int64_t mt = 0;
	CHECK_INT(riad_kv_last_modified(kv, longp, &mt), 0);
	CHECK_INT(mt, 1234567890500000000LL);
	CHECK_INT(riad_kv_exists(kv, "ignored"), 0);
	CHECK_INT(get_str(kv, "b256", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "abc");
	CHECK_INT(riad_kv_last_modified(kv, "old", &mt), 0);
	CHECK_INT(mt, -2000000000LL);
	CHECK_INT(get_str(kv, "caf\xc3\xa9", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "s");
	CHECK_INT(st.skipped, 1);
	CHECK_INT(st.members, 5);
	riad_kv_close(kv);
	riad_block_close(dev);
}

/* A member larger than the device: the size is reported, reads past the
 * device are refused, reads inside it work. */
static void test_huge_sizes(void)
{
	/* pax size of 9 GiB */
	memset(&A, 0, sizeof(A));
	char recs[128] = "";
	pax_rec(recs, "size", "9663676416");
	pax_raw(&A, 'x', recs, strlen(recs));
	hdr(&A, "big", '0', 0, "ustar");
	memcpy(A.buf + A.len, "start", 5);
	A.len += 512;
	struct riad_block *dev;
	struct riad_kv_tar_stats st;
	struct riad_kv *kv = open_ar(&dev, &st, NULL);
	REQUIRE(kv);
	CHECK_INT(st.truncated, 1);
	uint64_t size = 0;
	CHECK_INT(riad_kv_size(kv, "big", &size), 0);
	CHECK_INT(size, 9663676416LL);
	char buf[16];
	size_t got = 0;
	CHECK_INT(riad_kv_get(kv, "big", 0, buf, 5, &got), 0);
	CHECK_MEM(buf, "start", 5);
	CHECK_INT(riad_kv_get(kv, "big", 8ull << 30, buf, 5, &got), -RIAD_EBADMSG);
	CHECK_INT(riad_kv_tar_stats(kv, &st), 0);
	CHECK_INT(st.read_errors, 1);
	riad_kv_close(kv);
	riad_block_close(dev);

	/* base-256 size of 2^40 */
	memset(&A, 0, sizeof(A));
	uint8_t *h = hdr(&A, "b256big", '0', 0, "gnu");
	memset(h + 124, 0, 12);
	h[124] = 0x80;
	h[130] = 1;
	sum(h, SUM_UNSIGNED);
	kv = open_ar(&dev, &st, NULL);
	REQUIRE(kv);
	CHECK_INT(riad_kv_size(kv, "b256big", &size), 0);
	CHECK_INT(size, 1LL << 40);
	CHECK_INT(riad_kv_get(kv, "b256big", 0, buf, 5, &got), 0);
	CHECK_INT(riad_kv_get(kv, "b256big", (1ull << 40) - 1, buf, 1, &got), -RIAD_EBADMSG);
	int err = 0;
	struct riad_kv *w = riad_kv_tar_open(dev, true, &err);
	REQUIRE(w);
	CHECK_INT(riad_kv_set(w, "more", "x", 1), -RIAD_ENOSPC); /* nowhere to append */
	riad_kv_close(w);
	riad_kv_close(kv);
	riad_block_close(dev);
}

/* ---- hostile headers: each a counted -RIAD_EBADMSG ---- */

static void expect_bad(const char *what, size_t off_counter, int want_err)
{
	struct riad_block *dev;
	struct riad_kv_tar_stats st;
	int err = 0;
	struct riad_kv *kv = open_ar(&dev, &st, &err);
	if (kv) {
		check_fail(__FILE__, __LINE__, what);
		riad_kv_close(kv);
	} else {
		CHECK_INT(err, want_err);
		uint64_t c;
		memcpy(&c, (const uint8_t *)&st + off_counter, sizeof(c));
		if (c != 1)
			check_fail(__FILE__, __LINE__, what);
	}
	riad_block_close(dev);
}

#define BAD(what, counter) expect_bad(what, offsetof(struct riad_kv_tar_stats, counter), -RIAD_EBADMSG)

static void test_hostile(void)
{
	/* wrong checksum, first and later header */
	memset(&A, 0, sizeof(A));
	uint8_t *h = hdr(&A, "a", '0', 0, "ustar");
	sum(h, SUM_WRONG);
	end(&A);
	BAD("checksum", bad_checksum);
	memset(&A, 0, sizeof(A));
	file(&A, "a", "x");
	h = hdr(&A, "b", '0', 0, "ustar");
	h[0] = 'c';
	end(&A);
	BAD("checksum later", bad_checksum);
	/* garbage: not tar */
	memset(&A, 0, sizeof(A));
	memset(A.buf, 'Z', 2048);
	A.len = 2048;
	BAD("garbage", bad_checksum);

	/* size fields */
	const char *bad_sizes[] = { "0000000008x\0", "12345678901234", "-1" };
	for (size_t i = 0; i < 3; i++) {
		memset(&A, 0, sizeof(A));
		h = hdr(&A, "a", '0', 0, "ustar");
		memset(h + 124, 0, 12);
		memcpy(h + 124, bad_sizes[i], strlen(bad_sizes[i]) > 12 ? 12 : strlen(bad_sizes[i]));
		sum(h, SUM_UNSIGNED);
		end(&A);
		BAD("size", bad_number);
	}
	memset(&A, 0, sizeof(A));
	h = hdr(&A, "a", '0', 0, "gnu");
	memset(h + 124, 0xff, 12); /* negative base-256: -1 */
	sum(h, SUM_UNSIGNED);
	end(&A);
	BAD("negative base-256 size", bad_number);
	memset(&A, 0, sizeof(A));
	h = hdr(&A, "a", '0', 0, "gnu");
	memset(h + 124, 0x7f, 12);
	h[124] = 0x80; /* 2^88-ish: overflows 64 bits */
	sum(h, SUM_UNSIGNED);
	end(&A);
	BAD("base-256 overflow", bad_number);

	/* pax records with bad lengths */
	const char *bad_recs[] = {
		"99 path=a\n",              /* longer than the header */
		"5 path=abc\n",             /* shorter than its record */
		"11 path=abc",              /* no newline where the length ends */
		"x1 path=a\n",              /* not a number */
		"10path=abc\n",             /* no space */
		"9 pathabc\n",              /* no '=' */
		"12 size=12a\n",            /* bad size value */
		"30 size=99999999999999999999\n", /* overflow */
		"12 mtime=1x\n",            /* bad time */
		"0 \n",                     /* zero length */
		"99999999999999999999999 a=b\n", /* endless digits */
	};
	for (size_t i = 0; i < sizeof(bad_recs) / sizeof(bad_recs[0]); i++) {
		memset(&A, 0, sizeof(A));
		pax_raw(&A, i % 2 ? 'g' : 'x', bad_recs[i], strlen(bad_recs[i]));
		file(&A, "a", "x");
		end(&A);
		char what[64];
		snprintf(what, sizeof(what), "pax record %zu", i);
		if (i == 6 || i == 7 || i == 8) {
			/* values only matter in 'x' headers */
			memset(&A, 0, sizeof(A));
			pax_raw(&A, 'x', bad_recs[i], strlen(bad_recs[i]));
			file(&A, "a", "x");
			end(&A);
		}
		BAD(what, bad_pax);
	}
	/* pax header over the limit */
	memset(&A, 0, sizeof(A));
	hdr(&A, "PaxHeaders/x", 'x', RIAD_KV_TAR_PAX_MAX + 1, "ustar");
	end(&A);
	BAD("pax too big", bad_pax);

	/* endless GNU long-name chain */
	memset(&A, 0, sizeof(A));
	for (int i = 0; i < RIAD_KV_TAR_META_CHAIN + 2; i++)
		gnu_longname(&A, "again");
	file(&A, "a", "x");
	end(&A);
	BAD("long-name chain", bad_chain);
	/* an extended header and then the end */
	memset(&A, 0, sizeof(A));
	gnu_longname(&A, "orphan");
	end(&A);
	BAD("orphan long name", bad_chain);
	/* an extended header cut by the end of the device */
	memset(&A, 0, sizeof(A));
	hdr(&A, "././@LongLink", 'L', 1 << 30, "gnu");
	BAD("cut long name", truncated);
	/* endless old-GNU sparse extension blocks */
	memset(&A, 0, sizeof(A));
	h = hdr(&A, "sp", 'S', 0, "gnu");
	h[482] = 1;
	sum(h, SUM_UNSIGNED);
	for (int i = 0; i < RIAD_KV_TAR_META_CHAIN + 2; i++) {
		memset(A.buf + A.len, 0, 512);
		A.buf[A.len + 504] = 1;
		A.len += 512;
	}
	BAD("sparse chain", bad_chain);

	/* a long name over the key limit: skipped unread, not an error */
	memset(&A, 0, sizeof(A));
	hdr(&A, "././@LongLink", 'L', 5000, "gnu");
	A.len += 5000 / 512 * 512 + 512;
	file(&A, "x", "skipped");
	file(&A, "y", "kept");
	end(&A);
	struct riad_block *dev;
	struct riad_kv_tar_stats st;
	struct riad_kv *kv = open_ar(&dev, &st, NULL);
	REQUIRE(kv);
	CHECK_INT(st.bad_names, 1);
	CHECK_INT(riad_kv_exists(kv, "x"), 0);
	CHECK_INT(riad_kv_exists(kv, "y"), RIAD_KV_VALUE);
	riad_kv_close(kv);
	riad_block_close(dev);
}

static void test_limits_and_io(void)
{
	/* a read error below */
	memset(&A, 0, sizeof(A));
	file(&A, "a", "x");
	file(&A, "b", "y");
	end(&A);
	struct riad_block *mem = dev_of(&A, 16, 512);
	struct riad_block_faults f = { .fail_read = 1 };
	struct riad_block *fb = riad_block_fault_wrap(mem, &f, NULL);
	REQUIRE(fb);
	int err = 0;
	CHECK(!riad_kv_tar_open(fb, false, &err));
	CHECK_INT(err, -RIAD_EIO);
	riad_block_close(fb);
	riad_block_close(mem);

	/* the device ends without end-of-archive blocks: fine, read-only */
	memset(&A, 0, sizeof(A));
	file(&A, "a", "x");
	struct riad_block *dev = dev_of(&A, 2, 512);
	struct riad_kv *kv = riad_kv_tar_open(dev, true, &err);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "a"), RIAD_KV_VALUE);
	CHECK_INT(riad_kv_set(kv, "b", "y", 1), -RIAD_ENOSPC);
	riad_kv_close(kv);
	riad_block_close(dev);
}

static int zero_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	memset(buf, 0, count * b->sector_size);
	(void)sector;
	return 0;
}
static int no_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	(void)b, (void)sector, (void)buf, (void)count;
	return -RIAD_EIO;
}
static int no_flush(struct riad_block *b)
{
	(void)b;
	return 0;
}
static void no_close(struct riad_block *b)
{
	(void)b;
}

static void test_read_only_and_entries_limit(void)
{
	static const struct riad_block_ops ro_ops = {
		.read = zero_read, .write = no_write, .flush = no_flush, .close = no_close,
	};
	struct riad_block ro;
	riad_block_init(&ro, &ro_ops, "ro", 64, 512, true);
	int err = 0;
	CHECK(!riad_kv_tar_open(&ro, true, &err));
	CHECK_INT(err, -RIAD_EROFS);
	struct riad_kv *kv = riad_kv_tar_open(&ro, false, &err);
	REQUIRE(kv);
	CHECK_INT(riad_kv_set(kv, "a", "b", 1), -RIAD_EROFS);
	CHECK_INT(riad_kv_flush(kv), 0);
	riad_kv_close(kv);

	/* one member more than RIAD_KV_TAR_ENTRIES: a counted -RIAD_ENOSPC */
	size_t n = RIAD_KV_TAR_ENTRIES + 1;
	struct riad_block *dev = riad_block_mem_open(n + 2, 512, NULL);
	REQUIRE(dev);
	uint8_t *img = calloc(n + 2, 512);
	REQUIRE(img);
	for (size_t i = 0; i < n; i++) {
		memset(&A, 0, sizeof(A));
		char name[32];
		snprintf(name, sizeof(name), "f%zu", i);
		hdr(&A, name, '0', 0, "ustar");
		memcpy(img + i * 512, A.buf, 512);
	}
	REQUIRE(riad_block_write(dev, 0, img, n + 2) == 0);
	free(img);
	struct riad_kv_tar_stats st;
	CHECK(!riad_kv_tar_open_stats(dev, false, &st, &err));
	CHECK_INT(err, -RIAD_ENOSPC);
	CHECK_INT(st.too_many, 1);
	CHECK_INT(st.members, RIAD_KV_TAR_ENTRIES);
	riad_block_close(dev);
}

/* ---- appending ---- */

static void test_append(void)
{
	for (uint32_t ss = 512; ss <= 32768; ss *= 8) {
		memset(&A, 0, sizeof(A));
		file(&A, "first", "1");
		end(&A);
		struct riad_block *dev = dev_of(&A, 65536 / ss * 4, ss);
		int err = 0;
		struct riad_kv *kv = riad_kv_tar_open(dev, true, &err);
		REQUIRE(kv);
		CHECK_INT(riad_kv_set(kv, "a/b", "hello", 5), 0);
		CHECK_INT(riad_kv_set(kv, "first", "replaced", 8), 0);
		struct riad_kv_tar_stats st0;
		CHECK_INT(riad_kv_tar_stats(kv, &st0), 0);
		CHECK_INT(st0.replaced, 1);
		CHECK_INT(st0.members, 3);
		char longk[400];
		memset(longk, 'k', 300);
		longk[120] = '/';
		longk[300] = 0;
		CHECK_INT(riad_kv_set(kv, longk, "pax", 3), 0);
		char split[200];
		memset(split, 's', 150);
		split[60] = '/';
		split[150] = 0;
		CHECK_INT(riad_kv_set(kv, split, "split", 5), 0);
		static uint8_t big[20000];
		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = (uint8_t)(i * 7);
		CHECK_INT(riad_kv_set(kv, "big", big, sizeof(big)), 0);
		CHECK_INT(riad_kv_set(kv, "empty", "", 0), 0);
		CHECK_INT(riad_kv_set(kv, "a", "x", 1), -RIAD_EISDIR);
		CHECK_INT(riad_kv_set(kv, "a/b/c", "x", 1), -RIAD_ENOTDIR);
		CHECK_INT(riad_kv_set_partial(kv, "a/b", 1, "EL", 2), 0);
		/* growing: a new member with the old bytes */
		CHECK_INT(riad_kv_set(kv, "grow", "abc", 3), 0);
		CHECK_INT(riad_kv_set_partial(kv, "grow", 2, "XY", 2), 0);
		CHECK_INT(riad_kv_set_partial(kv, "grow", 6, "Z", 1), 0);
		CHECK_INT(riad_kv_set_partial(kv, "newp", 600, "N", 1), 0);
		CHECK_INT(riad_kv_set_partial(kv, "big", 19990, big, 20), 0);
		CHECK_INT(riad_kv_set_partial(kv, "a", 0, "x", 1), -RIAD_EISDIR);
		CHECK_INT(riad_kv_set_partial(kv, "a/b/c", 0, "x", 1), -RIAD_ENOTDIR);
		CHECK_INT(riad_kv_remove(kv, "a/b"), -RIAD_ENOTSUP);
		CHECK_INT(riad_kv_rename(kv, "a/b", "c"), -RIAD_ENOTSUP);
		CHECK_INT(riad_kv_flush(kv), 0);
		char buf[32];
		size_t got = 0;
		CHECK_INT(get_str(kv, "a/b", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "hELlo");
		riad_kv_close(kv);
		/* open again: everything is there */
		kv = riad_kv_tar_open(dev, false, &err);
		REQUIRE(kv);
		CHECK_INT(get_str(kv, "a/b", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "hELlo");
		CHECK_INT(get_str(kv, "first", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "replaced");
		CHECK_INT(get_str(kv, longk, buf, sizeof(buf)), 0);
		CHECK_STR(buf, "pax");
		CHECK_INT(get_str(kv, split, buf, sizeof(buf)), 0);
		CHECK_STR(buf, "split");
		CHECK_INT(get_str(kv, "empty", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "");
		CHECK_INT(riad_kv_get(kv, "grow", 0, buf, sizeof(buf), &got), 0);
		CHECK_INT(got, 7);
		CHECK_MEM(buf, "abXY\0\0Z", 7);
		static uint8_t np[700];
		CHECK_INT(riad_kv_get(kv, "newp", 0, np, sizeof(np), &got), 0);
		CHECK_INT(got, 601);
		CHECK(np[600] == 'N' && np[0] == 0 && np[599] == 0);
		static uint8_t back[20000];
		CHECK_INT(riad_kv_get(kv, "big", 0, back, sizeof(back), &got), 0);
		CHECK_INT(got, sizeof(back));
		CHECK_MEM(back, big, 19990);
		CHECK_MEM(back + 19990, big, 10);
		uint64_t bsz = 0;
		CHECK_INT(riad_kv_size(kv, "big", &bsz), 0);
		CHECK_INT(bsz, 20010);
		/* only the sectors holding the bytes asked for */
		uint64_t before = riad_block_stats(dev)->read_sectors;
		CHECK_INT(riad_kv_get(kv, "big", 1000, back, 10, &got), 0);
		CHECK(riad_block_stats(dev)->read_sectors - before <= 2);
		before = riad_block_stats(dev)->read_sectors;
		CHECK_INT(riad_kv_get(kv, "big", 0, back, sizeof(back), &got), 0);
		CHECK(riad_block_stats(dev)->read_sectors - before <= 20000 / ss + 2);
		CHECK_INT(riad_kv_get(kv, "big", 777, back, 5000, &got), 0);
		CHECK_INT(got, 5000);
		CHECK_MEM(back, big + 777, 5000);
		struct riad_kv_tar_stats st;
		CHECK_INT(riad_kv_tar_stats(kv, &st), 0);
		CHECK_INT(st.replaced, 4); /* first, grow twice, big */
		riad_kv_close(kv);
		/* until full */
		kv = riad_kv_tar_open(dev, true, &err);
		REQUIRE(kv);
		int r = 0, n = 0;
		while ((r = riad_kv_set(kv, "fill", big, sizeof(big))) == 0)
			n++;
		CHECK_INT(r, -RIAD_ENOSPC);
		CHECK(n > 0);
		riad_kv_close(kv);
		kv = riad_kv_tar_open(dev, false, &err);
		CHECK(kv != NULL);
		riad_kv_close(kv);
		riad_block_close(dev);
	}
	/* an empty (zeroed) device is an empty archive */
	struct riad_block *dev = riad_block_mem_open(64, 512, NULL);
	int err = 0;
	struct riad_kv *kv = riad_kv_tar_open(dev, true, &err);
	REQUIRE(kv);
	struct lst l = { "" };
	CHECK_INT(riad_kv_list(kv, "", lst_fn, &l), 0);
	CHECK_STR(l.s, "");
	CHECK_INT(riad_kv_set(kv, "z", "zz", 2), 0);
	riad_kv_close(kv);
	kv = riad_kv_tar_open(dev, false, &err);
	REQUIRE(kv);
	CHECK_INT(riad_kv_exists(kv, "z"), RIAD_KV_VALUE);
	riad_kv_close(kv);
	riad_block_close(dev);
}

/* A crash between the data and the header leaves the old archive. */
static void test_append_torn(void)
{
	memset(&A, 0, sizeof(A));
	file(&A, "first", "1");
	end(&A);
	struct riad_block *mem = dev_of(&A, 128, 512);
	for (uint64_t n = 1; n <= 4; n++) {
		struct riad_block_faults f = { .torn_write = n, .torn_sectors = 0 };
		struct riad_block *fb = riad_block_fault_wrap(mem, &f, NULL);
		REQUIRE(fb);
		int err = 0;
		struct riad_kv *kv = riad_kv_tar_open(fb, true, &err);
		REQUIRE(kv);
		char longk[300];
		memset(longk, 'q', 250);
		longk[100] = '/';
		longk[250] = 0;
		int r = riad_kv_set(kv, n % 2 ? longk : "second", "data", 4);
		riad_kv_close(kv);
		riad_block_close(fb);
		kv = riad_kv_tar_open(mem, false, &err);
		REQUIRE(kv);
		CHECK_INT(riad_kv_exists(kv, "first"), RIAD_KV_VALUE);
		if (r < 0) {
			CHECK_INT(riad_kv_exists(kv, "second"), 0);
			CHECK_INT(riad_kv_exists(kv, longk), 0);
		}
		riad_kv_close(kv);
	}
	riad_block_close(mem);
}

/* Random damage to a valid archive: never a crash, every answer an error
 * or a store that reads back within the device. */
static void test_mutations(void)
{
	static struct ar base;
	memset(&A, 0, sizeof(A));
	char recs[256] = "";
	pax_rec(recs, "path", "pax/name");
	pax_rec(recs, "size", "3");
	pax_raw(&A, 'x', recs, strlen(recs));
	hdr(&A, "x", '0', 0, "ustar");
	data(&A, "abc", 3);
	gnu_longname(&A, "gnu/long/name");
	hdr(&A, "x", '0', 2, "gnu");
	data(&A, "de", 2);
	file(&A, "plain", "fgh");
	end(&A);
	base = A;
	uint32_t rng = 99;
	for (int i = 0; i < 3000; i++) {
		A = base;
		int flips = 1 + (int)(rng % 4);
		for (int k = 0; k < flips; k++) {
			rng = rng * 1103515245 + 12345;
			size_t at = (rng >> 8) % base.len;
			rng = rng * 1103515245 + 12345;
			A.buf[at] = (uint8_t)(rng >> 16);
		}
		/* fix the checksums now and then, to get past them */
		if (i % 2)
			for (size_t o = 0; o + 512 <= A.len; o += 512)
				if (memcmp(A.buf + o + 257, "ustar", 5) == 0)
					sum(A.buf + o, SUM_UNSIGNED);
		struct riad_block *dev;
		struct riad_kv_tar_stats st;
		int err = 0;
		struct riad_kv *kv = open_ar(&dev, &st, &err);
		if (kv) {
			struct lst l = { "" };
			riad_kv_list(kv, "", lst_fn, &l);
			uint8_t dg[32];
			riad_kv_digest(kv, "plain", dg);
			riad_kv_digest(kv, "pax/name", dg);
			riad_kv_close(kv);
		} else {
			CHECK(err == -RIAD_EBADMSG || err == -RIAD_ENOSPC);
		}
		riad_block_close(dev);
	}
}

int main(void)
{
	riad_log_set_level("kv", RIAD_LOG_QUIET);
	RUN(test_ustar);
	RUN(test_list_and_replace);
	RUN(test_gnu_and_pax);
	RUN(test_huge_sizes);
	RUN(test_hostile);
	RUN(test_limits_and_io);
	RUN(test_read_only_and_entries_limit);
	RUN(test_append);
	RUN(test_append_torn);
	RUN(test_mutations);
	return check_done();
}
