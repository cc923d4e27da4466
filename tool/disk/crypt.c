/* tool/disk/crypt.c: riad disk encrypt and decrypt: plain images to and from the encryption overlay (docs/storage-crypt.md), with the overlay's own code. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <riad/block.h>
#include <riad/random.h>
#include <riad/store.h>

#include "../../storage/block_crypt.h"
#include "../../storage/block_crypt_wire.h"
#include "disk.h"
#include "runtime.h"

#define KEY_MAX 64
#define CHUNK (1u << 20)

/* ---- a file as a block device with any sector size ---- */

struct fdblk {
	struct riad_block b;
	int fd;
};

static int fd_read(struct riad_block *b, uint64_t s, void *buf, uint64_t n)
{
	struct fdblk *f = (struct fdblk *)b;
	size_t len = n * b->sector_size, done = 0;
	while (done < len) {
		ssize_t r = pread(f->fd, (char *)buf + done, len - done, (off_t)(s * b->sector_size + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -RIAD_EIO;
		done += (size_t)r;
	}
	return 0;
}

static int fd_write(struct riad_block *b, uint64_t s, const void *buf, uint64_t n)
{
	struct fdblk *f = (struct fdblk *)b;
	size_t len = n * b->sector_size, done = 0;
	while (done < len) {
		ssize_t r = pwrite(f->fd, (const char *)buf + done, len - done,
		                   (off_t)(s * b->sector_size + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -RIAD_EIO;
		done += (size_t)r;
	}
	return 0;
}

static int fd_flush(struct riad_block *b)
{
	return fdatasync(((struct fdblk *)b)->fd) < 0 ? -RIAD_EIO : 0;
}

static void fd_close(struct riad_block *b)
{
	(void)b; /* the struct lives on the caller's stack; the caller closes fd */
}

static const struct riad_block_ops fd_ops = {
	.read = fd_read, .write = fd_write, .flush = fd_flush, .close = fd_close,
};

/* ---- arguments ---- */

struct opts {
	const char *key_file, *in, *out;
	uint32_t sector_size;
};

static void usage(FILE *f, const char *cmd)
{
	bool enc = strcmp(cmd, "encrypt") == 0;
	fprintf(f,
	        "usage: riad disk %s --key-file=FILE%s IN OUT\n\n"
	        "%s\n\n"
	        "  --key-file=FILE     the key, in hex (32 to 128 hex digits: 16 to 64 bytes; 64\n"
	        "                      digits recommended), as the unikernel's boot argument takes it\n"
	        "%s"
	        "  --help              this text\n\n"
	        "OUT must not exist. Format: docs/storage-crypt.md; see also riad-disk(1).\n",
	        cmd, enc ? " [--sector-size=N]" : "",
	        enc ? "Write OUT, an image holding IN's contents under riad's authenticated-encryption\n"
	              "overlay, just large enough for them."
	            : "Write OUT, the plain contents of IN, an image under riad's authenticated-\n"
	              "encryption overlay. Every sector is authenticated: a damaged or tampered\n"
	              "sector is an error, and OUT is removed.",
	        enc ? "  --sector-size=N     the overlay's sector size: 512 (default) to 65536, a power\n"
	              "                      of two; IN's size must be a multiple of it\n"
	            : "");
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct opts *o)
{
	const char *cmd = argv[0];
	const char *pos[2];
	int npos = 0;
	o->sector_size = 512;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout, cmd);
			return 0;
		} else if (strncmp(a, "--key-file=", 11) == 0) {
			o->key_file = a + 11;
		} else if (strcmp(a, "--key-file") == 0 && i + 1 < argc) {
			o->key_file = argv[++i];
		} else if (strcmp(cmd, "encrypt") == 0 &&
		           (strncmp(a, "--sector-size=", 14) == 0 ||
		            (strcmp(a, "--sector-size") == 0 && i + 1 < argc))) {
			const char *v = a[13] == '=' ? a + 14 : argv[++i];
			char *end;
			unsigned long n = strtoul(v, &end, 10);
			if (*end || n < 512 || n > 65536 || (n & (n - 1))) {
				disk_fail(cmd, "--sector-size: '%s' is not a power of two in 512..65536", v);
				return 2;
			}
			o->sector_size = (uint32_t)n;
		} else if (a[0] == '-' && a[1]) {
			disk_fail(cmd, "unknown option '%s' (see 'riad disk %s --help')", a, cmd);
			return 2;
		} else if (npos < 2) {
			pos[npos++] = a;
		} else {
			disk_fail(cmd, "too many arguments (see 'riad disk %s --help')", cmd);
			return 2;
		}
	}
	if (!o->key_file || npos != 2) {
		disk_fail(cmd, "needs --key-file=FILE, IN and OUT (see 'riad disk %s --help')", cmd);
		return 2;
	}
	o->in = pos[0];
	o->out = pos[1];
	return -1;
}

/* The key from its file: hex digits, surrounding white space ignored. */
static int read_key(const char *cmd, const char *path, uint8_t key[KEY_MAX], size_t *len)
{
	char text[2 * KEY_MAX + 64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		disk_fail(cmd, "key file %s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	int ret = -1;
	if (n < 0) {
		disk_fail(cmd, "key file %s: %s", path, strerror(errno));
		goto out;
	}
	text[n] = 0;
	char *p = text, *e = text + n;
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	size_t digits = (size_t)(e - p);
	if (digits < 32 || digits > 2 * KEY_MAX || digits % 2) {
		disk_fail(cmd, "key file %s: the key must be 32 to 128 hex digits, an even number "
		          "(64 recommended)", path);
		goto out;
	}
	/* The same decoding as --crypt-key's (riad/store.h). */
	*e = '\0';
	if (riad_store_key_decode(p, key, len) < 0) {
		disk_fail(cmd, "key file %s: not hex (only 0-9, a-f and white space at either end)",
		          path);
		goto out;
	}
	ret = 0;
out:
	riad_wipe(text, sizeof(text));
	return ret;
}

static const char *errname(int e)
{
	switch (e) {
	case -RIAD_EIO: return "input/output error";
	case -RIAD_ENOMEM: return "out of memory";
	case -RIAD_EBADMSG: return "authentication failed";
	case -RIAD_EACCES: return "wrong key";
	case -RIAD_EINVAL: return "invalid geometry";
	default: return "error";
	}
}

static int open_file(const char *cmd, const char *path, bool create, uint64_t *size)
{
	int fd = create ? open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)
	                : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		disk_fail(cmd, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		disk_fail(cmd, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

/* Copy count sectors from src to dst; on a read error, names the sector. */
static int copy(const char *cmd, struct riad_block *src, struct riad_block *dst, const char *what)
{
	uint32_t ss = riad_block_sector_size(src);
	uint64_t n = riad_block_sectors(src), per = CHUNK / ss;
	uint8_t *buf = malloc(CHUNK);
	int r = 0;
	if (!buf) {
		disk_fail(cmd, "out of memory");
		return -1;
	}
	for (uint64_t s = 0; s < n; s += per) {
		uint64_t k = n - s < per ? n - s : per;
		if ((r = riad_block_read(src, s, buf, k)) < 0) {
			/* Find the first bad sector for the message. */
			uint64_t bad = s;
			for (uint64_t t = s; t < s + k; t++)
				if (riad_block_read(src, t, buf, 1) < 0) {
					bad = t;
					break;
				}
			disk_fail(cmd, "%s: sector %llu: %s%s", what, (unsigned long long)bad, errname(r),
			          r == -RIAD_EBADMSG ? " (damaged or tampered with)" : "");
			break;
		}
		if ((r = riad_block_write(dst, s, buf, k)) < 0) {
			disk_fail(cmd, "writing: %s", errname(r));
			break;
		}
	}
	riad_wipe(buf, CHUNK);
	free(buf);
	if (r == 0 && (r = riad_block_flush(dst)) < 0)
		disk_fail(cmd, "flushing: %s", errname(r));
	return r < 0 ? -1 : 0;
}

int disk_cmd_encrypt(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct opts o = { 0 };
	int st = parse(argc, argv, &o);
	if (st >= 0)
		return st;
	uint8_t key[KEY_MAX];
	size_t keylen = 0;
	if (read_key(cmd, o.key_file, key, &keylen) < 0)
		return 1;
	uint32_t ss = o.sector_size;
	uint64_t in_size = 0, out_size = 0;
	int in = -1, out = -1, ret = 1;
	struct fdblk fi, fo;
	struct riad_block *c = NULL;
	if ((in = open_file(cmd, o.in, false, &in_size)) < 0)
		goto done;
	if (in_size == 0 || in_size % ss) {
		disk_fail(cmd, "%s: its size (%llu bytes) is not a non-zero multiple of the %u-byte "
		          "sector", o.in, (unsigned long long)in_size, ss);
		goto done;
	}
	uint64_t inner = block_crypt_inner_sectors(in_size / ss, ss);
	if (inner == 0) {
		disk_fail(cmd, "%s: too large for the overlay", o.in);
		goto done;
	}
	if ((out = open_file(cmd, o.out, true, &out_size)) < 0)
		goto done;
	if (ftruncate(out, (off_t)(inner * ss)) < 0) {
		disk_fail(cmd, "%s: %s", o.out, strerror(errno));
		goto fail_out;
	}
	riad_random_boot();
	fi.fd = in;
	fo.fd = out;
	riad_block_init(&fi.b, &fd_ops, o.in, in_size / ss, ss, true);
	riad_block_init(&fo.b, &fd_ops, o.out, inner, ss, false);
	int e = 0;
	if (!(c = riad_block_crypt_open(&fo.b, key, keylen, true, &e))) {
		disk_fail(cmd, "%s: cannot create the overlay: %s", o.out, errname(e));
		goto fail_out;
	}
	if (copy(cmd, &fi.b, c, o.in) < 0)
		goto fail_out;
	ret = 0;
	goto done;
fail_out:
	unlink(o.out);
done:
	riad_block_close(c);
	riad_wipe(key, sizeof(key));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

int disk_cmd_decrypt(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct opts o = { 0 };
	int st = parse(argc, argv, &o);
	if (st >= 0)
		return st;
	uint8_t key[KEY_MAX];
	size_t keylen = 0;
	if (read_key(cmd, o.key_file, key, &keylen) < 0)
		return 1;
	uint64_t in_size = 0, out_size = 0;
	int in = -1, out = -1, ret = 1;
	struct fdblk fi, fo;
	struct riad_block *c = NULL;
	uint8_t h[16];
	if ((in = open_file(cmd, o.in, false, &in_size)) < 0)
		goto done;
	/* The sector size, to open the device at all; the overlay checks the
	 * whole header itself. */
	uint32_t ss = 0;
	if (pread(in, h, sizeof(h), 0) == (ssize_t)sizeof(h) && memcmp(h, CRYPT_MAGIC, 8) == 0)
		ss = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 | h[15];
	if (ss < 512 || ss > 65536 || (ss & (ss - 1)) || in_size % ss || in_size / ss < 3) {
		disk_fail(cmd, "%s: not an overlay image (no valid header)", o.in);
		goto done;
	}
	fi.fd = in;
	riad_block_init(&fi.b, &fd_ops, o.in, in_size / ss, ss, true);
	int e = 0;
	if (!(c = riad_block_crypt_open(&fi.b, key, keylen, false, &e))) {
		if (e == -RIAD_EACCES)
			disk_fail(cmd, "%s: wrong key (the header's key check does not match)", o.in);
		else if (e == -RIAD_EBADMSG)
			disk_fail(cmd, "%s: the overlay header is damaged", o.in);
		else
			disk_fail(cmd, "%s: %s", o.in, errname(e));
		goto done;
	}
	if ((out = open_file(cmd, o.out, true, &out_size)) < 0)
		goto done;
	if (ftruncate(out, (off_t)(riad_block_sectors(c) * ss)) < 0) {
		disk_fail(cmd, "%s: %s", o.out, strerror(errno));
		goto fail_out;
	}
	fo.fd = out;
	riad_block_init(&fo.b, &fd_ops, o.out, riad_block_sectors(c), ss, false);
	if (copy(cmd, c, &fo.b, o.in) < 0)
		goto fail_out;
	ret = 0;
	goto done;
fail_out:
	unlink(o.out);
done:
	riad_block_close(c);
	riad_wipe(key, sizeof(key));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}
