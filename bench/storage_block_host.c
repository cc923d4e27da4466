/* bench/storage_block_host.c: the baseline of bench/storage_block.sh: the same requests as bench/storage_block/main.c, made by a Linux program with pread and pwrite on the same file. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s FILE read|write seq|rand SIZE BYTES\n", argv[0]);
		return 64;
	}
	int wr = strcmp(argv[2], "write") == 0, rnd = strcmp(argv[3], "rand") == 0;
	uint64_t size = strtoull(argv[4], NULL, 10), bytes = strtoull(argv[5], NULL, 10);
	int fd = open(argv[1], wr ? O_RDWR : O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || size == 0) {
		perror(argv[1]);
		return 2;
	}
	uint64_t slots = (uint64_t)st.st_size / size, reqs = bytes / size;
	uint8_t *buf = aligned_alloc(4096, size); /* as bench/storage_block/main.c */
	if (!buf || slots == 0)
		return 4;
	memset(buf, 0x5a, size);
	uint64_t x = 0x9E3779B97F4A7C15ull;
	int64_t t0 = now();
	for (uint64_t i = 0; i < reqs; i++) {
		uint64_t slot;
		if (rnd) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			slot = x % slots;
		} else {
			slot = i % slots;
		}
		ssize_t n = wr ? pwrite(fd, buf, size, (off_t)(slot * size))
		               : pread(fd, buf, size, (off_t)(slot * size));
		if (n != (ssize_t)size) {
			perror("request");
			return 5;
		}
	}
	int64_t t1 = now();
	printf("RESULT ns=%lld reqs=%llu calls=%llu\n", (long long)(t1 - t0), (unsigned long long)reqs,
	       (unsigned long long)reqs);
	return 0;
}
