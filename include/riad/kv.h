/* riad/kv.h: key-value stores, an instance interface in the shape of
 * MirageOS's mirage-kv.
 *
 * A unikernel may read files from several stores at once (an in-memory one
 * next to a tar archive next to files baked into the image), so a store is
 * an explicit instance, struct riad_kv (DESIGN.md sections 2 and 8).
 * Callers use the riad_kv_*() functions below and never touch the ops
 * table. Implementations in riad:
 *
 *	riad_kv_mem_open()     memory, writable
 *	riad_kv_tar_open()     a tar archive on any block device (riad/block.h):
 *	                       ustar, pax and GNU formats; writable by appending
 *	riad_kv_baked_open()   files baked into the image by riad build
 *	                       (read-only)
 *	riad_kv_store_open()   riad's crash-safe writable store on any block
 *	                       device (docs/storage-store.md)
 *	riad_store_open()      one of the above, and the block stack under
 *	                       it, from a boot-time specification such as
 *	                       "tar:disk@site" (riad/store.h)
 *
 * Keys. A key is a path: segments separated by '/', with an optional
 * leading '/' ("/a/b" and "a/b" are the same key; "/" and "" are the root
 * dictionary). A segment is 1 to 255 bytes, none of them NUL or '/', and
 * is not "." or ".."; a key is at most RIAD_KV_KEY_MAX bytes. A malformed
 * key is -RIAD_EINVAL (too long: -RIAD_ENAMETOOLONG). A key names either a
 * value (bytes) or a dictionary (a directory: it holds other keys). As in
 * mirage-kv, dictionaries exist implicitly: setting "a/b/c" makes "a" and
 * "a/b" dictionaries, and removing the last key below a dictionary may make
 * it disappear.
 *
 * Errors. Each function returns 0 (or a count, where said) or a negative
 * RIAD_E* value:
 *	-RIAD_ENOENT    no such key
 *	-RIAD_EISDIR    a value was asked of a dictionary
 *	-RIAD_ENOTDIR   a path goes through a value ("a/b" when "a" is a value),
 *	                or a dictionary was listed that is a value
 *	-RIAD_EROFS     a change to a read-only store
 *	-RIAD_ENOSPC    the store is full
 *	-RIAD_EBADMSG   the store's bytes are damaged (a failed checksum or
 *	                authentication below); the key cannot be read
 *	-RIAD_EIO       the block device below failed
 *	-RIAD_ENOMEM    out of memory
 * Misuse (NULL arguments) is a programmer error and aborts.
 *
 * Blocking. Every call may park the calling fiber (block I/O below).
 * Several fibers may use one store; each call is carried out whole before
 * the next one begins.
 *
 * Durability. A writable store's changes are visible at once to every
 * reader of the same instance; riad_kv_flush() makes them durable: when it
 * returns 0, a crash at any later point leaves every change made before it
 * readable after the store is opened again. What a crash does to changes
 * made after the last flush is the implementation's to say (riad's store:
 * each one is either wholly there or wholly absent).
 */
#ifndef RIAD_KV_H
#define RIAD_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/block.h>
#include <riad/errno.h>
#include <riad/opt.h>

/* Longest key, in bytes, without the terminating NUL. */
#define RIAD_KV_KEY_MAX 4095
/* Longest segment of a key (one name in a dictionary). */
#define RIAD_KV_NAME_MAX 255
/* Bytes of a digest (SHA-256). */
#define RIAD_KV_DIGEST_LEN 32

enum riad_kv_type {
	RIAD_KV_VALUE = 1,
	RIAD_KV_DICT = 2,
};

/* What riad_kv_stat() tells of a key. */
struct riad_kv_stat {
	enum riad_kv_type type;
	uint64_t size;      /* bytes of a value; 0 for a dictionary */
	int64_t mtime_ns;   /* last modified, ns since 1970-01-01 UTC; 0 if the
	                       store does not know */
};

/* Called by riad_kv_list() once for each key directly below the listed
 * dictionary: name is the last segment only (NUL-terminated, valid during
 * the call), type its kind. A non-zero return stops the listing and is
 * what riad_kv_list() returns. */
typedef int (*riad_kv_list_fn)(void *arg, const char *name, enum riad_kv_type type);

struct riad_kv;

/* The ops table of an implementation. Keys reach it already checked and
 * normalised by the functions below: no leading or trailing '/', no empty
 * segment; the root is "". Members a read-only store lacks are NULL (the
 * functions return -RIAD_EROFS). digest may be NULL: riad_kv_digest() then
 * computes SHA-256 of the value through get. close frees the instance. */
struct riad_kv_ops {
	int (*stat)(struct riad_kv *kv, const char *key, struct riad_kv_stat *st);
	int (*get)(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
	           size_t *got);
	int (*list)(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg);
	int (*digest)(struct riad_kv *kv, const char *key, uint8_t out[RIAD_KV_DIGEST_LEN]);
	int (*set)(struct riad_kv *kv, const char *key, const void *data, size_t len);
	int (*set_partial)(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
	                   size_t len);
	int (*remove)(struct riad_kv *kv, const char *key);
	int (*rename)(struct riad_kv *kv, const char *from, const char *to);
	int (*flush)(struct riad_kv *kv);
	void (*close)(struct riad_kv *kv);
};

/* The common head of every instance, embedded first. */
struct riad_kv {
	const struct riad_kv_ops *ops;
	const char *kind;   /* "mem", "tar", "baked", "store" */
};

/* Normalise key into out (RIAD_KV_KEY_MAX + 1 bytes): strip one leading
 * '/' and one trailing '/', check every segment as described at the top.
 * Returns 0, -RIAD_EINVAL or -RIAD_ENAMETOOLONG. Implementations that take
 * keys from elsewhere (a tar header, a directory walk) use it too. */
int riad_kv_key_normalise(const char *key, char out[RIAD_KV_KEY_MAX + 1]);

/* Whether key exists and what it is: 0 with *st filled, or -RIAD_ENOENT. */
int riad_kv_stat(struct riad_kv *kv, const char *key, struct riad_kv_stat *st);

/* RIAD_KV_VALUE or RIAD_KV_DICT if key exists, 0 if it does not, or a
 * negative error (mirage-kv's exists). */
int riad_kv_exists(struct riad_kv *kv, const char *key);

/* The size of a value, or -RIAD_EISDIR for a dictionary. */
int riad_kv_size(struct riad_kv *kv, const char *key, uint64_t *size);

/* When key was last modified (ns since the epoch, 0 if unknown). */
int riad_kv_last_modified(struct riad_kv *kv, const char *key, int64_t *mtime_ns);

/* Read up to len bytes of the value at key, from byte off, into buf
 * (partial get; a whole get is off 0 and len the size). Returns 0 with
 * *got the bytes read: fewer than len only at the end of the value, 0 if
 * off is at or past it. Never loads more of the value than asked. */
int riad_kv_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                size_t *got);

/* The SHA-256 of the value at key (dictionaries: -RIAD_EISDIR). Stores
 * that keep a digest return it without reading the value. */
int riad_kv_digest(struct riad_kv *kv, const char *key, uint8_t out[RIAD_KV_DIGEST_LEN]);

/* Call fn for each key directly below the dictionary key, in byte order of
 * the names. Returns 0, fn's non-zero return, or an error. */
int riad_kv_list(struct riad_kv *kv, const char *key, riad_kv_list_fn fn, void *arg);

/* Writable stores. set replaces the whole value (creating the key and the
 * dictionaries above it); set_partial writes len bytes at off, growing the
 * value with zeros up to off if needed; remove deletes a value or a
 * dictionary with everything below it; rename moves a value or a
 * dictionary (replacing a value at to). Read-only stores: -RIAD_EROFS. */
int riad_kv_set(struct riad_kv *kv, const char *key, const void *data, size_t len);
int riad_kv_set_partial(struct riad_kv *kv, const char *key, uint64_t off, const void *data,
                        size_t len);
int riad_kv_remove(struct riad_kv *kv, const char *key);
int riad_kv_rename(struct riad_kv *kv, const char *from, const char *to);

/* Make every change so far durable (see the top). Read-only stores: 0. */
int riad_kv_flush(struct riad_kv *kv);

/* Close a store (NULL is ignored). Does not flush. The block device below
 * stays open. */
void riad_kv_close(struct riad_kv *kv);

/* ---- Implementations ---- */

/* An empty writable store in memory (at most RIAD_KV_MEM_MAX_BYTES of
 * values). */
struct riad_kv *riad_kv_mem_open(int *err);

/* The tar archive on dev, indexed at open (ustar, pax extended headers,
 * GNU long names and base-256 numbers; at most RIAD_KV_TAR_ENTRIES
 * entries). If writable, set appends a new member after the last one (a
 * later member of the same name replaces an earlier one, as GNU tar reads
 * it) followed by new end-of-archive blocks, and flush flushes dev;
 * set_partial writes in place within a value's size and appends a grown
 * copy otherwise; remove and rename are -RIAD_ENOTSUP (docs/storage-kv.md).
 * Returns NULL with *err: -RIAD_EBADMSG (not a tar archive, or a damaged
 * header: the reason is logged on the "kv" source), -RIAD_ENOSPC (more
 * entries than the limit), -RIAD_EROFS (writable asked of a read-only
 * dev), -RIAD_EIO, -RIAD_ENOMEM. */
struct riad_kv *riad_kv_tar_open(struct riad_block *dev, bool writable, int *err);

/* What a tar store counted: at open (every member header read) and since.
 * Members skipped are not errors: the store opens without them. */
struct riad_kv_tar_stats {
	uint64_t members;      /* values and directories indexed or appended */
	uint64_t replaced;     /* hidden by a later member of the same name */
	uint64_t skipped;      /* links, devices, fifos, sparse files: no values */
	uint64_t bad_names;    /* skipped: a name that is no key ("..", too long) */
	uint64_t truncated;    /* a member running past the end of the device */
	uint64_t bad_checksum; /* open failed: a header's checksum is wrong */
	uint64_t bad_number;   /* open failed: a size field that is no number */
	uint64_t bad_pax;      /* open failed: a malformed or oversized pax header */
	uint64_t bad_chain;    /* open failed: too many extended headers in a row,
	                          or one with no member after it */
	uint64_t too_many;     /* open failed: RIAD_KV_TAR_ENTRIES,
	                          RIAD_KV_TAR_NAMES_BYTES or
	                          RIAD_KV_TAR_HEADERS_MAX reached */
	uint64_t read_errors;  /* gets that failed: past the device, or below */
};

/* riad_kv_tar_open() that also fills *stats (may be NULL) with what the
 * indexing counted, whether or not the open succeeded. */
struct riad_kv *riad_kv_tar_open_stats(struct riad_block *dev, bool writable,
                                       struct riad_kv_tar_stats *stats, int *err);

/* The counters of an open tar store: 0, or -RIAD_EINVAL if kv is no tar
 * store. */
int riad_kv_tar_stats(struct riad_kv *kv, struct riad_kv_tar_stats *out);

/* The files riad build baked into this image (riad.conf's bake lines, or
 * riad build --bake DIR). A unikernel without baked files gets an empty
 * store. Read-only. */
struct riad_kv *riad_kv_baked_open(int *err);

/* riad's writable store on dev (docs/storage-store.md). If format is true
 * an empty store is written first (everything on dev is lost). On a
 * read-only dev the store is read-only. Opening writes nothing; the first
 * change after it rewrites the superblock. Returns NULL with *err:
 * -RIAD_EBADMSG (dev holds no store, or its committed log is damaged: the
 * reason is logged on the "kv" source and counted in rejected below),
 * -RIAD_EIO, -RIAD_ENOMEM, -RIAD_EINVAL (dev smaller than 18 sectors),
 * -RIAD_ENOSPC (more keys than RIAD_KV_STORE_KEYS or
 * RIAD_KV_STORE_KEY_BYTES allow), -RIAD_EROFS (format on a read-only dev).
 * Besides the errors at the top: a set of a value larger than
 * RIAD_KV_STORE_VALUE_MAX is -RIAD_EFBIG; renaming a dictionary onto an
 * existing key is -RIAD_EEXIST; after a failed write or flush of dev, every
 * call is -RIAD_EIO until the store is opened again. */
struct riad_kv *riad_kv_store_open(struct riad_block *dev, bool format, int *err);

/* Counters of every writable store of this program since it started. */
struct riad_kv_store_stats {
	uint64_t opens;        /* successful opens */
	uint64_t rejected;     /* opens refused with -RIAD_EBADMSG (bad images) */
	uint64_t bad_sectors;  /* log sectors that failed their checks when read */
	uint64_t torn_tails;   /* opens that ignored an uncommitted end of the log */
	uint64_t formats, sets, commits, flushes, compactions;
};
void riad_kv_store_stats(struct riad_kv_store_stats *out);

#endif
