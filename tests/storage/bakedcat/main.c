/* tests/storage/bakedcat: prints "FILE SHA256 SIZE MTIME_NS KEY" for every value of the baked store, the digest computed from the bytes read (riad_kv_get) and checked against the stored one; then "FILES N" and SUCCESS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>

#include <riad/kv.h>

struct names {
	char **name;
	enum riad_kv_type *type;
	size_t n, cap;
};

static int add(void *arg, const char *name, enum riad_kv_type type)
{
	struct names *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->name = realloc(l->name, l->cap * sizeof(*l->name));
		l->type = realloc(l->type, l->cap * sizeof(*l->type));
		if (!l->name || !l->type)
			return -RIAD_ENOMEM;
	}
	l->name[l->n] = strdup(name);
	if (!l->name[l->n])
		return -RIAD_ENOMEM;
	l->type[l->n++] = type;
	return 0;
}

static long files;

static int show(struct riad_kv *kv, const char *key)
{
	static unsigned char buf[4096];
	br_sha256_context c;
	br_sha256_init(&c);
	uint64_t off = 0;
	for (;;) {
		size_t got = 0;
		int r = riad_kv_get(kv, key, off, buf, sizeof(buf), &got);
		if (r < 0) {
			printf("FAILURE: get %s: %d\n", key, r);
			return r;
		}
		if (got == 0)
			break;
		br_sha256_update(&c, buf, got);
		off += got;
	}
	uint8_t read_sha[32], stored[32];
	br_sha256_out(&c, read_sha);
	uint64_t size = 0;
	int64_t mtime = -1;
	if (riad_kv_digest(kv, key, stored) != 0 || riad_kv_size(kv, key, &size) != 0 ||
	    riad_kv_last_modified(kv, key, &mtime) != 0 || size != off ||
	    memcmp(read_sha, stored, 32) != 0) {
		printf("FAILURE: %s: the bytes read differ from the stored digest or size\n", key);
		return -1;
	}
	printf("FILE ");
	for (int i = 0; i < 32; i++)
		printf("%02x", read_sha[i]);
	printf(" %llu %lld %s\n", (unsigned long long)size, (long long)mtime, key);
	files++;
	return 0;
}

static int walk(struct riad_kv *kv, const char *dict)
{
	struct names l = { 0 };
	int r = riad_kv_list(kv, dict, add, &l);
	if (r < 0)
		printf("FAILURE: list '%s': %d\n", dict, r);
	for (size_t i = 0; r == 0 && i < l.n; i++) {
		size_t n = strlen(dict) + strlen(l.name[i]) + 2;
		char *key = malloc(n);
		if (!key)
			return -RIAD_ENOMEM;
		snprintf(key, n, "%s%s%s", dict, *dict ? "/" : "", l.name[i]);
		r = l.type[i] == RIAD_KV_DICT ? walk(kv, key) : show(kv, key);
		free(key);
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.name[i]);
	free(l.name);
	free(l.type);
	return r;
}

int main(void)
{
	int err = 0;
	struct riad_kv *kv = riad_kv_baked_open(&err);
	if (!kv) {
		printf("FAILURE: riad_kv_baked_open: %d\n", err);
		return 1;
	}
	if (walk(kv, "") != 0)
		return 1;
	printf("FILES %ld\n", files);
	riad_kv_close(kv);
	printf("SUCCESS\n");
	return 0;
}
