/* tests/unit/test_part.c: GPT and MBR partition tables built here, byte by byte, on a memory device.
 *
 * A good GPT (by name, index, type; UTF-16 names; 4 KiB sectors); a damaged
 * primary with a good backup (bad header CRC, bad array CRC, a flipped bit
 * from the fault injector), and both damaged; hostile tables with correct
 * CRCs (entries outside the usable range or the disk, overlapping, the
 * array where it must not be, too big); MBR with an extended chain (good,
 * looping, too long, outside); read errors; nesting (a range in a
 * partition, an MBR inside a GPT partition). Counters checked throughout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>

#include "../../storage/part.h"
#include "check.h"

#define LINUX_FS "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
#define LINUX_SWAP "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F"
#define ESP "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

struct gpart {
	uint64_t first, last;
	const char *type;
	const char *name;        /* ASCII */
	const uint16_t *name16;  /* or UTF-16 units, 0-terminated */
};

/* Geometry of the tables gpt_build writes, on a disk of S sectors of ss
 * bytes: 128 entries of 128 bytes. */
struct glayout {
	uint32_t ss;
	uint64_t S, asec, first_usable, last_usable;
};

static struct glayout layout(struct riad_block *d)
{
	struct glayout l = { .ss = riad_block_sector_size(d), .S = riad_block_sectors(d) };
	l.asec = 128 * 128 / l.ss;
	l.first_usable = 2 + l.asec;
	l.last_usable = l.S - 2 - l.asec;
	return l;
}

static void write_sector(struct riad_block *d, uint64_t lba, const uint8_t *s)
{
	if (riad_block_write(d, lba, s, 1) != 0)
		abort();
}

static void pmbr(struct riad_block *d)
{
	uint8_t *s = calloc(1, riad_block_sector_size(d));
	s[446 + 4] = 0xEE;
	put32(s + 446 + 8, 1);
	uint64_t n = riad_block_sectors(d) - 1;
	put32(s + 446 + 12, n > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)n);
	s[510] = 0x55, s[511] = 0xAA;
	write_sector(d, 0, s);
	free(s);
}

static void gpt_header(struct riad_block *d, uint64_t my, uint64_t alt, uint64_t array,
                       const struct glayout *l, uint32_t acrc)
{
	uint8_t *h = calloc(1, l->ss);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, my);
	put64(h + 32, alt);
	put64(h + 40, l->first_usable);
	put64(h + 48, l->last_usable);
	for (int i = 0; i < 16; i++)
		h[56 + i] = (uint8_t)(0xd0 + i);
	put64(h + 72, array);
	put32(h + 80, 128);
	put32(h + 84, 128);
	put32(h + 88, acrc);
	put32(h + 16, part_crc32(0, h, 92));
	write_sector(d, my, h);
	free(h);
}

/* pMBR, primary and backup GPT with these entries in slots 1..n (a NULL
 * type leaves a slot empty). */
static void gpt_build(struct riad_block *d, const struct gpart *p, unsigned n)
{
	struct glayout l = layout(d);
	uint8_t *a = calloc(128, 128);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = a + 128 * i;
		if (!p[i].type)
			continue;
		if (part_guid_parse(p[i].type, e) != 0)
			abort();
		for (int k = 0; k < 16; k++)
			e[16 + k] = (uint8_t)(i * 16 + k + 1);
		put64(e + 32, p[i].first);
		put64(e + 40, p[i].last);
		for (unsigned k = 0; p[i].name && p[i].name[k] && k < 36; k++)
			e[56 + 2 * k] = (uint8_t)p[i].name[k];
		for (unsigned k = 0; p[i].name16 && p[i].name16[k] && k < 36; k++)
			e[56 + 2 * k] = (uint8_t)p[i].name16[k],
			e[57 + 2 * k] = (uint8_t)(p[i].name16[k] >> 8);
	}
	uint32_t acrc = part_crc32(0, a, 128 * 128);
	pmbr(d);
	if (riad_block_write(d, 2, a, l.asec) != 0 || riad_block_write(d, l.S - 1 - l.asec, a, l.asec) != 0)
		abort();
	gpt_header(d, 1, l.S - 1, 2, &l, acrc);
	gpt_header(d, l.S - 1, 1, l.S - 1 - l.asec, &l, acrc);
	free(a);
}

static struct riad_block *disk(uint64_t sectors, uint32_t ss)
{
	int err;
	struct riad_block *d = riad_block_mem_open(sectors, ss, &err);
	if (!d)
		abort();
	return d;
}

/* Open spec on d; returns the error (0) and the geometry via *first. */
static int try_open(struct riad_block *d, const char *spec, uint64_t *sectors)
{
	int err = 0;
	struct riad_block *p = riad_block_part_open(d, spec, &err);
	if (!p)
		return err ? err : -9999;
	if (sectors)
		*sectors = riad_block_sectors(p);
	riad_block_close(p);
	return 0;
}

static const struct gpart three[] = {
	{ 40, 99, LINUX_FS, "root", NULL },
	{ 0, 0, NULL, NULL, NULL },
	{ 100, 299, LINUX_SWAP, "swap", NULL },
	{ 300, 300, ESP, "tiny", NULL },
};

static void crc32_known_answer(void)
{
	CHECK_INT(part_crc32(0, "123456789", 9), 0xCBF43926u);
	CHECK_INT(part_crc32(part_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
	uint8_t g[16];
	char txt[37];
	CHECK_INT(part_guid_parse("0fc63daf-8483-4772-8e79-3d69d8477de4", g), 0);
	CHECK(g[0] == 0xAF && g[3] == 0x0F && g[4] == 0x83 && g[6] == 0x72 && g[8] == 0x8E &&
	      g[15] == 0xE4);
	part_guid_format(g, txt);
	CHECK_STR(txt, LINUX_FS);
	CHECK_INT(part_guid_parse("0FC63DAF-8483-4772-8E79-3D69D8477DE", g), -RIAD_EINVAL);
	CHECK_INT(part_guid_parse("0FC63DAF-8483-4772-8E79-3D69D8477DE44", g), -RIAD_EINVAL);
	CHECK_INT(part_guid_parse("0FC63DAF+8483-4772-8E79-3D69D8477DE4", g), -RIAD_EINVAL);
	CHECK_INT(part_guid_parse("0FC63DAG-8483-4772-8E79-3D69D8477DE4", g), -RIAD_EINVAL);
}

static void gpt_good(void)
{
	struct riad_block *d = disk(400, 512);
	gpt_build(d, three, 4);
	uint64_t s = 0;
	struct riad_block_part_stats before = *riad_block_part_stats();
	CHECK_INT(try_open(d, "root", &s), 0);
	CHECK_INT(s, 60);
	CHECK_INT(try_open(d, "swap", &s), 0);
	CHECK_INT(s, 200);
	CHECK_INT(try_open(d, "1", &s), 0);
	CHECK_INT(s, 60);
	CHECK_INT(try_open(d, "3", &s), 0);
	CHECK_INT(s, 200);
	CHECK_INT(try_open(d, "4", &s), 0);
	CHECK_INT(s, 1);
	CHECK_INT(try_open(d, "type:" LINUX_SWAP, &s), 0);
	CHECK_INT(s, 200);
	CHECK_INT(try_open(d, "type:c12a7328-f81f-11d2-ba4b-00a0c93ec93b", &s), 0);
	CHECK_INT(s, 1);
	CHECK_INT(try_open(d, "2", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "5", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "0", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "99999999999999999999", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "home", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "type:83", NULL), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "type:" ESP "0", NULL), -RIAD_ENOENT);
	const struct riad_block_part_stats *st = riad_block_part_stats();
	CHECK_INT(st->gpt_tables - before.gpt_tables, 15);
	CHECK_INT(st->not_found - before.not_found, 8);
	CHECK_INT(st->gpt_backup_used - before.gpt_backup_used, 0);

	/* contents map to the right sectors, and nothing outside is reachable */
	int err;
	struct riad_block *p = riad_block_part_open(d, "swap", &err);
	REQUIRE(p);
	CHECK_STR(riad_block_name(p), "memp3");
	uint8_t buf[512], chk[512];
	memset(buf, 0x77, sizeof(buf));
	CHECK_INT(riad_block_write(p, 199, buf, 1), 0);
	CHECK_INT(riad_block_read(d, 299, chk, 1), 0);
	CHECK_MEM(buf, chk, 512);
	CHECK_INT(riad_block_write(p, 200, buf, 1), -RIAD_ERANGE);
	CHECK_INT(riad_block_read(p, 0, buf, 201), -RIAD_ERANGE);
	riad_block_close(p);
	riad_block_close(d);
}

static void gpt_utf16_names(void)
{
	struct riad_block *d = disk(400, 512);
	static const uint16_t cafe[] = { 'c', 'a', 'f', 0xE9, 0 };           /* café */
	static const uint16_t emoji[] = { 'x', 0xD83D, 0xDE00, 0 };          /* x😀 */
	static const uint16_t lone[] = { 'a', 0xDC00, 'b', 0 };              /* unpaired */
	struct gpart p[] = {
		{ 40, 49, LINUX_FS, NULL, cafe },
		{ 50, 59, LINUX_FS, NULL, emoji },
		{ 60, 69, LINUX_FS, NULL, lone },
		{ 70, 79, LINUX_FS, "abcdefghijklmnopqrstuvwxyz0123456789", NULL },
	};
	gpt_build(d, p, 4);
	uint64_t s = 0;
	CHECK_INT(try_open(d, "caf\xc3\xa9", &s), 0);
	CHECK_INT(try_open(d, "x\xf0\x9f\x98\x80", &s), 0);
	CHECK_INT(try_open(d, "a\xef\xbf\xbd" "b", &s), 0);
	CHECK_INT(try_open(d, "abcdefghijklmnopqrstuvwxyz0123456789", &s), 0);
	CHECK_INT(try_open(d, "cafe", &s), -RIAD_ENOENT);
	riad_block_close(d);
}

static void gpt_4k_sectors(void)
{
	struct riad_block *d = disk(64, 4096);
	struct gpart p[] = { { 6, 20, LINUX_FS, "data", NULL }, { 21, 57, LINUX_FS, "more", NULL } };
	gpt_build(d, p, 2);
	uint64_t s = 0;
	CHECK_INT(layout(d).first_usable, 6);
	CHECK_INT(try_open(d, "more", &s), 0);
	CHECK_INT(s, 37);
	riad_block_close(d);
}

static void gpt_damaged_primary_uses_backup(void)
{
	struct riad_block *d = disk(400, 512);
	uint8_t s[512];
	uint64_t n = 0;
	struct riad_block_part_stats b0 = *riad_block_part_stats();

	/* a bit of the primary header's disk GUID */
	gpt_build(d, three, 4);
	CHECK_INT(riad_block_read(d, 1, s, 1), 0);
	s[60] ^= 1;
	write_sector(d, 1, s);
	CHECK_INT(try_open(d, "swap", &n), 0);
	CHECK_INT(n, 200);
	const struct riad_block_part_stats *st = riad_block_part_stats();
	CHECK_INT(st->bad_crc - b0.bad_crc, 1);
	CHECK_INT(st->gpt_backup_used - b0.gpt_backup_used, 1);

	/* the primary entry array */
	gpt_build(d, three, 4);
	CHECK_INT(riad_block_read(d, 2, s, 1), 0);
	s[40] ^= 0x80;
	write_sector(d, 2, s);
	CHECK_INT(try_open(d, "root", &n), 0);
	CHECK_INT(n, 60);
	CHECK_INT(st->bad_crc - b0.bad_crc, 2);
	CHECK_INT(st->gpt_backup_used - b0.gpt_backup_used, 2);

	/* the primary header wiped */
	gpt_build(d, three, 4);
	memset(s, 0, sizeof(s));
	write_sector(d, 1, s);
	CHECK_INT(try_open(d, "tiny", &n), 0);
	CHECK_INT(st->bad_header - b0.bad_header, 1);
	CHECK_INT(st->gpt_backup_used - b0.gpt_backup_used, 3);

	/* a bit flipped on the way from the disk (fault injector), not on it */
	gpt_build(d, three, 4);
	int err;
	struct riad_block_faults f = { .flip_enable = true, .flip_sector = 1, .flip_bit = 8 * 80 };
	struct riad_block *w = riad_block_fault_wrap(d, &f, &err);
	CHECK_INT(try_open(w, "swap", &n), 0);
	CHECK_INT(st->gpt_backup_used - b0.gpt_backup_used, 4);
	riad_block_close(w);

	/* both damaged: rejected */
	CHECK_INT(riad_block_read(d, 1, s, 1), 0);
	s[60] ^= 1;
	write_sector(d, 1, s);
	CHECK_INT(riad_block_read(d, 399, s, 1), 0);
	s[60] ^= 1;
	write_sector(d, 399, s);
	CHECK_INT(try_open(d, "swap", &n), -RIAD_EBADMSG);
	CHECK_INT(st->bad_crc - b0.bad_crc, 5);
	/* the backup's array damaged while the primary header is bad */
	gpt_build(d, three, 4);
	memset(s, 0, sizeof(s));
	write_sector(d, 1, s);
	CHECK_INT(riad_block_read(d, 398, s, 1), 0);
	s[0] ^= 1;
	write_sector(d, 398, s);
	CHECK_INT(try_open(d, "swap", &n), -RIAD_EBADMSG);
	riad_block_close(d);
}

/* A GPT whose CRCs are right but whose entries are hostile. */
static int hostile(const struct gpart *p, unsigned n)
{
	struct riad_block *d = disk(400, 512);
	gpt_build(d, p, n);
	int r = try_open(d, "1", NULL);
	riad_block_close(d);
	return r;
}

static void gpt_hostile_entries(void)
{
	struct riad_block_part_stats b0 = *riad_block_part_stats();
	const struct riad_block_part_stats *st = riad_block_part_stats();
	struct gpart out_end[] = { { 40, 400, LINUX_FS, "a", NULL } };
	CHECK_INT(hostile(out_end, 1), -RIAD_EBADMSG);
	struct gpart past_usable[] = { { 40, 367, LINUX_FS, "a", NULL } };  /* last usable 366 */
	CHECK_INT(hostile(past_usable, 1), -RIAD_EBADMSG);
	struct gpart before_usable[] = { { 33, 40, LINUX_FS, "a", NULL } };
	CHECK_INT(hostile(before_usable, 1), -RIAD_EBADMSG);
	struct gpart backwards[] = { { 50, 40, LINUX_FS, "a", NULL } };
	CHECK_INT(hostile(backwards, 1), -RIAD_EBADMSG);
	struct gpart huge[] = { { 40, UINT64_MAX, LINUX_FS, "a", NULL } };
	CHECK_INT(hostile(huge, 1), -RIAD_EBADMSG);
	CHECK_INT(st->outside - b0.outside, 5);
	struct gpart overlap[] = { { 40, 99, LINUX_FS, "a", NULL }, { 200, 250, LINUX_FS, "b", NULL },
	                           { 99, 120, LINUX_FS, "c", NULL } };
	CHECK_INT(hostile(overlap, 3), -RIAD_EBADMSG);
	struct gpart same[] = { { 40, 99, LINUX_FS, "a", NULL }, { 40, 99, LINUX_FS, "b", NULL } };
	CHECK_INT(hostile(same, 2), -RIAD_EBADMSG);
	CHECK_INT(st->overlap - b0.overlap, 2);
	/* hostile, not damaged: the backup is not asked */
	CHECK_INT(st->gpt_backup_used - b0.gpt_backup_used, 0);
	struct gpart touching[] = { { 34, 99, LINUX_FS, "a", NULL }, { 100, 366, LINUX_FS, "b", NULL } };
	CHECK_INT(hostile(touching, 2), 0);
}

/* Rewrite the primary header with one field changed (CRC made right). */
static void patch_primary(struct riad_block *d, unsigned off, unsigned width, uint64_t v)
{
	uint8_t h[512];
	if (riad_block_read(d, 1, h, 1) != 0)
		abort();
	if (width == 4)
		put32(h + off, (uint32_t)v);
	else
		put64(h + off, v);
	uint32_t hs = h[12] | h[13] << 8;
	put32(h + 16, 0);
	put32(h + 16, part_crc32(0, h, hs > 512 ? 512 : hs));
	write_sector(d, 1, h);
}

static void gpt_hostile_headers(void)
{
	struct riad_block *d = disk(400, 512);
	const struct riad_block_part_stats *st = riad_block_part_stats();
	struct riad_block_part_stats b0 = *st;
	struct { unsigned off, width; uint64_t v; } cases[] = {
		{ 12, 4, 91 },             /* header size too small */
		{ 12, 4, 513 },            /* header size beyond the sector */
		{ 24, 8, 2 },              /* my LBA is not where it was read */
		{ 40, 8, 367 },            /* first usable > last usable */
		{ 48, 8, 400 },            /* last usable beyond the disk */
		{ 40, 8, 1 },              /* usable range holds the header */
		{ 40, 8, 0 },              /* usable range holds the protective MBR */
		{ 72, 8, 0 },              /* array on the protective MBR */
		{ 72, 8, 380 },            /* array past the end */
		{ 72, 8, 30 },             /* array overlaps the usable range */
		{ 72, 8, UINT64_MAX - 5 }, /* array start overflows */
		{ 84, 4, 100 },            /* entry size not 128 * 2^n */
		{ 84, 4, 0 },              /* entry size 0 */
		{ 80, 4, 0xFFFFFFFFu },    /* array too large (RIAD_PART_GPT_ARRAY_MAX) */
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gpt_build(d, three, 4);
		patch_primary(d, cases[i].off, cases[i].width, cases[i].v);
		/* the backup serves */
		CHECK_INT(try_open(d, "swap", NULL), 0);
		/* and when it is gone too, the table is rejected */
		uint8_t z[512] = { 0 };
		write_sector(d, 399, z);
		int r = try_open(d, "swap", NULL);
		if (r != -RIAD_EBADMSG)
			printf("  case %u: %d\n", i, r);
		CHECK_INT(r, -RIAD_EBADMSG);
	}
	CHECK_INT(st->gpt_backup_used - b0.gpt_backup_used, 14);
	CHECK_INT(st->limit - b0.limit, 2);
	CHECK(st->outside - b0.outside >= 8);
	CHECK(st->bad_header - b0.bad_header >= 14 + 5);
	/* zero entries: an empty but valid table */
	gpt_build(d, three, 4);
	patch_primary(d, 80, 4, 0);
	CHECK_INT(try_open(d, "1", NULL), 0);   /* array CRC wrong for 0 entries: the backup */
	patch_primary(d, 88, 4, 0);             /* the CRC of nothing */
	CHECK_INT(try_open(d, "1", NULL), -RIAD_ENOENT);
	/* too small for a GPT */
	struct riad_block *t = disk(2, 512);
	pmbr(t);
	CHECK_INT(try_open(t, "1", NULL), -RIAD_EBADMSG);
	riad_block_close(t);
	riad_block_close(d);
}

static void gpt_too_many_entries(void)
{
	struct riad_block *d = disk(400, 512);
	struct gpart p[RIAD_PART_MAX + 1];
	for (unsigned i = 0; i < RIAD_PART_MAX + 1 && i < 128; i++)
		p[i] = (struct gpart){ 40 + 2 * i, 41 + 2 * i, LINUX_FS, "x", NULL };
	gpt_build(d, p, RIAD_PART_MAX < 128 ? RIAD_PART_MAX + 1 : 128);
	int r = try_open(d, "128", NULL);
	CHECK_INT(r, RIAD_PART_MAX < 128 ? -RIAD_EBADMSG : 0);
	riad_block_close(d);
}

static void read_errors(void)
{
	struct riad_block *d = disk(400, 512);
	gpt_build(d, three, 4);
	const struct riad_block_part_stats *st = riad_block_part_stats();
	struct riad_block_part_stats b0 = *st;
	for (uint64_t n = 1; n <= 3; n++) {
		int err;
		struct riad_block_faults f = { .fail_read = n };
		struct riad_block *w = riad_block_fault_wrap(d, &f, &err);
		CHECK_INT(try_open(w, "swap", NULL), -RIAD_EIO);
		riad_block_close(w);
	}
	CHECK_INT(st->io_errors - b0.io_errors, 3);
	riad_block_close(d);
}

/* ---- MBR ---- */

static void mbr_entry(uint8_t *s, int slot, uint8_t type, uint32_t start, uint32_t count)
{
	uint8_t *e = s + 446 + 16 * slot;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, count);
	s[510] = 0x55, s[511] = 0xAA;
}

/* An MBR on d: 1 Linux 10+20, 2 extended 40+100 holding logicals; 3 swap
 * 150+10. Logicals: EBRs at ext+0, ext+30, ext+60, each with a logical of
 * 20 sectors starting 2 after it. */
static void mbr_build(struct riad_block *d)
{
	uint8_t s[512] = { 0 };
	mbr_entry(s, 0, 0x83, 10, 20);
	mbr_entry(s, 1, 0x05, 40, 100);
	mbr_entry(s, 2, 0x82, 150, 10);
	write_sector(d, 0, s);
	uint32_t ebr[3] = { 0, 30, 60 };
	for (int i = 0; i < 3; i++) {
		memset(s, 0, sizeof(s));
		mbr_entry(s, 0, i == 1 ? 0x82 : 0x83, 2, 20);
		if (i < 2)
			mbr_entry(s, 1, 0x05, ebr[i + 1], 22);
		write_sector(d, 40 + ebr[i], s);
	}
}

static void mbr_good(void)
{
	struct riad_block *d = disk(200, 512);
	mbr_build(d);
	uint64_t n = 0;
	struct riad_block_part_stats b0 = *riad_block_part_stats();
	CHECK_INT(try_open(d, "1", &n), 0);
	CHECK_INT(n, 20);
	CHECK_INT(try_open(d, "2", &n), 0);
	CHECK_INT(n, 100);
	CHECK_INT(try_open(d, "3", &n), 0);
	CHECK_INT(n, 10);
	CHECK_INT(try_open(d, "4", &n), -RIAD_ENOENT);
	for (int i = 5; i <= 7; i++) {
		char spec[2] = { (char)('0' + i), 0 };
		CHECK_INT(try_open(d, spec, &n), 0);
		CHECK_INT(n, 20);
	}
	CHECK_INT(try_open(d, "8", &n), -RIAD_ENOENT);
	CHECK_INT(try_open(d, "type:82", &n), 0);
	CHECK_INT(n, 10);
	CHECK_INT(try_open(d, "type:05", &n), -RIAD_ENOENT);   /* the container is not a data partition */
	CHECK_INT(try_open(d, "root", &n), -RIAD_ENOENT);      /* MBR has no names */
	CHECK_INT(try_open(d, "type:" LINUX_FS, &n), -RIAD_ENOENT);
	CHECK_INT(riad_block_part_stats()->mbr_tables - b0.mbr_tables, 12);
	/* logical 6 starts at 40 + 30 + 2 */
	int err;
	struct riad_block *p = riad_block_part_open(d, "6", &err);
	REQUIRE(p);
	uint8_t buf[512];
	memset(buf, 0x42, sizeof(buf));
	CHECK_INT(riad_block_write(p, 0, buf, 1), 0);
	uint8_t chk[512];
	CHECK_INT(riad_block_read(d, 72, chk, 1), 0);
	CHECK_MEM(buf, chk, 512);
	riad_block_close(p);
	riad_block_close(d);
}

static int mbr_case(void (*mutate)(struct riad_block *d))
{
	struct riad_block *d = disk(200, 512);
	mbr_build(d);
	mutate(d);
	int r = try_open(d, "1", NULL);
	riad_block_close(d);
	return r;
}

static void patch(struct riad_block *d, uint64_t lba, int slot, uint8_t type, uint32_t start,
                  uint32_t count)
{
	uint8_t s[512];
	if (riad_block_read(d, lba, s, 1) != 0)
		abort();
	mbr_entry(s, slot, type, start, count);
	write_sector(d, lba, s);
}

static void m_loop_self(struct riad_block *d) { patch(d, 40, 1, 0x05, 0, 22); }
static void m_loop_back(struct riad_block *d) { patch(d, 100, 1, 0x05, 30, 22); }
static void m_ebr_outside(struct riad_block *d) { patch(d, 70, 1, 0x05, 100, 22); }
static void m_ebr_nosig(struct riad_block *d)
{
	uint8_t s[512];
	riad_block_read(d, 70, s, 1);
	s[511] = 0;
	write_sector(d, 70, s);
}
static void m_link_type(struct riad_block *d) { patch(d, 40, 1, 0x83, 30, 22); }
static void m_logical_outside(struct riad_block *d) { patch(d, 100, 0, 0x83, 2, 39); }
static void m_logical_zero_start(struct riad_block *d) { patch(d, 70, 0, 0x83, 0, 5); }
static void m_logical_covers_ebr(struct riad_block *d) { patch(d, 40, 0, 0x83, 2, 40); }
static void m_logical_overlap(struct riad_block *d) { patch(d, 40, 0, 0x83, 2, 29); }
static void m_primary_outside(struct riad_block *d) { patch(d, 0, 2, 0x82, 150, 51); }
static void m_primary_wrap(struct riad_block *d) { patch(d, 0, 2, 0x82, 0xFFFFFFF0u, 0x20); }
static void m_primary_zero(struct riad_block *d) { patch(d, 0, 3, 0x83, 0, 5); }
static void m_primary_overlap(struct riad_block *d) { patch(d, 0, 3, 0x83, 25, 10); }
static void m_in_extended(struct riad_block *d) { patch(d, 0, 3, 0x83, 139, 2); }
static void m_two_extended(struct riad_block *d) { patch(d, 0, 3, 0x0F, 170, 10); }
static void m_boot_flag(struct riad_block *d)
{
	uint8_t s[512];
	riad_block_read(d, 0, s, 1);
	s[446] = 0x12;
	write_sector(d, 0, s);
}
static void m_no_sig(struct riad_block *d)
{
	uint8_t s[512];
	riad_block_read(d, 0, s, 1);
	s[510] = 0;
	write_sector(d, 0, s);
}

static void mbr_hostile(void)
{
	const struct riad_block_part_stats *st = riad_block_part_stats();
	struct riad_block_part_stats b0 = *st;
	CHECK_INT(mbr_case(m_loop_self), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_loop_back), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_ebr_nosig), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_link_type), -RIAD_EBADMSG);
	CHECK_INT(st->chain - b0.chain, 4);
	CHECK_INT(mbr_case(m_ebr_outside), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_logical_outside), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_logical_zero_start), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_primary_outside), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_primary_wrap), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_primary_zero), -RIAD_EBADMSG);
	CHECK_INT(st->outside - b0.outside, 6);
	CHECK_INT(mbr_case(m_logical_covers_ebr), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_logical_overlap), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_primary_overlap), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_in_extended), -RIAD_EBADMSG);
	CHECK_INT(st->overlap - b0.overlap, 4);
	CHECK_INT(mbr_case(m_two_extended), -RIAD_EBADMSG);
	CHECK_INT(mbr_case(m_boot_flag), -RIAD_EBADMSG);
	CHECK_INT(st->bad_header - b0.bad_header, 2);
	CHECK_INT(mbr_case(m_no_sig), -RIAD_EBADMSG);
	CHECK_INT(st->no_table - b0.no_table, 1);
	CHECK_INT(st->mbr_tables - b0.mbr_tables, 0);
}

static void mbr_chain_too_long(void)
{
	unsigned n = RIAD_PART_MBR_CHAIN_MAX + 1;
	struct riad_block *d = disk(10 + 2 * (uint64_t)n + 10, 512);
	uint8_t s[512] = { 0 };
	mbr_entry(s, 0, 0x05, 10, 2 * n);
	write_sector(d, 0, s);
	for (unsigned i = 0; i < n; i++) {
		memset(s, 0, sizeof(s));
		mbr_entry(s, 0, 0x83, 1, 1);
		if (i + 1 < n)
			mbr_entry(s, 1, 0x05, 2 * (i + 1), 2);
		write_sector(d, 10 + 2 * i, s);
	}
	struct riad_block_part_stats b0 = *riad_block_part_stats();
	CHECK_INT(try_open(d, "5", NULL), -RIAD_EBADMSG);
	CHECK_INT(riad_block_part_stats()->chain - b0.chain, 1);
	/* one fewer is fine */
	patch(d, 10 + 2 * (n - 2), 1, 0, 0, 0);
	uint64_t sz = 0;
	char spec[8];
	snprintf(spec, sizeof(spec), "%u", 4 + RIAD_PART_MBR_CHAIN_MAX);
	CHECK_INT(try_open(d, spec, &sz), 0);
	CHECK_INT(sz, 1);
	riad_block_close(d);
}

/* ---- nesting ---- */

static void nested(void)
{
	struct riad_block *d = disk(400, 512);
	gpt_build(d, three, 4);
	int err;
	struct riad_block *p = riad_block_part_open(d, "swap", &err);   /* 100..299 */
	REQUIRE(p);
	/* an MBR inside the GPT partition, with its own extended chain */
	mbr_build(p);
	struct riad_block *q = riad_block_part_open(p, "6", &err);      /* p's 72..91 */
	REQUIRE(q);
	CHECK_INT(riad_block_sectors(q), 20);
	struct riad_block *r = riad_block_range_open(q, 5, 10, false, &err);
	REQUIRE(r);
	uint8_t buf[512], chk[512];
	memset(buf, 0x99, sizeof(buf));
	CHECK_INT(riad_block_write(r, 9, buf, 1), 0);
	CHECK_INT(riad_block_read(d, 100 + 72 + 5 + 9, chk, 1), 0);
	CHECK_MEM(buf, chk, 512);
	CHECK_INT(riad_block_write(r, 10, buf, 1), -RIAD_ERANGE);
	CHECK(riad_block_range_open(q, 15, 6, false, &err) == NULL);
	CHECK_INT(err, -RIAD_ERANGE);
	/* the GPT is untouched by all this */
	CHECK_INT(try_open(d, "root", NULL), 0);
	/* a read-only partition view */
	struct riad_block *ro = riad_block_range_open(p, 0, 200, true, &err);
	struct riad_block *q2 = riad_block_part_open(ro, "5", &err);
	REQUIRE(q2);
	CHECK(riad_block_read_only(q2));
	CHECK_INT(riad_block_write(q2, 0, buf, 1), -RIAD_EROFS);
	riad_block_close(q2);
	riad_block_close(ro);
	riad_block_close(r);
	riad_block_close(q);
	riad_block_close(p);
	riad_block_close(d);
}

int main(void)
{
	RUN(crc32_known_answer);
	RUN(gpt_good);
	RUN(gpt_utf16_names);
	RUN(gpt_4k_sectors);
	RUN(gpt_damaged_primary_uses_backup);
	RUN(gpt_hostile_entries);
	RUN(gpt_hostile_headers);
	RUN(gpt_too_many_entries);
	RUN(read_errors);
	RUN(mbr_good);
	RUN(mbr_hostile);
	RUN(mbr_chain_too_long);
	RUN(nested);
	return check_done();
}
