/* storage/kv_store.c: riad_kv_store_open(), riad's crash-safe writable store on any block device: a log of checksummed sectors, commits at flush, copying compaction, an index in RAM bounded by riad/opt.h (docs/storage-store.md). */
#include <stdlib.h>
#include <string.h>

#include <riad/clock.h>
#include <riad/fiber.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/metrics.h>
#include <riad/time.h>

#include "crc32c.h"
#include "kv_store_index.h"
#include "kv_store_wire.h"
#include "runtime.h"

RIAD_LOG_SRC(store_log, "kv", "Key-value stores");

static struct riad_kv_store_stats gstats;

/* gstats for riad/metrics.h, a counter per field. */
static void kv_store_metrics(struct riad_metrics_out *o)
{
	static const struct {
		const char *name, *help;
		const uint64_t *v;
	} c[] = {
		{ "riad_kv_store_opens_total", "Writable stores opened.", &gstats.opens },
		{ "riad_kv_store_rejected_total", "Store opens refused: bad image.", &gstats.rejected },
		{ "riad_kv_store_bad_sectors_total", "Store log sectors that failed their checks.", &gstats.bad_sectors },
		{ "riad_kv_store_torn_tails_total", "Store opens that ignored an uncommitted log end.", &gstats.torn_tails },
		{ "riad_kv_store_formats_total", "Stores formatted.", &gstats.formats },
		{ "riad_kv_store_sets_total", "Store sets.", &gstats.sets },
		{ "riad_kv_store_commits_total", "Store commits.", &gstats.commits },
		{ "riad_kv_store_flushes_total", "Store flushes.", &gstats.flushes },
		{ "riad_kv_store_compactions_total", "Store compactions.", &gstats.compactions },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		riad_metrics_family(o, c[i].name, c[i].help, RIAD_METRIC_TYPE_COUNTER);
		riad_metrics_sample(o, NULL, 0, *c[i].v);
	}
}
RIAD_METRICS_COLLECTOR(kv_store_metrics);

void riad_kv_store_stats(struct riad_kv_store_stats *out)
{
	*out = gstats;
}

/* ---- little-endian access ---- */

static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t ld64(const uint8_t *p) { return ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}
static void st64(uint8_t *p, uint64_t v) { st32(p, (uint32_t)v), st32(p + 4, (uint32_t)(v >> 32)); }

/* ---- the instance ---- */

struct store {
	struct riad_kv kv;
	struct riad_block *dev;
	uint32_t S, P;          /* sector size, payload bytes per sector */
	bool ro, broken, bumped;
	uint64_t seq, gen, H, fmt_sectors;
	uint32_t half, epoch;
	/* The writer: wbuf holds the sectors [wbase, wbase + W) of half whalf
	 * (generation wgen), wlen payload bytes of them filled. */
	uint8_t *wbuf;
	uint32_t W, whalf;
	uint64_t wgen, wbase;
	size_t wlen;
	bool dirty;             /* records appended since the last commit */
	uint64_t bfirst;        /* the pos where the batch being written began */
	uint32_t bcrc;          /* CRC32C of its sectors' payloads so far */
	uint8_t *io;            /* IO sectors, for reads */
	uint32_t IO;
	uint8_t *copy;          /* P bytes, for copying values */
	char *k1;               /* RIAD_KV_KEY_MAX + 2 bytes, a scratch key */
	struct kv_store_index ix;
	bool busy;
	struct riad_waitq wq;
};

static void lock(struct store *s)
{
	while (s->busy)
		(void)riad_waitq_wait(&s->wq, RIAD_TIME_NEVER);
	s->busy = true;
}

static int unlock(struct store *s, int r)
{
	s->busy = false;
	(void)riad_waitq_wake_one(&s->wq);
	return r;
}

static uint64_t half_base(const struct store *s, uint32_t half)
{
	return STORE_LOG_FIRST + (uint64_t)half * s->H;
}

/* ---- sectors ---- */

/* Whether buf is a well-formed log sector of (half's) generation gen at pos:
 * its CRC, pos and gen. Fills *epoch, *used, *flags. */
static bool sector_ok(const struct store *s, const uint8_t *buf, uint64_t pos, uint64_t gen,
                      uint32_t *epoch, uint32_t *used, uint32_t *flags)
{
	if (ld32(buf + STORE_HDR_CRC) != storage_crc32c(0, buf + 4, s->S - 4))
		return false;
	if (ld32(buf + STORE_HDR_POS) != pos || ld64(buf + STORE_HDR_GEN) != gen)
		return false;
	*epoch = ld32(buf + STORE_HDR_EPOCH);
	*used = ld16(buf + STORE_HDR_USED);
	*flags = ld16(buf + STORE_HDR_FLAGS);
	if (*used > s->P || (*flags & ~STORE_FLAG_COMMIT) || *epoch > s->epoch)
		return false;
	if (*flags & STORE_FLAG_COMMIT)
		return ld32(buf + STORE_HDR_FIRST) <= pos;
	return *used == s->P && ld32(buf + STORE_HDR_FIRST) == 0 && ld32(buf + STORE_HDR_BCRC) == 0;
}

/* Fill the header of a sector of the batch being written and its CRC; a
 * COMMIT sector gets the batch's first pos and CRC, any other is added to
 * the batch's CRC. */
static void sector_seal(struct store *s, uint8_t *buf, uint64_t pos, uint64_t gen, uint32_t used,
                        bool commit)
{
	st32(buf + STORE_HDR_POS, (uint32_t)pos);
	st64(buf + STORE_HDR_GEN, gen);
	st32(buf + STORE_HDR_EPOCH, s->epoch);
	st16(buf + STORE_HDR_USED, (uint16_t)used);
	st16(buf + STORE_HDR_FLAGS, commit ? STORE_FLAG_COMMIT : 0);
	st32(buf + STORE_HDR_FIRST, commit ? (uint32_t)s->bfirst : 0);
	st32(buf + STORE_HDR_BCRC, commit ? s->bcrc : 0);
	if (!commit)
		s->bcrc = storage_crc32c(s->bcrc, buf + STORE_HDR_LEN, s->P);
	if (used < s->P)
		memset(buf + STORE_HDR_LEN + used, 0, s->P - used);
	st32(buf + STORE_HDR_CRC, storage_crc32c(0, buf + 4, s->S - 4));
}

static int dev_write(struct store *s, uint64_t sector, const void *buf, uint64_t count)
{
	int r = riad_block_write(s->dev, sector, buf, count);
	if (r < 0) {
		s->broken = true;
		riad_err(store_log, "%s: write of %llu sectors at %llu failed (%d): store refuses "
		         "changes until reopened", riad_block_name(s->dev),
		         (unsigned long long)count, (unsigned long long)sector, r);
	}
	return r;
}

static int dev_flush(struct store *s)
{
	int r = riad_block_flush(s->dev);
	if (r < 0) {
		s->broken = true;
		riad_err(store_log, "%s: flush failed (%d): store refuses changes until reopened",
		         riad_block_name(s->dev), r);
	}
	return r;
}

/* ---- superblock ---- */

static void sb_encode(const struct store *s, uint8_t *buf, uint64_t seq, uint32_t half,
                      uint64_t gen, uint32_t epoch)
{
	memset(buf, 0, s->S);
	memcpy(buf + STORE_SB_MAGIC, STORE_MAGIC, 8);
	st32(buf + STORE_SB_VERSION, STORE_VERSION);
	st32(buf + STORE_SB_SECSIZE, s->S);
	st64(buf + STORE_SB_SECTORS, s->fmt_sectors);
	st64(buf + STORE_SB_SEQ, seq);
	st64(buf + STORE_SB_GEN, gen);
	st32(buf + STORE_SB_HALF, half);
	st32(buf + STORE_SB_EPOCH, epoch);
	st64(buf + STORE_SB_H, s->H);
	st32(buf + STORE_SB_CRC, storage_crc32c(0, buf, STORE_SB_CRC));
}

/* Whether buf, read from copy idx, is a valid superblock for dev. */
static bool sb_valid(const struct store *s, const uint8_t *buf, unsigned idx)
{
	if (memcmp(buf + STORE_SB_MAGIC, STORE_MAGIC, 8) != 0 ||
	    ld32(buf + STORE_SB_CRC) != storage_crc32c(0, buf, STORE_SB_CRC) ||
	    ld32(buf + STORE_SB_VERSION) != STORE_VERSION || ld32(buf + STORE_SB_SECSIZE) != s->S ||
	    (ld64(buf + STORE_SB_SEQ) & 1) != idx || ld32(buf + STORE_SB_HALF) > 1 ||
	    ld32(buf + STORE_SB_RESERVED) != 0)
		return false;
	uint64_t sectors = ld64(buf + STORE_SB_SECTORS), h = ld64(buf + STORE_SB_H);
	return sectors <= riad_block_sectors(s->dev) && h >= STORE_MIN_HALF && h <= STORE_MAX_HALF &&
	       h <= (sectors - STORE_LOG_FIRST) / 2 && sectors >= STORE_LOG_FIRST;
}

/* Write the next superblock (seq + 1) naming half, gen and epoch, and flush. */
static int sb_write(struct store *s, uint32_t half, uint64_t gen, uint32_t epoch)
{
	uint64_t seq = s->seq + 1;
	sb_encode(s, s->io, seq, half, gen, epoch);
	int r = dev_write(s, seq & 1, s->io, 1);
	if (r == 0)
		r = dev_flush(s);
	if (r == 0)
		s->seq = seq;
	return r;
}

/* Before the first write after an open: a new epoch (docs: "Epochs"). */
static int bump_epoch(struct store *s)
{
	if (s->bumped)
		return 0;
	int r = sb_write(s, s->half, s->gen, s->epoch + 1);
	if (r < 0)
		return r;
	s->epoch++;
	s->bumped = true;
	return 0;
}

/* ---- the log writer ---- */

/* Write the first count sectors of wbuf, the last one with COMMIT if
 * commit (it may be partly filled), every other one full. */
static int wbuf_out(struct store *s, uint32_t first, uint32_t count, bool commit)
{
	for (uint32_t i = first; i < first + count; i++) {
		size_t fill = s->wlen - (size_t)i * s->P;
		uint32_t used = fill >= s->P ? s->P : (uint32_t)fill;
		bool c = commit && i == first + count - 1;
		if (!c && used != s->P)
			riad_panic("kv store: writing a partial sector without commit");
		sector_seal(s, s->wbuf + (size_t)i * s->S, s->wbase + i, s->wgen, used, c);
	}
	return dev_write(s, half_base(s, s->whalf) + s->wbase + first,
	                 s->wbuf + (size_t)first * s->S, count);
}

/* Where the next appended byte goes: sector and payload offset. */
static void log_tail(const struct store *s, uint64_t *sec, uint32_t *off)
{
	*sec = s->wbase + s->wlen / s->P;
	*off = (uint32_t)(s->wlen % s->P);
}

/* Whether n more bytes fit in the writer's half. */
static bool log_fits(const struct store *s, uint64_t n)
{
	return n <= s->H * s->P && s->wbase <= s->H &&
	       s->wlen + n <= (s->H - s->wbase) * (uint64_t)s->P;
}

/* Append n bytes (the caller checked log_fits). */
static int log_put(struct store *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	if (n == 0)
		return 0;
	s->dirty = true;
	while (n) {
		if (s->wlen == (size_t)s->W * s->P) {
			int r = wbuf_out(s, 0, s->W, false);
			if (r < 0)
				return r;
			s->wbase += s->W;
			s->wlen = 0;
		}
		size_t i = s->wlen / s->P, o = s->wlen % s->P;
		size_t k = s->P - o < n ? s->P - o : n;
		if (p)
			memcpy(s->wbuf + i * s->S + STORE_HDR_LEN + o, p, k);
		else
			memset(s->wbuf + i * s->S + STORE_HDR_LEN + o, 0, k);
		s->wlen += k;
		n -= k;
		if (p)
			p += k;
	}
	return 0;
}

/* Commit what was appended: the buffered sectors, the last one with
 * COMMIT (carrying the batch's CRC), in one request, then a barrier. The
 * next record starts in a new sector and a new batch. */
static int log_commit(struct store *s)
{
	if (!s->dirty)
		return 0;
	uint32_t n = (uint32_t)((s->wlen + s->P - 1) / s->P);
	int r = wbuf_out(s, 0, n, true);
	if (r == 0)
		r = dev_flush(s);
	if (r < 0)
		return r;
	s->wbase += n;
	s->wlen = 0;
	s->dirty = false;
	s->bfirst = s->wbase, s->bcrc = 0;
	gstats.commits++;
	return 0;
}

/* ---- reading the log ---- */

/* Read len bytes of the log of half (generation gen) from sector sec,
 * payload offset off, checking every sector: -RIAD_EBADMSG if one is
 * damaged. Bytes still in the write buffer come from there. */
static int log_read(struct store *s, uint32_t half, uint64_t gen, uint64_t sec, uint32_t off,
                    uint8_t *out, uint64_t len)
{
	while (len) {
		if (off >= s->P)
			sec += off / s->P, off %= s->P;
		if (sec >= s->H)
			return -RIAD_EBADMSG;
		if (half == s->whalf && gen == s->wgen && sec >= s->wbase &&
		    (sec - s->wbase) * s->P < s->wlen) {
			size_t i = (size_t)(sec - s->wbase);
			if (i * s->P + off >= s->wlen)
				return -RIAD_EBADMSG;
			size_t avail = s->wlen - i * s->P - off;
			size_t k = avail < len ? avail : (size_t)len;
			if (k > s->P - off)
				k = s->P - off;
			memcpy(out, s->wbuf + i * s->S + STORE_HDR_LEN + off, k);
			out += k, len -= k, off += (uint32_t)k;
			continue;
		}
		uint64_t want = (off + len + s->P - 1) / s->P, count = want < s->IO ? want : s->IO;
		if (count > s->H - sec)
			count = s->H - sec;
		if (half == s->whalf && gen == s->wgen && sec < s->wbase && count > s->wbase - sec)
			count = s->wbase - sec;
		int r = riad_block_read(s->dev, half_base(s, half) + sec, s->io, count);
		if (r < 0)
			return r;
		for (uint64_t i = 0; i < count && len; i++) {
			const uint8_t *b = s->io + i * s->S;
			uint32_t ep, used, fl;
			if (!sector_ok(s, b, sec, gen, &ep, &used, &fl)) {
				gstats.bad_sectors++;
				riad_warn(store_log, "%s: log sector %llu of half %u is damaged",
				          riad_block_name(s->dev), (unsigned long long)sec, half);
				return -RIAD_EBADMSG;
			}
			if (off >= used)
				return -RIAD_EBADMSG;
			size_t k = used - off < len ? used - off : (size_t)len;
			memcpy(out, b + STORE_HDR_LEN + off, k);
			out += k, len -= k, off += (uint32_t)k;
			if (len) {
				if (off != s->P)
					return -RIAD_EBADMSG; /* a value never ends a commit early */
				sec++, off = 0;
			}
		}
	}
	return 0;
}

/* ---- opening: replaying the log ---- */

struct reader {
	struct store *s;
	uint64_t sec, end_sec;  /* next sector to load; the commit sector */
	uint32_t end_used;
	uint64_t cur;           /* the loaded sector */
	uint32_t off, used;     /* in it */
	bool loaded;
	uint64_t chunk_first, chunk_n;
};

/* Load the next sector of the committed log into the reader. */
static int rd_next(struct reader *rd)
{
	struct store *s = rd->s;
	if (rd->loaded && rd->cur == rd->end_sec)
		return -RIAD_EBADMSG; /* a record runs past the committed end */
	uint64_t want = rd->loaded ? rd->cur + 1 : 0;
	if (want < rd->chunk_first || want >= rd->chunk_first + rd->chunk_n) {
		uint64_t n = rd->end_sec + 1 - want;
		if (n > s->IO)
			n = s->IO;
		int r = riad_block_read(s->dev, half_base(s, s->half) + want, s->io, n);
		if (r < 0)
			return r;
		rd->chunk_first = want, rd->chunk_n = n;
	}
	const uint8_t *b = s->io + (want - rd->chunk_first) * s->S;
	uint32_t ep, used, fl;
	if (!sector_ok(s, b, want, s->gen, &ep, &used, &fl)) {
		gstats.bad_sectors++;
		return -RIAD_EBADMSG;
	}
	if (want == rd->end_sec && used != rd->end_used)
		return -RIAD_EBADMSG; /* changed since the scan */
	rd->cur = want, rd->loaded = true, rd->off = 0, rd->used = used;
	return 0;
}

static const uint8_t *rd_payload(const struct reader *rd)
{
	return rd->s->io + (rd->cur - rd->chunk_first) * rd->s->S + STORE_HDR_LEN;
}

/* Read n bytes (out NULL: skip them). */
static int rd_get(struct reader *rd, void *out, uint64_t n)
{
	uint8_t *o = out;
	while (n) {
		if (!rd->loaded || rd->off == rd->used) {
			int r = rd_next(rd);
			if (r < 0)
				return r;
		}
		uint64_t k = rd->used - rd->off < n ? rd->used - rd->off : n;
		if (o) {
			memcpy(o, rd_payload(rd) + rd->off, (size_t)k);
			o += k;
		}
		rd->off += (uint32_t)k, n -= k;
	}
	return 0;
}

static bool rd_at_end(const struct reader *rd)
{
	return rd->loaded ? rd->cur == rd->end_sec && rd->off == rd->used
	                  : rd->end_sec == 0 && rd->end_used == 0;
}

/* Where the next byte read would come from. */
static void rd_addr(const struct reader *rd, uint64_t *sec, uint32_t *off)
{
	if (!rd->loaded)
		*sec = 0, *off = 0;
	else if (rd->off == rd->used)
		*sec = rd->cur + 1, *off = 0;
	else
		*sec = rd->cur, *off = rd->off;
}

/* Read a key of klen bytes into buf and check it is a normalised key. */
static int rd_key(struct reader *rd, char *buf, size_t klen)
{
	if (klen > RIAD_KV_KEY_MAX)
		return -RIAD_EBADMSG;
	int r = rd_get(rd, buf, klen);
	if (r < 0)
		return r;
	buf[klen] = '\0';
	if (memchr(buf, 0, klen))
		return -RIAD_EBADMSG;
	char norm[RIAD_KV_KEY_MAX + 1];
	if (riad_kv_key_normalise(buf, norm) < 0 || strcmp(norm, buf) != 0)
		return -RIAD_EBADMSG;
	return 0;
}

/* A replayed change the index refuses means a damaged log, except for
 * the limits of this build. */
static int replay_err(int r)
{
	return r == -RIAD_ENOSPC || r == -RIAD_ENOMEM || r == -RIAD_EIO ? r : -RIAD_EBADMSG;
}

static int replay(struct store *s, uint64_t end_sec, uint32_t end_used)
{
	struct reader rd = { .s = s, .end_sec = end_sec, .end_used = end_used,
	                     .chunk_first = UINT64_MAX };
	uint8_t h[STORE_SET_HDR_LEN];
	int r;
	while (!rd_at_end(&rd)) {
		if ((r = rd_get(&rd, h, 1)) < 0)
			return r;
		switch (h[0]) {
		case STORE_REC_SET: {
			if ((r = rd_get(&rd, h + 1, STORE_SET_HDR_LEN - 1)) < 0)
				return r;
			size_t klen = ld16(h + 2);
			uint64_t vlen = ld64(h + 8);
			if (h[1] || ld32(h + 4) || klen == 0 || vlen > RIAD_KV_STORE_VALUE_MAX)
				return -RIAD_EBADMSG;
			if ((r = rd_key(&rd, s->k1, klen)) < 0)
				return r;
			uint64_t vsec;
			uint32_t voff;
			rd_addr(&rd, &vsec, &voff);
			if ((r = rd_get(&rd, NULL, vlen)) < 0)
				return r;
			if ((r = kv_store_index_set_check(&s->ix, s->k1, klen)) < 0)
				return replay_err(r);
			r = kv_store_index_set_apply(&s->ix, s->k1, klen, vsec, voff, vlen,
			                             (int64_t)ld64(h + 16));
			if (r < 0)
				return replay_err(r);
			break;
		}
		case STORE_REC_REMOVE: {
			if ((r = rd_get(&rd, h + 1, STORE_REMOVE_HDR_LEN - 1)) < 0)
				return r;
			size_t klen = ld16(h + 2);
			if (h[1])
				return -RIAD_EBADMSG;
			if (klen && (r = rd_key(&rd, s->k1, klen)) < 0)
				return r;
			if ((r = kv_store_index_remove(&s->ix, s->k1, klen, false)) < 0)
				return replay_err(r);
			break;
		}
		case STORE_REC_RENAME: {
			if ((r = rd_get(&rd, h + 1, STORE_RENAME_HDR_LEN - 1)) < 0)
				return r;
			size_t flen = ld16(h + 2), tlen = ld16(h + 4);
			if (h[1] || flen == 0 || tlen == 0)
				return -RIAD_EBADMSG;
			if ((r = rd_key(&rd, s->k1, flen)) < 0)
				return r;
			char *to = malloc(tlen + 1);
			if (!to)
				return -RIAD_ENOMEM;
			r = rd_key(&rd, to, tlen);
			if (r == 0 && (r = kv_store_index_rename(&s->ix, s->k1, flen, to, tlen, false)) < 0)
				r = replay_err(r);
			free(to);
			if (r < 0)
				return r;
			break;
		}
		default:
			return -RIAD_EBADMSG;
		}
	}
	return 0;
}

/* Pass 1 (docs: "Opening"): find the committed end of the active half's
 * log. *end_sec is the last COMMIT sector and *next the first sector after
 * it (0 and 0 for an empty log). */
static int scan(struct store *s, uint64_t *end_sec, uint32_t *end_used, uint64_t *next)
{
	uint64_t pos = 0, base = half_base(s, s->half), bstart = 0;
	uint32_t last_epoch = 0, brun = 0;
	bool have_commit = false, stop = false;
	*end_sec = 0, *end_used = 0, *next = 0;
	while (pos < s->H && !stop) {
		uint64_t n = s->H - pos < s->IO ? s->H - pos : s->IO;
		int r = riad_block_read(s->dev, base + pos, s->io, n);
		if (r < 0)
			return r;
		for (uint64_t i = 0; i < n; i++, pos++) {
			uint32_t ep, used, fl;
			const uint8_t *b = s->io + i * s->S;
			if (!sector_ok(s, b, pos, s->gen, &ep, &used, &fl) || ep < last_epoch ||
			    ((fl & STORE_FLAG_COMMIT) && (ld32(b + STORE_HDR_FIRST) != bstart ||
			                                  ld32(b + STORE_HDR_BCRC) != brun))) {
				stop = true;
				break;
			}
			last_epoch = ep;
			if (fl & STORE_FLAG_COMMIT) {
				*end_sec = pos, *end_used = used, *next = pos + 1;
				have_commit = true;
				bstart = pos + 1, brun = 0;
			} else {
				brun = storage_crc32c(brun, b + STORE_HDR_LEN, s->P);
			}
		}
	}
	if (!have_commit)
		*end_sec = 0, *end_used = 0;
	/* After the end: a COMMIT of this or a later epoch whose batch begins
	 * after it means a batch was written after the end's batch had been
	 * committed, so the end is damage, not a crash (docs: "Opening"). A
	 * COMMIT whose batch holds the end is the batch a crash tore. */
	for (uint64_t q = pos + 1; q < s->H && q <= pos + RIAD_KV_STORE_SCAN_AHEAD; q++) {
		int r = riad_block_read(s->dev, base + q, s->io, 1);
		if (r < 0)
			return r;
		uint32_t ep, used, fl;
		if (sector_ok(s, s->io, q, s->gen, &ep, &used, &fl) && ep >= last_epoch &&
		    (fl & STORE_FLAG_COMMIT) && ld32(s->io + STORE_HDR_FIRST) > pos) {
			gstats.bad_sectors++;
			riad_err(store_log, "%s: the store's log has a hole at sector %llu of half %u "
			         "before a committed sector: damaged", riad_block_name(s->dev),
			         (unsigned long long)pos, s->half);
			return -RIAD_EBADMSG;
		}
	}
	if (!have_commit && pos > 0)
		gstats.torn_tails++;
	else if (have_commit && pos > *next)
		gstats.torn_tails++;
	return 0;
}

/* ---- compaction ---- */

static uint64_t set_rec_len(size_t klen, uint64_t vlen)
{
	return STORE_SET_HDR_LEN + klen + vlen;
}

static int put_set_hdr(struct store *s, const char *key, size_t klen, uint64_t vlen, int64_t mtime,
                       uint64_t *vsec, uint32_t *voff)
{
	uint8_t h[STORE_SET_HDR_LEN] = { STORE_REC_SET };
	st16(h + 2, (uint16_t)klen);
	st64(h + 8, vlen);
	st64(h + 16, (uint64_t)mtime);
	int r = log_put(s, h, sizeof(h));
	if (r == 0)
		r = log_put(s, key, klen);
	log_tail(s, vsec, voff);
	return r;
}

/* Copy len bytes of a value from (half, gen, sec, off) to the log's end. */
static int copy_value(struct store *s, uint32_t half, uint64_t gen, uint64_t sec, uint32_t off,
                      uint64_t len)
{
	uint64_t done = 0;
	while (done < len) {
		uint64_t k = len - done < s->P ? len - done : s->P;
		uint64_t a = off + done;
		int r = log_read(s, half, gen, sec + a / s->P, (uint32_t)(a % s->P), s->copy, k);
		if (r == 0)
			r = log_put(s, s->copy, (size_t)k);
		if (r < 0)
			return r;
		done += k;
	}
	return 0;
}

/* Sectors a compacted log of the live keys takes. */
static uint64_t live_sectors(const struct store *s)
{
	uint64_t bytes = 0;
	for (size_t i = 0; i < s->ix.n; i++)
		bytes += set_rec_len(s->ix.e[i].klen, s->ix.e[i].size);
	return (bytes + s->P - 1) / s->P;
}

/* Copy the live keys to the other half (docs: "Writing"); the caller
 * checked that they fit. */
static int compact(struct store *s)
{
	int r = log_commit(s);
	if (r < 0)
		return r;
	uint32_t old_half = s->half;
	uint64_t old_gen = s->gen;
	s->whalf = 1 - s->half, s->wgen = s->gen + 1, s->wbase = 0, s->wlen = 0;
	s->bfirst = 0, s->bcrc = 0;
	for (size_t i = 0; i < s->ix.n; i++) {
		struct entry *e = &s->ix.e[i];
		uint64_t vsec;
		uint32_t voff;
		r = put_set_hdr(s, e->key, e->klen, e->size, e->mtime, &vsec, &voff);
		if (r == 0)
			r = copy_value(s, old_half, old_gen, e->vsec, e->voff, e->size);
		if (r < 0) {
			s->broken = true;
			return r;
		}
		e->vsec = vsec, e->voff = voff;
	}
	if (s->ix.n == 0) {
		/* An empty log: nothing to commit; the superblock says it all. */
		s->dirty = false;
	}
	r = log_commit(s);
	if (r == 0)
		r = sb_write(s, s->whalf, s->wgen, s->epoch);
	if (r < 0) {
		s->broken = true;
		return r;
	}
	s->half = s->whalf, s->gen = s->wgen;
	gstats.compactions++;
	riad_info(store_log, "%s: compacted %zu keys into half %u (%llu of %llu sectors)",
	          riad_block_name(s->dev), s->ix.n, s->half, (unsigned long long)s->wbase,
	          (unsigned long long)s->H);
	return 0;
}

/* Make room for a record of rec bytes: compact if the active half cannot
 * take it. */
static int make_room(struct store *s, uint64_t rec)
{
	if (log_fits(s, rec))
		return 0;
	uint64_t need = (rec + s->P - 1) / s->P;
	uint64_t live = live_sectors(s), used = s->wbase + (s->wlen + s->P - 1) / s->P;
	/* Nothing to gain (the log holds only live records), or not enough. */
	if (used <= live || live + need > s->H)
		return -RIAD_ENOSPC;
	int r = compact(s);
	if (r < 0)
		return r;
	return log_fits(s, rec) ? 0 : -RIAD_ENOSPC;
}

/* ---- the ops ---- */

static int begin_change(struct store *s)
{
	if (s->broken)
		return -RIAD_EIO;
	if (s->ro)
		return -RIAD_EROFS;
	return bump_epoch(s);
}

static int st_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st)
{
	struct store *s = (struct store *)kv;
	size_t klen = strlen(key);
	lock(s);
	int r = 0;
	struct entry *e = klen ? kv_store_index_find(&s->ix, key, klen) : NULL;
	if (s->broken)
		r = -RIAD_EIO;
	else if (e)
		st->type = RIAD_KV_VALUE, st->size = e->size, st->mtime_ns = e->mtime;
	else if (klen == 0 || kv_store_index_is_dict(&s->ix, key, klen))
		st->type = RIAD_KV_DICT, st->size = 0, st->mtime_ns = 0;
	else
		r = -RIAD_ENOENT;
	return unlock(s, r);
}

static int st_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                  size_t *got)
{
	struct store *s = (struct store *)kv;
	size_t klen = strlen(key);
	lock(s);
	if (s->broken)
		return unlock(s, -RIAD_EIO);
	struct entry *e = klen ? kv_store_index_find(&s->ix, key, klen) : NULL;
	if (!e)
		return unlock(s, klen == 0 || kv_store_index_is_dict(&s->ix, key, klen)
		                         ? -RIAD_EISDIR : -RIAD_ENOENT);
	if (off >= e->size)
		return unlock(s, 0);
	uint64_t n = e->size - off < len ? e->size - off : len;
	uint64_t a = e->voff + off;
	int r = log_read(s, s->half, s->gen, e->vsec + a / s->P, (uint32_t)(a % s->P), buf, n);
	if (r == 0)
		*got = (size_t)n;
	return unlock(s, r);
}

static int st_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg)
{
	struct store *s = (struct store *)kv;
	size_t klen = strlen(key);
	char name[RIAD_KV_NAME_MAX + 1];
	size_t nlen = 0;
	bool first = true;
	lock(s);
	if (s->broken)
		return unlock(s, -RIAD_EIO);
	if (klen && kv_store_index_find(&s->ix, key, klen))
		return unlock(s, -RIAD_ENOTDIR);
	if (klen && !kv_store_index_is_dict(&s->ix, key, klen))
		return unlock(s, -RIAD_ENOENT);
	for (;;) {
		/* The first key after the last name and everything below it:
		 * the store may change while fn runs, so search again. */
		size_t plen = klen ? klen + 1 : 0;
		memcpy(s->ix.scratch, key, klen);
		if (klen)
			s->ix.scratch[klen] = '/';
		size_t i;
		if (first) {
			i = plen ? kv_store_index_lower_bound(&s->ix, s->ix.scratch, plen) : 0;
		} else {
			memcpy(s->ix.scratch + plen, name, nlen);
			s->ix.scratch[plen + nlen] = '\x01';
			i = kv_store_index_lower_bound(&s->ix, s->ix.scratch, plen + nlen + 1);
		}
		if (i >= s->ix.n || s->ix.e[i].klen <= plen || memcmp(s->ix.e[i].key, s->ix.scratch, plen) != 0)
			break;
		const char *c = s->ix.e[i].key + plen, *slash = memchr(c, '/', s->ix.e[i].klen - plen);
		nlen = slash ? (size_t)(slash - c) : s->ix.e[i].klen - plen;
		memcpy(name, c, nlen);
		name[nlen] = '\0';
		first = false;
		(void)unlock(s, 0);
		int r = fn(arg, name, slash ? RIAD_KV_DICT : RIAD_KV_VALUE);
		lock(s);
		if (r)
			return unlock(s, r);
		if (s->broken)
			return unlock(s, -RIAD_EIO);
	}
	return unlock(s, 0);
}

/* Append a SET of key whose value is assembled from up to three parts: the
 * old value's bytes [0, keep), zeros up to off, data, the old value's bytes
 * after off + len. Used by set (no old value) and set_partial. */
static int do_set(struct store *s, const char *key, size_t klen, uint64_t off, const void *data,
                  size_t len, bool partial)
{
	int r = begin_change(s);
	if (r < 0)
		return r;
	if (off > RIAD_KV_STORE_VALUE_MAX || len > RIAD_KV_STORE_VALUE_MAX - off)
		return -RIAD_EFBIG;
	if ((r = kv_store_index_set_check(&s->ix, key, klen)) < 0)
		return r;
	struct entry *e = kv_store_index_find(&s->ix, key, klen);
	uint64_t old = partial && e ? e->size : 0;
	uint64_t size = partial ? (off + len > old ? off + len : old) : len;
	if ((r = make_room(s, set_rec_len(klen, size))) < 0)
		return r;
	/* Compaction moved the old value: look it up again. */
	e = kv_store_index_find(&s->ix, key, klen);
	uint64_t osec = e ? e->vsec : 0;
	uint32_t ooff = e ? e->voff : 0;
	uint64_t vsec;
	uint32_t voff;
	int64_t mtime = riad_clock_wall_ns();
	r = put_set_hdr(s, key, klen, size, mtime, &vsec, &voff);
	if (r == 0 && partial) {
		uint64_t keep = off < old ? off : old;
		r = copy_value(s, s->half, s->gen, osec, ooff, keep);
		if (r == 0 && off > old)
			r = log_put(s, NULL, (size_t)(off - old));
		if (r == 0)
			r = log_put(s, data, len);
		if (r == 0 && off + len < old) {
			uint64_t a = ooff + off + len;
			r = copy_value(s, s->half, s->gen, osec + a / s->P, (uint32_t)(a % s->P),
			               old - off - len);
		}
	} else if (r == 0) {
		r = log_put(s, data, len);
	}
	if (r < 0) {
		s->broken = true;
		return r;
	}
	gstats.sets++;
	r = kv_store_index_set_apply(&s->ix, key, klen, vsec, voff, size, mtime);
	if (r < 0)
		s->broken = true; /* the log has a key the index lacks */
	return r;
}

static int st_set(struct riad_kv *kv, const char *key, const void *data, size_t len)
{
	struct store *s = (struct store *)kv;
	lock(s);
	return unlock(s, do_set(s, key, strlen(key), 0, data, len, false));
}

static int st_set_partial(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
                          size_t len)
{
	struct store *s = (struct store *)kv;
	lock(s);
	return unlock(s, do_set(s, key, strlen(key), off, data, len, true));
}

static int st_remove(struct riad_kv *kv, const char *key)
{
	struct store *s = (struct store *)kv;
	size_t klen = strlen(key);
	lock(s);
	int r = begin_change(s);
	if (r == 0)
		r = kv_store_index_remove(&s->ix, key, klen, true);
	if (r == 0 && !log_fits(s, STORE_REMOVE_HDR_LEN + klen)) {
		/* A full log: a compaction without the removed keys is the
		 * remove (a full store can always shrink). */
		r = log_commit(s);
		if (r == 0) {
			(void)kv_store_index_remove(&s->ix, key, klen, false);
			r = compact(s);
		}
		return unlock(s, r);
	}
	if (r == 0) {
		uint8_t h[STORE_REMOVE_HDR_LEN] = { STORE_REC_REMOVE };
		st16(h + 2, (uint16_t)klen);
		r = log_put(s, h, sizeof(h));
		if (r == 0)
			r = log_put(s, key, klen);
		if (r == 0)
			r = kv_store_index_remove(&s->ix, key, klen, false);
		else
			s->broken = true;
	}
	return unlock(s, r);
}

static int st_rename(struct riad_kv *kv, const char *from, const char *to)
{
	struct store *s = (struct store *)kv;
	size_t flen = strlen(from), tlen = strlen(to);
	lock(s);
	int r = begin_change(s);
	if (r == 0)
		r = kv_store_index_rename(&s->ix, from, flen, to, tlen, true);
	if (r == 0 && flen == tlen && memcmp(from, to, flen) == 0)
		return unlock(s, 0);
	if (r == 0)
		r = make_room(s, STORE_RENAME_HDR_LEN + flen + tlen);
	if (r == 0) {
		uint8_t h[STORE_RENAME_HDR_LEN] = { STORE_REC_RENAME };
		st16(h + 2, (uint16_t)flen);
		st16(h + 4, (uint16_t)tlen);
		r = log_put(s, h, sizeof(h));
		if (r == 0)
			r = log_put(s, from, flen);
		if (r == 0)
			r = log_put(s, to, tlen);
		if (r == 0) {
			r = kv_store_index_rename(&s->ix, from, flen, to, tlen, false);
			if (r < 0)
				s->broken = true;
		} else {
			s->broken = true;
		}
	}
	return unlock(s, r);
}

static int st_flush(struct riad_kv *kv)
{
	struct store *s = (struct store *)kv;
	lock(s);
	int r = s->broken ? -RIAD_EIO : s->ro ? 0 : log_commit(s);
	if (r == 0)
		gstats.flushes++;
	return unlock(s, r);
}

static void st_free(struct store *s)
{
	kv_store_index_free(&s->ix);
	free(s->wbuf);
	free(s->io);
	free(s->copy);
	free(s->k1);
	free(s);
}

static void st_close(struct riad_kv *kv)
{
	st_free((struct store *)kv);
}

static const struct riad_kv_ops store_ops = {
	.stat = st_stat,
	.get = st_get,
	.list = st_list,
	.set = st_set,
	.set_partial = st_set_partial,
	.remove = st_remove,
	.rename = st_rename,
	.flush = st_flush,
	.close = st_close,
};

static const struct riad_kv_ops store_ro_ops = {
	.stat = st_stat,
	.get = st_get,
	.list = st_list,
	.flush = st_flush,
	.close = st_close,
};

/* Write an empty store: both superblocks, with a generation no sector of
 * an earlier store on dev can carry. */
static int format(struct store *s)
{
	uint64_t sectors = riad_block_sectors(s->dev);
	uint64_t h = (sectors - STORE_LOG_FIRST) / 2;
	if (h > STORE_MAX_HALF)
		h = STORE_MAX_HALF;
	s->fmt_sectors = sectors, s->H = h;
	static uint64_t formats;
	uint64_t gen = (uint64_t)riad_clock_wall_ns() ^ ((uint64_t)riad_time_ns() << 32) ^
	               (++formats << 48);
	uint64_t seq = 0;
	uint32_t epoch = 0;
	for (unsigned i = 0; i < 2; i++) {
		int r = riad_block_read(s->dev, i, s->io, 1);
		if (r < 0)
			return r;
		if (sb_valid(s, s->io, i)) {
			uint64_t q = ld64(s->io + STORE_SB_SEQ), g = ld64(s->io + STORE_SB_GEN);
			if (q > seq)
				seq = q;
			if (g - gen < 4 || gen - g < 4)
				gen = g + 4;
			if (ld32(s->io + STORE_SB_EPOCH) > epoch)
				epoch = ld32(s->io + STORE_SB_EPOCH);
		}
	}
	s->seq = seq;
	s->epoch = epoch + 1;
	for (int i = 0; i < 2; i++) {
		int r = sb_write(s, 0, gen, s->epoch);
		if (r < 0)
			return r;
	}
	s->gen = gen, s->half = 0;
	gstats.formats++;
	return 0;
}

static int load_sb(struct store *s)
{
	uint8_t best[STORE_SB_LEN];
	bool found = false;
	int bad = 0;
	for (unsigned i = 0; i < 2; i++) {
		int r = riad_block_read(s->dev, i, s->io, 1);
		if (r < 0)
			return r;
		if (!sb_valid(s, s->io, i)) {
			bad++;
			continue;
		}
		if (!found || ld64(s->io + STORE_SB_SEQ) > ld64(best + STORE_SB_SEQ))
			memcpy(best, s->io, STORE_SB_LEN);
		found = true;
	}
	if (!found)
		return -RIAD_EBADMSG;
	if (bad) {
		/* Format writes both and a sector write is atomic: damage. */
		gstats.bad_sectors++;
		riad_warn(store_log, "%s: one store superblock is damaged; using the other",
		          riad_block_name(s->dev));
	}
	s->seq = ld64(best + STORE_SB_SEQ);
	s->gen = ld64(best + STORE_SB_GEN);
	s->half = ld32(best + STORE_SB_HALF);
	s->epoch = ld32(best + STORE_SB_EPOCH);
	s->H = ld64(best + STORE_SB_H);
	s->fmt_sectors = ld64(best + STORE_SB_SECTORS);
	return 0;
}

struct riad_kv *riad_kv_store_open(struct riad_block *dev, bool fmt, int *err)
{
	int r = -RIAD_ENOMEM;
	if (!dev)
		riad_panic("riad_kv_store_open: NULL device");
	struct store *s = calloc(1, sizeof(*s));
	if (!s)
		goto fail;
	s->dev = dev;
	s->S = riad_block_sector_size(dev);
	s->P = s->S - STORE_HDR_LEN;
	s->ro = riad_block_read_only(dev);
	s->W = RIAD_KV_STORE_WBUF_SECTORS < 1 ? 1 : RIAD_KV_STORE_WBUF_SECTORS;
	s->IO = RIAD_KV_STORE_IO_SECTORS < 1 ? 1 : RIAD_KV_STORE_IO_SECTORS;
	s->wbuf = malloc((size_t)s->W * s->S);
	s->io = malloc((size_t)s->IO * s->S);
	s->copy = malloc(s->P);
	s->k1 = malloc(RIAD_KV_KEY_MAX + 2);
	s->ix.scratch = malloc(RIAD_KV_KEY_MAX + 2);
	if (!s->wbuf || !s->io || !s->copy || !s->k1 || !s->ix.scratch)
		goto fail;
	r = -RIAD_EINVAL;
	if (riad_block_sectors(dev) < STORE_LOG_FIRST + 2 * (uint64_t)STORE_MIN_HALF)
		goto fail;
	if (fmt) {
		r = -RIAD_EROFS;
		if (s->ro)
			goto fail;
		if ((r = format(s)) < 0)
			goto fail;
		s->bumped = true;
	} else if ((r = load_sb(s)) < 0) {
		if (r == -RIAD_EBADMSG)
			riad_err(store_log, "%s: no valid store superblock", riad_block_name(dev));
		goto fail;
	}
	uint64_t end_sec, next;
	uint32_t end_used;
	if (!fmt) {
		if ((r = scan(s, &end_sec, &end_used, &next)) < 0)
			goto fail;
		if (next > 0 && (r = replay(s, end_sec, end_used)) < 0) {
			riad_err(store_log, "%s: the store's log is damaged (%d)", riad_block_name(dev), r);
			goto fail;
		}
	} else {
		next = 0;
	}
	s->whalf = s->half, s->wgen = s->gen, s->wbase = next, s->wlen = 0;
	s->bfirst = next, s->bcrc = 0;
	s->kv.ops = s->ro ? &store_ro_ops : &store_ops;
	s->kv.kind = "store";
	gstats.opens++;
	return &s->kv;
fail:
	if (r == -RIAD_EBADMSG)
		gstats.rejected++;
	if (s)
		st_free(s);
	if (err)
		*err = r;
	return NULL;
}
