/* storage/block_fault.c: riad_block_fault_wrap(), seeded-by-number fault injection over any block device (SQLite's test VFS, for sectors). */
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>

struct faultblk {
	struct riad_block b;
	struct riad_block *inner;
	struct riad_block_faults f;
	uint64_t reads, writes;
	bool read_dead, write_dead, crashed;
};

static int fault_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct faultblk *w = (struct faultblk *)b;
	w->reads++;
	if (w->read_dead || (w->f.fail_read && w->reads == w->f.fail_read)) {
		if (w->f.sticky)
			w->read_dead = true;
		return -RIAD_EIO;
	}
	b->stats.inner_ops++;
	int r = riad_block_read(w->inner, sector, buf, count);
	if (r < 0)
		return r;
	if (w->f.flip_enable && w->f.flip_sector >= sector && w->f.flip_sector - sector < count &&
	    w->f.flip_bit / 8 < b->sector_size) {
		uint8_t *s = (uint8_t *)buf + (w->f.flip_sector - sector) * b->sector_size;
		s[w->f.flip_bit / 8] ^= (uint8_t)(1u << (w->f.flip_bit % 8));
	}
	return 0;
}

static int fault_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct faultblk *w = (struct faultblk *)b;
	w->writes++;
	if (w->crashed)
		return -RIAD_EIO;
	if (w->f.torn_write && w->writes == w->f.torn_write) {
		uint64_t n = w->f.torn_sectors < count ? w->f.torn_sectors : count;
		if (n) {
			b->stats.inner_ops++;
			(void)riad_block_write(w->inner, sector, buf, n);
		}
		w->crashed = true;
		return -RIAD_EIO;
	}
	if (w->write_dead || (w->f.fail_write && w->writes == w->f.fail_write)) {
		if (w->f.sticky)
			w->write_dead = true;
		return -RIAD_EIO;
	}
	b->stats.inner_ops++;
	return riad_block_write(w->inner, sector, buf, count);
}

static int fault_flush(struct riad_block *b)
{
	struct faultblk *w = (struct faultblk *)b;
	if (w->crashed)
		return -RIAD_EIO;
	b->stats.inner_ops++;
	return riad_block_flush(w->inner);
}

static int fault_discard(struct riad_block *b, uint64_t sector, uint64_t count)
{
	struct faultblk *w = (struct faultblk *)b;
	if (w->crashed)
		return -RIAD_EIO;
	b->stats.inner_ops++;
	return riad_block_discard(w->inner, sector, count);
}

static void fault_close(struct riad_block *b)
{
	free(b);
}

static const struct riad_block_ops fault_ops = {
	.read = fault_read,
	.write = fault_write,
	.flush = fault_flush,
	.discard = fault_discard,
	.close = fault_close,
};

struct riad_block *riad_block_fault_wrap(struct riad_block *inner,
                                         const struct riad_block_faults *f, int *err)
{
	struct faultblk *w = calloc(1, sizeof(*w));
	if (!w) {
		if (err)
			*err = -RIAD_ENOMEM;
		return NULL;
	}
	riad_block_init(&w->b, &fault_ops, inner->name, inner->sectors, inner->sector_size,
	                inner->read_only);
	w->inner = inner;
	if (f)
		w->f = *f;
	return &w->b;
}
