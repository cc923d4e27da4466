/* runtime/unix/block_file.c: block devices on unix: riad_block_file_open() over a file or a Linux block device (pread, pwrite, fdatasync, punched holes), and riad_block_open() by name from the --block:NAME=FILE arguments.
 *
 * As with --net:NAME=TAP (netif_args.c), a unix unikernel is its own
 * tender: riad run --block NAME=FILE passes --block:NAME=FILE, and the
 * constructor below records the words before start-up parses the command
 * line, rewriting "--block:" into "--block=" for the runtime option
 * declared here. The scan stops at "--".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/log.h>

#include "unix.h"

RIAD_LOG_SRC(block_log, "block", "Block devices and their overlays");

struct fileblk {
	struct riad_block b;
	int fd;
	const char *dev_name; /* the riad_block_open() name, or NULL */
};

static int io_error(struct fileblk *f, const char *what, int e)
{
	riad_err(block_log, "%s: %s failed: %s", f->b.name, what, strerror(e));
	return -RIAD_EIO;
}

static int file_read(struct riad_block *b, uint64_t sector, void *buf, uint64_t count)
{
	struct fileblk *f = (struct fileblk *)b;
	uint8_t *p = buf;
	uint64_t len = count * b->sector_size, off = sector * b->sector_size;
	while (len > 0) {
		b->stats.inner_ops++;
		ssize_t n = pread(f->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_error(f, "read", errno);
		if (n == 0)
			return io_error(f, "read", EIO); /* the file shrank under us */
		p += n, off += (uint64_t)n, len -= (uint64_t)n;
	}
	return 0;
}

static int file_write(struct riad_block *b, uint64_t sector, const void *buf, uint64_t count)
{
	struct fileblk *f = (struct fileblk *)b;
	const uint8_t *p = buf;
	uint64_t len = count * b->sector_size, off = sector * b->sector_size;
	while (len > 0) {
		b->stats.inner_ops++;
		ssize_t n = pwrite(f->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return io_error(f, "write", n < 0 ? errno : EIO);
		p += n, off += (uint64_t)n, len -= (uint64_t)n;
	}
	return 0;
}

static int file_flush(struct riad_block *b)
{
	struct fileblk *f = (struct fileblk *)b;
	b->stats.inner_ops++;
	if (fdatasync(f->fd) < 0)
		return io_error(f, "fdatasync", errno);
	return 0;
}

static int file_discard(struct riad_block *b, uint64_t sector, uint64_t count)
{
	struct fileblk *f = (struct fileblk *)b;
	b->stats.inner_ops++;
	/* A hint: where the file system cannot punch holes, nothing happens. */
	(void)fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	                (off_t)(sector * b->sector_size), (off_t)(count * b->sector_size));
	return 0;
}

static unsigned n_open;
static const char *open_names[RIAD_BLOCK_OPEN_MAX];

static void file_close(struct riad_block *b)
{
	struct fileblk *f = (struct fileblk *)b;
	close(f->fd);
	for (unsigned i = 0; f->dev_name && i < n_open; i++)
		if (open_names[i] == f->dev_name) {
			open_names[i] = open_names[--n_open];
			break;
		}
	free(f);
}

static const struct riad_block_ops file_ops = {
	.read = file_read,
	.write = file_write,
	.flush = file_flush,
	.discard = file_discard,
	.close = file_close,
};

static struct riad_block *fail(int *err, int e, const char *path, const char *why)
{
	riad_err(block_log, "%s: %s", path, why);
	if (err)
		*err = e;
	return NULL;
}

struct riad_block *riad_block_file_open(const char *path, bool read_only, int *err)
{
	int fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && !read_only && (errno == EACCES || errno == EROFS)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		read_only = true;
	}
	if (fd < 0)
		return fail(err, errno == ENOENT ? -RIAD_ENODEV : -RIAD_EIO, path, strerror(errno));
	struct stat st;
	uint64_t size = 0;
	uint32_t ssize = 512;
	if (fstat(fd, &st) < 0)
		goto io;
	if (S_ISBLK(st.st_mode)) {
		int lss = 0;
		if (ioctl(fd, BLKGETSIZE64, &size) < 0 || ioctl(fd, BLKSSZGET, &lss) < 0)
			goto io;
		ssize = (uint32_t)lss;
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else {
		close(fd);
		return fail(err, -RIAD_EINVAL, path, "neither a regular file nor a block device");
	}
	if (size == 0 || size % ssize) {
		close(fd);
		return fail(err, -RIAD_EINVAL, path,
		            "size is not a non-zero multiple of the 512-byte sector");
	}
	struct fileblk *f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return fail(err, -RIAD_ENOMEM, path, "out of memory");
	}
	f->fd = fd;
	riad_block_init(&f->b, &file_ops, path, size / ssize, ssize, read_only);
	return &f->b;
io:;
	int e = errno;
	close(fd);
	return fail(err, -RIAD_EIO, path, strerror(e));
}

/* ---- riad_block_open() by name: --block:NAME=FILE ---- */

#define MAX_BLOCKS 64

static const char *block_last;
static struct riad_arg block_arg = {
	.name = "block",
	.type = RIAD_ARG_TYPE_STRING,
	.flags = RIAD_ARG_RUNTIME | RIAD_ARG_REPEATABLE,
	.var = (void *)&block_last,
	.def.s = NULL,
	.doc = "NAME=FILE: attach the block device NAME to FILE, a file or block device (unix; "
	       "also written --block:NAME=FILE, as riad run --block NAME=FILE passes it).",
};
RIAD_ARG_REGISTER(block_arg);

static const char *blocks[MAX_BLOCKS]; /* NAME=FILE, in argv's memory */
static unsigned n_blocks;

__attribute__((constructor)) static void block_args_scan(int argc, char **argv, char **envp)
{
	(void)envp;
	n_blocks = riad_unix_dev_scan(argc, argv, "block", blocks, MAX_BLOCKS);
}

struct riad_block *riad_block_open(const char *name, int *err)
{
	size_t len = strlen(name);
	const char *path = riad_unix_dev_find(blocks, n_blocks, name);
	if (!path) {
		riad_err(block_log, "block device '%s' is not attached (run with --block:%s=FILE, or "
		         "riad run --block %s=FILE)", name, name, name);
		if (err)
			*err = -RIAD_ENODEV;
		return NULL;
	}
	for (unsigned i = 0; i < n_open; i++)
		if (open_names[i] == path) {
			if (err)
				*err = -RIAD_EBUSY;
			return NULL;
		}
	if (n_open >= RIAD_BLOCK_OPEN_MAX) {
		if (err)
			*err = -RIAD_ENOMEM;
		return NULL;
	}
	struct riad_block *b = riad_block_file_open(path, false, err);
	if (!b)
		return NULL;
	struct fileblk *f = (struct fileblk *)b;
	f->dev_name = path;
	open_names[n_open++] = path;
	size_t n = len < sizeof(b->name) - 1 ? len : sizeof(b->name) - 1;
	memcpy(b->name, name, n);
	b->name[n] = '\0';
	return b;
}
