/* storage/block_mem.c: riad_block_mem_open(), a block device in memory (tests, scratch space). */
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>

struct memblk {
	struct riad_block b;
	uint8_t *data;
};

static int mem_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct memblk *m = (struct memblk *)b;
	memcpy(buf, m->data + sector * b->sector_size, count * b->sector_size);
	return 0;
}

static int mem_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct memblk *m = (struct memblk *)b;
	memmove(m->data + sector * b->sector_size, buf, count * b->sector_size);
	return 0;
}

static int mem_flush(struct riad_block *b)
{
	(void)b;
	return 0;
}

static int mem_discard(struct riad_block *b, uint64_t sector, uint64_t count)
{
	struct memblk *m = (struct memblk *)b;
	memset(m->data + sector * b->sector_size, 0, count * b->sector_size);
	return 0;
}

static void mem_close(struct riad_block *b)
{
	struct memblk *m = (struct memblk *)b;
	free(m->data);
	free(m);
}

static const struct riad_block_ops mem_ops = {
	.read = mem_read,
	.write = mem_write,
	.flush = mem_flush,
	.discard = mem_discard,
	.close = mem_close,
};

struct riad_block *riad_block_mem_open(uint64_t sectors, uint32_t sector_size, int *err)
{
	int e = -RIAD_EINVAL;
	if (sector_size < 512 || sector_size > 65536 || (sector_size & (sector_size - 1)) ||
	    sectors == 0 || sectors > SIZE_MAX / sector_size)
		goto fail;
	e = -RIAD_ENOMEM;
	struct memblk *m = calloc(1, sizeof(*m));
	if (!m)
		goto fail;
	m->data = calloc(sectors, sector_size);
	if (!m->data) {
		free(m);
		goto fail;
	}
	riad_block_init(&m->b, &mem_ops, "mem", sectors, sector_size, false);
	return &m->b;
fail:
	if (err)
		*err = e;
	return NULL;
}
