/* storage/block.c: the checked requests of riad/block.h, common to every block instance. */
#include <stddef.h>
#include <string.h>

#include <riad/block.h>
#include <riad/log.h>
#include <riad/metrics.h>

#include "runtime.h"

RIAD_LOG_SRC(block_log, "block", "Block devices and their overlays");

/* The open devices whose counters riad/metrics.h shows: the first
 * BLOCK_METRICS_MAX opened (more are counted, not shown). */
#define BLOCK_METRICS_MAX 16
static struct riad_block *open_devs[BLOCK_METRICS_MAX];

static void block_metrics(struct riad_metrics_out *o)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
#define F(f) { "riad_block_" #f "_total", offsetof(struct riad_block_stats, f) }
		F(read_reqs), F(read_sectors), F(read_errors), F(write_reqs), F(write_sectors),
		F(write_errors), F(flush_reqs), F(flush_errors), F(discard_reqs), F(discard_sectors),
		F(discard_errors), F(range_errors), F(auth_errors), F(inner_ops),
#undef F
	};
	bool any = false;
	for (size_t i = 0; i < BLOCK_METRICS_MAX; i++)
		any |= open_devs[i] != NULL;
	if (!any)
		return;
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		riad_metrics_family(o, fields[f].name, "Block device counter (riad/block.h).",
		                    RIAD_METRIC_TYPE_COUNTER);
		for (size_t i = 0; i < BLOCK_METRICS_MAX; i++) {
			if (!open_devs[i])
				continue;
			struct riad_metric_label lb = { "device", open_devs[i]->name };
			riad_metrics_sample(o, &lb, 1,
			                    *(const uint64_t *)((const char *)&open_devs[i]->stats + fields[f].off));
		}
	}
}
RIAD_METRICS_COLLECTOR(block_metrics);

void riad_block_init(struct riad_block *b, const struct riad_block_ops *ops, const char *name,
                     uint64_t sectors, uint32_t sector_size, bool read_only)
{
	if (!ops || !ops->read || !ops->write || !ops->flush || !ops->close)
		riad_panic("riad_block_init: %s: incomplete ops table", name ? name : "?");
	if (sector_size < 512 || sector_size > 65536 || (sector_size & (sector_size - 1)))
		riad_panic("riad_block_init: %s: sector size %u is not a power of two in 512..65536",
		           name ? name : "?", sector_size);
	memset(b, 0, sizeof(*b));
	b->ops = ops;
	b->sectors = sectors;
	b->sector_size = sector_size;
	b->read_only = read_only;
	if (name) {
		size_t n = strlen(name);
		if (n >= sizeof(b->name))
			n = sizeof(b->name) - 1;
		memcpy(b->name, name, n);
	}
	for (size_t i = 0; i < BLOCK_METRICS_MAX; i++) {
		if (!open_devs[i]) {
			open_devs[i] = b;
			break;
		}
	}
}

/* Whether [sector, sector + count) is a non-empty range inside b. */
static bool in_range(struct riad_block *b, uint64_t sector, uint64_t count)
{
	if (count == 0 || sector >= b->sectors || count > b->sectors - sector) {
		b->stats.range_errors++;
		return false;
	}
	return true;
}

int riad_block_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	if (!buf)
		riad_panic("riad_block_read: %s: NULL buffer", b->name);
	if (!in_range(b, sector, count))
		return -RIAD_ERANGE;
	int r = b->ops->read(b, sector, buf, count);
	if (r < 0) {
		b->stats.read_errors++;
		return r;
	}
	b->stats.read_reqs++;
	b->stats.read_sectors += count;
	return 0;
}

int riad_block_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	if (!buf)
		riad_panic("riad_block_write: %s: NULL buffer", b->name);
	if (!in_range(b, sector, count))
		return -RIAD_ERANGE;
	if (b->read_only) {
		b->stats.write_errors++;
		return -RIAD_EROFS;
	}
	int r = b->ops->write(b, sector, buf, count);
	if (r < 0) {
		b->stats.write_errors++;
		return r;
	}
	b->stats.write_reqs++;
	b->stats.write_sectors += count;
	return 0;
}

int riad_block_flush(struct riad_block *b)
{
	if (b->read_only) {
		b->stats.flush_reqs++;
		return 0;
	}
	int r = b->ops->flush(b);
	if (r < 0) {
		b->stats.flush_errors++;
		return r;
	}
	b->stats.flush_reqs++;
	return 0;
}

int riad_block_discard(struct riad_block *b, uint64_t sector, uint64_t count)
{
	if (!in_range(b, sector, count))
		return -RIAD_ERANGE;
	if (b->read_only) {
		b->stats.discard_errors++;
		return -RIAD_EROFS;
	}
	int r = b->ops->discard ? b->ops->discard(b, sector, count) : 0;
	if (r < 0) {
		b->stats.discard_errors++;
		return r;
	}
	b->stats.discard_reqs++;
	b->stats.discard_sectors += count;
	return 0;
}

void riad_block_close(struct riad_block *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < BLOCK_METRICS_MAX; i++)
		if (open_devs[i] == b)
			open_devs[i] = NULL;
	b->ops->close(b);
}

void riad_block_log_stats(const struct riad_block *b)
{
	const struct riad_block_stats *s = &b->stats;
	riad_info(block_log,
	          "%s: read %llu reqs %llu sectors %llu errors; write %llu reqs %llu sectors %llu "
	          "errors; flush %llu/%llu; discard %llu/%llu; range %llu auth %llu inner %llu",
	          b->name, (unsigned long long)s->read_reqs, (unsigned long long)s->read_sectors,
	          (unsigned long long)s->read_errors, (unsigned long long)s->write_reqs,
	          (unsigned long long)s->write_sectors, (unsigned long long)s->write_errors,
	          (unsigned long long)s->flush_reqs, (unsigned long long)s->flush_errors,
	          (unsigned long long)s->discard_reqs, (unsigned long long)s->discard_errors,
	          (unsigned long long)s->range_errors, (unsigned long long)s->auth_errors,
	          (unsigned long long)s->inner_ops);
}
