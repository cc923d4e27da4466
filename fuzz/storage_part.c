/* fuzz/storage_part.c: libFuzzer target for the partition-table reader (storage/part.c): GPT and MBR tables on a sparse disk described by the input.
 *
 * Input: a compact disk image, since real disks are mostly zeros.
 *	bytes 0-3   the disk's size in sectors, little-endian (0 means 1)
 *	byte 4      sector size: 512 << (byte & 3)
 *	bytes 5-7   ignored
 *	then records, each a 4-byte little-endian sector number and one
 *	sector of data (a short last record is padded with zeros); a later
 *	record of the same sector wins, sectors beyond the disk are ignored,
 *	and every sector without a record reads as zeros.
 * fuzz/storage_part_seeds.sh makes such inputs from disks partitioned by
 * sgdisk, sfdisk and parted (every non-zero sector of a fresh image).
 *
 * Checks: the reader returns 0, -RIAD_EBADMSG or -RIAD_ENOENT only (the
 * disk never fails here); every entry it returns lies inside the disk, and
 * no two overlap unless one is the MBR container of the other; every entry
 * opens by its index (and by name and type when it has them) as a device
 * of the entry's size, whose first and last sectors read back what the
 * disk holds there and whose next sector is refused; nothing is leaked.
 * CRCs are computed but not enforced under RIAD_FUZZING.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/log.h>

#include "../storage/part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sparse {
	struct riad_block b;
	const uint8_t *rec;
	size_t nrec;
	uint64_t reads;
};

static const uint8_t *find(const struct sparse *s, uint64_t lba, size_t *avail)
{
	size_t ss = s->b.sector_size, step = 4 + ss;
	const uint8_t *hit = NULL;
	for (size_t i = 0; i < s->nrec; i++) {
		const uint8_t *r = s->rec + i * step;
		uint32_t at = (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 |
		              (uint32_t)r[3] << 24;
		if (at == lba)
			hit = r + 4;
	}
	*avail = ss;
	return hit;
}

static size_t last_len; /* bytes in the last record (it may be short) */
static const uint8_t *last_data;

static int sp_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct sparse *s = (struct sparse *)b;
	if (sector >= b->sectors || count > b->sectors - sector)
		abort(); /* the wrappers must have refused this */
	uint8_t *o = buf;
	for (uint64_t i = 0; i < count; i++, o += b->sector_size) {
		size_t n;
		const uint8_t *p = find(s, sector + i, &n);
		memset(o, 0, b->sector_size);
		if (p)
			memcpy(o, p, p == last_data ? last_len : n);
		s->reads++;
	}
	return 0;
}

static int sp_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	(void)b, (void)sector, (void)buf, (void)count;
	abort(); /* the reader never writes */
}

static int sp_flush(struct riad_block *b)
{
	(void)b;
	return 0;
}

static void sp_close(struct riad_block *b)
{
	(void)b;
}

static const struct riad_block_ops sp_ops = {
	.read = sp_read, .write = sp_write, .flush = sp_flush, .close = sp_close,
};

static void check_open(struct riad_block *d, const char *spec, const struct part_entry *e,
                       uint8_t *want, uint8_t *got)
{
	int err = 0;
	struct riad_block *p = riad_block_part_open(d, spec, &err);
	if (!p) {
		/* a name or type shared with an earlier entry opens that one */
		if (err != -RIAD_ENOENT)
			abort();
		return;
	}
	uint64_t n = riad_block_sectors(p);
	if (n == 0 || n > d->sectors)
		abort();
	if (e && n != e->count)
		abort();
	if (riad_block_read(p, 0, got, 1) != 0)
		abort();
	if (e && (riad_block_read(d, e->first, want, 1) != 0 || memcmp(want, got, d->sector_size) != 0))
		abort();
	if (riad_block_read(p, n - 1, got, 1) != 0 || riad_block_read(p, n, got, 1) != -RIAD_ERANGE)
		abort();
	if (riad_block_write(p, n, got, 1) != -RIAD_ERANGE)
		abort();
	riad_block_close(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	uint64_t sectors = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	                   (uint32_t)data[3] << 24;
	uint32_t ss = 512u << (data[4] & 3);
	if (sectors == 0)
		sectors = 1;
	struct sparse s = { 0 };
	riad_block_init(&s.b, &sp_ops, "fuzz", sectors, ss, false);
	size_t step = 4 + ss, body = size - 8;
	s.rec = data + 8;
	s.nrec = (body + step - 1) / step;
	/* a short last record: only its bytes count, the rest is zeros */
	last_data = NULL;
	if (s.nrec && body % step) {
		size_t rem = body % step;
		if (rem < 4) {
			s.nrec--;
		} else {
			last_data = s.rec + (s.nrec - 1) * step + 4;
			last_len = rem - 4;
		}
	}
	struct part_table *t = malloc(sizeof(*t));
	if (!t)
		abort();
	int r = part_table_read(&s.b, t);
	if (r != 0 && r != -RIAD_EBADMSG)
		abort();
	uint8_t *want = malloc(ss), *got = malloc(ss);
	if (r == 0) {
		if (t->n > RIAD_PART_MAX || (t->kind != PART_GPT && t->kind != PART_MBR))
			abort();
		for (unsigned i = 0; i < t->n; i++) {
			const struct part_entry *a = &t->e[i];
			if (a->count == 0 || a->first >= sectors || a->count > sectors - a->first)
				abort();
			for (unsigned j = i + 1; j < t->n; j++) {
				const struct part_entry *b = &t->e[j];
				if ((a->container && b->index > 4) || (b->container && a->index > 4))
					continue;
				if (a->first < b->first + b->count && b->first < a->first + a->count)
					abort();
			}
		}
		/* at most a few opens per input, so that big tables stay fast */
		for (unsigned i = 0; i < t->n && i < 8; i++) {
			const struct part_entry *a = &t->e[i];
			char spec[48];
			snprintf(spec, sizeof(spec), "%u", a->index);
			check_open(&s.b, spec, a, want, got);
			if (t->kind == PART_GPT) {
				if (a->name[0])
					check_open(&s.b, a->name, NULL, want, got);
				char g[37];
				part_guid_format(a->type, g);
				snprintf(spec, sizeof(spec), "type:%s", g);
				check_open(&s.b, spec, NULL, want, got);
			} else {
				snprintf(spec, sizeof(spec), "type:%02x", a->mbr_type);
				check_open(&s.b, spec, NULL, want, got);
			}
		}
	}
	free(want);
	free(got);
	free(t);
	return 0;
}
