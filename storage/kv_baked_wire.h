/* storage/kv_baked_wire.h: the layout of the image of baked files that riad build (tool/bake) writes and storage/kv_baked.c reads. */
#ifndef RIAD_KV_BAKED_WIRE_H
#define RIAD_KV_BAKED_WIRE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The image is one read-only blob, the symbol riad_kv_baked_image, aligned
 * to RIAD_BAKED_ALIGN. Every number is little-endian; every offset counts
 * from the start of the image, so the image needs no relocation.
 *
 *	header    struct riad_baked_header
 *	entries   count struct riad_baked_entry, sorted by key (see below)
 *	names     the keys, each followed by one NUL
 *	data      the distinct contents, each starting at a multiple of
 *	          RIAD_BAKED_ALIGN; entries with the same SHA-256 share one
 *
 * Keys are normalised (riad_kv_key_normalise: no leading or trailing '/')
 * and sorted segment by segment, in byte order within a segment: that is
 * byte order with '/' taken as smaller than every other byte, so that the
 * keys below a dictionary are contiguous and their names come in byte
 * order. No key is also the dictionary of another ("a" and "a/b").
 */

#define RIAD_BAKED_MAGIC "RIADBAK1"
#define RIAD_BAKED_VERSION 1
#define RIAD_BAKED_ALIGN 16

struct riad_baked_header {
	uint8_t magic[8];       /* RIAD_BAKED_MAGIC, no NUL */
	uint32_t version;       /* RIAD_BAKED_VERSION */
	uint32_t count;         /* entries */
	uint64_t entries_off;   /* the first entry */
	uint64_t names_off;     /* the first key */
	uint64_t names_size;    /* bytes of the keys with their NULs */
	uint64_t data_off;      /* the first content byte */
	uint64_t data_size;     /* bytes from data_off to the end */
	uint64_t image_size;    /* bytes of the whole image */
};

struct riad_baked_entry {
	uint64_t data_off;      /* the value's first byte */
	uint64_t size;          /* its length */
	int64_t mtime_ns;       /* SOURCE_DATE_EPOCH in ns, or 0 (unknown) */
	uint32_t key_off;       /* from names_off */
	uint32_t key_len;       /* without the NUL */
	uint8_t sha256[32];     /* SHA-256 of the value */
};

_Static_assert(sizeof(struct riad_baked_header) == 64, "baked header size");
_Static_assert(offsetof(struct riad_baked_header, version) == 8, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, count) == 12, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, entries_off) == 16, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, names_off) == 24, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, names_size) == 32, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, data_off) == 40, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, data_size) == 48, "baked header layout");
_Static_assert(offsetof(struct riad_baked_header, image_size) == 56, "baked header layout");
_Static_assert(sizeof(struct riad_baked_entry) == 64, "baked entry size");
_Static_assert(offsetof(struct riad_baked_entry, size) == 8, "baked entry layout");
_Static_assert(offsetof(struct riad_baked_entry, mtime_ns) == 16, "baked entry layout");
_Static_assert(offsetof(struct riad_baked_entry, key_off) == 24, "baked entry layout");
_Static_assert(offsetof(struct riad_baked_entry, key_len) == 28, "baked entry layout");
_Static_assert(offsetof(struct riad_baked_entry, sha256) == 32, "baked entry layout");

/* The order of keys in the image: <0, 0 or >0 as a is before, equal to or
 * after b. */
static inline int riad_baked_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	for (size_t i = 0; i < n; i++) {
		unsigned ca = a[i] == '/' ? 0u : (unsigned char)a[i] + 1u;
		unsigned cb = b[i] == '/' ? 0u : (unsigned char)b[i] + 1u;
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return alen < blen ? -1 : alen > blen;
}

#endif
