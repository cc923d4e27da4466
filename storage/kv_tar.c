/* storage/kv_tar.c: riad_kv_tar_open(), a KV store over a tar archive on a block device, indexed at open, writable by appending (riad/kv.h, docs/storage-kv.md).
 *
 * Opening reads every header once, from the start of the device to the
 * first zero block (or the end of the device), and keeps one small entry
 * per member: where its data starts, its size and mtime, and its name in a
 * shared pool of names. The entries are then sorted in path order
 * (kv_path.h), a later member of a name replacing an earlier one as GNU tar
 * extracts them, so lookups are binary searches and dictionaries are the
 * ranges of names below a prefix. Values are read from the device on each
 * get, only the sectors that hold the bytes asked for.
 *
 * Appending (set) writes the new member where the end-of-archive blocks
 * were: first its data and two new zero blocks after it, then its header
 * blocks from the last to the first, so that until the first header block
 * lands in one sector write the old end-of-archive block still ends the
 * archive, and a crash leaves either the old archive or the new one.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/clock.h>
#include <riad/kv.h>
#include <riad/log.h>

#include "kv_path.h"
#include "tar_wire.h"

RIAD_LOG_SRC(kv_log, "kv", "Key-value stores");

_Static_assert(RIAD_KV_TAR_NAMES_BYTES <= UINT32_MAX, "name offsets are 32 bits");
_Static_assert(RIAD_KV_TAR_ENTRIES <= UINT32_MAX, "sequence numbers are 32 bits");
_Static_assert(RIAD_KV_KEY_MAX <= UINT16_MAX, "name lengths are 16 bits");

struct tar_ent {
	uint64_t data_off;  /* byte offset of the data on the device */
	uint64_t size;
	int64_t mtime_ns;
	uint32_t name_off;  /* into names */
	uint32_t seq;       /* order in the archive, for "the later wins" */
	uint16_t name_len;
	uint8_t type;       /* RIAD_KV_VALUE or RIAD_KV_DICT */
};

struct kv_tar {
	struct riad_kv kv;
	struct riad_block *dev;
	uint64_t dev_bytes;
	uint32_t ss;          /* sector size */
	bool writable;
	bool can_append;      /* the archive ended with a zero block */
	uint64_t end;         /* offset of the end-of-archive blocks */
	struct tar_ent *ents;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	uint8_t *scan;        /* at open: a window of the device read ahead */
	uint64_t scan_off;
	size_t scan_len, scan_cap;
	uint8_t *sbuf;        /* one sector */
	uint64_t sbuf_sector; /* the sector in sbuf, if sbuf_valid */
	bool sbuf_valid;
	struct riad_kv_tar_stats st;
};

/* ---- the device, by bytes ---- */

/* Read len bytes at off: partial sectors through sbuf, whole ones straight
 * into buf. The range must lie inside the device. */
static int dev_read(struct kv_tar *t, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		uint64_t sec = off / t->ss;
		size_t in = (size_t)(off % t->ss);
		if (in == 0 && len >= t->ss) {
			uint64_t cnt = len / t->ss;
			int r = riad_block_read(t->dev, sec, p, cnt);
			if (r < 0)
				return r;
			size_t n = (size_t)cnt * t->ss;
			p += n, off += n, len -= n;
			continue;
		}
		if (!t->sbuf_valid || t->sbuf_sector != sec) {
			t->sbuf_valid = false;
			int r = riad_block_read(t->dev, sec, t->sbuf, 1);
			if (r < 0)
				return r;
			t->sbuf_valid = true;
			t->sbuf_sector = sec;
		}
		size_t n = t->ss - in;
		if (n > len)
			n = len;
		memcpy(p, t->sbuf + in, n);
		p += n, off += n, len -= n;
	}
	return 0;
}

/* Read the header block at pos while indexing. Small members' headers
 * come from a window read ahead (one request for many headers); after a
 * long member's data, only the sectors that hold the header are read. */
static int scan_read(struct kv_tar *t, uint64_t pos, uint64_t skipped, uint8_t *h)
{
	if (pos >= t->scan_off && pos - t->scan_off <= t->scan_len &&
	    t->scan_len - (pos - t->scan_off) >= TAR_BLOCK) {
		memcpy(h, t->scan + (pos - t->scan_off), TAR_BLOCK);
		return 0;
	}
	if (!t->scan || skipped > t->scan_cap / 2)
		return dev_read(t, pos, h, TAR_BLOCK);
	uint64_t start = pos / t->ss * t->ss;
	uint64_t len = t->dev_bytes - start;
	if (len > t->scan_cap)
		len = t->scan_cap;
	len = len / t->ss * t->ss; /* whole sectors, and pos + 512 fits: see open */
	t->scan_len = 0;
	int r = riad_block_read(t->dev, start / t->ss, t->scan, len / t->ss);
	if (r < 0)
		return r;
	t->scan_off = start;
	t->scan_len = (size_t)len;
	memcpy(h, t->scan + (pos - start), TAR_BLOCK);
	return 0;
}

/* Write len bytes at off (data NULL: zeros), reading back partial sectors
 * first. The range must lie inside the device. */
static int dev_write(struct kv_tar *t, uint64_t off, const void *data, size_t len)
{
	const uint8_t *p = data;
	while (len > 0) {
		uint64_t sec = off / t->ss;
		size_t in = (size_t)(off % t->ss);
		if (in == 0 && len >= t->ss && p) {
			uint64_t cnt = len / t->ss;
			if (t->sbuf_valid && t->sbuf_sector >= sec && t->sbuf_sector - sec < cnt)
				t->sbuf_valid = false;
			int r = riad_block_write(t->dev, sec, p, cnt);
			if (r < 0)
				return r;
			size_t n = (size_t)cnt * t->ss;
			p += n, off += n, len -= n;
			continue;
		}
		size_t n = t->ss - in;
		if (n > len)
			n = len;
		if (n < t->ss && (!t->sbuf_valid || t->sbuf_sector != sec)) {
			t->sbuf_valid = false;
			int r = riad_block_read(t->dev, sec, t->sbuf, 1);
			if (r < 0)
				return r;
		}
		t->sbuf_valid = false;
		if (p)
			memcpy(t->sbuf + in, p, n);
		else
			memset(t->sbuf + in, 0, n);
		int r = riad_block_write(t->dev, sec, t->sbuf, 1);
		if (r < 0)
			return r;
		t->sbuf_valid = true;
		t->sbuf_sector = sec;
		if (p)
			p += n;
		off += n, len -= n;
	}
	return 0;
}

/* ---- header fields ---- */

static int bad(struct kv_tar *t, uint64_t *counter, uint64_t pos, const char *why)
{
	(*counter)++;
	riad_err(kv_log, "tar on %s: header at byte %llu: %s", riad_block_name(t->dev),
	         (unsigned long long)pos, why);
	return -RIAD_EBADMSG;
}

/* A numeric field: octal (leading spaces, digits, then only spaces and
 * NULs) or base-256. All blank is 0. Returns 0 or -1. */
static int parse_num(const uint8_t *f, size_t len, int64_t *out)
{
	if (f[0] == 0x80 || f[0] == 0xff) {
		bool neg = f[0] == 0xff;
		uint64_t v = neg ? ~0ull : 0; /* sign-extended */
		for (size_t i = 1; i < len; i++) {
			if (neg ? (v >> 56) != 0xff : (v >> 56) != 0)
				return -1;
			v = (v << 8) | f[i];
		}
		int64_t s = (int64_t)v;
		if (neg ? s >= 0 : s < 0)
			return -1;
		*out = s;
		return 0;
	}
	size_t i = 0;
	while (i < len && f[i] == ' ')
		i++;
	uint64_t v = 0;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (uint64_t)INT64_MAX >> 3)
			return -1;
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = (int64_t)v;
	return 0;
}

/* Whether the header's checksum field matches the sum of its bytes (the
 * field counted as spaces), summed as unsigned or as signed chars: old tars
 * wrote either, and GNU tar accepts both. */
static bool checksum_ok(const uint8_t *h)
{
	int64_t want;
	if (h[TAR_CHKSUM_OFF] & 0x80 || parse_num(h + TAR_CHKSUM_OFF, TAR_CHKSUM_LEN, &want) < 0)
		return false;
	/* Every byte, then the checksum field's bytes replaced by spaces
	 * (two plain loops the compiler vectorises). */
	long us = 0, ss = 0;
	for (size_t i = 0; i < TAR_BLOCK; i++)
		us += h[i];
	for (size_t i = 0; i < TAR_BLOCK; i++)
		ss += (signed char)h[i];
	for (size_t i = TAR_CHKSUM_OFF; i < TAR_CHKSUM_OFF + TAR_CHKSUM_LEN; i++) {
		us += ' ' - (long)h[i];
		ss += ' ' - (long)(signed char)h[i];
	}
#ifdef RIAD_FUZZING
	(void)us, (void)ss;
	return true;
#else
	return want == us || want == ss;
#endif
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* ---- names ---- */

/* Turn a name from an archive (len bytes, no NUL) into a key in out: drop
 * empty and "." segments (so "./a//b/" is "a/b"). Returns the key's length,
 * or -1 if it is no key: a ".." segment, a NUL, a segment or the whole too
 * long. "" (the archive's root, "./") is length 0. */
static long canon_name(const char *in, size_t len, char out[RIAD_KV_KEY_MAX + 1])
{
	size_t o = 0, i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && in[j] != '/') {
			if (in[j] == '\0')
				return -1;
			j++;
		}
		size_t sl = j - i;
		if (sl == 2 && in[i] == '.' && in[i + 1] == '.')
			return -1;
		if (sl > 0 && !(sl == 1 && in[i] == '.')) {
			if (sl > RIAD_KV_NAME_MAX || o + (o ? 1 : 0) + sl > RIAD_KV_KEY_MAX)
				return -1;
			if (o)
				out[o++] = '/';
			memcpy(out + o, in + i, sl);
			o += sl;
		}
		i = j + 1;
	}
	out[o] = '\0';
	return (long)o;
}

static size_t field_len(const uint8_t *f, size_t max)
{
	const void *z = memchr(f, 0, max);
	return z ? (size_t)((const uint8_t *)z - f) : max;
}

/* ---- the index ---- */

static const char *ent_name(const struct kv_tar *t, const struct tar_ent *e)
{
	return t->names + e->name_off;
}

static int ent_cmp(const struct kv_tar *t, const struct tar_ent *e, const char *key, size_t kl)
{
	return kv_path_cmp(ent_name(t, e), e->name_len, key, kl);
}

/* First entry not before key. Only on the sorted index. */
static size_t lower_bound(const struct kv_tar *t, const char *key, size_t kl)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ent_cmp(t, &t->ents[mid], key, kl) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry named key, or NULL. */
static struct tar_ent *find(struct kv_tar *t, const char *key, size_t *at)
{
	size_t kl = strlen(key);
	size_t i = lower_bound(t, key, kl);
	if (at)
		*at = i;
	if (i < t->n && t->ents[i].name_len == kl && memcmp(ent_name(t, &t->ents[i]), key, kl) == 0)
		return &t->ents[i];
	return NULL;
}

/* Whether some entry lies below the dictionary key (non-empty). */
static bool has_below(struct kv_tar *t, const char *key)
{
	size_t kl = strlen(key), i;
	if (find(t, key, &i))
		i++;
	return i < t->n && kv_path_is_below(ent_name(t, &t->ents[i]), key, kl);
}

/* -RIAD_ENOTDIR if a proper ancestor of key is a value, else -RIAD_ENOENT. */
static int missing(struct kv_tar *t, const char *key)
{
	char buf[RIAD_KV_KEY_MAX + 1];
	size_t kl = strlen(key);
	memcpy(buf, key, kl + 1);
	for (size_t i = 0; i < kl; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		struct tar_ent *e = find(t, buf, NULL);
		buf[i] = '/';
		if (e && e->type == RIAD_KV_VALUE)
			return -RIAD_ENOTDIR;
	}
	return -RIAD_ENOENT;
}

static int add_name(struct kv_tar *t, const char *name, size_t len, uint32_t *off)
{
	if (len + 1 > RIAD_KV_TAR_NAMES_BYTES - t->names_len)
		return -RIAD_ENOSPC;
	if (t->names_len + len + 1 > t->names_cap) {
		size_t nc = t->names_cap ? t->names_cap * 2 : 4096;
		while (nc < t->names_len + len + 1)
			nc *= 2;
		if (nc > RIAD_KV_TAR_NAMES_BYTES)
			nc = RIAD_KV_TAR_NAMES_BYTES;
		char *nn = realloc(t->names, nc);
		if (!nn)
			return -RIAD_ENOMEM;
		t->names = nn;
		t->names_cap = nc;
	}
	memcpy(t->names + t->names_len, name, len + 1);
	*off = (uint32_t)t->names_len;
	t->names_len += len + 1;
	return 0;
}

/* Room for one more entry. */
static int grow_ents(struct kv_tar *t)
{
	if (t->n >= RIAD_KV_TAR_ENTRIES)
		return -RIAD_ENOSPC;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		if (nc > RIAD_KV_TAR_ENTRIES)
			nc = RIAD_KV_TAR_ENTRIES;
		struct tar_ent *ne = realloc(t->ents, nc * sizeof(*ne));
		if (!ne)
			return -RIAD_ENOMEM;
		t->ents = ne;
		t->cap = nc;
	}
	return 0;
}

/* The names pool for qsort's comparison (qsort has no argument). Only
 * used during one index_sort() call, which never parks the fiber. */
static const char *sort_names;

static int sort_cmp(const void *x, const void *y)
{
	const struct tar_ent *a = x, *b = y;
	int c = kv_path_cmp(sort_names + a->name_off, a->name_len, sort_names + b->name_off,
	                    b->name_len);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sort the entries read at open, keep the last member of each name, and
 * make a value that has names below it a dictionary (as extracting the
 * later members would). */
static void index_sort(struct kv_tar *t)
{
	if (t->n < 2)
		return;
	sort_names = t->names;
	qsort(t->ents, t->n, sizeof(*t->ents), sort_cmp);
	sort_names = NULL;
	size_t o = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (i + 1 < t->n && t->ents[i + 1].name_len == t->ents[i].name_len &&
		    memcmp(ent_name(t, &t->ents[i + 1]), ent_name(t, &t->ents[i]),
		           t->ents[i].name_len) == 0) {
			t->st.replaced++;
			continue;
		}
		t->ents[o++] = t->ents[i];
	}
	t->n = o;
	for (size_t i = 0; i + 1 < t->n; i++) {
		struct tar_ent *e = &t->ents[i];
		if (e->type == RIAD_KV_VALUE &&
		    kv_path_is_below(ent_name(t, &t->ents[i + 1]), ent_name(t, e), e->name_len)) {
			e->type = RIAD_KV_DICT;
			e->size = 0;
			t->st.replaced++;
		}
	}
}

/* ---- pax records ---- */

struct pax {
	char path[RIAD_KV_KEY_MAX + 3];
	size_t path_len;
	bool has_path, path_bad;
	bool has_size, has_mtime, sparse;
	uint64_t size;
	int64_t mtime_ns;
};

/* Forget what the last extended headers said (without clearing the
 * path buffer: 4 KiB per member would be most of the indexing time). */
static void pax_reset(struct pax *px)
{
	px->path_len = 0;
	px->has_path = px->path_bad = false;
	px->has_size = px->has_mtime = px->sparse = false;
	px->size = 0;
	px->mtime_ns = 0;
}

static int parse_dec(const char *s, size_t n, uint64_t *out)
{
	if (n == 0 || n > 20)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* "[-]seconds[.fraction]" into nanoseconds (fraction digits past the
 * ninth are dropped). */
static int parse_pax_time(const char *s, size_t n, int64_t *out)
{
	bool neg = n > 0 && s[0] == '-';
	if (neg)
		s++, n--;
	const char *dot = memchr(s, '.', n);
	size_t il = dot ? (size_t)(dot - s) : n;
	uint64_t sec;
	if (parse_dec(s, il, &sec) < 0 || sec > (uint64_t)INT64_MAX / 1000000000ull - 1)
		return -1;
	uint64_t frac = 0;
	if (dot) {
		size_t fl = n - il - 1;
		uint64_t scale = 100000000;
		for (size_t i = 0; i < fl; i++) {
			char c = dot[1 + i];
			if (c < '0' || c > '9')
				return -1;
			frac += (uint64_t)(c - '0') * scale;
			scale /= 10;
		}
	}
	int64_t v = (int64_t)(sec * 1000000000ull + frac);
	*out = neg ? -v : v;
	return 0;
}

/* Parse len bytes of pax records ("LEN key=value\n" each, LEN counting the
 * whole record) into px (NULL: check only, a global header). */
static int parse_pax(const char *d, size_t len, struct pax *px)
{
	size_t i = 0;
	while (i < len) {
		size_t sp = i;
		while (sp < len && sp - i <= 20 && d[sp] >= '0' && d[sp] <= '9')
			sp++;
		uint64_t rl;
		if (sp >= len || d[sp] != ' ' || parse_dec(d + i, sp - i, &rl) < 0)
			return -1;
		if (rl > len - i || rl < sp - i + 4) /* "N k=\n" at least */
			return -1;
		const char *rec = d + sp + 1, *recend = d + i + rl - 1;
		if (*recend != '\n')
			return -1;
		const char *eq = memchr(rec, '=', (size_t)(recend - rec));
		if (!eq || eq == rec)
			return -1;
		size_t kl = (size_t)(eq - rec);
		const char *v = eq + 1;
		size_t vl = (size_t)(recend - v);
		if (px) {
			if (kl == 4 && memcmp(rec, "path", 4) == 0) {
				px->has_path = true;
				px->path_bad = vl > RIAD_KV_KEY_MAX + 2; /* room for "./" */
				if (!px->path_bad) {
					memcpy(px->path, v, vl);
					px->path_len = vl;
				}
			} else if (kl == 4 && memcmp(rec, "size", 4) == 0) {
				if (parse_dec(v, vl, &px->size) < 0 || px->size > (uint64_t)INT64_MAX)
					return -1;
				px->has_size = true;
			} else if (kl == 5 && memcmp(rec, "mtime", 5) == 0) {
				if (parse_pax_time(v, vl, &px->mtime_ns) < 0)
					return -1;
				px->has_mtime = true;
			} else if (kl > 11 && memcmp(rec, "GNU.sparse.", 11) == 0) {
				px->sparse = true;
			}
		}
		i += (size_t)rl;
	}
	return 0;
}

/* ---- indexing ---- */

/* Read a metadata member's data (a pax header or a GNU long name) of size
 * bytes at off into a new buffer with a NUL after it. */
static int read_meta(struct kv_tar *t, uint64_t off, uint64_t size, char **out)
{
	char *b = malloc((size_t)size + 1);
	if (!b)
		return -RIAD_ENOMEM;
	int r = dev_read(t, off, b, (size_t)size);
	if (r < 0) {
		free(b);
		return r;
	}
	b[size] = '\0';
	*out = b;
	return 0;
}

/* What the extended headers read so far say of the next member. */
struct scan {
	struct pax *px;
	char *longname;     /* GNU 'L', NUL-terminated */
	size_t longname_len;
	bool longname_bad;  /* too long to be a key: not read */
	char *key;          /* RIAD_KV_KEY_MAX + 1 bytes */
	unsigned chain;     /* extended headers since the last member */
	uint64_t headers;   /* members, indexed or skipped */
	uint32_t seq;
};

/* An extended header ('x', 'g', 'L', 'K') at pos, size bytes of data at
 * data (inside the device). */
static int scan_meta(struct kv_tar *t, struct scan *sc, uint8_t type, uint64_t pos,
                     uint64_t data, uint64_t size)
{
	if (type == TAR_T_PAX || type == TAR_T_PAX_GLOBAL) {
		if (size > RIAD_KV_TAR_PAX_MAX)
			return bad(t, &t->st.bad_pax, pos, "pax header too large");
		char *b = NULL;
		int r = read_meta(t, data, size, &b);
		if (r < 0)
			return r;
		if (type == TAR_T_PAX)
			pax_reset(sc->px);
		r = parse_pax(b, (size_t)size, type == TAR_T_PAX ? sc->px : NULL);
		free(b);
		return r < 0 ? bad(t, &t->st.bad_pax, pos, "bad pax record") : 0;
	}
	if (type == TAR_T_GNU_LONGNAME) {
		free(sc->longname);
		sc->longname = NULL;
		sc->longname_bad = size > RIAD_KV_KEY_MAX + 3; /* "./", a NUL */
		if (!sc->longname_bad) {
			int r = read_meta(t, data, size, &sc->longname);
			if (r < 0)
				return r;
			sc->longname_len = strnlen(sc->longname, (size_t)size);
		}
	}
	/* 'K', a long link name: links are skipped anyway */
	return 0;
}

/* A member's header h at pos, its data at data: index it, or count why
 * not. Uses up what the extended headers said. */
static int scan_member(struct kv_tar *t, struct scan *sc, const uint8_t *h, uint64_t pos,
                       uint64_t data, uint64_t size, int64_t mtime)
{
	struct pax *px = sc->px;
	uint8_t type = h[TAR_TYPE_OFF];
	if (++sc->headers > RIAD_KV_TAR_HEADERS_MAX) {
		t->st.too_many++;
		riad_err(kv_log, "tar on %s: more than RIAD_KV_TAR_HEADERS_MAX members",
		         riad_block_name(t->dev));
		return -RIAD_ENOSPC;
	}
	/* Its name from pax, else GNU's long name, else the header (ustar:
	 * prefix "/" name). */
	char raw[TAR_PREFIX_LEN + 1 + TAR_NAME_LEN];
	const char *name;
	size_t nl;
	bool name_bad = false;
	if (px->has_path) {
		name = px->path, nl = px->path_len, name_bad = px->path_bad;
	} else if (sc->longname || sc->longname_bad) {
		name = sc->longname, nl = sc->longname_len, name_bad = sc->longname_bad;
	} else {
		size_t pl = 0;
		if (memcmp(h + TAR_MAGIC_OFF, "ustar\0", 6) == 0) {
			pl = field_len(h + TAR_PREFIX_OFF, TAR_PREFIX_LEN);
			memcpy(raw, h + TAR_PREFIX_OFF, pl);
			if (pl)
				raw[pl++] = '/';
		}
		size_t fl = field_len(h + TAR_NAME_OFF, TAR_NAME_LEN);
		memcpy(raw + pl, h + TAR_NAME_OFF, fl);
		name = raw, nl = pl + fl;
	}
	int64_t mtime_ns = px->has_mtime ? px->mtime_ns
	                   : (mtime > INT64_MAX / 1000000000 || mtime < INT64_MIN / 1000000000)
	                           ? 0
	                           : mtime * 1000000000;
	int kind = 0;
	if (type == TAR_T_DIR)
		kind = RIAD_KV_DICT;
	else if (type == TAR_T_REG || type == TAR_T_AREG || type == TAR_T_CONTIG)
		kind = name && nl > 0 && name[nl - 1] == '/' ? RIAD_KV_DICT : RIAD_KV_VALUE;
	if (px->sparse || type == TAR_T_GNU_SPARSE)
		kind = 0;
	long kl = -1;
	if (!name_bad && name)
		kl = canon_name(name, nl, sc->key);
	/* the extended headers applied to this member only */
	pax_reset(px);
	free(sc->longname);
	sc->longname = NULL;
	sc->longname_bad = false;

	if (kind == 0) {
		t->st.skipped++;
		return 0;
	}
	if (kl < 0) {
		t->st.bad_names++;
		riad_warn(kv_log, "tar on %s: member at byte %llu skipped: its name is no key",
		          riad_block_name(t->dev), (unsigned long long)pos);
		return 0;
	}
	if (kl == 0)
		return 0; /* "./": the root */
	int r = grow_ents(t);
	struct tar_ent *e = &t->ents[t->n];
	if (r == 0)
		r = add_name(t, sc->key, (size_t)kl, &e->name_off);
	if (r == -RIAD_ENOSPC) {
		t->st.too_many++;
		riad_err(kv_log, "tar on %s: more members or names than the limits "
		         "(RIAD_KV_TAR_ENTRIES, RIAD_KV_TAR_NAMES_BYTES)", riad_block_name(t->dev));
	}
	if (r < 0)
		return r;
	e->data_off = data;
	e->size = kind == RIAD_KV_VALUE ? size : 0;
	e->mtime_ns = mtime_ns;
	e->seq = sc->seq++;
	e->name_len = (uint16_t)kl;
	e->type = (uint8_t)kind;
	t->n++;
	t->st.members++;
	return 0;
}

/* Read every header from the start of the device to the end of the
 * archive, then sort the index. */
static int index_archive(struct kv_tar *t)
{
	uint8_t h[TAR_BLOCK];
	uint64_t pos = 0, skipped = 0;
	struct scan sc = { .px = calloc(1, sizeof(struct pax)), .key = malloc(RIAD_KV_KEY_MAX + 1) };
	int r = 0;
	if (!sc.px || !sc.key) {
		r = -RIAD_ENOMEM;
		goto out;
	}
	for (;;) {
		if (t->dev_bytes - pos < TAR_BLOCK) {
			/* The device ends without end-of-archive blocks. */
			t->end = pos;
			t->can_append = false;
			if (sc.chain)
				t->st.truncated++;
			break;
		}
		r = scan_read(t, pos, skipped, h);
		if (r < 0)
			goto out;
		if (all_zero(h, TAR_BLOCK)) {
			t->end = pos;
			t->can_append = true;
			if (sc.chain) {
				r = bad(t, &t->st.bad_chain, pos, "extended header without a member");
				goto out;
			}
			break;
		}
		if (!checksum_ok(h)) {
			r = bad(t, &t->st.bad_checksum, pos,
			        pos == 0 ? "bad checksum: not a tar archive" : "bad checksum");
			goto out;
		}
		int64_t hsize, mtime;
		if (parse_num(h + TAR_SIZE_OFF, TAR_SIZE_LEN, &hsize) < 0 || hsize < 0) {
			r = bad(t, &t->st.bad_number, pos, "bad size field");
			goto out;
		}
		if (parse_num(h + TAR_MTIME_OFF, TAR_MTIME_LEN, &mtime) < 0)
			mtime = 0; /* a bad mtime is no reason to lose the member */
		uint8_t type = h[TAR_TYPE_OFF];
		bool meta = type == TAR_T_PAX || type == TAR_T_PAX_GLOBAL ||
		            type == TAR_T_GNU_LONGNAME || type == TAR_T_GNU_LONGLINK;
		uint64_t size = (uint64_t)hsize;
		if (!meta && sc.px->has_size)
			size = sc.px->size;
		uint64_t data = pos + TAR_BLOCK;
		/* Old GNU sparse members: extension blocks follow the header. */
		if (type == TAR_T_GNU_SPARSE && h[TAR_GNU_ISEXTENDED_OFF]) {
			uint8_t x[TAR_BLOCK];
			unsigned n = 0;
			do {
				if (++n > RIAD_KV_TAR_META_CHAIN) {
					r = bad(t, &t->st.bad_chain, pos, "endless sparse extension blocks");
					goto out;
				}
				if (t->dev_bytes - data < TAR_BLOCK) {
					r = bad(t, &t->st.truncated, pos, "sparse member cut short");
					goto out;
				}
				r = dev_read(t, data, x, TAR_BLOCK);
				if (r < 0)
					goto out;
				data += TAR_BLOCK;
			} while (x[TAR_GNU_SPARSE_EXT_FLAG_OFF]);
		}
		/* GNU tar skips a member's size in data for every type but a
		 * directory's (whose size some archivers fill in). */
		uint64_t skip = type == TAR_T_DIR ? 0 : size;
		uint64_t padded = (skip + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
		/* Larger than what is left of the device: a truncated image. A
		 * member is indexed with the size it says and ends the archive;
		 * reads past the device are refused. */
		bool cut = skip > t->dev_bytes - data;
		if (meta) {
			if (++sc.chain > RIAD_KV_TAR_META_CHAIN) {
				r = bad(t, &t->st.bad_chain, pos, "too many extended headers in a row");
				goto out;
			}
			if (cut) {
				r = bad(t, &t->st.truncated, pos, "extended header cut short");
				goto out;
			}
			r = scan_meta(t, &sc, type, pos, data, size);
			if (r < 0)
				goto out;
		} else {
			sc.chain = 0;
			r = scan_member(t, &sc, h, pos, data, size, mtime);
			if (r < 0)
				goto out;
			if (cut) {
				t->st.truncated++;
				riad_warn(kv_log, "tar on %s: member at byte %llu runs past the end of the device",
				          riad_block_name(t->dev), (unsigned long long)pos);
				t->end = t->dev_bytes;
				t->can_append = false;
				break;
			}
		}
		skipped = data + padded - pos;
		pos = data + padded;
	}
	index_sort(t);
out:
	free(sc.px);
	free(sc.longname);
	free(sc.key);
	free(t->scan);
	t->scan = NULL;
	t->scan_len = 0;
	return r;
}

/* ---- reading ---- */

static int tar_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	if (!*key) {
		st->type = RIAD_KV_DICT;
		return 0;
	}
	struct tar_ent *e = find(t, key, NULL);
	if (e) {
		st->type = e->type;
		st->size = e->size;
		st->mtime_ns = e->mtime_ns;
		return 0;
	}
	if (has_below(t, key)) {
		st->type = RIAD_KV_DICT;
		return 0;
	}
	return missing(t, key);
}

static int tar_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                   size_t *got)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	struct tar_ent *e = find(t, key, NULL);
	if (!e || e->type != RIAD_KV_VALUE) {
		struct riad_kv_stat st;
		int r = tar_stat(kv, key, &st);
		return r < 0 ? r : -RIAD_EISDIR;
	}
	if (off >= e->size)
		return 0;
	uint64_t n = e->size - off;
	if (n > len)
		n = len;
	uint64_t at = e->data_off + off;
	if (at < e->data_off || at > t->dev_bytes || t->dev_bytes - at < n) {
		t->st.read_errors++;
		riad_err(kv_log, "tar on %s: %s: the value runs past the end of the device",
		         riad_block_name(t->dev), key);
		return -RIAD_EBADMSG;
	}
	int r = dev_read(t, at, buf, (size_t)n);
	if (r < 0) {
		t->st.read_errors++;
		return r;
	}
	*got = (size_t)n;
	return 0;
}

static int tar_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	size_t kl = strlen(key), i = 0;
	if (kl) {
		struct tar_ent *e = find(t, key, &i);
		if (e && e->type == RIAD_KV_VALUE)
			return -RIAD_ENOTDIR;
		if (e)
			i++;
		else if (!has_below(t, key))
			return missing(t, key);
	}
	size_t skip = kl ? kl + 1 : 0;
	const char *prev = NULL;
	size_t prev_len = 0;
	char name[RIAD_KV_NAME_MAX + 1];
	for (; i < t->n; i++) {
		const struct tar_ent *e = &t->ents[i];
		const char *k = ent_name(t, e);
		if (kl && !kv_path_is_below(k, key, kl))
			break;
		const char *rest = k + skip;
		const char *slash = strchr(rest, '/');
		size_t nl = slash ? (size_t)(slash - rest) : strlen(rest);
		if (prev && prev_len == nl && memcmp(prev, rest, nl) == 0)
			continue;
		prev = rest, prev_len = nl;
		memcpy(name, rest, nl);
		name[nl] = '\0';
		int r = fn(arg, name, slash ? RIAD_KV_DICT : (enum riad_kv_type)e->type);
		if (r != 0)
			return r;
	}
	return 0;
}

/* ---- appending ---- */

static void put_octal(uint8_t *f, size_t len, uint64_t v)
{
	/* len - 1 digits and a NUL */
	f[len - 1] = '\0';
	for (size_t i = len - 1; i-- > 0;) {
		f[i] = (uint8_t)('0' + (v & 7));
		v >>= 3;
	}
}

static void put_checksum(uint8_t *h)
{
	memset(h + TAR_CHKSUM_OFF, ' ', TAR_CHKSUM_LEN);
	unsigned sum = 0;
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	put_octal(h + TAR_CHKSUM_OFF, 7, sum); /* six digits, NUL, then the space */
}

static void ustar_header(uint8_t *h, const char *name, size_t nl, const char *prefix, size_t pl,
                         char type, uint64_t size, int64_t mtime_s)
{
	memset(h, 0, TAR_BLOCK);
	memcpy(h + TAR_NAME_OFF, name, nl);
	memcpy(h + TAR_PREFIX_OFF, prefix, pl);
	put_octal(h + TAR_MODE_OFF, TAR_MODE_LEN, 0644);
	put_octal(h + TAR_UID_OFF, TAR_UID_LEN, 0);
	put_octal(h + TAR_GID_OFF, TAR_GID_LEN, 0);
	put_octal(h + TAR_SIZE_OFF, TAR_SIZE_LEN, size);
	put_octal(h + TAR_MTIME_OFF, TAR_MTIME_LEN, (uint64_t)mtime_s);
	h[TAR_TYPE_OFF] = (uint8_t)type;
	memcpy(h + TAR_MAGIC_OFF, "ustar\0", 6);
	memcpy(h + TAR_VERSION_OFF, "00", 2);
	put_checksum(h);
}

/* Append one pax record "LEN key=value\n" to out at *o. */
static void pax_record(char *out, size_t *o, const char *k, const char *v, size_t vl)
{
	size_t kl = strlen(k);
	size_t body = 1 + kl + 1 + vl + 1; /* " k=v\n" */
	size_t digits = 1, len;
	for (;;) {
		len = body + digits;
		size_t d = 1;
		for (size_t x = len; x >= 10; x /= 10)
			d++;
		if (d == digits)
			break;
		digits = d;
	}
	char num[24];
	size_t nd = 0;
	for (size_t x = len; nd == 0 || x > 0; x /= 10)
		num[nd++] = (char)('0' + x % 10);
	while (nd > 0)
		out[(*o)++] = num[--nd];
	out[(*o)++] = ' ';
	memcpy(out + *o, k, kl);
	*o += kl;
	out[(*o)++] = '=';
	memcpy(out + *o, v, vl);
	*o += vl;
	out[(*o)++] = '\n';
}

/* Where to split a name for ustar's prefix and name fields: the index of
 * the '/' between them, 0 if it fits the name field whole, -1 if neither. */
static long ustar_split(const char *key, size_t kl)
{
	if (kl <= TAR_NAME_LEN)
		return 0;
	for (size_t i = kl - 1; i > 0; i--) {
		if (key[i] != '/')
			continue;
		if (kl - i - 1 > TAR_NAME_LEN)
			return -1; /* the last part alone is too long */
		if (i <= TAR_PREFIX_LEN) {
			/* the earliest split that fits the prefix leaves the most in
			 * name; any fitting one will do */
			return (long)i;
		}
	}
	return -1;
}

/* Writes a new member's size bytes of data at off (the device range is
 * checked by the caller). */
typedef int (*fill_fn)(struct kv_tar *t, uint64_t off, uint64_t size, void *arg);

/* Write len zero bytes at off: whole sectors from a block of zeros, the
 * partial ones (or sectors larger than it) one at a time through sbuf. */
static int write_zeros(struct kv_tar *t, uint64_t off, uint64_t len)
{
	static const uint8_t zeros[4096];
	while (len > 0) {
		uint64_t in = off % t->ss, n;
		int r;
		if (in == 0 && len >= t->ss && t->ss <= sizeof(zeros)) {
			n = len < sizeof(zeros) ? len / t->ss * t->ss : sizeof(zeros) / t->ss * t->ss;
			r = dev_write(t, off, zeros, (size_t)n);
		} else {
			n = t->ss - in < len ? t->ss - in : len;
			r = dev_write(t, off, NULL, (size_t)n);
		}
		if (r < 0)
			return r;
		off += n, len -= n;
	}
	return 0;
}

/* Append a member named key of size bytes, filled by fill, after the last
 * one (see the top of the file for the order of the writes), and index
 * it. e is key's entry if it has one (a value), at its place in the index
 * otherwise. */
static int append_member(struct kv_tar *t, const char *key, struct tar_ent *e, size_t at,
                         uint64_t size, fill_fn fill, void *arg)
{
	size_t kl = strlen(key);
	if (!t->can_append) {
		riad_err(kv_log, "tar on %s: cannot append: the archive has no end-of-archive block",
		         riad_block_name(t->dev));
		return -RIAD_ENOSPC;
	}
	int64_t now = riad_clock_wall_ns();
	int64_t mtime_s = now > 0 ? now / 1000000000 : 0;
	if ((uint64_t)mtime_s > TAR_OCTAL11_MAX)
		mtime_s = (int64_t)TAR_OCTAL11_MAX;
	long split = ustar_split(key, kl);
	bool big = size > TAR_OCTAL11_MAX;
	/* Header blocks: [pax header, pax records...] ustar header. */
	size_t pax_len = 0;
	char *pax = NULL;
	size_t hdr_len = TAR_BLOCK;
	if (split < 0 || big) {
		pax = malloc(RIAD_KV_KEY_MAX + 64 + 32);
		if (!pax)
			return -RIAD_ENOMEM;
		if (split < 0)
			pax_record(pax, &pax_len, "path", key, kl);
		if (big) {
			char num[24];
			size_t nd = 0;
			for (uint64_t x = size; nd == 0 || x > 0; x /= 10)
				num[nd++] = (char)('0' + x % 10);
			char dec[24];
			for (size_t i = 0; i < nd; i++)
				dec[i] = num[nd - 1 - i];
			pax_record(pax, &pax_len, "size", dec, nd);
		}
		hdr_len += TAR_BLOCK + (pax_len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	}
	uint64_t padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	int r = -RIAD_ENOSPC;
	if (padded < size || t->end > t->dev_bytes ||
	    t->dev_bytes - t->end < 2 * TAR_BLOCK ||
	    padded > t->dev_bytes - t->end - 2 * TAR_BLOCK ||
	    hdr_len > t->dev_bytes - t->end - 2 * TAR_BLOCK - padded)
		goto out;
	if (!e && (t->n >= RIAD_KV_TAR_ENTRIES || kl + 1 > RIAD_KV_TAR_NAMES_BYTES - t->names_len))
		goto out;
	uint8_t *hdr = calloc(1, hdr_len);
	r = -RIAD_ENOMEM;
	if (!hdr)
		goto out;
	uint8_t *uh = hdr + hdr_len - TAR_BLOCK;
	if (pax) {
		/* GNU tar's name for the pax header member, cut to fit */
		char pn[TAR_NAME_LEN];
		const char *base = strrchr(key, '/');
		base = base ? base + 1 : key;
		size_t bl = strlen(base);
		if (bl > TAR_NAME_LEN - 11)
			bl = TAR_NAME_LEN - 11;
		memcpy(pn, "PaxHeaders/", 11);
		memcpy(pn + 11, base, bl);
		ustar_header(hdr, pn, 11 + bl, "", 0, TAR_T_PAX, pax_len, mtime_s);
		memcpy(hdr + TAR_BLOCK, pax, pax_len);
	}
	uint64_t hsize = big ? 0 : size;
	if (split == 0)
		ustar_header(uh, key, kl, "", 0, TAR_T_REG, hsize, mtime_s);
	else if (split > 0)
		ustar_header(uh, key + split + 1, kl - (size_t)split - 1, key, (size_t)split, TAR_T_REG,
		             hsize, mtime_s);
	else /* the pax path is the name; the header holds its end */
		ustar_header(uh, key + kl - TAR_NAME_LEN, TAR_NAME_LEN, "", 0, TAR_T_REG, hsize,
		             mtime_s);

	uint64_t data_off = t->end + hdr_len;
	/* 1: the data, its padding and the new end-of-archive blocks */
	r = fill(t, data_off, size, arg);
	if (r == 0)
		r = write_zeros(t, data_off + size, padded - size + 2 * TAR_BLOCK);
	/* 2: the header blocks after the first, then the first */
	if (r == 0 && hdr_len > TAR_BLOCK)
		r = dev_write(t, t->end + TAR_BLOCK, hdr + TAR_BLOCK, hdr_len - TAR_BLOCK);
	if (r == 0)
		r = dev_write(t, t->end, hdr, TAR_BLOCK);
	free(hdr);
	if (r < 0)
		goto out;
	t->end = data_off + padded;
	if (e)
		t->st.replaced++;
	if (!e) {
		uint32_t name_off;
		r = add_name(t, key, kl, &name_off);
		if (r == 0)
			r = grow_ents(t);
		if (r < 0)
			goto out; /* in the archive, but not in this index until reopened */
		memmove(&t->ents[at + 1], &t->ents[at], (t->n - at) * sizeof(*t->ents));
		t->n++;
		e = &t->ents[at];
		e->name_off = name_off;
		e->name_len = (uint16_t)kl;
		e->type = RIAD_KV_VALUE;
	}
	e->data_off = data_off;
	e->size = size;
	e->mtime_ns = mtime_s * 1000000000;
	t->st.members++;
out:
	free(pax);
	return r;
}

/* Find key for a write: its entry (a value) or where it would go; refuses
 * a dictionary and a path through a value. */
static int entry_for_write(struct kv_tar *t, const char *key, struct tar_ent **e, size_t *at)
{
	*e = find(t, key, at);
	if (*e && (*e)->type == RIAD_KV_DICT)
		return -RIAD_EISDIR;
	if (!*e) {
		if (has_below(t, key))
			return -RIAD_EISDIR;
		if (missing(t, key) == -RIAD_ENOTDIR)
			return -RIAD_ENOTDIR;
	}
	return 0;
}

static int fill_buffer(struct kv_tar *t, uint64_t off, uint64_t size, void *arg)
{
	return dev_write(t, off, arg, (size_t)size);
}

static int tar_set(struct riad_kv *kv, const char *key, const void *data, size_t len)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	struct tar_ent *e;
	size_t at;
	int r = entry_for_write(t, key, &e, &at);
	if (r < 0)
		return r;
	return append_member(t, key, e, at, len, fill_buffer, (void *)data);
}

/* A partial set that grows a value: the old bytes, zeros up to off, the
 * new bytes. */
struct grow {
	uint64_t old_off, old_size; /* the old value on the device (size 0: none) */
	uint64_t off;
	const void *data;
	size_t len;
};

static int fill_grow(struct kv_tar *t, uint64_t at, uint64_t size, void *arg)
{
	struct grow *g = arg;
	(void)size;
	uint64_t keep = g->old_size < g->off ? g->old_size : g->off;
	size_t cap = t->scan_cap;
	uint8_t *buf = keep ? malloc(cap) : NULL;
	if (keep && !buf)
		return -RIAD_ENOMEM;
	int r = 0;
	for (uint64_t done = 0; r == 0 && done < keep;) {
		size_t n = keep - done < cap ? (size_t)(keep - done) : cap;
		r = dev_read(t, g->old_off + done, buf, n);
		if (r == 0)
			r = dev_write(t, at + done, buf, n);
		done += n;
	}
	free(buf);
	if (r == 0 && g->off > keep)
		r = write_zeros(t, at + keep, g->off - keep);
	if (r == 0)
		r = dev_write(t, at + g->off, g->data, g->len);
	return r;
}

/* Within a value's size: in place. Growing it, or a new key: a new member
 * with the old bytes copied, as set would write it. */
static int tar_set_partial(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
                           size_t len)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	struct tar_ent *e;
	size_t at;
	int r = entry_for_write(t, key, &e, &at);
	if (r < 0)
		return r;
	if (off > UINT64_MAX - len)
		return -RIAD_EFBIG;
	if (e && off + len <= e->size) {
		uint64_t p = e->data_off + off;
		if (p > t->dev_bytes || t->dev_bytes - p < len)
			return -RIAD_EBADMSG;
		return dev_write(t, p, data, len);
	}
	struct grow g = { .old_off = e ? e->data_off : 0, .old_size = e ? e->size : 0,
	                  .off = off, .data = data, .len = len };
	if (g.old_size && (g.old_off > t->dev_bytes || t->dev_bytes - g.old_off < g.old_size))
		return -RIAD_EBADMSG;
	return append_member(t, key, e, at, off + len, fill_grow, &g);
}

static int tar_unsupported(struct riad_kv *kv, const char *key)
{
	(void)kv, (void)key;
	return -RIAD_ENOTSUP;
}

static int tar_rename(struct riad_kv *kv, const char *from, const char *to)
{
	(void)kv, (void)from, (void)to;
	return -RIAD_ENOTSUP;
}

static int tar_flush(struct riad_kv *kv)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	return t->writable ? riad_block_flush(t->dev) : 0;
}

static void tar_close(struct riad_kv *kv)
{
	struct kv_tar *t = (struct kv_tar *)kv;
	free(t->ents);
	free(t->names);
	free(t->scan);
	free(t->sbuf);
	free(t);
}

static const struct riad_kv_ops tar_ro_ops = {
	.stat = tar_stat,
	.get = tar_get,
	.list = tar_list,
	.flush = tar_flush,
	.close = tar_close,
};

static const struct riad_kv_ops tar_rw_ops = {
	.stat = tar_stat,
	.get = tar_get,
	.list = tar_list,
	.set = tar_set,
	.set_partial = tar_set_partial,
	.remove = tar_unsupported,
	.rename = tar_rename,
	.flush = tar_flush,
	.close = tar_close,
};

struct riad_kv *riad_kv_tar_open_stats(struct riad_block *dev, bool writable,
                                       struct riad_kv_tar_stats *stats, int *err)
{
	int r = -RIAD_ENOMEM;
	struct kv_tar *t = NULL;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (writable && riad_block_read_only(dev)) {
		r = -RIAD_EROFS;
		goto fail;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		goto fail;
	t->dev = dev;
	t->ss = riad_block_sector_size(dev);
	t->dev_bytes = riad_block_sectors(dev) > UINT64_MAX / t->ss
	                       ? UINT64_MAX / t->ss * t->ss
	                       : riad_block_sectors(dev) * t->ss;
	t->writable = writable;
	t->sbuf = malloc(t->ss);
	if (!t->sbuf)
		goto fail;
	/* The read-ahead window: at least two sectors, so that a header
	 * never straddles its end unread. Without memory for it, sector by
	 * sector. */
	t->scan_cap = RIAD_KV_TAR_SCAN_BYTES > 2 * t->ss ? RIAD_KV_TAR_SCAN_BYTES : 2 * t->ss;
	t->scan = malloc(t->scan_cap);
	t->kv.ops = writable ? &tar_rw_ops : &tar_ro_ops;
	t->kv.kind = "tar";
	r = index_archive(t);
	if (stats)
		*stats = t->st;
	if (r < 0)
		goto fail;
	riad_debug(kv_log, "tar on %s: %zu entries, archive ends at byte %llu",
	           riad_block_name(dev), t->n, (unsigned long long)t->end);
	return &t->kv;
fail:
	if (t)
		tar_close(&t->kv);
	if (err)
		*err = r;
	return NULL;
}

struct riad_kv *riad_kv_tar_open(struct riad_block *dev, bool writable, int *err)
{
	return riad_kv_tar_open_stats(dev, writable, NULL, err);
}

int riad_kv_tar_stats(struct riad_kv *kv, struct riad_kv_tar_stats *out)
{
	if (!kv || kv->ops->close != tar_close)
		return -RIAD_EINVAL;
	*out = ((struct kv_tar *)kv)->st;
	return 0;
}
