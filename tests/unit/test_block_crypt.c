/* tests/unit/test_block_crypt.c: the encryption overlay (riad_block_crypt_open): round trips, every flipped bit, swapped and relocated sectors, keys and headers, torn writes at every point, a thousand crashed sessions against a model, space overhead and write amplification. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/random.h>

#include "../../storage/block_crypt.h"
#include "../../storage/block_crypt_wire.h"
#include "check.h"
#include "runtime.h"

static const uint8_t KEY[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t KEY2[32] = "0123456789abcdef0123456789abcdeF";

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}
static void fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next_rand();
}

static struct riad_block *mem(uint64_t sectors, uint32_t ss)
{
	struct riad_block *m = riad_block_mem_open(sectors, ss, NULL);
	if (!m)
		abort();
	return m;
}

static struct riad_block *ov(struct riad_block *inner, bool format)
{
	int e = 0;
	struct riad_block *c = riad_block_crypt_open(inner, KEY, sizeof(KEY), format, &e);
	if (!c)
		printf("  crypt_open: %d\n", e);
	return c;
}

/* Copy every sector of src to dst (same geometry). */
static void copy_dev(struct riad_block *dst, struct riad_block *src)
{
	uint32_t ss = riad_block_sector_size(src);
	uint8_t *p = malloc(ss);
	for (uint64_t s = 0; s < riad_block_sectors(src); s++) {
		riad_block_read(src, s, p, 1);
		riad_block_write(dst, s, p, 1);
	}
	free(p);
}

/* Raw access to the inner device's layout. */
static uint64_t meta_of(uint32_t ss, uint64_t d)
{
	uint64_t per = CRYPT_ENTRIES(ss);
	return 1 + d / per * (per + 1);
}
static uint64_t raw_of(uint32_t ss, uint64_t d)
{
	return meta_of(ss, d) + 1 + d % CRYPT_ENTRIES(ss);
}

static void round_trip(uint32_t ss)
{
	struct riad_block *m = mem(300, ss);
	struct riad_block *c = ov(m, true);
	REQUIRE(c);
	uint64_t n = riad_block_sectors(c);
	CHECK_INT(n, block_crypt_data_sectors(300, ss));
	CHECK(block_crypt_inner_sectors(n, ss) <= 300);
	CHECK(block_crypt_data_sectors(block_crypt_inner_sectors(n, ss), ss) == n);
	uint8_t *want = malloc(n * ss), *got = malloc(n * ss);
	memset(want, 0, n * ss);
	memset(got, 0xaa, n * ss);
	/* Never written: zeros. */
	CHECK_INT(riad_block_read(c, 0, got, n), 0);
	CHECK_MEM(got, want, n * ss);
	/* Writes of random lengths at random places, twice over. */
	for (int round = 0; round < 60; round++) {
		uint64_t s = next_rand() % n, len = 1 + next_rand() % 40;
		if (len > n - s)
			len = n - s;
		fill(want + s * ss, len * ss);
		REQUIRE(riad_block_write(c, s, want + s * ss, len) == 0);
	}
	CHECK_INT(riad_block_read(c, 0, got, n), 0);
	CHECK_MEM(got, want, n * ss);
	/* Reads of random ranges (starting inside groups: the metadata
	 * sector read apart or with the sectors before). */
	bool same = true;
	for (int round = 0; round < 60; round++) {
		uint64_t s = next_rand() % n, len = 1 + next_rand() % 40;
		if (len > n - s)
			len = n - s;
		memset(got, 0xaa, len * ss);
		same &= riad_block_read(c, s, got, len) == 0 && memcmp(got, want + s * ss, len * ss) == 0;
	}
	CHECK(same);
	/* Nothing of the plaintext is on the device below. */
	uint8_t *raw = malloc(300 * ss);
	riad_block_read(m, 0, raw, 300);
	CHECK(memmem(raw, 300 * ss, want + 5 * ss, 32) == NULL);
	free(raw);
	CHECK_INT(riad_block_flush(c), 0);
	riad_block_close(c);
	/* Reopened: the same contents; the wrong key is refused. */
	int e = 0;
	CHECK(riad_block_crypt_open(m, KEY2, sizeof(KEY2), false, &e) == NULL);
	CHECK_INT(e, -RIAD_EACCES);
	CHECK(riad_block_crypt_open(m, KEY2, sizeof(KEY2), true, &e) == NULL);
	CHECK_INT(e, -RIAD_EACCES);
	c = ov(m, false);
	REQUIRE(c);
	memset(got, 0, n * ss);
	CHECK_INT(riad_block_read(c, 0, got, n), 0);
	CHECK_MEM(got, want, n * ss);
	CHECK_INT(riad_block_stats(c)->auth_errors, 0);
	riad_block_close(c);
	riad_block_close(m);
	free(want);
	free(got);
}

static void round_trip_512(void) { round_trip(512); }
static void round_trip_4096(void) { round_trip(4096); }
/* Over 4 KiB a group does not fit the read buffer: reads go a group at a
 * time. */
static void round_trip_16384(void) { round_trip(16384); }

static void bad_arguments(void)
{
	struct riad_block *m = mem(2, 512);
	int e = 0;
	CHECK(riad_block_crypt_open(m, KEY, sizeof(KEY), true, &e) == NULL);
	CHECK_INT(e, -RIAD_EINVAL); /* too small for header, metadata and data */
	riad_block_close(m);
	m = mem(64, 512);
	CHECK(riad_block_crypt_open(m, KEY, 15, true, &e) == NULL);
	CHECK_INT(e, -RIAD_EINVAL);
	CHECK(riad_block_crypt_open(m, KEY, 65, true, &e) == NULL);
	CHECK_INT(e, -RIAD_EINVAL);
	/* Not an overlay, and not asked to create one. */
	CHECK(riad_block_crypt_open(m, KEY, sizeof(KEY), false, &e) == NULL);
	CHECK_INT(e, -RIAD_EBADMSG);
	riad_block_close(m);
}

/* Every bit of a written data sector and of its metadata sector, flipped
 * one at a time on the device below: every read of the sector fails with
 * -RIAD_EBADMSG and is counted; with the bit back, it reads again. */
static void flips(uint32_t ss)
{
	struct riad_block *m = mem(64, ss);
	struct riad_block *c = ov(m, true);
	REQUIRE(c);
	uint8_t *p = malloc(ss), *q = malloc(ss), *raw = malloc(ss);
	fill(p, ss);
	/* Sector 3 written twice (both tags in use), sector 4 once. */
	REQUIRE(riad_block_write(c, 3, p, 1) == 0);
	fill(p, ss);
	REQUIRE(riad_block_write(c, 3, p, 1) == 0);
	REQUIRE(riad_block_write(c, 4, p, 1) == 0);
	uint64_t targets[] = { raw_of(ss, 3), meta_of(ss, 3), raw_of(ss, 4) };
	uint64_t sect[] = { 3, 3, 4 };
	for (unsigned t = 0; t < 3; t++) {
		uint64_t missed = 0, errs0 = riad_block_stats(c)->auth_errors;
		riad_block_read(m, targets[t], raw, 1);
		for (uint32_t bit = 0; bit < ss * 8; bit++) {
			raw[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			riad_block_write(m, targets[t], raw, 1);
			if (riad_block_read(c, sect[t], q, 1) != -RIAD_EBADMSG)
				missed++;
			raw[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			riad_block_write(m, targets[t], raw, 1);
		}
		CHECK_INT(missed, 0);
		CHECK_INT(riad_block_stats(c)->auth_errors - errs0, ss * 8);
		CHECK_INT(riad_block_read(c, sect[t], q, 1), 0);
		CHECK_MEM(q, p, ss);
	}
	/* A flipped bit in the metadata entry of a never-written sector. */
	riad_block_read(m, meta_of(ss, 10), raw, 1);
	raw[(10 % CRYPT_ENTRIES(ss)) * CRYPT_ENTRY_LEN + 5] ^= 1;
	riad_block_write(m, meta_of(ss, 10), raw, 1);
	CHECK_INT(riad_block_read(c, 10, q, 1), -RIAD_EBADMSG);
	/* A write into a group whose metadata is bad is refused, counted. */
	uint64_t errs = riad_block_stats(c)->auth_errors;
	CHECK_INT(riad_block_write(c, 10, p, 1), -RIAD_EBADMSG);
	CHECK_INT(riad_block_stats(c)->auth_errors, errs + 1);
	riad_block_close(c);
	/* Every bit of the header: the overlay does not open. */
	uint64_t missed = 0;
	riad_block_read(m, 0, raw, 1);
	for (uint32_t bit = 0; bit < ss * 8; bit++) {
		raw[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		riad_block_write(m, 0, raw, 1);
		int e = 0;
		struct riad_block *x = riad_block_crypt_open(m, KEY, sizeof(KEY), false, &e);
		if (x || e != -RIAD_EBADMSG)
			missed++;
		riad_block_close(x);
		raw[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		riad_block_write(m, 0, raw, 1);
	}
	CHECK_INT(missed, 0);
	riad_block_close(m);
	free(p);
	free(q);
	free(raw);
}

static void flips_512(void) { flips(512); }
static void flips_4096(void) { flips(4096); }

/* Swapped data sectors, a sector copied to another address, swapped
 * metadata sectors: errors, never the other sector's data. */
static void swapped_and_relocated(void)
{
	uint32_t ss = 512;
	uint64_t per = CRYPT_ENTRIES(ss);
	struct riad_block *m = mem(200, ss);
	struct riad_block *c = ov(m, true);
	REQUIRE(c);
	uint64_t n = riad_block_sectors(c);
	uint8_t *all = malloc(n * ss), *q = malloc(ss), *a = malloc(ss), *b = malloc(ss);
	fill(all, n * ss);
	REQUIRE(riad_block_write(c, 0, all, n) == 0);
	/* Swap the data sectors of 2 and 7 (same group). */
	riad_block_read(m, raw_of(ss, 2), a, 1);
	riad_block_read(m, raw_of(ss, 7), b, 1);
	riad_block_write(m, raw_of(ss, 2), b, 1);
	riad_block_write(m, raw_of(ss, 7), a, 1);
	CHECK_INT(riad_block_read(c, 2, q, 1), -RIAD_EBADMSG);
	CHECK_INT(riad_block_read(c, 7, q, 1), -RIAD_EBADMSG);
	riad_block_write(m, raw_of(ss, 2), a, 1);
	riad_block_write(m, raw_of(ss, 7), b, 1);
	/* Copy sector 1 over sector 1 + per (the same slot of the next group,
	 * with its metadata sector too: the whole group relocated). */
	riad_block_read(m, raw_of(ss, 1), a, 1);
	riad_block_write(m, raw_of(ss, 1 + per), a, 1);
	CHECK_INT(riad_block_read(c, 1 + per, q, 1), -RIAD_EBADMSG);
	riad_block_read(m, meta_of(ss, 1), b, 1);
	riad_block_write(m, meta_of(ss, 1 + per), b, 1);
	CHECK_INT(riad_block_read(c, 1 + per, q, 1), -RIAD_EBADMSG);
	CHECK_INT(riad_block_read(c, 2 + per, q, 1), -RIAD_EBADMSG);
	/* Sector 0 intact throughout. */
	CHECK_INT(riad_block_read(c, 0, q, 1), 0);
	CHECK_MEM(q, all, ss);
	CHECK_INT(riad_block_stats(c)->auth_errors, 5);
	riad_block_close(c);
	riad_block_close(m);
	free(all);
	free(q);
	free(a);
	free(b);
}

/* The counter of a sector grows with every write, across reopenings: no
 * nonce repeats. */
static void counters_grow(void)
{
	uint32_t ss = 512;
	struct riad_block *m = mem(64, ss);
	uint8_t *p = malloc(ss), *raw = malloc(ss);
	uint64_t last = 0;
	bool grew = true;
	for (int open = 0; open < 5; open++) {
		struct riad_block *c = ov(m, open == 0);
		REQUIRE(c);
		for (int w = 0; w < 7; w++) {
			fill(p, ss);
			REQUIRE(riad_block_write(c, 5, p, 1) == 0);
			riad_block_read(m, meta_of(ss, 5), raw, 1);
			const uint8_t *e = raw + 5 * CRYPT_ENTRY_LEN;
			uint64_t ctr = 0;
			for (int i = 0; i < 6; i++)
				ctr = ctr << 8 | e[i];
			grew &= ctr == last + 1;
			last = ctr;
		}
		riad_block_close(c);
	}
	CHECK(grew);
	CHECK_INT(last, 35);
	riad_block_close(m);
	free(p);
	free(raw);
}

/* Torn writes: the Nth write below writes only its first k sectors and
 * then nothing more is written (a crash), for every N and k of a
 * multi-sector write over three groups; reopened without faults, every
 * sector reads as its old or its new contents, never as an error. Then a
 * second torn write on top of each result (an interrupted write after an
 * interrupted write, in a new session). */
struct torn_ctx {
	uint32_t ss;
	uint64_t n, first, len;
	uint8_t *v0, *v1, *v2;
	uint64_t cases, bad;
};

/* Whether every sector of c reads as one of the versions given. */
static bool each_old_or_new(struct riad_block *c, struct torn_ctx *t, uint8_t *const *versions,
                            int nv, uint8_t *result)
{
	bool ok = riad_block_read(c, 0, result, t->n) == 0;
	for (uint64_t s = 0; ok && s < t->n; s++) {
		bool match = false;
		for (int v = 0; v < nv; v++)
			match |= memcmp(result + s * t->ss, versions[v] + s * t->ss, t->ss) == 0;
		ok &= match;
	}
	return ok;
}

/* Write data over [first, first+len) of the overlay on base with the Nth
 * write below torn after k sectors; returns false once N is past the last
 * write of the request. */
static bool torn_once(struct riad_block *base, struct torn_ctx *t, const uint8_t *data, uint64_t nth,
                      uint64_t k)
{
	struct riad_block_faults f = { .torn_write = nth, .torn_sectors = k };
	struct riad_block *w = riad_block_fault_wrap(base, &f, NULL);
	struct riad_block *c = riad_block_crypt_open(w, KEY, sizeof(KEY), false, NULL);
	if (!c)
		abort();
	uint64_t writes0 = riad_block_stats(w)->write_reqs + riad_block_stats(w)->write_errors;
	int r = riad_block_write(c, t->first, data + t->first * t->ss, t->len);
	uint64_t writes = riad_block_stats(w)->write_reqs + riad_block_stats(w)->write_errors - writes0;
	riad_block_close(c);
	riad_block_close(w);
	return r != 0 || writes >= nth;
}

static void torn(uint32_t ss)
{
	uint64_t per = CRYPT_ENTRIES(ss);
	struct torn_ctx t = { .ss = ss };
	uint64_t inner = block_crypt_inner_sectors(4 * per, ss);
	struct riad_block *m = mem(inner, ss), *snap = mem(inner, ss), *snap2 = mem(inner, ss);
	struct riad_block *c = ov(m, true);
	REQUIRE(c);
	t.n = riad_block_sectors(c);
	t.first = per / 2;
	t.len = 2 * per + 3; /* three groups, partly */
	t.v0 = malloc(t.n * ss), t.v1 = malloc(t.n * ss), t.v2 = malloc(t.n * ss);
	uint8_t *result = malloc(t.n * ss), *mid = malloc(t.n * ss);
	/* Version 0: the first half written (the rest never written). */
	memset(t.v0, 0, t.n * ss);
	fill(t.v0, t.n / 2 * ss);
	REQUIRE(riad_block_write(c, 0, t.v0, t.n / 2) == 0);
	riad_block_close(c);
	memcpy(t.v1, t.v0, t.n * ss);
	fill(t.v1 + t.first * ss, t.len * ss);
	memcpy(t.v2, t.v1, t.n * ss);
	fill(t.v2 + t.first * ss, t.len * ss);
	copy_dev(snap, m);
	uint64_t cases = 0, bad = 0, inner_cases = 0;
	for (uint64_t nth = 1;; nth++) {
		bool more = false;
		/* Up to the longest write below: a whole batch of groups
		 * goes down in one request. */
		for (uint64_t k = 0; k <= t.len + 3; k++) {
			copy_dev(m, snap);
			more = torn_once(m, &t, t.v1, nth, k);
			if (!more)
				break;
			c = ov(m, false);
			REQUIRE(c);
			uint8_t *vs1[] = { t.v0, t.v1 };
			cases++;
			if (!each_old_or_new(c, &t, vs1, 2, mid))
				bad++;
			riad_block_close(c);
			/* A second interrupted write on top, at a few points. */
			copy_dev(snap2, m);
			for (uint64_t nth2 = 1; nth2 < 12; nth2++) {
				copy_dev(m, snap2);
				if (!torn_once(m, &t, t.v2, nth2, (nth2 * 7 + k) % (t.len + 4)))
					break;
				c = ov(m, false);
				REQUIRE(c);
				uint8_t *vs2[] = { mid, t.v2 };
				inner_cases++;
				if (!each_old_or_new(c, &t, vs2, 2, result))
					bad++;
				riad_block_close(c);
			}
		}
		if (!more)
			break;
	}
	printf("  %u-byte sectors: %llu torn points, %llu torn-after-torn, %llu bad\n", ss,
	       (unsigned long long)cases, (unsigned long long)inner_cases, (unsigned long long)bad);
	CHECK(cases > 8);
	CHECK_INT(bad, 0);
	riad_block_close(m);
	riad_block_close(snap);
	riad_block_close(snap2);
	free(t.v0), free(t.v1), free(t.v2), free(result), free(mid);
}

static void torn_512(void) { torn(512); }
static void torn_4096(void) { torn(4096); }

/* The same sector interrupted between its metadata and data writes in
 * many sessions in a row still reads as the last version that landed. */
static void interrupted_in_a_row(void)
{
	uint32_t ss = 512;
	struct riad_block *m = mem(64, ss);
	struct riad_block *c = ov(m, true);
	REQUIRE(c);
	uint8_t *p = malloc(ss), *q = malloc(ss), *x = malloc(ss);
	/* The first sector of group 1: the write below is its metadata
	 * sector and then it, in one request (RIAD_BLOCK_CRYPT_ORDERED=0). */
	uint64_t d = CRYPT_ENTRIES(ss);
	fill(p, ss);
	REQUIRE(riad_block_write(c, d, p, 1) == 0);
	riad_block_close(c);
	for (int i = 0; i < 20; i++) {
		/* Write 1: the header (new session), 2: metadata and data, torn
		 * between them. */
		struct riad_block_faults f = { .torn_write = 2, .torn_sectors = 1 };
		struct riad_block *w = riad_block_fault_wrap(m, &f, NULL);
		c = riad_block_crypt_open(w, KEY, sizeof(KEY), false, NULL);
		REQUIRE(c);
		fill(x, ss);
		CHECK_INT(riad_block_write(c, d, x, 1), -RIAD_EIO);
		riad_block_close(c);
		riad_block_close(w);
	}
	c = ov(m, false);
	REQUIRE(c);
	CHECK_INT(riad_block_read(c, d, q, 1), 0);
	CHECK_MEM(q, p, ss);
	/* And a write that lands after all that is read back. */
	fill(x, ss);
	CHECK_INT(riad_block_write(c, d, x, 1), 0);
	CHECK_INT(riad_block_read(c, d, q, 1), 0);
	CHECK_MEM(q, x, ss);
	riad_block_close(c);
	riad_block_close(m);
	free(p), free(q), free(x);
}

/* Many sessions, each a run of random writes (up to 40 sectors, as
 * tests/storage/crypt_crash.t makes them) cut short by a crash at a
 * random write below, torn after a random number of sectors: after each,
 * reopened without faults, every sector holds what the last write that
 * returned put there, or what the write cut short would have. A model of
 * the whole history across sessions, where the torn cases above cover one
 * write over one or two sessions. */
static void random_sessions(void)
{
	uint32_t ss = 512;
	uint64_t inner = block_crypt_inner_sectors(300, ss);
	struct riad_block *m = mem(inner, ss);
	struct riad_block *c = ov(m, true);
	REQUIRE(c);
	uint64_t n = riad_block_sectors(c), maxlen = 40;
	riad_block_close(c);
	uint8_t *want = calloc(n, ss), *fly = calloc(n, ss), *got = malloc(n * ss);
	uint8_t *buf = malloc(maxlen * ss);
	bool *in = calloc(n, sizeof(bool));
	uint64_t sessions = 1000, bad = 0, landed = 0, cut = 0;
	for (uint64_t sn = 0; sn < sessions && !bad; sn++) {
		struct riad_block_faults f = { .torn_write = 1 + next_rand() % 60,
			                       .torn_sectors = next_rand() % (maxlen + 8) };
		struct riad_block *w = riad_block_fault_wrap(m, &f, NULL);
		c = riad_block_crypt_open(w, KEY, sizeof(KEY), false, NULL);
		REQUIRE(c);
		memset(in, 0, n * sizeof(bool));
		for (int i = 0; i < 200; i++) {
			uint64_t s = next_rand() % n, len = 1 + next_rand() % maxlen;
			if (len > n - s)
				len = n - s;
			fill(buf, len * ss);
			if (riad_block_write(c, s, buf, len) < 0) {
				for (uint64_t k = 0; k < len; k++)
					memcpy(fly + (s + k) * ss, buf + k * ss, ss), in[s + k] = true;
				cut++;
				break;
			}
			memcpy(want + s * ss, buf, len * ss);
			landed++;
			if (next_rand() % 4 == 0)
				riad_block_flush(c);
		}
		riad_block_close(c);
		riad_block_close(w);
		c = ov(m, false);
		REQUIRE(c);
		CHECK_INT(riad_block_read(c, 0, got, n), 0);
		riad_block_close(c);
		for (uint64_t s = 0; s < n; s++) {
			uint8_t *g = got + s * ss;
			if (memcmp(g, want + s * ss, ss) != 0 && !(in[s] && memcmp(g, fly + s * ss, ss) == 0)) {
				if (bad++ < 3)
					printf("  session %llu: sector %llu neither old nor new\n",
					       (unsigned long long)sn, (unsigned long long)s);
			}
		}
		memcpy(want, got, n * ss);
	}
	printf("  %llu sessions: %llu writes returned, %llu cut short, %llu sectors bad\n",
	       (unsigned long long)sessions, (unsigned long long)landed, (unsigned long long)cut,
	       (unsigned long long)bad);
	CHECK_INT(bad, 0);
	CHECK(cut > sessions / 2);
	riad_block_close(m);
	free(want), free(fly), free(got), free(buf), free(in);
}

/* Space lost to the header and metadata on a 1 GiB device; the goals are
 * 2% at 4 KiB sectors and 7% at 512 bytes. */
static void overhead(void)
{
	uint32_t sizes[] = { 512, 4096 };
	double goal[] = { 0.07, 0.02 };
	for (int i = 0; i < 2; i++) {
		uint64_t inner = (1ull << 30) / sizes[i];
		uint64_t data = block_crypt_data_sectors(inner, sizes[i]);
		double lost = 1.0 - (double)data / (double)inner;
		printf("  %u-byte sectors: %u entries per metadata sector, %.3f%% of 1 GiB lost\n",
		       sizes[i], (unsigned)CRYPT_ENTRIES(sizes[i]), lost * 100);
		CHECK(lost <= goal[i]);
		/* Small devices too, down to 1 MiB (the header and a partial
		 * last group weigh more there). */
		inner = (1u << 20) / sizes[i];
		lost = 1.0 - (double)block_crypt_data_sectors(inner, sizes[i]) / (double)inner;
		CHECK(lost <= goal[i]);
	}
}

/* Sectors written below per sector written to the overlay: a long
 * sequential write (goal: at most 10% more), a single random write. */
static void write_amplification(void)
{
	uint32_t sizes[] = { 512, 4096 };
	for (int i = 0; i < 2; i++) {
		uint32_t ss = sizes[i];
		uint64_t inner = (64ull << 20) / ss;
		struct riad_block *m = mem(inner, ss);
		struct riad_block *c = ov(m, true);
		REQUIRE(c);
		uint64_t n = riad_block_sectors(c), chunk = (1 << 20) / ss;
		uint8_t *p = malloc(chunk * ss);
		fill(p, chunk * ss);
		REQUIRE(riad_block_write(c, 0, p, 1) == 0); /* the session's header write */
		uint64_t w0 = riad_block_stats(m)->write_sectors;
		for (uint64_t s = 0; s < n; s += chunk)
			REQUIRE(riad_block_write(c, s, p, s + chunk <= n ? chunk : n - s) == 0);
		double amp = (double)(riad_block_stats(m)->write_sectors - w0) / (double)n;
		uint64_t w1 = riad_block_stats(m)->write_sectors, r1 = riad_block_stats(m)->read_sectors;
		REQUIRE(riad_block_write(c, n / 3, p, 1) == 0);
		printf("  %u-byte sectors: sequential %.4f sectors written per sector; a single "
		       "random write: %llu written, %llu read\n",
		       ss, amp, (unsigned long long)(riad_block_stats(m)->write_sectors - w1),
		       (unsigned long long)(riad_block_stats(m)->read_sectors - r1));
		CHECK(amp <= 1.10);
		/* Read back in requests of several batches each. */
		uint64_t big = 3 * chunk + 5;
		uint8_t *q = malloc(big * ss);
		bool same = true;
		for (uint64_t s = 0; s < n; s += big) {
			uint64_t k = s + big <= n ? big : n - s;
			REQUIRE(riad_block_read(c, s, q, k) == 0);
			for (uint64_t j = 0; j < k; j++)
				same &= memcmp(q + j * ss, s + j == n / 3 ? p : p + ((s + j) % chunk) * ss,
				               ss) == 0;
		}
		CHECK(same);
		free(q);
		riad_block_close(c);
		riad_block_close(m);
		free(p);
	}
}

int main(void)
{
	fake_entropy_seed(7);
	riad_random_boot();
	RUN(round_trip_512);
	RUN(round_trip_4096);
	RUN(round_trip_16384);
	RUN(bad_arguments);
	RUN(flips_512);
	RUN(flips_4096);
	RUN(swapped_and_relocated);
	RUN(counters_grow);
	RUN(torn_512);
	RUN(torn_4096);
	RUN(interrupted_in_a_row);
	RUN(random_sessions);
	RUN(overhead);
	RUN(write_amplification);
	return check_done();
}
