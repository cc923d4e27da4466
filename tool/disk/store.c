/* tool/disk/store.c: riad disk format, ls, get and put: riad's writable store (docs/storage-store.md) on an image file or device, with the store code the unikernels run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/block.h>
#include <riad/kv.h>
#include <riad/log.h>

#include "disk.h"

static const char *why(int r)
{
	switch (-r) {
	case RIAD_ENOENT: return "no such key";
	case RIAD_EISDIR: return "it is a dictionary";
	case RIAD_ENOTDIR: return "the path goes through a value";
	case RIAD_EBADMSG: return "not a riad store, or a damaged one";
	case RIAD_ENOSPC: return "the store is full";
	case RIAD_EFBIG: return "the value is too large for the store";
	case RIAD_EINVAL: return "invalid (a malformed key, or an image too small)";
	case RIAD_ENAMETOOLONG: return "the key is too long";
	case RIAD_EROFS: return "the image is read-only";
	case RIAD_ENODEV: return "no such file";
	case RIAD_ENOMEM: return "out of memory";
	case RIAD_EEXIST: return "already exists";
	case RIAD_EIO: return "input/output error";
	default: return "failed";
	}
}

static int help(int argc, char **argv, const char *usage, const char *text)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: riad disk %s %s\n\n%s", argv[0], usage, text);
			return 1;
		}
	}
	return 0;
}

/* Check the argument count; an unknown option is a usage error too. */
static int args_ok(int argc, char **argv, int min, int max, const char *usage)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			disk_fail(argv[0], "unknown option '%s' (usage: riad disk %s %s)", argv[i],
			          argv[0], usage);
			return 0;
		}
	if (argc - 1 < min || argc - 1 > max) {
		disk_fail(argv[0], "expected %s (see 'riad disk %s --help')", usage, argv[0]);
		return 0;
	}
	return 1;
}

/* The store on image; NULL after printing the one line. */
static struct riad_kv *open_image(const char *cmd, const char *image, bool ro, bool fmt,
                                  struct riad_block **dev)
{
	/* The storage code logs on the console, which is stdout: keep stdout
	 * for values and say what went wrong in one line of our own. */
	riad_log_set_level(NULL, RIAD_LOG_QUIET);
	int err = 0;
	*dev = riad_block_file_open(image, ro, &err);
	if (!*dev) {
		if (err == -RIAD_EINVAL)
			disk_fail(cmd, "%s: not a regular file or block device whose size is a "
			          "non-zero multiple of 512 bytes", image);
		else
			disk_fail(cmd, "%s: %s", image, err == -RIAD_ENODEV ? "no such file" :
			          strerror(errno ? errno : EIO));
		return NULL;
	}
	if (!ro && !fmt && riad_block_read_only(*dev)) {
		disk_fail(cmd, "%s: the image is read-only", image);
		riad_block_close(*dev);
		return NULL;
	}
	struct riad_kv *kv = riad_kv_store_open(*dev, fmt, &err);
	if (!kv) {
		if (err == -RIAD_EINVAL)
			disk_fail(cmd, "%s: too small for a store (at least 18 sectors of %u bytes)",
			          image, riad_block_sector_size(*dev));
		else
			disk_fail(cmd, "%s: %s", image, why(err));
		riad_block_close(*dev);
		return NULL;
	}
	return kv;
}

static void close_image(struct riad_kv *kv, struct riad_block *dev)
{
	riad_kv_close(kv);
	riad_block_close(dev);
}

int disk_cmd_format(int argc, char **argv)
{
	static const char usage[] = "IMAGE";
	if (help(argc, argv, usage,
	         "Write an empty writable store on IMAGE, an existing file or block device;\n"
	         "its size is the store's (half of it holds data, the rest is room for\n"
	         "compaction). Everything on IMAGE is lost.\n"))
		return 0;
	if (!args_ok(argc, argv, 1, 1, usage))
		return 2;
	struct riad_block *dev;
	struct riad_kv *kv = open_image(argv[0], argv[1], false, true, &dev);
	if (!kv)
		return 1;
	close_image(kv, dev);
	return 0;
}

static int print_entry(void *arg, const char *name, enum riad_kv_type type)
{
	(void)arg;
	printf("%s%s\n", name, type == RIAD_KV_DICT ? "/" : "");
	return ferror(stdout) ? -RIAD_EIO : 0;
}

int disk_cmd_ls(int argc, char **argv)
{
	static const char usage[] = "IMAGE [PATH]";
	if (help(argc, argv, usage,
	         "List the keys directly below the dictionary PATH (default: the root) of\n"
	         "the store on IMAGE, one a line in byte order; dictionaries end with '/'.\n"))
		return 0;
	if (!args_ok(argc, argv, 1, 2, usage))
		return 2;
	const char *path = argc > 2 ? argv[2] : "";
	struct riad_block *dev;
	struct riad_kv *kv = open_image(argv[0], argv[1], true, false, &dev);
	if (!kv)
		return 1;
	int r = riad_kv_list(kv, path, print_entry, NULL);
	if (r < 0)
		disk_fail(argv[0], "%s: %s", *path ? path : "/", why(r));
	close_image(kv, dev);
	return r < 0 || fflush(stdout) != 0 ? 1 : 0;
}

int disk_cmd_get(int argc, char **argv)
{
	static const char usage[] = "IMAGE PATH";
	if (help(argc, argv, usage,
	         "Write the value at PATH in the store on IMAGE to standard output.\n"))
		return 0;
	if (!args_ok(argc, argv, 2, 2, usage))
		return 2;
	struct riad_block *dev;
	struct riad_kv *kv = open_image(argv[0], argv[1], true, false, &dev);
	if (!kv)
		return 1;
	static char buf[64 * 1024];
	uint64_t off = 0;
	int r;
	for (;;) {
		size_t got = 0;
		r = riad_kv_get(kv, argv[2], off, buf, sizeof(buf), &got);
		if (r < 0 || got == 0)
			break;
		if (fwrite(buf, 1, got, stdout) != got) {
			disk_fail(argv[0], "writing to standard output: %s", strerror(errno));
			close_image(kv, dev);
			return 1;
		}
		off += got;
	}
	if (r < 0)
		disk_fail(argv[0], "%s: %s", argv[2], why(r));
	close_image(kv, dev);
	return r < 0 || fflush(stdout) != 0 ? 1 : 0;
}

/* The whole of f in memory (values are set whole). */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	char *b = malloc(cap);
	while (b) {
		size_t k = fread(b + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
		if (n == cap) {
			if (cap >= RIAD_KV_STORE_VALUE_MAX + 1) {
				errno = EFBIG;
				free(b);
				return NULL;
			}
			char *nb = realloc(b, cap * 2);
			if (!nb)
				free(b);
			b = nb, cap *= 2;
		}
	}
	if (b && ferror(f)) {
		free(b);
		return NULL;
	}
	*len = n;
	return b;
}

int disk_cmd_put(int argc, char **argv)
{
	static const char usage[] = "IMAGE PATH FILE";
	if (help(argc, argv, usage,
	         "Set the value at PATH in the store on IMAGE to the contents of FILE ('-':\n"
	         "standard input), creating the dictionaries above it, and flush: when it\n"
	         "exits 0 the value is on IMAGE for good.\n"))
		return 0;
	if (!args_ok(argc, argv, 3, 3, usage))
		return 2;
	FILE *f = strcmp(argv[3], "-") == 0 ? stdin : fopen(argv[3], "rb");
	if (!f) {
		disk_fail(argv[0], "%s: %s", argv[3], strerror(errno));
		return 1;
	}
	size_t len = 0;
	char *data = slurp(f, &len);
	int e = errno;
	if (f != stdin)
		fclose(f);
	if (!data) {
		disk_fail(argv[0], "%s: %s", argv[3], strerror(e));
		return 1;
	}
	struct riad_block *dev;
	struct riad_kv *kv = open_image(argv[0], argv[1], false, false, &dev);
	if (!kv) {
		free(data);
		return 1;
	}
	int r = riad_kv_set(kv, argv[2], data, len);
	if (r == 0)
		r = riad_kv_flush(kv);
	if (r < 0)
		disk_fail(argv[0], "%s: %s", argv[2], why(r));
	free(data);
	close_image(kv, dev);
	return r < 0 ? 1 : 0;
}
