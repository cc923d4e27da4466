/* runtime/solo5/block_solo5.c: the block device on the solo5 targets: riad_block_open() by manifest name, over the Solo5 block calls: one block per call on Solo5's tenders, 2^k blocks per call and a real flush on riad's.
 *
 * Solo5's tenders take exactly one block per call (SOLO5-ABI.md section
 * 1), so there a request of n sectors is n calls: on hvt n exits to the
 * tender, on spt n pread64 or pwrite64. riad's tenders offer more to
 * guests that ask in their ABI1 note (abi/elf_note.h, abi/mft.h): calls of
 * 2^k blocks up to a maximum per device, and a barrier. riad_base.h hides
 * which tender this is: riad_base_block_max_blocks() is 1 and
 * riad_base_block_can_flush() false on Solo5's. A request is cut into the
 * largest power-of-two runs of blocks the tender takes.
 *
 * Flush. Without the barrier (Solo5's tenders) flush returns 0 without a
 * call: both tenders carry out a write before the call returns (hvt:
 * pwrite in the tender; spt: the guest's own pwrite64), so a write that
 * returned is in the host kernel: it survives a crash of the unikernel or
 * the tender, but not of the host until the host writes its page cache
 * back. With it, flush is fdatasync on the host file.
 *
 * Read-only: the ABI has no such flag (the tenders open the file
 * read-write or refuse to start), so the device is always writable.
 * Discard: none (the ops member is NULL, so a discard is a no-op hint).
 */
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/log.h>

#include "riad_base.h"
#include "solo5.h"

RIAD_LOG_SRC(block_log, "block", "Block devices and their overlays");

struct s5blk {
	struct riad_block b;
	solo5_handle_t h;
	uint64_t max;   /* blocks per call, a power of two */
	bool flush;     /* the tender offers a barrier */
};

/* Blocks in the next call: the largest power of two <= both. */
static uint64_t run(uint64_t left, uint64_t max)
{
	uint64_t n = max;
	while (n > left)
		n /= 2;
	return n;
}

/* Handles held open (a handle is a manifest index, below 64). */
static uint64_t open_handles;

static int s5_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct s5blk *d = (struct s5blk *)b;
	size_t bs = b->sector_size;
	uint8_t *p = buf;
	for (uint64_t i = 0, n; i < count; i += n, p += n * bs) {
		n = run(count - i, d->max);
		b->stats.inner_ops++;
		solo5_result_t r = d->max > 1 ? riad_base_block_read(d->h, (sector + i) * bs, p, n * bs)
		                              : solo5_block_read(d->h, (sector + i) * bs, p, bs);
		if (r != SOLO5_R_OK) {
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
	for (uint64_t i = 0, n; i < count; i += n, p += n * bs) {
		n = run(count - i, d->max);
		b->stats.inner_ops++;
		solo5_result_t r = d->max > 1 ? riad_base_block_write(d->h, (sector + i) * bs, p, n * bs)
		                              : solo5_block_write(d->h, (sector + i) * bs, p, bs);
		if (r != SOLO5_R_OK) {
			riad_err(block_log, "%s: write of sector %llu failed", b->name,
			         (unsigned long long)(sector + i));
			return -RIAD_EIO;
		}
	}
	return 0;
}

static int s5_flush(struct riad_block *b)
{
	struct s5blk *d = (struct s5blk *)b;
	if (!d->flush)
		return 0; /* nothing the Solo5 ABI can do: see the top of this file */
	b->stats.inner_ops++;
	if (riad_base_block_flush(d->h) != SOLO5_R_OK) {
		riad_err(block_log, "%s: flush failed", b->name);
		return -RIAD_EIO;
	}
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
	d->max = riad_base_block_max_blocks(h);
	d->flush = riad_base_block_can_flush(h);
	riad_block_init(&d->b, &s5_ops, name, info.capacity / bs, (uint32_t)bs, false);
	open_handles |= 1ull << h;
	return &d->b;
}
