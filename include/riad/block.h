/* riad/block.h: block devices and their overlays, an instance interface.
 *
 * A unikernel may hold several block devices and stack overlays on them (a
 * partition of a disk, an encrypted view of a partition, a store on top),
 * so a block device is an explicit instance, struct riad_block, not a
 * link-time singleton (DESIGN.md sections 2 and 8). Callers use the inline
 * riad_block_*() wrappers below and never touch the ops table. Every
 * implementation takes zero or one instance below it and is one itself, so
 * instances stack without knowing each other:
 *
 *	riad_block_open()          a device declared with RIAD_DEVICE_BLOCK, by
 *	                           name (unix: the file or device given with
 *	                           --block:NAME=FILE; hvt, spt: the Solo5 block
 *	                           device the tender attached)
 *	riad_block_file_open()     a file or block device by path (unix only)
 *	riad_block_mem_open()      memory (tests, scratch space)
 *	riad_block_fault_wrap()    seeded fault injection over any other (tests)
 *	riad_block_range_open()    a sub-range of any other
 *	riad_block_part_open()     a GPT or MBR partition of any other
 *	riad_block_crypt_open()    authenticated encryption over any other
 *
 * Sectors. A device is an array of riad_block_sectors() sectors of
 * riad_block_sector_size() bytes each (a power of two, 512 to 65536). Every
 * request names a first sector and a count of whole sectors; the buffer
 * holds count * sector_size bytes and needs no alignment. A write of one
 * sector is atomic with respect to a crash of the unikernel (it reads back
 * whole old or whole new); a write of several sectors may be torn between
 * sectors. riad_block_flush() is the barrier: every write that returned
 * before it was called is durable when it returns 0.
 *
 * Errors are values, never a crash. Each function returns 0 or a negative
 * RIAD_E* value:
 *	-RIAD_ERANGE     the request reaches outside the device (or count is 0,
 *	                 or sector + count overflows); nothing was done
 *	-RIAD_EROFS      a write or discard on a read-only device
 *	-RIAD_EIO        the device below failed; the range's contents are
 *	                 unknown (a write may have happened in part)
 *	-RIAD_EBADMSG    an overlay found a sector that fails its
 *	                 authentication or integrity check (riad_block_crypt)
 *	-RIAD_ENOTSUP    the device cannot do this (discard on a device that
 *	                 has none is not an error: it returns 0 and does
 *	                 nothing, since discarding is only a hint)
 *	-RIAD_ENOMEM     an overlay could not allocate its working memory
 * Every error is also counted in the device's struct riad_block_stats.
 * Misuse (a NULL ops member, a NULL buffer) is a programmer error and
 * aborts the unikernel with a message.
 *
 * Blocking. Requests may park the calling fiber (riad/fiber.h) while the
 * device works; they never return -RIAD_EAGAIN. Several fibers may use one
 * device; each request is carried out whole before the next one starts, in
 * the order the requests were made.
 *
 * Ownership. The caller owns every buffer; a device never keeps a pointer
 * to it after the call returns. An overlay does not own the device below
 * it: closing the overlay leaves the inner device open, and the inner
 * device must outlive every overlay on it.
 */
#ifndef RIAD_BLOCK_H
#define RIAD_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/errno.h>
#include <riad/opt.h>

/* Longest name (riad_block_name()), including the terminating NUL. */
#define RIAD_BLOCK_NAME_MAX 64

/* Per-device counters. Sectors count whole sectors of this device. A
 * request is counted in exactly one of *_reqs or *_errors. Counters only
 * grow. */
struct riad_block_stats {
	uint64_t read_reqs, read_sectors, read_errors;
	uint64_t write_reqs, write_sectors, write_errors;
	uint64_t flush_reqs, flush_errors;
	uint64_t discard_reqs, discard_sectors, discard_errors;
	uint64_t range_errors;  /* requests refused with -RIAD_ERANGE */
	uint64_t auth_errors;   /* sectors that failed authentication */
	uint64_t inner_ops;     /* requests this device made of the one below
	                           (overlays; the raw device: calls made to the
	                           target, e.g. Solo5 calls or system calls) */
};

struct riad_block;

/* The ops table of an implementation. Each member is called only with a
 * request already checked against the device's geometry and read-only flag
 * by the wrappers below (sector + count within the device, count > 0), so
 * implementations do not check again. discard may be NULL (no discard).
 * close frees the instance and never fails. */
struct riad_block_ops {
	int (*read)(struct riad_block *b, uint64_t sector, void *buf, uint64_t count);
	int (*write)(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count);
	int (*flush)(struct riad_block *b);
	int (*discard)(struct riad_block *b, uint64_t sector, uint64_t count);
	void (*close)(struct riad_block *b);
};

/* The common head of every instance; an implementation embeds it first and
 * fills it with riad_block_init(). Callers only read it through the
 * functions below. */
struct riad_block {
	const struct riad_block_ops *ops;
	uint64_t sectors;
	uint32_t sector_size;
	bool read_only;
	char name[RIAD_BLOCK_NAME_MAX];
	struct riad_block_stats stats;
};

/* Fill the head of a new instance. Aborts (programmer error) if ops lacks
 * read, write, flush or close, or sector_size is not a power of two in
 * 512..65536. name is copied, truncated to fit. */
void riad_block_init(struct riad_block *b, const struct riad_block_ops *ops, const char *name,
                     uint64_t sectors, uint32_t sector_size, bool read_only);

/* The checked requests, as described at the top of this file. */
int riad_block_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count);
int riad_block_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count);
int riad_block_flush(struct riad_block *b);
int riad_block_discard(struct riad_block *b, uint64_t sector, uint64_t count);

/* Close an instance (NULL is ignored). Overlays must be closed before the
 * device below them. Does not flush: flush first to make writes durable. */
void riad_block_close(struct riad_block *b);

static inline uint64_t riad_block_sectors(const struct riad_block *b) { return b->sectors; }
static inline uint32_t riad_block_sector_size(const struct riad_block *b) { return b->sector_size; }
static inline bool riad_block_read_only(const struct riad_block *b) { return b->read_only; }
static inline const char *riad_block_name(const struct riad_block *b) { return b->name; }
static inline const struct riad_block_stats *riad_block_stats(const struct riad_block *b)
{
	return &b->stats;
}

/* Log one line of b's counters at info level (the "block" log source). */
void riad_block_log_stats(const struct riad_block *b);

/* ---- Devices ---- */

/* Open the block device declared as name (RIAD_DEVICE_BLOCK(name)). On
 * unix it is the file or block device given with --block:NAME=FILE (riad
 * run --block NAME=FILE passes it), opened read-write, or read-only if the
 * file is; on hvt and spt, the Solo5 block device the tender attached.
 * Returns NULL with *err set (err may be NULL): -RIAD_ENODEV if no device
 * of that name is attached, -RIAD_EIO if it cannot be opened, -RIAD_ENOMEM.
 * Each name may be opened once at a time (-RIAD_EBUSY otherwise). */
struct riad_block *riad_block_open(const char *name, int *err);

/* Unix target only: the file or Linux block device at path, with 512-byte
 * sectors (a block device: its logical sector size). Opened read-write
 * unless read_only, or read-only when the file cannot be written. Returns
 * NULL with *err: -RIAD_ENODEV (no such file), -RIAD_EINVAL (not a regular
 * file or block device, or its size is not a non-zero multiple of the
 * sector size), -RIAD_EIO, -RIAD_ENOMEM; the reason is logged. */
struct riad_block *riad_block_file_open(const char *path, bool read_only, int *err);

/* A new device of sectors * sector_size bytes of memory, zero-filled.
 * Returns NULL with *err = -RIAD_ENOMEM or -RIAD_EINVAL (bad geometry). */
struct riad_block *riad_block_mem_open(uint64_t sectors, uint32_t sector_size, int *err);

/* ---- Overlays ---- */

/* The sectors [first, first + count) of inner as a device of their own,
 * sector 0 being inner's sector first. Nothing outside the range can be
 * reached through it. Read-only if inner is, or if read_only. Returns NULL
 * with *err = -RIAD_ERANGE if the range is empty or not inside inner. */
struct riad_block *riad_block_range_open(struct riad_block *inner, uint64_t first,
                                         uint64_t count, bool read_only, int *err);

/* A partition of inner, found in its partition table (GPT, with its
 * protective MBR, CRC-checked primary header and the backup header when the
 * primary is damaged; or MBR with extended partitions). spec is one of:
 *	NAME        the GPT partition whose name (UTF-16 in the table) is NAME
 *	N           the Nth partition, counted from 1 in table order (GPT
 *	            entries in order; MBR: 1-4 primary, 5.. logical)
 *	type:GUID   the first GPT partition of that type GUID
 *	            (e.g. type:0FC63DAF-8483-4772-8E79-3D69D8477DE4)
 *	type:XX     the first MBR partition of that type, two hex digits
 *	            (e.g. type:83)
 * Returns NULL with *err: -RIAD_ENOENT (no such partition), -RIAD_EBADMSG
 * (no valid table: bad signature or CRC, entries outside the disk or
 * overlapping; the reason is logged on the "block" source), -RIAD_EIO.
 * Every table read and every reason to reject one is counted in
 * riad_block_part_stats(). docs/storage-block.md has the details. */
struct riad_block *riad_block_part_open(struct riad_block *inner, const char *spec, int *err);

/* Counters of the partition-table reader, for the whole unikernel (a
 * table belongs to no one device). A rejected table is counted under the
 * reason that rejected it; a damaged GPT header is counted even when the
 * backup then serves. Counters only grow. */
struct riad_block_part_stats {
	uint64_t gpt_tables, mbr_tables; /* tables read and accepted */
	uint64_t gpt_backup_used;        /* the primary GPT was damaged, the backup served */
	uint64_t no_table;               /* no MBR signature (no table at all) */
	uint64_t bad_header;             /* a GPT header or MBR entry that is malformed */
	uint64_t bad_crc;                /* a GPT header or entry array failing its CRC32 */
	uint64_t outside;                /* an entry or array outside the disk or usable range */
	uint64_t overlap;                /* two partitions overlap */
	uint64_t chain;                  /* an MBR logical chain: bad EBR, loop, too long */
	uint64_t limit;                  /* more than riad/opt.h's RIAD_PART_* allow */
	uint64_t not_found;              /* a valid table without the partition asked for */
	uint64_t io_errors;              /* the device below failed a read */
};
const struct riad_block_part_stats *riad_block_part_stats(void);

/* Authenticated encryption over inner (format: docs/storage-crypt.md). The
 * device it returns is smaller than inner (the rest holds the format's
 * header and per-sector tags) and has inner's sector size. key is keylen
 * bytes (32 recommended, 16 to 64 allowed). If inner holds no overlay yet
 * and format is true, one is created (all sectors read back as zeros);
 * otherwise inner must hold one made with this key: -RIAD_EBADMSG if its
 * header is not one, -RIAD_EACCES if the key is wrong. Every sector read
 * that fails authentication returns -RIAD_EBADMSG and is counted in
 * auth_errors. Returns NULL with *err set on failure. */
struct riad_block *riad_block_crypt_open(struct riad_block *inner, const uint8_t *key,
                                         size_t keylen, bool format, int *err);

/* ---- Fault injection (tests) ---- */

/* What riad_block_fault_wrap() does. Requests are numbered from 1 per kind,
 * counting reads and writes separately. 0 disables each fault. */
struct riad_block_faults {
	uint64_t fail_read;        /* the Nth read returns -RIAD_EIO */
	uint64_t fail_write;       /* the Nth write returns -RIAD_EIO, writing nothing */
	bool sticky;               /* and every one after it (a dead disk) */
	uint64_t torn_write;       /* the Nth write writes only its first
	                              torn_sectors sectors, then returns -RIAD_EIO
	                              and every later write is dropped (a crash) */
	uint64_t torn_sectors;
	uint64_t flip_sector;      /* reads of this sector see one bit flipped: */
	uint32_t flip_bit;         /* bit flip_bit of the sector (0 = first byte's
	                              lowest bit); active when flip_enable */
	bool flip_enable;
};

/* Wrap inner in a fault injector that does what f says; everything else
 * passes through. The wrapper does not own inner. */
struct riad_block *riad_block_fault_wrap(struct riad_block *inner,
                                         const struct riad_block_faults *f, int *err);

#endif
