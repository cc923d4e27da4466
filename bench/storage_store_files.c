/* bench/storage_store_files.c: the baseline of bench/storage_store.sh: COUNT values of LEN bytes written as files in DIR, each with write and fdatasync (the file's data and size, not the directory), then read back whole (open, read, close) in the bench unikernel's order; prints the rates as the unikernel does. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: storage_store_files DIR COUNT LEN\n");
		return 2;
	}
	int count = atoi(argv[2]);
	size_t len = (size_t)atol(argv[3]);
	char *v = malloc(len + 1), path[4096];
	if (!v || count <= 0)
		return 2;
	for (size_t i = 0; i < len; i++)
		v[i] = (char)('a' + i % 26);
	double t0 = now();
	for (int i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/k%d", argv[1], i);
		v[0] = (char)('a' + i % 26);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, v, len) != (ssize_t)len || fdatasync(fd) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	double t1 = now();
	for (int i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/k%d", argv[1], (int)(((long long)i * 7919) % count));
		int fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, v, len + 1) != (ssize_t)len) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	double t2 = now();
	printf("BENCH sets_per_s=%.0f gets_per_s=%.0f\n", count / (t1 - t0), count / (t2 - t1));
	return 0;
}
