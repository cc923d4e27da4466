/* tests/storage/kvtar_tool.c: a host program that opens a tar image through riad_block_file_open and riad_kv_tar_open, for tests/storage/tar.t and bench/storage_tar.sh.
 *
 *   kvtar-tool check IMAGE DIR        every regular file below DIR is a value
 *                                     of the same bytes, and the store holds
 *                                     no other value
 *   kvtar-tool ls IMAGE               every key, "V SIZE MTIME KEY" or "D KEY"
 *   kvtar-tool get IMAGE KEY [OFF LEN]  a value (or part) to stdout
 *   kvtar-tool stats IMAGE            the store's counters
 *   kvtar-tool put IMAGE KEY FILE     append FILE's bytes as KEY, flush
 *   kvtar-tool time IMAGE KEY RUNS    open and get KEY RUNS times; print the
 *                                     median, min and max of each, in us (the
 *                                     open also in CPU time of the process)
 */
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <riad/block.h>
#include <riad/kv.h>
#include <riad/log.h>

static struct riad_block *dev;
static struct riad_kv *kv;

static int open_image(const char *path, bool writable)
{
	int err = 0;
	dev = riad_block_file_open(path, !writable, &err);
	if (!dev) {
		fprintf(stderr, "kvtar-tool: %s: cannot open: %d\n", path, err);
		return -1;
	}
	kv = riad_kv_tar_open(dev, writable, &err);
	if (!kv) {
		fprintf(stderr, "kvtar-tool: %s: not opened as a tar store: %d\n", path, err);
		return -1;
	}
	return 0;
}

static void close_image(void)
{
	riad_kv_close(kv);
	riad_block_close(dev);
}

/* ---- walking the store ---- */

static long values_seen;

struct walk {
	char key[RIAD_KV_KEY_MAX + 1];
	int (*on_value)(const char *key);
	bool print;
};

static int walk_dir(struct walk *w);

static int walk_one(void *arg, const char *name, enum riad_kv_type type)
{
	struct walk *w = arg;
	size_t kl = strlen(w->key), nl = strlen(name);
	if (kl + 1 + nl > RIAD_KV_KEY_MAX)
		return -RIAD_ENAMETOOLONG;
	char *save = strdup(w->key);
	if (kl)
		w->key[kl++] = '/';
	memcpy(w->key + kl, name, nl + 1);
	int r = 0;
	if (type == RIAD_KV_DICT) {
		if (w->print)
			printf("D %s\n", w->key);
		r = walk_dir(w);
	} else {
		values_seen++;
		if (w->print) {
			struct riad_kv_stat st;
			r = riad_kv_stat(kv, w->key, &st);
			printf("V %" PRIu64 " %" PRId64 " %s\n", st.size, st.mtime_ns / 1000000000, w->key);
		}
		if (r == 0 && w->on_value)
			r = w->on_value(w->key);
	}
	strcpy(w->key, save);
	free(save);
	return r;
}

static int walk_dir(struct walk *w)
{
	return riad_kv_list(kv, w->key, walk_one, w);
}

/* ---- check ---- */

static size_t dir_len;
static long files_seen, mismatches;

static int compare_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_F || !S_ISREG(sb->st_mode))
		return 0;
	const char *key = path + dir_len;
	files_seen++;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 1;
	uint64_t size = 0;
	int r = riad_kv_size(kv, key, &size);
	if (r < 0 || size != (uint64_t)sb->st_size) {
		fprintf(stderr, "check: %s: size %" PRIu64 " (%d), file has %lld\n", key, size, r,
		        (long long)sb->st_size);
		mismatches++;
		fclose(f);
		return 0;
	}
	static uint8_t a[65536], b[65536];
	uint64_t off = 0;
	for (;;) {
		size_t n = fread(a, 1, sizeof(a), f), got = 0;
		r = riad_kv_get(kv, key, off, b, sizeof(b), &got);
		if (r < 0 || got != n || memcmp(a, b, n) != 0) {
			fprintf(stderr, "check: %s: bytes differ near %" PRIu64 " (%d)\n", key, off, r);
			mismatches++;
			break;
		}
		if (n == 0)
			break;
		off += n;
	}
	fclose(f);
	return 0;
}

static int cmd_check(const char *img, const char *dir)
{
	if (open_image(img, false) < 0)
		return 1;
	dir_len = strlen(dir);
	while (dir_len > 1 && dir[dir_len - 1] == '/')
		dir_len--;
	dir_len++; /* and the '/' after it */
	if (nftw(dir, compare_file, 16, FTW_PHYS) != 0) {
		fprintf(stderr, "check: cannot walk %s\n", dir);
		return 1;
	}
	struct walk *w = calloc(1, sizeof(*w));
	int r = walk_dir(w);
	free(w);
	printf("check: %ld files, %ld values in the store, %ld mismatches (list: %d)\n", files_seen,
	       values_seen, mismatches, r);
	close_image();
	return mismatches || r || values_seen != files_seen;
}

/* ---- the rest ---- */

static int cmd_get(const char *img, const char *key, uint64_t off, uint64_t len)
{
	if (open_image(img, false) < 0)
		return 1;
	static uint8_t buf[65536];
	int status = 0;
	while (len > 0) {
		size_t got = 0;
		int r = riad_kv_get(kv, key, off, buf, len < sizeof(buf) ? len : sizeof(buf), &got);
		if (r < 0) {
			fprintf(stderr, "kvtar-tool: get %s at %" PRIu64 ": %d\n", key, off, r);
			status = 1;
			break;
		}
		if (got == 0)
			break;
		fwrite(buf, 1, got, stdout);
		off += got, len -= got;
	}
	close_image();
	return status;
}

static int cmd_put(const char *img, const char *key, const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	uint8_t *d = malloc(n ? (size_t)n : 1);
	if (!d || fread(d, 1, (size_t)n, f) != (size_t)n)
		return 1;
	fclose(f);
	if (open_image(img, true) < 0)
		return 1;
	int r = riad_kv_set(kv, key, d, (size_t)n);
	if (r == 0)
		r = riad_kv_flush(kv);
	free(d);
	close_image();
	if (r < 0)
		fprintf(stderr, "kvtar-tool: put %s: %d\n", key, r);
	return r < 0;
}

static int cmd_stats(const char *img)
{
	int err = 0;
	dev = riad_block_file_open(img, true, &err);
	if (!dev)
		return 1;
	struct riad_kv_tar_stats st;
	kv = riad_kv_tar_open_stats(dev, false, &st, &err);
	printf("open %d members %" PRIu64 " replaced %" PRIu64 " skipped %" PRIu64
	       " bad_names %" PRIu64 " truncated %" PRIu64 " bad_checksum %" PRIu64
	       " bad_number %" PRIu64 " bad_pax %" PRIu64 " bad_chain %" PRIu64 "\n",
	       kv ? 0 : err, st.members, st.replaced, st.skipped, st.bad_names, st.truncated,
	       st.bad_checksum, st.bad_number, st.bad_pax, st.bad_chain);
	riad_kv_close(kv);
	riad_block_close(dev);
	return 0;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmd_time(const char *img, const char *key, int runs)
{
	int64_t *o = calloc((size_t)runs, sizeof(*o)), *g = calloc((size_t)runs, sizeof(*g));
	int64_t *c = calloc((size_t)runs, sizeof(*c));
	static uint8_t buf[1 << 20];
	for (int i = 0; i < runs; i++) {
		int64_t t0 = now_ns(), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		if (open_image(img, false) < 0)
			return 1;
		int64_t t1 = now_ns();
		c[i] = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
		size_t got = 0;
		if (riad_kv_get(kv, key, 0, buf, sizeof(buf), &got) < 0)
			return 1;
		int64_t t2 = now_ns();
		o[i] = t1 - t0, g[i] = t2 - t1;
		close_image();
	}
	qsort(o, (size_t)runs, sizeof(*o), cmp_i64);
	qsort(g, (size_t)runs, sizeof(*g), cmp_i64);
	qsort(c, (size_t)runs, sizeof(*c), cmp_i64);
	printf("open_us median %.1f min %.1f max %.1f\n", o[runs / 2] / 1e3, o[0] / 1e3,
	       o[runs - 1] / 1e3);
	printf("open_cpu_us median %.1f min %.1f max %.1f\n", c[runs / 2] / 1e3, c[0] / 1e3,
	       c[runs - 1] / 1e3);
	printf("get_us median %.1f min %.1f max %.1f\n", g[runs / 2] / 1e3, g[0] / 1e3,
	       g[runs - 1] / 1e3);
	free(o);
	free(g);
	free(c);
	return 0;
}

int main(int argc, char **argv)
{
	riad_log_set_level("kv", RIAD_LOG_QUIET);
	riad_log_set_level("block", RIAD_LOG_QUIET);
	if (argc == 4 && strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "ls") == 0) {
		if (open_image(argv[2], false) < 0)
			return 1;
		struct walk *w = calloc(1, sizeof(*w));
		w->print = true;
		int r = walk_dir(w);
		free(w);
		close_image();
		return r != 0;
	}
	if (argc == 4 && strcmp(argv[1], "get") == 0)
		return cmd_get(argv[2], argv[3], 0, UINT64_MAX);
	if (argc == 6 && strcmp(argv[1], "get") == 0)
		return cmd_get(argv[2], argv[3], strtoull(argv[4], NULL, 0), strtoull(argv[5], NULL, 0));
	if (argc == 3 && strcmp(argv[1], "stats") == 0)
		return cmd_stats(argv[2]);
	if (argc == 5 && strcmp(argv[1], "put") == 0)
		return cmd_put(argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "time") == 0)
		return cmd_time(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: kvtar-tool check|ls|get|stats|put|time IMAGE ...\n");
	return 2;
}
