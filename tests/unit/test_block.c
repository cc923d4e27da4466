/* tests/unit/test_block.c: the block instance interface over the memory device, the fault injector and ranges.
 *
 * Every error value of the checked requests and its counter; the fault
 * injector (the Nth read or write fails, sticky, torn writes, bit flips);
 * ranges (confined, nested, read-only, errors passed up).
 */
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>

#include "check.h"

static struct riad_block *mem(uint64_t sectors)
{
	int err = 0;
	struct riad_block *b = riad_block_mem_open(sectors, 512, &err);
	if (!b)
		abort();
	/* Sector s holds bytes s*7 + i: every sector is distinct. */
	uint8_t buf[512];
	for (uint64_t s = 0; s < sectors; s++) {
		for (int i = 0; i < 512; i++)
			buf[i] = (uint8_t)(s * 7 + (uint64_t)i);
		if (riad_block_write(b, s, buf, 1) != 0)
			abort();
	}
	return b;
}

static bool sector_is(const uint8_t *p, uint64_t s)
{
	for (int i = 0; i < 512; i++)
		if (p[i] != (uint8_t)(s * 7 + (uint64_t)i))
			return false;
	return true;
}

static void mem_geometry_and_errors(void)
{
	int err = 0;
	CHECK(riad_block_mem_open(0, 512, &err) == NULL);
	CHECK_INT(err, -RIAD_EINVAL);
	CHECK(riad_block_mem_open(8, 1000, &err) == NULL);
	CHECK_INT(err, -RIAD_EINVAL);
	CHECK(riad_block_mem_open(8, 256, &err) == NULL);
	struct riad_block *b = riad_block_mem_open(16, 4096, &err);
	REQUIRE(b);
	CHECK_INT(riad_block_sectors(b), 16);
	CHECK_INT(riad_block_sector_size(b), 4096);
	CHECK(!riad_block_read_only(b));
	uint8_t *buf = calloc(2, 4096);
	CHECK_INT(riad_block_read(b, 15, buf, 1), 0);
	CHECK_INT(riad_block_read(b, 15, buf, 2), -RIAD_ERANGE);
	CHECK_INT(riad_block_read(b, 16, buf, 1), -RIAD_ERANGE);
	CHECK_INT(riad_block_read(b, 0, buf, 0), -RIAD_ERANGE);
	CHECK_INT(riad_block_read(b, UINT64_MAX, buf, 2), -RIAD_ERANGE);
	CHECK_INT(riad_block_write(b, 1, buf, UINT64_MAX), -RIAD_ERANGE);
	CHECK_INT(riad_block_discard(b, 10, 7), -RIAD_ERANGE);
	const struct riad_block_stats *st = riad_block_stats(b);
	CHECK_INT(st->range_errors, 6);
	CHECK_INT(st->read_reqs, 1);
	CHECK_INT(st->read_errors, 0);
	memset(buf, 0xab, 2 * 4096);
	CHECK_INT(riad_block_write(b, 3, buf, 2), 0);
	memset(buf, 0, 2 * 4096);
	CHECK_INT(riad_block_read(b, 4, buf, 1), 0);
	CHECK(buf[0] == 0xab && buf[4095] == 0xab);
	CHECK_INT(riad_block_discard(b, 4, 1), 0);
	CHECK_INT(riad_block_read(b, 3, buf, 2), 0);
	CHECK(buf[0] == 0xab && buf[4096] == 0 && buf[8191] == 0);
	CHECK_INT(riad_block_flush(b), 0);
	CHECK_INT(st->write_reqs, 1);
	CHECK_INT(st->write_sectors, 2);
	CHECK_INT(st->read_sectors, 1 + 1 + 2);
	CHECK_INT(st->discard_reqs, 1);
	CHECK_INT(st->discard_sectors, 1);
	CHECK_INT(st->flush_reqs, 1);
	free(buf);
	riad_block_close(b);
	riad_block_close(NULL);
}

static struct riad_block *abort_dev;
static void read_null(void)
{
	(void)riad_block_read(abort_dev, 0, NULL, 1);
}
static void write_null(void)
{
	(void)riad_block_write(abort_dev, 0, NULL, 1);
}

static void null_buffer_aborts(void)
{
	abort_dev = mem(4);
	CHECK(expect_abort(read_null));
	CHECK(expect_abort(write_null));
	riad_block_close(abort_dev);
}

static void fault_nth_read_and_write(void)
{
	struct riad_block *m = mem(8);
	uint8_t buf[512 * 2];
	int err;
	struct riad_block_faults f = { .fail_read = 2, .fail_write = 3 };
	struct riad_block *w = riad_block_fault_wrap(m, &f, &err);
	REQUIRE(w);
	CHECK_INT(riad_block_read(w, 0, buf, 1), 0);
	CHECK_INT(riad_block_read(w, 1, buf, 1), -RIAD_EIO);
	CHECK_INT(riad_block_read(w, 1, buf, 1), 0);
	CHECK(sector_is(buf, 1));
	CHECK_INT(riad_block_write(w, 0, buf, 1), 0);
	CHECK_INT(riad_block_write(w, 0, buf, 1), 0);
	CHECK_INT(riad_block_write(w, 2, buf, 1), -RIAD_EIO);
	/* the failed write wrote nothing */
	CHECK_INT(riad_block_read(m, 2, buf, 1), 0);
	CHECK(sector_is(buf, 2));
	CHECK_INT(riad_block_write(w, 2, buf, 1), 0);
	CHECK_INT(riad_block_stats(w)->read_errors, 1);
	CHECK_INT(riad_block_stats(w)->write_errors, 1);
	CHECK_INT(riad_block_stats(w)->read_reqs, 2);
	CHECK_INT(riad_block_stats(w)->write_reqs, 3);
	/* requests refused by the range check never reach the injector */
	CHECK_INT(riad_block_read(w, 8, buf, 1), -RIAD_ERANGE);
	CHECK_INT(riad_block_stats(w)->range_errors, 1);
	riad_block_close(w);

	f = (struct riad_block_faults){ .fail_read = 2, .sticky = true };
	w = riad_block_fault_wrap(m, &f, &err);
	CHECK_INT(riad_block_read(w, 0, buf, 1), 0);
	for (int i = 0; i < 5; i++)
		CHECK_INT(riad_block_read(w, 0, buf, 1), -RIAD_EIO);
	CHECK_INT(riad_block_write(w, 0, buf, 1), 0);
	CHECK_INT(riad_block_stats(w)->read_errors, 5);
	riad_block_close(w);
	riad_block_close(m);
}

static void fault_torn_write(void)
{
	struct riad_block *m = mem(16);
	uint8_t buf[512 * 8];
	int err;
	struct riad_block_faults f = { .torn_write = 2, .torn_sectors = 3 };
	struct riad_block *w = riad_block_fault_wrap(m, &f, &err);
	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(riad_block_write(w, 0, buf, 1), 0);
	CHECK_INT(riad_block_write(w, 4, buf, 8), -RIAD_EIO);
	uint8_t r[512];
	for (uint64_t s = 4; s < 12; s++) {
		CHECK_INT(riad_block_read(m, s, r, 1), 0);
		if (s < 7)
			CHECK(r[0] == 0xee && r[511] == 0xee);
		else
			CHECK(sector_is(r, s));
	}
	/* a crash: nothing is written after it */
	CHECK_INT(riad_block_write(w, 12, buf, 1), -RIAD_EIO);
	CHECK_INT(riad_block_flush(w), -RIAD_EIO);
	CHECK_INT(riad_block_discard(w, 12, 1), -RIAD_EIO);
	CHECK_INT(riad_block_read(m, 12, r, 1), 0);
	CHECK(sector_is(r, 12));
	CHECK_INT(riad_block_stats(w)->write_errors, 2);
	CHECK_INT(riad_block_stats(w)->flush_errors, 1);
	CHECK_INT(riad_block_stats(w)->discard_errors, 1);
	riad_block_close(w);
	riad_block_close(m);
}

static void fault_bit_flip(void)
{
	struct riad_block *m = mem(8);
	uint8_t buf[512 * 3], ref[512];
	int err;
	struct riad_block_faults f = { .flip_enable = true, .flip_sector = 5, .flip_bit = 8 * 100 + 3 };
	struct riad_block *w = riad_block_fault_wrap(m, &f, &err);
	CHECK_INT(riad_block_read(w, 4, buf, 3), 0);
	CHECK(sector_is(buf, 4));
	CHECK(sector_is(buf + 1024, 6));
	CHECK_INT(riad_block_read(m, 5, ref, 1), 0);
	CHECK(buf[512 + 100] == (ref[100] ^ 8));
	buf[512 + 100] ^= 8;
	CHECK(sector_is(buf + 512, 5));
	/* the disk itself is unchanged */
	CHECK(sector_is(ref, 5));
	riad_block_close(w);
	riad_block_close(m);
}

static void range_confined(void)
{
	struct riad_block *m = mem(32);
	uint8_t buf[512 * 4];
	int err = 0;
	CHECK(riad_block_range_open(m, 0, 0, false, &err) == NULL);
	CHECK_INT(err, -RIAD_ERANGE);
	CHECK(riad_block_range_open(m, 32, 1, false, &err) == NULL);
	CHECK(riad_block_range_open(m, 30, 3, false, &err) == NULL);
	CHECK(riad_block_range_open(m, UINT64_MAX, 2, false, &err) == NULL);
	CHECK(riad_block_range_open(m, 2, UINT64_MAX, false, &err) == NULL);
	CHECK_INT(err, -RIAD_ERANGE);
	struct riad_block *r = riad_block_range_open(m, 10, 8, false, &err);
	REQUIRE(r);
	CHECK_INT(riad_block_sectors(r), 8);
	CHECK_INT(riad_block_read(r, 0, buf, 4), 0);
	CHECK(sector_is(buf, 10) && sector_is(buf + 1536, 13));
	CHECK_INT(riad_block_read(r, 7, buf, 2), -RIAD_ERANGE);
	CHECK_INT(riad_block_write(r, 8, buf, 1), -RIAD_ERANGE);
	CHECK_INT(riad_block_discard(r, 5, 4), -RIAD_ERANGE);
	memset(buf, 0x5a, 512);
	CHECK_INT(riad_block_write(r, 7, buf, 1), 0);
	uint8_t s[512];
	CHECK_INT(riad_block_read(m, 17, s, 1), 0);
	CHECK(s[0] == 0x5a);
	CHECK_INT(riad_block_read(m, 18, s, 1), 0);
	CHECK(sector_is(s, 18));
	CHECK_INT(riad_block_read(m, 9, s, 1), 0);
	CHECK(sector_is(s, 9));
	CHECK_INT(riad_block_stats(r)->range_errors, 3);
	CHECK_INT(riad_block_stats(r)->inner_ops, 2);

	/* nested: a range of a range, read-only */
	struct riad_block *r2 = riad_block_range_open(r, 2, 3, true, &err);
	REQUIRE(r2);
	CHECK(riad_block_read_only(r2));
	CHECK_INT(riad_block_read(r2, 0, buf, 3), 0);
	CHECK(sector_is(buf, 12) && sector_is(buf + 1024, 14));
	CHECK_INT(riad_block_write(r2, 0, buf, 1), -RIAD_EROFS);
	CHECK_INT(riad_block_discard(r2, 0, 1), -RIAD_EROFS);
	CHECK_INT(riad_block_flush(r2), 0);
	CHECK_INT(riad_block_stats(r2)->write_errors, 1);
	CHECK_INT(riad_block_stats(r2)->discard_errors, 1);
	CHECK(riad_block_range_open(r, 6, 3, false, &err) == NULL);
	/* a range of a read-only range is read-only whatever it asks */
	struct riad_block *r3 = riad_block_range_open(r2, 1, 1, false, &err);
	REQUIRE(r3);
	CHECK(riad_block_read_only(r3));
	CHECK_INT(riad_block_write(r3, 0, buf, 1), -RIAD_EROFS);
	riad_block_close(r3);
	riad_block_close(r2);
	riad_block_close(r);
	riad_block_close(m);
}

static void range_passes_errors_up(void)
{
	struct riad_block *m = mem(16);
	uint8_t buf[512];
	int err;
	struct riad_block_faults f = { .fail_read = 1, .fail_write = 1 };
	struct riad_block *w = riad_block_fault_wrap(m, &f, &err);
	struct riad_block *r = riad_block_range_open(w, 4, 4, false, &err);
	CHECK_INT(riad_block_read(r, 0, buf, 1), -RIAD_EIO);
	CHECK_INT(riad_block_write(r, 0, buf, 1), -RIAD_EIO);
	CHECK_INT(riad_block_read(r, 0, buf, 1), 0);
	CHECK(sector_is(buf, 4));
	CHECK_INT(riad_block_stats(r)->read_errors, 1);
	CHECK_INT(riad_block_stats(r)->write_errors, 1);
	CHECK_INT(riad_block_stats(w)->read_errors, 1);
	CHECK_INT(riad_block_discard(r, 1, 2), 0);
	CHECK_INT(riad_block_read(m, 5, buf, 1), 0);
	CHECK(buf[0] == 0 && buf[511] == 0);
	riad_block_close(r);
	riad_block_close(w);
	riad_block_close(m);
}

int main(void)
{
	RUN(mem_geometry_and_errors);
	RUN(null_buffer_aborts);
	RUN(fault_nth_read_and_write);
	RUN(fault_torn_write);
	RUN(fault_bit_flip);
	RUN(range_confined);
	RUN(range_passes_errors_up);
	return check_done();
}
