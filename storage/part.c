/* storage/part.c: riad_block_part_open(): GPT (protective MBR, CRC-checked headers, the backup header) and MBR (primaries, the extended chain) partition tables, read from any block device.
 *
 * Everything read from the disk is untrusted: every field is checked
 * before it is used, every loop is bounded by the disk or by riad/opt.h,
 * and a table is accepted whole or not at all. Layouts: UEFI 2.10 section
 * 5 (the protective MBR, the GPT header, the partition entry array) and
 * the classic MBR with extended boot records (EBRs).
 *
 * Which header serves: the primary GPT header (LBA 1) when it and its
 * entry array pass every structural check and CRC; otherwise the backup
 * header at the disk's last sector, under the same checks. Entries that
 * lie outside the usable range or overlap reject the table outright (a
 * table with correct CRCs but hostile contents is not "damaged", and the
 * backup is not asked to overrule it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/log.h>
#include <riad/metrics.h>

#include "part.h"

RIAD_LOG_SRC(block_log, "block", "Block devices and their overlays");

struct riad_block_part_stats part_stats;

const struct riad_block_part_stats *riad_block_part_stats(void)
{
	return &part_stats;
}

/* part_stats for riad/metrics.h: the tables read, and the rejections by
 * reason. */
static void part_metrics(struct riad_metrics_out *o)
{
	static const struct {
		const char *reason;
		const uint64_t *v;
	} rej[] = {
		{ "no_table", &part_stats.no_table }, { "bad_header", &part_stats.bad_header },
		{ "bad_crc", &part_stats.bad_crc },   { "outside", &part_stats.outside },
		{ "overlap", &part_stats.overlap },   { "chain", &part_stats.chain },
		{ "limit", &part_stats.limit },       { "not_found", &part_stats.not_found },
		{ "io_errors", &part_stats.io_errors },
	};
	struct riad_metric_label lb;
	riad_metrics_family(o, "riad_part_tables_total", "Partition tables read and accepted.",
	                    RIAD_METRIC_TYPE_COUNTER);
	lb = (struct riad_metric_label){ "kind", "gpt" };
	riad_metrics_sample(o, &lb, 1, part_stats.gpt_tables);
	lb = (struct riad_metric_label){ "kind", "mbr" };
	riad_metrics_sample(o, &lb, 1, part_stats.mbr_tables);
	riad_metrics_family(o, "riad_part_gpt_backup_used_total",
	                    "Damaged primary GPTs for which the backup served.", RIAD_METRIC_TYPE_COUNTER);
	riad_metrics_sample(o, NULL, 0, part_stats.gpt_backup_used);
	riad_metrics_family(o, "riad_part_rejected_total", "Partition lookups refused, by reason.",
	                    RIAD_METRIC_TYPE_COUNTER);
	for (size_t i = 0; i < sizeof(rej) / sizeof(rej[0]); i++) {
		lb = (struct riad_metric_label){ "reason", rej[i].reason };
		riad_metrics_sample(o, &lb, 1, *rej[i].v);
	}
}
RIAD_METRICS_COLLECTOR(part_metrics);

/* ---- helpers ---- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t part_crc32(uint32_t crc, const void *p, size_t n)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
			table[i] = c;
		}
	const uint8_t *b = p;
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Checksums are checked in production; a fuzz build computes them but
 * lets a mismatch through, so that mutated tables reach the later checks. */
static bool crc_ok(uint32_t want, uint32_t got)
{
#ifdef RIAD_FUZZING
	(void)want, (void)got;
	return true;
#else
	return want == got;
#endif
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Byte i of the stored GUID comes from text byte order[i]. */
static const uint8_t guid_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

int part_guid_parse(const char *s, uint8_t out[16])
{
	uint8_t text[16];
	unsigned k = 0;
	for (unsigned i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -RIAD_EINVAL;
			continue;
		}
		int h = hexval(s[i]), l = h < 0 ? -1 : hexval(s[i + 1]);
		if (h < 0 || l < 0)
			return -RIAD_EINVAL;
		text[k++] = (uint8_t)(h << 4 | l);
		i++;
	}
	if (s[36] != '\0')
		return -RIAD_EINVAL;
	for (unsigned i = 0; i < 16; i++)
		out[i] = text[guid_order[i]];
	return 0;
}

void part_guid_format(const uint8_t g[16], char out[37])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t text[16];
	for (unsigned i = 0; i < 16; i++)
		text[guid_order[i]] = g[i];
	char *o = out;
	for (unsigned i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[text[i] >> 4];
		*o++ = hex[text[i] & 15];
	}
	*o = '\0';
}

/* UTF-16LE (units code units at p, ending at the first NUL) to UTF-8 in
 * out (PART_NAME_MAX bytes); unpaired surrogates become U+FFFD. */
static void utf16_to_utf8(const uint8_t *p, unsigned units, char *out)
{
	char *o = out;
	for (unsigned i = 0; i < units; i++) {
		uint32_t c = (uint32_t)p[2 * i] | (uint32_t)p[2 * i + 1] << 8;
		if (c == 0)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
			uint32_t d = (uint32_t)p[2 * i + 2] | (uint32_t)p[2 * i + 3] << 8;
			if (d >= 0xDC00 && d <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i++;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			c = 0xFFFD;
		}
		if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xC0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*o++ = (char)(0xE0 | c >> 12);
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (char)(0xF0 | c >> 18);
			*o++ = (char)(0x80 | (c >> 12 & 0x3F));
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*o = '\0';
}

/* Reject with a counted reason: logs "DISK: partition table: why" and
 * returns -RIAD_EBADMSG. */
static int reject(uint64_t *counter, const struct riad_block *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int reject(uint64_t *counter, const struct riad_block *d, const char *fmt, ...)
{
	(*counter)++;
	if (riad_log_enabled(block_log, RIAD_LOG_WARNING)) {
		char msg[200];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		riad_log(block_log, RIAD_LOG_WARNING, "%s: partition table: %s", d->name, msg);
	}
	return -RIAD_EBADMSG;
}
#define REJECT(counter, d, ...) reject(&part_stats.counter, (d), __VA_ARGS__)

static int read_sectors(struct riad_block *d, uint64_t lba, void *buf, uint64_t n)
{
	int r = riad_block_read(d, lba, buf, n);
	if (r < 0) {
		part_stats.io_errors++;
		riad_warn(block_log, "%s: partition table: reading sector %llu failed", d->name,
		          (unsigned long long)lba);
		return r == -RIAD_ENOMEM ? r : -RIAD_EIO;
	}
	return 0;
}

/* Whether [a, a + n) and [b, b + m) share a sector (all inside a disk, so
 * the sums do not overflow). */
static bool overlaps(uint64_t a, uint64_t n, uint64_t b, uint64_t m)
{
	return a < b + m && b < a + n;
}

static bool any_overlap(const struct part_table *t, unsigned *x, unsigned *y)
{
	for (unsigned i = 0; i < t->n; i++)
		for (unsigned j = i + 1; j < t->n; j++) {
			const struct part_entry *a = &t->e[i], *b = &t->e[j];
			/* A container holds logicals (index > 4) by design. */
			if ((a->container && b->index > 4) || (b->container && a->index > 4))
				continue;
			if (overlaps(a->first, a->count, b->first, b->count)) {
				*x = a->index, *y = b->index;
				return true;
			}
		}
	return false;
}

/* ---- GPT ---- */

/* One GPT header and its entry array, at lba. sec is one sector of
 * scratch. Returns 0 (t filled), -RIAD_EBADMSG (damaged: the caller may
 * try the other header), -RIAD_EIO, -RIAD_ENOMEM; *hostile is set when the
 * header was sound but its entries are not (no point trying the other). */
static int gpt_read(struct riad_block *d, uint64_t lba, uint8_t *sec, struct part_table *t,
                    bool *hostile)
{
	const char *which = lba == 1 ? "primary GPT header" : "backup GPT header";
	uint32_t ss = d->sector_size;
	int r = read_sectors(d, lba, sec, 1);
	if (r < 0)
		return r;
	if (memcmp(sec, "EFI PART", 8) != 0)
		return REJECT(bad_header, d, "%s at sector %llu: no \"EFI PART\" signature",
		              which, (unsigned long long)lba);
	uint32_t hsize = le32(sec + 12);
	if (hsize < 92 || hsize > ss)
		return REJECT(bad_header, d, "%s: header size %u outside 92..%u", which,
		              (unsigned)hsize, (unsigned)ss);
	uint32_t hcrc = le32(sec + 16);
	memset(sec + 16, 0, 4);
	if (!crc_ok(hcrc, part_crc32(0, sec, hsize)))
		return REJECT(bad_crc, d, "%s: header CRC32 mismatch", which);
	uint64_t my = le64(sec + 24), first_usable = le64(sec + 40), last_usable = le64(sec + 48);
	uint64_t array_lba = le64(sec + 72);
	uint32_t n = le32(sec + 80), esize = le32(sec + 84), acrc = le32(sec + 88);
	if (my != lba)
		return REJECT(bad_header, d, "%s: says it is at sector %llu, read at %llu",
		              which, (unsigned long long)my, (unsigned long long)lba);
	/* Sectors 0 (the protective MBR) and 1 (the primary header) are never
	 * usable, nor is the header read here. */
	if (first_usable < 2 || first_usable > last_usable || last_usable >= d->sectors ||
	    (first_usable <= lba && lba <= last_usable))
		return REJECT(outside, d, "%s: usable range %llu..%llu is not inside the disk (%llu "
		              "sectors) or holds a header", which,
		              (unsigned long long)first_usable, (unsigned long long)last_usable,
		              (unsigned long long)d->sectors);
	if (esize < 128 || (esize & (esize - 1)))
		return REJECT(bad_header, d, "%s: entry size %u is not 128 times a power of two",
		              which, (unsigned)esize);
	uint64_t bytes = (uint64_t)n * esize;
	if (bytes > RIAD_PART_GPT_ARRAY_MAX)
		return REJECT(limit, d, "%s: entry array of %llu bytes exceeds "
		              "RIAD_PART_GPT_ARRAY_MAX", which, (unsigned long long)bytes);
	uint64_t asectors = (bytes + ss - 1) / ss;
	if (asectors > 0 &&
	    (array_lba == 0 || array_lba >= d->sectors || asectors > d->sectors - array_lba ||
	     overlaps(array_lba, asectors, lba, 1) ||
	     overlaps(array_lba, asectors, first_usable, last_usable - first_usable + 1)))
		return REJECT(outside, d, "%s: entry array at sector %llu (%llu sectors) is outside "
		              "the disk or overlaps the header or usable range", which,
		              (unsigned long long)array_lba, (unsigned long long)asectors);
	uint8_t *a = NULL;
	if (asectors > 0) {
		a = malloc(asectors * ss);
		if (!a)
			return -RIAD_ENOMEM;
		r = read_sectors(d, array_lba, a, asectors);
		if (r < 0)
			goto out;
	}
	if (!crc_ok(acrc, part_crc32(0, a, bytes))) {
		r = REJECT(bad_crc, d, "%s: entry array CRC32 mismatch", which);
		goto out;
	}
	/* The header is sound: from here on a bad entry rejects the table. */
	*hostile = true;
	static const uint8_t zero[16];
	t->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = a + (size_t)i * esize;
		if (memcmp(e, zero, 16) == 0)
			continue;
		uint64_t first = le64(e + 32), last = le64(e + 40);
		if (first > last || first < first_usable || last > last_usable) {
			r = REJECT(outside, d, "GPT entry %u (%llu..%llu) is outside the usable range "
			           "%llu..%llu", (unsigned)i + 1, (unsigned long long)first,
			           (unsigned long long)last, (unsigned long long)first_usable,
			           (unsigned long long)last_usable);
			goto out;
		}
		if (t->n >= RIAD_PART_MAX) {
			r = REJECT(limit, d, "more than RIAD_PART_MAX (%u) GPT entries in use",
			           (unsigned)RIAD_PART_MAX);
			goto out;
		}
		struct part_entry *p = &t->e[t->n++];
		memset(p, 0, sizeof(*p));
		p->first = first;
		p->count = last - first + 1;
		p->index = i + 1;
		memcpy(p->type, e, 16);
		memcpy(p->guid, e + 16, 16);
		utf16_to_utf8(e + 56, 36, p->name);
	}
	unsigned x, y;
	if (any_overlap(t, &x, &y)) {
		r = REJECT(overlap, d, "GPT entries %u and %u overlap", x, y);
		goto out;
	}
	t->kind = PART_GPT;
	r = 0;
out:
	free(a);
	return r;
}

static int gpt_table(struct riad_block *d, uint8_t *sec, struct part_table *t)
{
	if (d->sectors < 3)
		return REJECT(outside, d, "a protective MBR on a disk of %llu sectors",
		              (unsigned long long)d->sectors);
	bool hostile = false;
	int r = gpt_read(d, 1, sec, t, &hostile);
	if (r != -RIAD_EBADMSG || hostile)
		goto done;
	r = gpt_read(d, d->sectors - 1, sec, t, &hostile);
	if (r == 0) {
		t->backup = true;
		part_stats.gpt_backup_used++;
		riad_warn(block_log, "%s: the primary GPT is damaged; using the backup at sector %llu",
		          d->name, (unsigned long long)(d->sectors - 1));
	}
done:
	if (r == 0)
		part_stats.gpt_tables++;
	return r;
}

/* ---- MBR ---- */

static bool mbr_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

static int add_entry(struct riad_block *d, struct part_table *t, uint64_t first, uint64_t count,
                     unsigned index, uint8_t type)
{
	if (t->n >= RIAD_PART_MAX)
		return REJECT(limit, d, "more than RIAD_PART_MAX (%u) MBR partitions",
		              (unsigned)RIAD_PART_MAX);
	struct part_entry *p = &t->e[t->n++];
	memset(p, 0, sizeof(*p));
	p->first = first;
	p->count = count;
	p->index = index;
	p->mbr_type = type;
	p->container = index <= 4 && mbr_extended(type);
	return 0;
}

/* The logical partitions in the chain of EBRs inside [ext, ext + ext_n). */
static int mbr_logicals(struct riad_block *d, uint8_t *sec, struct part_table *t, uint64_t ext,
                        uint64_t ext_n)
{
	uint64_t seen[RIAD_PART_MBR_CHAIN_MAX];
	unsigned nseen = 0, index = 5;
	for (uint64_t ebr = ext;;) {
		if (nseen >= RIAD_PART_MBR_CHAIN_MAX)
			return REJECT(chain, d, "logical partition chain longer than "
			              "RIAD_PART_MBR_CHAIN_MAX (%u)", (unsigned)RIAD_PART_MBR_CHAIN_MAX);
		for (unsigned i = 0; i < nseen; i++)
			if (seen[i] == ebr)
				return REJECT(chain, d, "logical partition chain loops back to sector %llu",
				              (unsigned long long)ebr);
		seen[nseen++] = ebr;
		if (ebr < ext || ebr >= ext + ext_n)
			return REJECT(outside, d, "EBR at sector %llu is outside the extended partition",
			              (unsigned long long)ebr);
		int r = read_sectors(d, ebr, sec, 1);
		if (r < 0)
			return r;
		if (sec[510] != 0x55 || sec[511] != 0xAA)
			return REJECT(chain, d, "EBR at sector %llu has no 55AA signature",
			              (unsigned long long)ebr);
		const uint8_t *l = sec + 446, *next = sec + 462;
		uint64_t start = le32(l + 8), count = le32(l + 12);
		if (l[4] != 0 && count != 0) {
			uint64_t first = ebr + start;
			if (start == 0 || first + count > ext + ext_n)
				return REJECT(outside, d, "logical partition %u (%llu+%llu) is outside the "
				              "extended partition", index, (unsigned long long)first,
				              (unsigned long long)count);
			r = add_entry(d, t, first, count, index++, l[4]);
			if (r < 0)
				return r;
		}
		if (next[4] == 0 || le32(next + 12) == 0)
			break;
		if (!mbr_extended(next[4]))
			return REJECT(chain, d, "EBR at sector %llu links with type %02x, not an "
			              "extended type", (unsigned long long)ebr, next[4]);
		ebr = ext + le32(next + 8);
	}
	/* No logical may cover an EBR (its own or another's). */
	for (unsigned i = 0; i < t->n; i++)
		for (unsigned k = 0; t->e[i].index > 4 && k < nseen; k++)
			if (overlaps(t->e[i].first, t->e[i].count, seen[k], 1))
				return REJECT(overlap, d, "logical partition %u covers the EBR at sector %llu",
				              t->e[i].index, (unsigned long long)seen[k]);
	return 0;
}

static int mbr_table(struct riad_block *d, uint8_t *sec, struct part_table *t)
{
	uint64_t ext = 0, ext_n = 0;
	t->n = 0;
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *p = sec + 446 + 16 * i;
		uint64_t start = le32(p + 8), count = le32(p + 12);
		if (p[4] == 0 || count == 0)
			continue;
		if (p[0] != 0 && p[0] != 0x80)
			return REJECT(bad_header, d, "MBR entry %u has boot flag %02x (not a partition "
			              "table?)", i + 1, p[0]);
		if (start == 0 || start >= d->sectors || count > d->sectors - start)
			return REJECT(outside, d, "MBR partition %u (%llu+%llu) is outside the disk "
			              "(%llu sectors)", i + 1, (unsigned long long)start,
			              (unsigned long long)count, (unsigned long long)d->sectors);
		if (mbr_extended(p[4])) {
			if (ext_n)
				return REJECT(bad_header, d, "two extended partitions in the MBR");
			ext = start, ext_n = count;
		}
		int r = add_entry(d, t, start, count, i + 1, p[4]);
		if (r < 0)
			return r;
	}
	unsigned x, y;
	if (any_overlap(t, &x, &y))
		return REJECT(overlap, d, "MBR partitions %u and %u overlap", x, y);
	if (ext_n) {
		int r = mbr_logicals(d, sec, t, ext, ext_n);
		if (r < 0)
			return r;
		if (any_overlap(t, &x, &y))
			return REJECT(overlap, d, "MBR partitions %u and %u overlap", x, y);
	}
	t->kind = PART_MBR;
	part_stats.mbr_tables++;
	return 0;
}

int part_table_read(struct riad_block *d, struct part_table *t)
{
	uint8_t *sec = malloc(d->sector_size);
	if (!sec)
		return -RIAD_ENOMEM;
	memset(t, 0, sizeof(*t));
	int r = read_sectors(d, 0, sec, 1);
	if (r < 0)
		goto out;
	if (sec[510] != 0x55 || sec[511] != 0xAA) {
		r = REJECT(no_table, d, "no 55AA signature in sector 0");
		goto out;
	}
	bool protective = false;
	for (unsigned i = 0; i < 4; i++)
		if (sec[446 + 16 * i + 4] == 0xEE)
			protective = true;
	r = protective ? gpt_table(d, sec, t) : mbr_table(d, sec, t);
out:
	free(sec);
	return r;
}

/* ---- finding and opening ---- */

int part_table_find(const struct part_table *t, const char *spec)
{
	if (strncmp(spec, "type:", 5) == 0) {
		const char *g = spec + 5;
		uint8_t want[16];
		if (t->kind == PART_GPT && part_guid_parse(g, want) == 0) {
			for (unsigned i = 0; i < t->n; i++)
				if (memcmp(t->e[i].type, want, 16) == 0)
					return (int)i;
		} else if (t->kind == PART_MBR && hexval(g[0]) >= 0 && hexval(g[1]) >= 0 && !g[2]) {
			uint8_t ty = (uint8_t)(hexval(g[0]) << 4 | hexval(g[1]));
			for (unsigned i = 0; i < t->n; i++)
				if (t->e[i].mbr_type == ty && !t->e[i].container)
					return (int)i;
		}
		return -RIAD_ENOENT;
	}
	if (spec[0] >= '1' && spec[0] <= '9' && strspn(spec, "0123456789") == strlen(spec)) {
		if (strlen(spec) > 9)
			return -RIAD_ENOENT;
		unsigned n = (unsigned)strtoul(spec, NULL, 10);
		for (unsigned i = 0; i < t->n; i++)
			if (t->e[i].index == n)
				return (int)i;
		return -RIAD_ENOENT;
	}
	if (t->kind != PART_GPT || !spec[0])
		return -RIAD_ENOENT;
	for (unsigned i = 0; i < t->n; i++)
		if (strcmp(t->e[i].name, spec) == 0)
			return (int)i;
	return -RIAD_ENOENT;
}

struct riad_block *riad_block_part_open(struct riad_block *inner, const char *spec, int *err)
{
	int e;
	struct riad_block *b = NULL;
	struct part_table *t = malloc(sizeof(*t));
	if (!t) {
		e = -RIAD_ENOMEM;
		goto out;
	}
	e = part_table_read(inner, t);
	if (e < 0)
		goto out;
	e = part_table_find(t, spec);
	if (e < 0) {
		part_stats.not_found++;
		riad_warn(block_log, "%s: no partition '%s' in its %s table", inner->name, spec,
		          t->kind == PART_GPT ? "GPT" : "MBR");
		goto out;
	}
	const struct part_entry *p = &t->e[e];
	char name[RIAD_BLOCK_NAME_MAX];
	size_t len = strlen(inner->name);
	if (len > sizeof(name) - 12)
		len = sizeof(name) - 12;
	memcpy(name, inner->name, len);
	name[len++] = 'p';
	unsigned idx = p->index, div = 1;
	while (idx / div >= 10)
		div *= 10;
	for (; div; div /= 10)
		name[len++] = (char)('0' + idx / div % 10);
	name[len] = '\0';
	b = part_range_open(inner, p->first, p->count, false, name, &e);
out:
	free(t);
	if (!b && err)
		*err = e;
	return b;
}
