/* runtime/solo5/block_solo5.c: the block device on the solo5 targets: riad_block_open() by manifest name, over solo5_block_read/solo5_block_write, one block per call.
 *
 * Every Solo5 tender (Solo5's and riad's) takes exactly one block per call
 * (SOLO5-ABI.md section 1), so a request of n sectors is n calls; on hvt
 * each is one exit to the tender, on spt one pread64 or pwrite64. The
 * device's sector is the Solo5 block_size.
 *
 * Flush. The Solo5 ABI has no flush and no barrier. Both tenders carry out
 * a write before the call returns (hvt: pwrite in the tender; spt: the
 * guest's own pwrite64), so a write that returned is in the host kernel:
 * it survives a crash of the unikernel or the tender, but not of the host,
 * until the host writes its page cache back. riad_block_flush() therefore
 * returns 0 without a call; docs/storage-block.md says so.
 *
 * Read-only: the ABI has no such flag (the tenders open the file
 * read-write or refuse to start), so the device is always writable.
 * Discard: none (the ops member is NULL, so a discard is a no-op hint).
 */
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/log.h>

#include "solo5.h"

RIAD_LOG_SRC(block_log, "block", "Block devices and their overlays");

struct s5blk {
	struct riad_block b;
	solo5_handle_t h;
};

/* Handles held open (a handle is a manifest index, below 64). */
static uint64_t open_handles;

static int s5_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct s5blk *d = (struct s5blk *)b;
	size_t bs = b->sector_size;
	uint8_t *p = buf;
	for (uint64_t i = 0; i < count; i++, p += bs) {
		b->stats.inner_ops++;
		if (solo5_block_read(d->h, (sector + i) * bs, p, bs) != SOLO5_R_OK) {
			riad_err(block_log, "%s: read of sector %llu failed", b->name,
			         (unsigned long long)(sector + i));
			return -RIAD_EIO;
		}
	}
	return 0;
}

static int s5_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct s5blk *d = (struct s5blk *)b;
	size_t bs = b->sector_size;
	const uint8_t *p = buf;
	for (uint64_t i = 0; i < count; i++, p += bs) {
		b->stats.inner_ops++;
		if (solo5_block_write(d->h, (sector + i) * bs, p, bs) != SOLO5_R_OK) {
			riad_err(block_log, "%s: write of sector %llu failed", b->name,
			         (unsigned long long)(sector + i));
			return -RIAD_EIO;
		}
	}
	return 0;
}

static int s5_flush(struct riad_block *b)
{
	(void)b; /* nothing the Solo5 ABI can do: see the top of this file */
	return 0;
}

static void s5_close(struct riad_block *b)
{
	struct s5blk *d = (struct s5blk *)b;
	open_handles &= ~(1ull << d->h);
	free(d);
}

static const struct riad_block_ops s5_ops = {
	.read = s5_read,
	.write = s5_write,
	.flush = s5_flush,
	.discard = NULL,
	.close = s5_close,
};

static struct riad_block *fail(int *err, int e)
{
	if (err)
		*err = e;
	return NULL;
}

struct riad_block *riad_block_open(const char *name, int *err)
{
	solo5_handle_t h;
	struct solo5_block_info info;
	if (solo5_block_acquire(name, &h, &info) != SOLO5_R_OK) {
		riad_err(block_log, "block device '%s' is not in the manifest or not attached "
		         "(declare it with RIAD_DEVICE_BLOCK(%s); attach it with riad run --block %s=FILE)",
		         name, name, name);
		return fail(err, -RIAD_ENODEV);
	}
	if (h >= 64 || (open_handles & (1ull << h)))
		return fail(err, -RIAD_EBUSY);
	uint64_t bs = info.block_size;
	if (bs < 512 || bs > 65536 || (bs & (bs - 1)) || info.capacity < bs || info.capacity % bs) {
		riad_err(block_log, "%s: unusable geometry from the tender: block size %llu, "
		         "capacity %llu", name, (unsigned long long)bs,
		         (unsigned long long)info.capacity);
		return fail(err, -RIAD_EIO);
	}
	struct s5blk *d = calloc(1, sizeof(*d));
	if (!d)
		return fail(err, -RIAD_ENOMEM);
	d->h = h;
	riad_block_init(&d->b, &s5_ops, name, info.capacity / bs, (uint32_t)bs, false);
	open_handles |= 1ull << h;
	return &d->b;
}
