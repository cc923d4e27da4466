/* tests/storage/blkcat: opens the declared block device "disk" by name (optionally a partition and a sub-range of it) and prints its geometry and the SHA-256 of its contents; --write-test writes, reads back and restores it; --read tries one request. Used by tests/storage/part.t. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/console.h>
#include <riad/devices.h>

RIAD_DEVICE_BLOCK(disk);

RIAD_ARG_STRING(part, "part", "", "Partition of the disk to open: NAME, N or type:GUID (empty: the whole disk).");
RIAD_ARG_STRING(range, "range", "", "FIRST:COUNT: only these sectors (of the partition, if one is given).");
RIAD_ARG_STRING(req, "read", "", "SECTOR:COUNT: make this one read request and print its result.");
RIAD_ARG_BOOL(write_test, "write-test", false, "Write a pattern over every sector in multi-sector requests, read it back, restore the old contents.");
RIAD_ARG_INT(chunk, "chunk", 64, "Sectors per request.");

static const char *err_name(int e)
{
	switch (-e) {
	case RIAD_ERANGE: return "ERANGE";
	case RIAD_EROFS: return "EROFS";
	case RIAD_EIO: return "EIO";
	case RIAD_ENODEV: return "ENODEV";
	case RIAD_ENOENT: return "ENOENT";
	case RIAD_EBADMSG: return "EBADMSG";
	case RIAD_ENOMEM: return "ENOMEM";
	case RIAD_EBUSY: return "EBUSY";
	case RIAD_EINVAL: return "EINVAL";
	default: return "?";
	}
}

static int parse_pair(const char *s, uint64_t *a, uint64_t *b)
{
	char *end;
	*a = strtoull(s, &end, 10);
	if (*end != ':')
		return -1;
	*b = strtoull(end + 1, &end, 10);
	return *end ? -1 : 0;
}

static int write_check(struct riad_block *b, uint8_t *buf, uint8_t *old, uint64_t n)
{
	uint32_t ss = riad_block_sector_size(b);
	uint64_t total = riad_block_sectors(b);
	for (uint64_t s = 0; s < total; s += n) {
		uint64_t c = total - s < n ? total - s : n;
		int r = riad_block_read(b, s, old, c);
		for (uint64_t i = 0; r == 0 && i < c * ss; i++)
			buf[i] = (uint8_t)((s * ss + i) * 31 + 7);
		if (r == 0)
			r = riad_block_write(b, s, buf, c);
		if (r == 0)
			memset(buf, 0, c * ss), r = riad_block_read(b, s, buf, c);
		for (uint64_t i = 0; r == 0 && i < c * ss; i++)
			if (buf[i] != (uint8_t)((s * ss + i) * 31 + 7)) {
				riad_console_printf("write-test: sector %llu reads back wrong\n",
				                    (unsigned long long)(s + i / ss));
				return 1;
			}
		if (r == 0)
			r = riad_block_write(b, s, old, c);
		if (r < 0) {
			riad_console_printf("write-test: sector %llu: %s\n", (unsigned long long)s,
			                    err_name(r));
			return 1;
		}
	}
	int r = riad_block_flush(b);
	if (r < 0) {
		riad_console_printf("write-test: flush: %s\n", err_name(r));
		return 1;
	}
	riad_console_printf("write-test: ok\n");
	return 0;
}

int main(void)
{
	int err = 0;
	struct riad_block *disk = riad_block_open("disk", &err), *top;
	if (!disk) {
		riad_console_printf("open disk: %s\n", err_name(err));
		return 2;
	}
	top = disk;
	struct riad_block *p = NULL, *r = NULL;
	if (*part) {
		p = riad_block_part_open(disk, part, &err);
		if (!p) {
			const struct riad_block_part_stats *ps = riad_block_part_stats();
			riad_console_printf("open partition %s: %s\n", part, err_name(err));
			riad_console_printf("part-stats: no_table %llu bad_header %llu bad_crc %llu outside "
			                    "%llu overlap %llu chain %llu limit %llu not_found %llu "
			                    "io_errors %llu\n",
			                    (unsigned long long)ps->no_table, (unsigned long long)ps->bad_header,
			                    (unsigned long long)ps->bad_crc, (unsigned long long)ps->outside,
			                    (unsigned long long)ps->overlap, (unsigned long long)ps->chain,
			                    (unsigned long long)ps->limit, (unsigned long long)ps->not_found,
			                    (unsigned long long)ps->io_errors);
			return 3;
		}
		top = p;
	}
	if (*range) {
		uint64_t first, count;
		if (parse_pair(range, &first, &count) < 0) {
			riad_console_printf("--range: not FIRST:COUNT\n");
			return 64;
		}
		r = riad_block_range_open(top, first, count, false, &err);
		if (!r) {
			riad_console_printf("open range %s: %s\n", range, err_name(err));
			return 3;
		}
		top = r;
	}
	uint32_t ss = riad_block_sector_size(top);
	uint64_t n = chunk > 0 ? (uint64_t)chunk : 1;
	uint8_t *buf = malloc(n * ss), *old = malloc(n * ss);
	if (!buf || !old)
		return 4;
	int status = 0;
	if (*req) {
		uint64_t s, c;
		if (parse_pair(req, &s, &c) < 0 || c > n) {
			riad_console_printf("--read: not SECTOR:COUNT with COUNT <= --chunk\n");
			return 64;
		}
		uint64_t calls = riad_block_stats(disk)->inner_ops;
		int e = riad_block_read(top, s, buf, c);
		calls = riad_block_stats(disk)->inner_ops - calls;
		riad_console_printf("read %llu:%llu: %s (%llu calls below)\n", (unsigned long long)s,
		                    (unsigned long long)c, e == 0 ? "ok" : err_name(e),
		                    (unsigned long long)calls);
		status = e == 0 ? 0 : 5;
	} else if (write_test) {
		status = write_check(top, buf, old, n);
	}
	if (!*req) {
		br_sha256_context h;
		br_sha256_init(&h);
		uint64_t total = riad_block_sectors(top);
		for (uint64_t s = 0; s < total && status == 0; s += n) {
			uint64_t c = total - s < n ? total - s : n;
			int e = riad_block_read(top, s, buf, c);
			if (e < 0) {
				riad_console_printf("read sector %llu: %s\n", (unsigned long long)s,
				                    err_name(e));
				status = 5;
				break;
			}
			br_sha256_update(&h, buf, c * ss);
		}
		uint8_t out[32];
		br_sha256_out(&h, out);
		char hex[65];
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", out[i]);
		if (status == 0)
			riad_console_printf("size %llu sectors %llu sector-size %u sha256 %s\n",
			                    (unsigned long long)(total * ss), (unsigned long long)total,
			                    (unsigned)ss, hex);
	}
	const struct riad_block_stats *st = riad_block_stats(disk);
	riad_console_printf("disk: %llu read reqs, %llu write reqs, %llu calls below\n",
	                    (unsigned long long)st->read_reqs, (unsigned long long)st->write_reqs,
	                    (unsigned long long)st->inner_ops);
	riad_block_close(r);
	riad_block_close(p);
	riad_block_close(disk);
	free(buf);
	free(old);
	return status;
}
