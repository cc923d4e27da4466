/* bench/storage_block: the unikernel side of bench/storage_block.sh: timed reads or writes of one request size, sequential or random, through riad's block API on the declared device "disk". */
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/console.h>
#include <riad/devices.h>
#include <riad/time.h>

RIAD_DEVICE_BLOCK(disk);

RIAD_ARG_STRING(op, "op", "read", "read or write.");
RIAD_ARG_STRING(pattern, "pattern", "seq", "seq or rand.");
RIAD_ARG_INT(size, "size", 65536, "Bytes per request (a multiple of the sector size).");
RIAD_ARG_INT(bytes, "bytes", 64 << 20, "Bytes to move in all.");

int main(void)
{
	int err = 0;
	struct riad_block *b = riad_block_open("disk", &err);
	if (!b) {
		riad_console_printf("open disk: %d\n", err);
		return 2;
	}
	uint32_t ss = riad_block_sector_size(b);
	if (size <= 0 || size % ss || bytes < size) {
		riad_console_printf("--size must be a multiple of %u, --bytes at least --size\n", ss);
		return 64;
	}
	uint64_t per = (uint64_t)size / ss, slots = riad_block_sectors(b) / per;
	uint64_t reqs = (uint64_t)bytes / (uint64_t)size;
	bool wr = strcmp(op, "write") == 0, rnd = strcmp(pattern, "rand") == 0;
	/* Page-aligned in both programs: the host kernel's copy to or from the
	 * page cache is up to 40% slower into a buffer 16 bytes off a page
	 * (where malloc puts a 64 KiB block) on this machine. */
	uint8_t *buf = aligned_alloc(4096, (size_t)size);
	if (!buf || slots == 0)
		return 4;
	memset(buf, 0x5a, (size_t)size);
	/* the same offsets as bench/storage_block_host.c: xorshift64 */
	uint64_t x = 0x9E3779B97F4A7C15ull, calls = b->stats.inner_ops;
	int64_t t0 = riad_time_ns();
	for (uint64_t i = 0; i < reqs; i++) {
		uint64_t slot;
		if (rnd) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			slot = x % slots;
		} else {
			slot = i % slots;
		}
		int r = wr ? riad_block_write(b, slot * per, buf, per) : riad_block_read(b, slot * per, buf, per);
		if (r < 0) {
			riad_console_printf("request %llu: error %d\n", (unsigned long long)i, r);
			return 5;
		}
	}
	int64_t t1 = riad_time_ns();
	calls = b->stats.inner_ops - calls;
	riad_console_printf("RESULT ns=%lld reqs=%llu calls=%llu\n", (long long)(t1 - t0),
	                    (unsigned long long)reqs, (unsigned long long)calls);
	riad_block_close(b);
	free(buf);
	return 0;
}
