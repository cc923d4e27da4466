/* tool/bake/main.c: riad-bake, run by riad build: walks the directories to bake and writes the image of storage/kv_baked_wire.h and the assembler source that links it in. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl.h>

#include <riad/kv.h>
#include <riad/opt.h>

#include "../../storage/kv_baked_wire.h"

/*
 * usage: riad-bake OUT DIR[:PREFIX]...
 *
 * Writes OUT.img (the image), OUT.S (assembler that defines
 * riad_kv_baked_image by .incbin of OUT.img) and OUT.deps (every directory
 * walked and file read, each followed by a NUL: riad run rebuilds when one
 * is newer than the unikernel). The image depends only on the keys and the
 * bytes of the files, and on SOURCE_DATE_EPOCH (the mtime of every value;
 * unset: 0, unknown): not on the order of directories, the files' own
 * times, or where the directories are. Errors: one line on stderr, exit 2.
 */

struct file {
	char *key;
	size_t key_len;
	char *path;       /* as reached from the DIR given */
	const char *spec; /* the DIR it came from, for messages */
	uint64_t size;
	uint8_t sha[32];
	size_t blob;      /* index in blobs */
};

struct blob {
	uint64_t off;     /* from the image's start */
	uint64_t size;
	const uint8_t *sha;
	const struct file *from;
};

static struct file *files;
static char *out_dir; /* the real path of OUT's directory */
static const char *tmps[3]; /* what die() removes */
static size_t nfiles, files_cap;
static FILE *deps;

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("riad: build: bake: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	for (int i = 0; i < 3; i++)
		if (tmps[i])
			unlink(tmps[i]);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* A path or key for a one-line message: control bytes shown as '?'. */
static const char *shown(const char *s)
{
	static char buf[4][512];
	static int slot;
	char *out = buf[slot++ % 4];
	size_t i;
	for (i = 0; s[i] && i < sizeof(buf[0]) - 4; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (s[i]) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = xmalloc(la + lb + 2);
	memcpy(s, a, la);
	size_t n = la;
	if (la && lb)
		s[n++] = '/';
	memcpy(s + n, b, lb + 1);
	return s;
}

static void dep(const char *path)
{
	fputs(path, deps);
	fputc('\0', deps);
}

/* SHA-256 and size of the file at path. */
static void hash_file(const char *path, uint8_t sha[32], uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot read %s: %s", shown(path), strerror(errno));
	br_sha256_context c;
	br_sha256_init(&c);
	uint8_t buf[65536];
	uint64_t total = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		br_sha256_update(&c, buf, n);
		total += n;
	}
	if (ferror(f))
		die("cannot read %s: %s", shown(path), strerror(errno));
	fclose(f);
	br_sha256_out(&c, sha);
	*size = total;
}

static void add_file(const char *key, const char *path, const char *spec)
{
	if (nfiles == RIAD_KV_BAKED_FILES_MAX)
		die("more than %d files to bake (RIAD_KV_BAKED_FILES_MAX)", RIAD_KV_BAKED_FILES_MAX);
	if (nfiles == files_cap) {
		files_cap = files_cap ? 2 * files_cap : 256;
		files = realloc(files, files_cap * sizeof(*files));
		if (!files)
			die("out of memory");
	}
	struct file *f = &files[nfiles++];
	f->key = strdup(key);
	f->path = strdup(path);
	if (!f->key || !f->path)
		die("out of memory");
	f->key_len = strlen(key);
	f->spec = spec;
	hash_file(path, f->sha, &f->size);
}

/* Whether the real path p is root or below it. */
static bool is_inside(const char *p, const char *root)
{
	size_t rl = strlen(root);
	if (rl == 1)
		return true; /* root is "/" */
	return strncmp(p, root, rl) == 0 && (p[rl] == '/' || p[rl] == '\0');
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Bake everything below the directory path (root: its real path) under
 * the key prefix key ("" for none). */
static void walk(const char *path, const char *key, const char *root, const char *spec)
{
	DIR *d = opendir(path);
	if (!d)
		die("cannot read the directory %s: %s", shown(path), strerror(errno));
	dep(path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				die("out of memory");
		}
		names[n] = strdup(de->d_name);
		if (!names[n++])
			die("out of memory");
	}
	if (errno)
		die("cannot read the directory %s: %s", shown(path), strerror(errno));
	closedir(d);
	/* Only for the order of messages: the image is sorted by key anyway. */
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *p = join(path, names[i]);
		char *k = join(key, names[i]);
		if (strlen(names[i]) > RIAD_KV_NAME_MAX)
			die("%s: the name is longer than %d bytes", shown(p), RIAD_KV_NAME_MAX);
		if (strlen(k) > RIAD_KV_KEY_MAX)
			die("%s: its key is longer than %d bytes", shown(p), RIAD_KV_KEY_MAX);
		struct stat st;
		if (lstat(p, &st) != 0)
			die("cannot stat %s: %s", shown(p), strerror(errno));
		if (S_ISLNK(st.st_mode)) {
			dep(p);
			char *real = realpath(p, NULL);
			if (!real)
				die("%s: a symbolic link that leads nowhere (%s)", shown(p), strerror(errno));
			if (!is_inside(real, root))
				die("%s: a symbolic link that leaves %s", shown(p), shown(spec));
			if (stat(real, &st) != 0)
				die("cannot stat %s: %s", shown(p), strerror(errno));
			if (S_ISDIR(st.st_mode))
				die("%s: a symbolic link to a directory (only links to files are baked)",
				    shown(p));
			if (!S_ISREG(st.st_mode))
				die("%s: leads to a special file (only regular files are baked)", shown(p));
			dep(real);
			add_file(k, p, spec);
			free(real);
		} else if (S_ISDIR(st.st_mode)) {
			walk(p, k, root, spec);
		} else if (S_ISREG(st.st_mode)) {
			dep(p);
			add_file(k, p, spec);
		} else {
			die("%s: a special file (only regular files and directories are baked)",
			    shown(p));
		}
		free(p);
		free(k);
		free(names[i]);
	}
	free(names);
}

static void bake_spec(char *spec)
{
	char *dir = spec, *prefix = "";
	char *colon = strchr(spec, ':');
	if (colon) {
		*colon = '\0';
		prefix = colon + 1;
	}
	if (!*dir)
		die("'%s': no directory before the ':'", shown(spec));
	char key[RIAD_KV_KEY_MAX + 1];
	/* riad_kv_key_normalise's rules, without linking the library. */
	size_t plen = strlen(prefix);
	if (*prefix == '/')
		prefix++, plen--;
	if (plen && prefix[plen - 1] == '/')
		plen--;
	if (plen > RIAD_KV_KEY_MAX)
		die("prefix '%s' is too long", shown(prefix));
	memcpy(key, prefix, plen);
	key[plen] = '\0';
	for (char *seg = key; plen;) {
		char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || n > RIAD_KV_NAME_MAX || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			die("prefix '%s' is not a key (segments of 1 to %d bytes, not '.' or '..')",
			    shown(prefix), RIAD_KV_NAME_MAX);
		if (!end)
			break;
		seg = end + 1;
	}
	struct stat st;
	if (stat(dir, &st) != 0)
		die("%s: %s", shown(dir), strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die("%s is not a directory", shown(dir));
	char *root = realpath(dir, NULL);
	if (!root)
		die("%s: %s", shown(dir), strerror(errno));
	if (is_inside(out_dir, root))
		die("%s holds riad build's own output (%s): bake a directory beside it", shown(dir),
		    shown(out_dir));
	/* Paths are joined onto dir as given: strip its trailing slashes. */
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dir[--dl] = '\0';
	walk(dir, key, root, dir);
	free(root);
}

static int file_key_cmp(const void *a, const void *b)
{
	const struct file *x = a, *y = b;
	return riad_baked_key_cmp(x->key, x->key_len, y->key, y->key_len);
}

static size_t *by_sha;

static bool same_content(const struct file *x, const struct file *y)
{
	return x->size == y->size && memcmp(x->sha, y->sha, 32) == 0;
}

static int sha_cmp(const void *a, const void *b)
{
	const struct file *x = &files[*(const size_t *)a], *y = &files[*(const size_t *)b];
	int r = memcmp(x->sha, y->sha, 32);
	if (r == 0 && x->size != y->size)
		r = x->size < y->size ? -1 : 1;
	/* Ties in key order (files are sorted by then), the first first. */
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	return r ? r : (i > j) - (i < j);
}

static uint64_t align_up(uint64_t v)
{
	return (v + RIAD_BAKED_ALIGN - 1) & ~(uint64_t)(RIAD_BAKED_ALIGN - 1);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void xwrite(FILE *f, const void *p, size_t n, const char *path)
{
	if (n && fwrite(p, 1, n, f) != n)
		die("cannot write %s: %s", shown(path), strerror(errno));
}

static void zeros(FILE *f, uint64_t n, const char *path)
{
	static const uint8_t z[RIAD_BAKED_ALIGN];
	while (n > 0) {
		size_t k = n < sizeof(z) ? (size_t)n : sizeof(z);
		xwrite(f, z, k, path);
		n -= k;
	}
}

/* Copy the file into the image, checking it is still what was hashed. */
static void copy_file(FILE *out, const struct file *fl, const char *outpath)
{
	FILE *f = fopen(fl->path, "rb");
	if (!f)
		die("cannot read %s: %s", shown(fl->path), strerror(errno));
	br_sha256_context c;
	br_sha256_init(&c);
	uint8_t buf[65536], sha[32];
	uint64_t total = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		br_sha256_update(&c, buf, n);
		xwrite(out, buf, n, outpath);
		total += n;
	}
	if (ferror(f))
		die("cannot read %s: %s", shown(fl->path), strerror(errno));
	fclose(f);
	br_sha256_out(&c, sha);
	if (total != fl->size || memcmp(sha, fl->sha, 32) != 0)
		die("%s changed while it was being baked", shown(fl->path));
}

static int64_t mtime_ns(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (!s || !*s)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX / 1000000000 - 9) / 10)
			die("SOURCE_DATE_EPOCH '%s' is not a number of seconds since 1970", shown(s));
		v = v * 10 + (*p - '0');
	}
	return v * 1000000000;
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		die("cannot create %s: %s", shown(path), strerror(errno));
	return f;
}

static void close_out(FILE *f, const char *tmp, const char *path)
{
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0)
		die("cannot write %s: %s", shown(tmp), strerror(errno));
	if (rename(tmp, path) != 0)
		die("cannot rename %s: %s", shown(tmp), strerror(errno));
}

static char *with_ext(const char *base, const char *ext)
{
	size_t n = strlen(base) + strlen(ext) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s", base, ext);
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		die("usage: riad-bake OUT DIR[:PREFIX]...");
	const char *out = argv[1];
	char *img = with_ext(out, ".img"), *img_tmp = with_ext(out, ".img.tmp");
	char *asm_ = with_ext(out, ".S"), *asm_tmp = with_ext(out, ".S.tmp");
	char *dps = with_ext(out, ".deps"), *dps_tmp = with_ext(out, ".deps.tmp");
	int64_t mtime = mtime_ns();
	char *slash = strrchr(out, '/');
	char *od = slash ? strndup(out, (size_t)(slash - out)) : strdup(".");
	if (!od || !(out_dir = realpath(*od ? od : "/", NULL)))
		die("cannot find the directory of %s", shown(out));
	free(od);
	tmps[0] = dps_tmp;
	tmps[1] = img_tmp;
	tmps[2] = asm_tmp;
	deps = open_out(dps_tmp);
	for (int i = 2; i < argc; i++)
		bake_spec(argv[i]);

	qsort(files, nfiles, sizeof(*files), file_key_cmp);
	for (size_t i = 0; i + 1 < nfiles; i++) {
		const struct file *a = &files[i], *b = &files[i + 1];
		if (a->key_len == b->key_len && !memcmp(a->key, b->key, a->key_len))
			die("'%s' is baked twice: from %s and from %s", shown(a->key), shown(a->path),
			    shown(b->path));
		if (b->key_len > a->key_len && b->key[a->key_len] == '/' &&
		    !memcmp(a->key, b->key, a->key_len))
			die("'%s' is both a file (%s) and a directory (%s)", shown(a->key),
			    shown(a->path), shown(b->path));
	}

	/* Deduplicate: one blob per distinct content, in the order of the
	 * first key that has it. */
	by_sha = xmalloc(nfiles * sizeof(*by_sha));
	for (size_t i = 0; i < nfiles; i++)
		by_sha[i] = i;
	qsort(by_sha, nfiles, sizeof(*by_sha), sha_cmp);
	for (size_t j = 0, first = 0; j < nfiles; j++) {
		if (j == 0 || !same_content(&files[by_sha[j - 1]], &files[by_sha[j]]))
			first = by_sha[j];
		files[by_sha[j]].blob = first; /* for now: the file whose bytes it shares */
	}
	struct blob *blobs = xmalloc(nfiles * sizeof(*blobs));
	size_t nblobs = 0;
	size_t *blob_of_file = xmalloc(nfiles * sizeof(*blob_of_file));
	uint64_t names_size = 0, distinct = 0;
	for (size_t i = 0; i < nfiles; i++) {
		names_size += files[i].key_len + 1;
		if (files[i].blob == i) {
			blobs[nblobs] = (struct blob){ 0, files[i].size, files[i].sha, &files[i] };
			blob_of_file[i] = nblobs++;
			distinct += files[i].size;
			if (distinct > RIAD_KV_BAKED_BYTES_MAX)
				die("more than %llu bytes to bake (RIAD_KV_BAKED_BYTES_MAX)",
				    (unsigned long long)RIAD_KV_BAKED_BYTES_MAX);
		} else {
			blob_of_file[i] = blob_of_file[files[i].blob];
		}
	}

	uint64_t entries_off = sizeof(struct riad_baked_header);
	uint64_t names_off = entries_off + (uint64_t)nfiles * sizeof(struct riad_baked_entry);
	uint64_t data_off = align_up(names_off + names_size), end = data_off;
	for (size_t b = 0; b < nblobs; b++) {
		blobs[b].off = align_up(end);
		end = blobs[b].off + blobs[b].size;
	}

	FILE *f = open_out(img_tmp);
	uint8_t h[sizeof(struct riad_baked_header)] = { 0 };
	memcpy(h, RIAD_BAKED_MAGIC, 8);
	put_le(h + offsetof(struct riad_baked_header, version), RIAD_BAKED_VERSION, 4);
	put_le(h + offsetof(struct riad_baked_header, count), nfiles, 4);
	put_le(h + offsetof(struct riad_baked_header, entries_off), entries_off, 8);
	put_le(h + offsetof(struct riad_baked_header, names_off), names_off, 8);
	put_le(h + offsetof(struct riad_baked_header, names_size), names_size, 8);
	put_le(h + offsetof(struct riad_baked_header, data_off), data_off, 8);
	put_le(h + offsetof(struct riad_baked_header, data_size), end - data_off, 8);
	put_le(h + offsetof(struct riad_baked_header, image_size), end, 8);
	xwrite(f, h, sizeof(h), img_tmp);
	uint64_t key_off = 0;
	for (size_t i = 0; i < nfiles; i++) {
		uint8_t e[sizeof(struct riad_baked_entry)] = { 0 };
		put_le(e + offsetof(struct riad_baked_entry, data_off), blobs[blob_of_file[i]].off, 8);
		put_le(e + offsetof(struct riad_baked_entry, size), files[i].size, 8);
		put_le(e + offsetof(struct riad_baked_entry, mtime_ns), (uint64_t)mtime, 8);
		put_le(e + offsetof(struct riad_baked_entry, key_off), key_off, 4);
		put_le(e + offsetof(struct riad_baked_entry, key_len), files[i].key_len, 4);
		memcpy(e + offsetof(struct riad_baked_entry, sha256), files[i].sha, 32);
		xwrite(f, e, sizeof(e), img_tmp);
		key_off += files[i].key_len + 1;
	}
	for (size_t i = 0; i < nfiles; i++)
		xwrite(f, files[i].key, files[i].key_len + 1, img_tmp);
	uint64_t pos = names_off + names_size;
	for (size_t b = 0; b < nblobs; b++) {
		zeros(f, blobs[b].off - pos, img_tmp);
		copy_file(f, blobs[b].from, img_tmp);
		pos = blobs[b].off + blobs[b].size;
	}
	zeros(f, end - pos, img_tmp); /* nothing baked: up to data_off */
	close_out(f, img_tmp, img);

	f = open_out(asm_tmp);
	fprintf(f,
	        "/* Generated by riad build: the files baked into the unikernel, the image of\n"
	        " * storage/kv_baked_wire.h in %s; do not edit. */\n"
	        "\t.section .rodata.riad_kv_baked,\"a\",@progbits\n"
	        "\t.balign %d\n"
	        "\t.globl riad_kv_baked_image\n"
	        "\t.type riad_kv_baked_image, @object\n"
	        "riad_kv_baked_image:\n"
	        "\t.incbin \"",
	        img, RIAD_BAKED_ALIGN);
	for (const char *p = img; *p; p++) {
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			fprintf(f, "\\%03o", (unsigned char)*p);
		else
			fputc(*p, f);
	}
	fprintf(f, "\"\n"
	           "\t.size riad_kv_baked_image, . - riad_kv_baked_image\n"
	           "\t.section .note.GNU-stack,\"\",@progbits\n");
	close_out(f, asm_tmp, asm_);
	close_out(deps, dps_tmp, dps);
	printf("%zu files, %zu distinct, %llu bytes\n", nfiles, nblobs, (unsigned long long)distinct);
	return 0;
}
