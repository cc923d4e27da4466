/* storage/block_range.c: riad_block_range_open(), a sub-range of any block device as a device of its own (also what a partition is). */
#include <stdlib.h>

#include <riad/block.h>

#include "part.h"

struct rangeblk {
	struct riad_block b;
	struct riad_block *inner;
	uint64_t first;
};

/* The wrappers in block.c have checked sector + count against this
 * device's size, which lies inside inner, so first + sector cannot leave
 * the range (nor overflow: first + sectors <= inner's sectors). */

static int range_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct rangeblk *r = (struct rangeblk *)b;
	b->stats.inner_ops++;
	return riad_block_read(r->inner, r->first + sector, buf, count);
}

static int range_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct rangeblk *r = (struct rangeblk *)b;
	b->stats.inner_ops++;
	return riad_block_write(r->inner, r->first + sector, buf, count);
}

static int range_flush(struct riad_block *b)
{
	struct rangeblk *r = (struct rangeblk *)b;
	b->stats.inner_ops++;
	return riad_block_flush(r->inner);
}

static int range_discard(struct riad_block *b, uint64_t sector, uint64_t count)
{
	struct rangeblk *r = (struct rangeblk *)b;
	b->stats.inner_ops++;
	return riad_block_discard(r->inner, r->first + sector, count);
}

static void range_close(struct riad_block *b)
{
	free(b);
}

static const struct riad_block_ops range_ops = {
	.read = range_read,
	.write = range_write,
	.flush = range_flush,
	.discard = range_discard,
	.close = range_close,
};

struct riad_block *part_range_open(struct riad_block *inner, uint64_t first, uint64_t count,
                                   bool read_only, const char *name, int *err)
{
	if (count == 0 || first >= inner->sectors || count > inner->sectors - first) {
		if (err)
			*err = -RIAD_ERANGE;
		return NULL;
	}
	struct rangeblk *r = calloc(1, sizeof(*r));
	if (!r) {
		if (err)
			*err = -RIAD_ENOMEM;
		return NULL;
	}
	riad_block_init(&r->b, &range_ops, name, count, inner->sector_size,
	                read_only || inner->read_only);
	r->inner = inner;
	r->first = first;
	return &r->b;
}

struct riad_block *riad_block_range_open(struct riad_block *inner, uint64_t first,
                                         uint64_t count, bool read_only, int *err)
{
	return part_range_open(inner, first, count, read_only, inner->name, err);
}
