/* storage/block_crypt.c: riad_block_crypt_open(), authenticated encryption over any block device (AES-256-GCM per sector; format and reasoning in docs/storage-crypt.md). */
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>

#include <riad/block.h>
#include <riad/log.h>
#include <riad/random.h>

#include "block_crypt.h"
#include "block_crypt_wire.h"
#include "crypto_impl.h"

RIAD_LOG_SRC(block_log, "block", "Block devices and their overlays");

/* Metadata sectors remembered as authentic (struct cryptblk's known). */
#define CRYPT_KNOWN 4

struct cryptblk {
	struct riad_block b;
	struct riad_block *inner;
	uint32_t ss;          /* sector size */
	uint32_t per;         /* entries per metadata sector (data sectors per group) */
	uint32_t epoch;       /* the header's epoch (this session's, once started) */
	bool started;         /* this session has written its epoch to the header */
	bool suspect;         /* a write below failed: trust no entry's epoch */
	uint8_t salt[CRYPT_SALT_LEN];
	uint8_t kcheck[32];
	br_aes_gen_ctr_keys aes;
	br_gcm_context gcm;
	br_aes_gen_ctr_keys mhash_aes; /* K_mhash: the GHASH part of metadata MACs */
	br_gcm_context mgcm;
	br_aes_gen_ctr_keys mtag_aes;  /* K_mtag: encrypts that hash into the MAC */
	uint8_t *meta; /* one metadata sector (the first group's, when apart) */
	/* Metadata sectors known authentic, as they are below: checked or
	 * sealed by this session (a few groups, by g mod CRYPT_KNOWN). A
	 * sector read that equals its group's copy byte for byte needs no MAC
	 * computed: the MAC is a function of g and the bytes. */
	uint8_t *known;
	uint64_t known_g[CRYPT_KNOWN];
	bool known_ok[CRYPT_KNOWN];
	uint8_t *save; /* one sector */
	uint8_t *io;   /* io_sectors sectors below, in their order there */
	uint64_t io_sectors;
};

/* ---- big-endian fields ---- */

static uint64_t load_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void store_be(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = n; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
}

/* Whether p holds only zeros (of data read from below: not secret, so it
 * may stop early). */
static bool all_zero(const uint8_t *p, size_t n)
{
	uint64_t w;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		if (w)
			return false;
	}
	for (; n > 0; p++, n--)
		if (*p)
			return false;
	return true;
}

static bool equal_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= (uint8_t)(a[i] ^ b[i]);
	return acc == 0;
}

/* ---- geometry ---- */

uint64_t block_crypt_data_sectors(uint64_t inner, uint32_t ss)
{
	uint64_t per = CRYPT_ENTRIES(ss);
	if (inner < 3)
		return 0;
	uint64_t avail = inner - 1, full = avail / (per + 1), rem = avail % (per + 1);
	uint64_t d = full * per + (rem >= 2 ? rem - 1 : 0);
	return d > CRYPT_U48_MAX ? CRYPT_U48_MAX : d;
}

uint64_t block_crypt_inner_sectors(uint64_t data, uint32_t ss)
{
	uint64_t per = CRYPT_ENTRIES(ss);
	if (data == 0 || data > CRYPT_U48_MAX)
		return 0;
	uint64_t groups = (data + per - 1) / per;
	return 1 + groups + data;
}

static uint64_t meta_sector(const struct cryptblk *c, uint64_t g)
{
	return 1 + g * ((uint64_t)c->per + 1);
}

/* Where data sector d is stored below. */
static uint64_t data_sector(const struct cryptblk *c, uint64_t d)
{
	return meta_sector(c, d / c->per) + 1 + d % c->per;
}

/* The end (exclusive) of the longest run of data sectors from d, at most
 * count, whose stored sectors fit c->io when it starts with sector first
 * below (first <= data_sector(d) < first + io_sectors). */
static uint64_t batch_end(const struct cryptblk *c, uint64_t first, uint64_t d, uint64_t count)
{
	uint64_t end = d, stop = d + count, limit = first + c->io_sectors;
	while (end < stop) {
		uint64_t k = c->per - end % c->per, at = data_sector(c, end);
		if (k > stop - end)
			k = stop - end;
		if (at >= limit)
			break;
		if (k > limit - at)
			return end + (limit - at);
		end += k;
	}
	return end;
}

/* ---- keys, header ---- */

static void derive_keys(struct cryptblk *c, const uint8_t *key, size_t keylen)
{
	uint8_t k[CRYPT_KEYS_LEN];
	br_hkdf_context h;
	br_hkdf_init(&h, &br_sha256_vtable, c->salt, sizeof(c->salt));
	br_hkdf_inject(&h, key, keylen);
	br_hkdf_flip(&h);
	br_hkdf_produce(&h, CRYPT_HKDF_INFO, strlen(CRYPT_HKDF_INFO), k, sizeof(k));
	/* AES-NI and PCLMULQDQ where the build and the CPU have them (unix,
	 * spt); the constant-time 64-bit software code elsewhere (hvt). */
	const br_block_ctr_class *aes = crypto_impl_aes_ctr();
	br_ghash gh = crypto_impl_ghash();
	aes->init(&c->aes.vtable, k, 32);
	br_gcm_init(&c->gcm, &c->aes.vtable, gh);
	aes->init(&c->mhash_aes.vtable, k + 32, 32);
	br_gcm_init(&c->mgcm, &c->mhash_aes.vtable, gh);
	memcpy(c->kcheck, k + 64, 32);
	aes->init(&c->mtag_aes.vtable, k + 96, 32);
	riad_wipe(k, sizeof(k));
	riad_wipe(&h, sizeof(h));
}

static void header_seal(struct cryptblk *c, uint8_t *h)
{
	br_hmac_key_context kc;
	br_hmac_context hc;
	br_sha256_context sc;
	br_hmac_key_init(&kc, &br_sha256_vtable, c->kcheck, sizeof(c->kcheck));
	br_hmac_init(&hc, &kc, 32);
	br_hmac_update(&hc, h, CRYPT_HDR_OFF_CHECK);
	br_hmac_out(&hc, h + CRYPT_HDR_OFF_CHECK);
	br_sha256_init(&sc);
	br_sha256_update(&sc, h, CRYPT_HDR_OFF_DIGEST);
	br_sha256_out(&sc, h + CRYPT_HDR_OFF_DIGEST);
	riad_wipe(&kc, sizeof(kc));
	riad_wipe(&hc, sizeof(hc));
}

static void header_build(struct cryptblk *c, uint8_t *h)
{
	memset(h, 0, c->ss);
	memcpy(h, CRYPT_MAGIC, 8);
	store_be(h + CRYPT_HDR_OFF_VERSION, 4, CRYPT_VERSION);
	store_be(h + CRYPT_HDR_OFF_SECTOR_SIZE, 4, c->ss);
	store_be(h + CRYPT_HDR_OFF_DATA, 8, c->b.sectors);
	store_be(h + CRYPT_HDR_OFF_ENTRIES, 4, c->per);
	store_be(h + CRYPT_HDR_OFF_EPOCH, 4, c->epoch);
	memcpy(h + CRYPT_HDR_OFF_SALT, c->salt, CRYPT_SALT_LEN);
	header_seal(c, h);
}

/* Whether the header h is intact (its digest, fields and zero tail):
 * fills c's geometry and salt. Says nothing about the key. */
static bool header_parse(struct cryptblk *c, const uint8_t *h, uint64_t inner_sectors)
{
	uint8_t d[32];
	br_sha256_context sc;
	br_sha256_init(&sc);
	br_sha256_update(&sc, h, CRYPT_HDR_OFF_DIGEST);
	br_sha256_out(&sc, d);
	if (!equal_ct(d, h + CRYPT_HDR_OFF_DIGEST, 32) || !all_zero(h + CRYPT_HDR_LEN, c->ss - CRYPT_HDR_LEN))
		return false;
	if (memcmp(h, CRYPT_MAGIC, 8) != 0 || load_be(h + CRYPT_HDR_OFF_VERSION, 4) != CRYPT_VERSION ||
	    load_be(h + CRYPT_HDR_OFF_SECTOR_SIZE, 4) != c->ss ||
	    load_be(h + CRYPT_HDR_OFF_ENTRIES, 4) != c->per)
		return false;
	uint64_t data = load_be(h + CRYPT_HDR_OFF_DATA, 8);
	if (data == 0 || data > block_crypt_data_sectors(inner_sectors, c->ss))
		return false;
	c->b.sectors = data;
	c->epoch = (uint32_t)load_be(h + CRYPT_HDR_OFF_EPOCH, 4);
	memcpy(c->salt, h + CRYPT_HDR_OFF_SALT, CRYPT_SALT_LEN);
	return true;
}

/* ---- requests below ---- */

static int inner_read(struct cryptblk *c, uint64_t s, void *p, uint64_t n)
{
	c->b.stats.inner_ops++;
	return riad_block_read(c->inner, s, p, n);
}

static int inner_write(struct cryptblk *c, uint64_t s, const void *p, uint64_t n)
{
	c->b.stats.inner_ops++;
	int r = riad_block_write(c->inner, s, p, n);
	if (r < 0)
		c->suspect = true;
	return r;
}

static int inner_flush(struct cryptblk *c)
{
	c->b.stats.inner_ops++;
	int r = riad_block_flush(c->inner);
	if (r < 0)
		c->suspect = true;
	return r;
}

/* ---- metadata sectors ---- */

/* The MAC of group g's metadata sector m: AES-256(K_mtag, the GCM tag
 * under K_mhash of no plaintext, a zero nonce and u64(g) || m as AAD). A
 * deterministic MAC (GHASH then a block cipher, as GCM-SIV's tag): no
 * nonce to keep unique. */
static void meta_mac(struct cryptblk *c, uint64_t g, const uint8_t *m, uint8_t out[16])
{
	static const uint8_t zero_iv[12];
	uint8_t gb[8], t[16];
	store_be(gb, 8, g);
	br_gcm_reset(&c->mgcm, zero_iv, sizeof(zero_iv));
	br_gcm_aad_inject(&c->mgcm, gb, 8);
	br_gcm_aad_inject(&c->mgcm, m, c->ss - CRYPT_META_MAC_LEN);
	br_gcm_flip(&c->mgcm);
	br_gcm_get_tag(&c->mgcm, t);
	/* One AES block, AES(t), from the CTR interface: t's first 12 bytes
	 * as the IV, its last 4 as the counter, XORed onto zeros. */
	memset(out, 0, 16);
	c->mtag_aes.vtable->run(&c->mtag_aes.vtable, t, (uint32_t)load_be(t + 12, 4), out, 16);
}

static void meta_remember(struct cryptblk *c, uint64_t g, const uint8_t *m)
{
	unsigned k = (unsigned)(g % CRYPT_KNOWN);
	memcpy(c->known + (size_t)k * c->ss, m, c->ss);
	c->known_g[k] = g;
	c->known_ok[k] = true;
}

/* Check m, group g's metadata sector. */
static int meta_check(struct cryptblk *c, uint64_t g, const uint8_t *m)
{
	unsigned k = (unsigned)(g % CRYPT_KNOWN);
	if (c->known_ok[k] && c->known_g[k] == g && memcmp(c->known + (size_t)k * c->ss, m, c->ss) == 0)
		return 0;
	if (all_zero(m, c->ss))
		return 0;
	uint8_t mac[16];
	meta_mac(c, g, m, mac);
	if (!equal_ct(mac, m + c->ss - CRYPT_META_MAC_LEN, CRYPT_META_MAC_LEN))
		return -RIAD_EBADMSG;
	meta_remember(c, g, m);
	return 0;
}

/* Read group g's metadata sector into m and check it. */
static int meta_load(struct cryptblk *c, uint64_t g, uint8_t *m)
{
	int r = inner_read(c, meta_sector(c, g), m, 1);
	return r < 0 ? r : meta_check(c, g, m);
}

static void meta_seal(struct cryptblk *c, uint64_t g, uint8_t *m)
{
	uint8_t mac[16];
	meta_mac(c, g, m, mac);
	memcpy(m + c->ss - CRYPT_META_MAC_LEN, mac, CRYPT_META_MAC_LEN);
	meta_remember(c, g, m);
}

/* ---- one sector ---- */

static void gcm_start(struct cryptblk *c, uint64_t d, uint64_t ctr)
{
	uint8_t iv[12], aad[8];
	store_be(iv, 6, d);
	store_be(iv + 6, 6, ctr);
	store_be(aad, 8, d);
	br_gcm_reset(&c->gcm, iv, sizeof(iv));
	br_gcm_aad_inject(&c->gcm, aad, sizeof(aad));
	br_gcm_flip(&c->gcm);
}

/* Encrypt sector d in place with counter ctr; its tag into tag. */
static void seal(struct cryptblk *c, uint64_t d, uint64_t ctr, uint8_t *p, uint8_t tag[CRYPT_TAG_LEN])
{
	gcm_start(c, d, ctr);
	br_gcm_run(&c->gcm, 1, p, c->ss);
	br_gcm_get_tag_trunc(&c->gcm, tag, CRYPT_TAG_LEN);
}

/* Decrypt ciphertext src of sector d (counter ctr, tag) into dst; false if
 * it fails authentication (dst then holds garbage). */
static bool unseal(struct cryptblk *c, uint64_t d, uint64_t ctr, const uint8_t *tag,
                   const uint8_t *src, uint8_t *dst)
{
	if (dst != src)
		memcpy(dst, src, c->ss);
	gcm_start(c, d, ctr);
	br_gcm_run(&c->gcm, 0, dst, c->ss);
	return br_gcm_check_tag_trunc(&c->gcm, tag, CRYPT_TAG_LEN) == 1;
}

/* Which version of sector d the ciphertext raw is: 1 the current one, 2
 * the previous one, 0 none (damaged). The plaintext goes into out
 * (zeros for the never-written state, and for none). */
static int which_version(struct cryptblk *c, uint64_t d, const uint8_t *e, const uint8_t *raw,
                         uint8_t *out)
{
	uint64_t ctr = load_be(e, 6), delta = load_be(e + CRYPT_ENTRY_OFF_DELTA, 2);
	if (unseal(c, d, ctr, e + CRYPT_ENTRY_OFF_TAG, raw, out))
		return 1;
	if (delta == 0 ? all_zero(raw, c->ss)
	               : delta < ctr && unseal(c, d, ctr - delta, e + CRYPT_ENTRY_OFF_PREV, raw, out)) {
		if (delta == 0)
			memset(out, 0, c->ss);
		return 2;
	}
	memset(out, 0, c->ss);
	return 0;
}

/* ---- the ops ---- */

/* A read that starts inside a group also reads the stored sectors before
 * it, up to this many bytes, rather than its metadata sector apart. */
#define CRYPT_READ_GAP_BYTES 8192

/* Decrypt the k sectors from d of a group whose metadata sector is m
 * (checked) and whose stored sectors are raw, into out. */
static int read_sectors(struct cryptblk *c, uint64_t d, const uint8_t *m, const uint8_t *raw,
                        uint8_t *out, uint64_t k)
{
	int ret = 0;
	for (uint64_t j = 0; j < k; j++) {
		const uint8_t *e = m + ((d + j) % c->per) * CRYPT_ENTRY_LEN;
		uint8_t *p = out + j * c->ss;
		if (load_be(e, 6) == 0)
			memset(p, 0, c->ss);
		else if (which_version(c, d + j, e, raw + j * c->ss, p) == 0) {
			c->b.stats.auth_errors++;
			ret = -RIAD_EBADMSG;
		}
	}
	return ret;
}

/* Whether a request starting at entry i of its first group reads that
 * group's metadata sector apart (one more request below) rather than
 * together with the i stored sectors before its own. */
static bool read_apart(const struct cryptblk *c, uint64_t i)
{
	return i > 0 && (i * c->ss > CRYPT_READ_GAP_BYTES || i + 2 > c->io_sectors);
}

/* One request below (two if the first metadata sector is apart) for as
 * many sectors as c->io holds, metadata sectors and all. */
static int crypt_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct cryptblk *c = (struct cryptblk *)b;
	uint8_t *out = buf;
	int ret = 0, r;
	while (count > 0) {
		uint64_t g = sector / c->per;
		bool apart = read_apart(c, sector % c->per);
		uint64_t first = apart ? data_sector(c, sector) : meta_sector(c, g);
		uint64_t end = batch_end(c, first, sector, count);
		if (apart && (r = inner_read(c, meta_sector(c, g), c->meta, 1)) < 0)
			return r;
		if ((r = inner_read(c, first, c->io, data_sector(c, end - 1) - first + 1)) < 0)
			return r;
		for (uint64_t d = sector; d < end;) {
			uint64_t gg = d / c->per, k = c->per - d % c->per;
			if (k > end - d)
				k = end - d;
			const uint8_t *m = apart && gg == g ? c->meta
			                                    : c->io + (meta_sector(c, gg) - first) * c->ss;
			uint8_t *p = out + (d - sector) * c->ss;
			if (meta_check(c, gg, m) < 0) {
				b->stats.auth_errors += k;
				memset(p, 0, k * c->ss);
				ret = -RIAD_EBADMSG;
			} else if (read_sectors(c, d, m, c->io + (data_sector(c, d) - first) * c->ss, p, k) <
			           0) {
				ret = -RIAD_EBADMSG;
			}
			d += k;
		}
		out += (end - sector) * c->ss, count -= end - sector, sector = end;
	}
	return ret;
}

/* Start this session: a new epoch in the header, durable before any entry
 * carries it. */
static int session_start(struct cryptblk *c)
{
	c->epoch++;
	header_build(c, c->save);
	int r = inner_write(c, 0, c->save, 1);
	if (r == 0)
		r = inner_flush(c);
	if (r < 0)
		return r;
	c->started = true;
	return 0;
}

/* Prepare the write of n sectors from in at sector (all in group g): its
 * metadata sector, read, checked, updated and sealed, into meta; the
 * ciphertext into out (n sectors). Nothing is written below. */
static int prepare_piece(struct cryptblk *c, uint64_t g, uint64_t sector, const uint8_t *in,
                         uint64_t n, uint8_t *meta, uint8_t *out)
{
	uint64_t i = sector % c->per;
	uint16_t ep = (uint16_t)c->epoch;
	int r = meta_load(c, g, meta);
	if (r == -RIAD_EBADMSG)
		c->b.stats.auth_errors += n; /* counters unknown: no nonce is safe */
	if (r < 0)
		return r;
	/* Which version is on disk: the current one if this session wrote it
	 * and nothing failed since; otherwise look. */
	bool look = false;
	for (uint64_t k = 0; k < n; k++) {
		const uint8_t *e = meta + (i + k) * CRYPT_ENTRY_LEN;
		uint64_t ctr = load_be(e, 6);
		if (ctr >= CRYPT_U48_MAX)
			return -RIAD_ENOSPC;
		if (ctr && (c->suspect || load_be(e + CRYPT_ENTRY_OFF_EPOCH, 2) != ep))
			look = true;
	}
	if (look && (r = inner_read(c, meta_sector(c, g) + 1 + i, out, n)) < 0)
		return r;
	for (uint64_t k = 0; k < n; k++) {
		uint8_t *e = meta + (i + k) * CRYPT_ENTRY_LEN;
		uint8_t *p = out + k * c->ss;
		uint64_t d = sector + k, ctr = load_be(e, 6), delta = load_be(e + CRYPT_ENTRY_OFF_DELTA, 2);
		int v = ctr == 0 ? 0 : 1;
		if (ctr && (c->suspect || load_be(e + CRYPT_ENTRY_OFF_EPOCH, 2) != ep)) {
			v = which_version(c, d, e, p, c->save);
			if (v == 0)
				c->b.stats.auth_errors++; /* overwritten; no previous version to keep */
		}
		if (v == 1) {
			delta = 1;
			memmove(e + CRYPT_ENTRY_OFF_PREV, e + CRYPT_ENTRY_OFF_TAG, CRYPT_TAG_LEN);
		} else if (v == 2 && delta > 0) {
			if (delta == 0xffff)
				return -RIAD_EIO; /* 65535 interrupted writes in a row */
			delta++;
		} else {
			delta = 0;
			memset(e + CRYPT_ENTRY_OFF_PREV, 0, CRYPT_TAG_LEN);
		}
		memcpy(p, in + k * c->ss, c->ss);
		seal(c, d, ctr + 1, p, e + CRYPT_ENTRY_OFF_TAG);
		store_be(e, 6, ctr + 1);
		store_be(e + CRYPT_ENTRY_OFF_DELTA, 2, delta);
		store_be(e + CRYPT_ENTRY_OFF_EPOCH, 2, ep);
	}
	riad_wipe(c->save, c->ss);
	meta_seal(c, g, meta);
	return 0;
}

/* A write goes down in batches of as many sectors as c->io holds. Each
 * group's metadata sector precedes its data sectors below, so a batch
 * that starts at a group's first sector is one request below, metadata
 * sectors first; one that starts inside a group writes that group's
 * metadata sector first, alone, then the rest in one request. This relies
 * on a write below that is cut short by a crash having written a prefix
 * of its sectors, in order (docs/storage-crypt.md, "Writing"). With
 * RIAD_BLOCK_CRYPT_ORDERED each group goes down as before: metadata
 * sector, flush, data sectors. */
static int crypt_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct cryptblk *c = (struct cryptblk *)b;
	const uint8_t *in = buf;
	int r;
	if (!c->started && (r = session_start(c)) < 0)
		return r;
	while (count > 0) {
		uint64_t g = sector / c->per;
		bool apart = sector % c->per != 0;
		uint64_t first = apart ? data_sector(c, sector) : meta_sector(c, g);
		uint64_t end = batch_end(c, first, sector, count);
		for (uint64_t d = sector; d < end;) {
			uint64_t gg = d / c->per, k = c->per - d % c->per;
			if (k > end - d)
				k = end - d;
			uint8_t *m = apart && gg == g ? c->meta
			                              : c->io + (meta_sector(c, gg) - first) * c->ss;
			uint8_t *p = c->io + (data_sector(c, d) - first) * c->ss;
			if ((r = prepare_piece(c, gg, d, in + (d - sector) * c->ss, k, m, p)) < 0)
				return r;
			if (RIAD_BLOCK_CRYPT_ORDERED &&
			    ((r = inner_write(c, meta_sector(c, gg), m, 1)) < 0 || (r = inner_flush(c)) < 0 ||
			     (r = inner_write(c, data_sector(c, d), p, k)) < 0))
				return r;
			d += k;
		}
		if (!RIAD_BLOCK_CRYPT_ORDERED) {
			if (apart && (r = inner_write(c, meta_sector(c, g), c->meta, 1)) < 0)
				return r;
			if ((r = inner_write(c, first, c->io, data_sector(c, end - 1) - first + 1)) < 0)
				return r;
		}
		in += (end - sector) * c->ss, count -= end - sector, sector = end;
	}
	return 0;
}

static int crypt_flush(struct riad_block *b)
{
	return inner_flush((struct cryptblk *)b);
}

static void crypt_free(struct cryptblk *c)
{
	if (c->io) {
		riad_wipe(c->io, (size_t)c->io_sectors * c->ss);
		free(c->io);
	}
	if (c->save) {
		riad_wipe(c->save, c->ss);
		free(c->save);
	}
	free(c->meta);
	free(c->known);
	riad_wipe(c, sizeof(*c));
	free(c);
}

static void crypt_close(struct riad_block *b)
{
	crypt_free((struct cryptblk *)b);
}

static const struct riad_block_ops crypt_ops = {
	.read = crypt_read,
	.write = crypt_write,
	.flush = crypt_flush,
	.discard = NULL, /* counters never go back: a discarded sector could not read as zeros */
	.close = crypt_close,
};

/* Create an overlay on c->inner: zero every sector after the header
 * (skipping what is zero already), then write the header. */
static int format(struct cryptblk *c, uint64_t inner_sectors)
{
	uint64_t chunk = RIAD_BLOCK_CRYPT_FORMAT_CHUNK / c->ss;
	if (chunk == 0)
		chunk = 1;
	uint8_t *z = calloc(chunk, c->ss), *t = malloc(chunk * c->ss);
	int r = -RIAD_ENOMEM;
	if (!z || !t)
		goto out;
	uint64_t end = block_crypt_inner_sectors(c->b.sectors, c->ss);
	for (uint64_t s = 1; s < end; s += chunk) {
		uint64_t n = end - s < chunk ? end - s : chunk;
		if ((r = inner_read(c, s, t, n)) < 0)
			goto out;
		if (!all_zero(t, n * c->ss) && (r = inner_write(c, s, z, n)) < 0)
			goto out;
	}
	(void)inner_sectors;
	if ((r = inner_flush(c)) < 0)
		goto out;
	riad_random_bytes(c->salt, sizeof(c->salt));
	c->epoch = 0;
	r = 0;
out:
	free(z);
	free(t);
	return r;
}

struct riad_block *riad_block_crypt_open(struct riad_block *inner, const uint8_t *key,
                                         size_t keylen, bool format_new, int *err)
{
	int e = -RIAD_EINVAL;
	struct cryptblk *c = NULL;
	if (!inner || !key || keylen < 16 || keylen > 64)
		goto fail;
	uint32_t ss = riad_block_sector_size(inner);
	uint64_t n = riad_block_sectors(inner);
	uint64_t data = block_crypt_data_sectors(n, ss);
	if (data == 0)
		goto fail;
	e = -RIAD_ENOMEM;
	if (!(c = calloc(1, sizeof(*c))))
		goto fail;
	c->inner = inner;
	c->ss = ss;
	c->per = CRYPT_ENTRIES(ss);
	/* RIAD_BLOCK_CRYPT_BUF_BYTES of data sectors (at least one) and the
	 * metadata sectors among them. */
	uint64_t bs = RIAD_BLOCK_CRYPT_BUF_BYTES / ss;
	c->io_sectors = (bs ? bs : 1) + (bs ? bs : 1) / c->per + 2;
	c->meta = malloc(ss);
	c->save = malloc(ss);
	c->io = malloc((size_t)c->io_sectors * ss);
	c->known = malloc((size_t)CRYPT_KNOWN * ss);
	if (!c->meta || !c->save || !c->io || !c->known)
		goto fail;
	char name[RIAD_BLOCK_NAME_MAX];
	size_t nl = strlen(riad_block_name(inner));
	if (nl > sizeof(name) - 7)
		nl = sizeof(name) - 7;
	memcpy(name, riad_block_name(inner), nl);
	memcpy(name + nl, ":crypt", 7);
	riad_block_init(&c->b, &crypt_ops, name, data, ss, riad_block_read_only(inner));

	uint8_t *h = c->save;
	if ((e = inner_read(c, 0, h, 1)) < 0)
		goto fail;
	if (memcmp(h, CRYPT_MAGIC, 8) != 0) {
		e = -RIAD_EBADMSG;
		if (!format_new)
			goto fail;
		e = -RIAD_EROFS;
		if (riad_block_read_only(inner))
			goto fail;
		if ((e = format(c, n)) < 0)
			goto fail;
		derive_keys(c, key, keylen);
		header_build(c, h);
		if ((e = inner_write(c, 0, h, 1)) < 0 || (e = inner_flush(c)) < 0)
			goto fail;
		c->suspect = false;
		riad_debug(block_log, "%s: new, AES-256-GCM by %s", c->b.name, crypto_impl_name());
		return &c->b;
	}
	e = -RIAD_EBADMSG;
	if (!header_parse(c, h, n))
		goto fail;
	derive_keys(c, key, keylen);
	uint8_t check[CRYPT_HDR_LEN];
	memcpy(check, h, CRYPT_HDR_LEN);
	header_seal(c, check);
	e = -RIAD_EACCES;
	if (!equal_ct(check + CRYPT_HDR_OFF_CHECK, h + CRYPT_HDR_OFF_CHECK, 32))
		goto fail;
	riad_debug(block_log, "%s: opened, AES-256-GCM by %s", c->b.name, crypto_impl_name());
	return &c->b;
fail:
	if (c)
		crypt_free(c);
	if (err)
		*err = e;
	return NULL;
}
