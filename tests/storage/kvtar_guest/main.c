/* tests/storage/kvtar_guest/main.c: a unikernel that opens the tar archive on its block device "disk" with riad_kv_tar_open, prints each value's key, size and SHA-256, appends a value if asked, and ends with SUCCESS (tests/storage/tar_unikernel.t). */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/block.h>
#include <riad/devices.h>
#include <riad/kv.h>
#include <riad/log.h>

RIAD_DEVICE_BLOCK(disk);
RIAD_ARG_STRING(append_key, "append", "", "Append a value under this key (with --value).");
RIAD_ARG_STRING(append_value, "value", "", "The value --append appends.");

static struct riad_kv *kv;
static char key[RIAD_KV_KEY_MAX + 1];
static int errors;

static int visit(void *arg, const char *name, enum riad_kv_type type)
{
	(void)arg;
	size_t kl = strlen(key);
	if (kl + 1 + strlen(name) > RIAD_KV_KEY_MAX)
		return -RIAD_ENAMETOOLONG;
	if (kl)
		strcat(key, "/");
	strcat(key, name);
	int r = 0;
	if (type == RIAD_KV_DICT) {
		r = riad_kv_list(kv, key, visit, NULL);
	} else {
		uint64_t size = 0;
		uint8_t dg[RIAD_KV_DIGEST_LEN];
		if (riad_kv_size(kv, key, &size) < 0 || riad_kv_digest(kv, key, dg) < 0) {
			printf("ERROR %s\n", key);
			errors++;
		} else {
			printf("V %llu ", (unsigned long long)size);
			for (int i = 0; i < RIAD_KV_DIGEST_LEN; i++)
				printf("%02x", dg[i]);
			printf(" %s\n", key);
		}
	}
	key[kl] = '\0';
	return r;
}

int main(void)
{
	int err = 0;
	struct riad_block *dev = riad_block_open("disk", &err);
	if (!dev) {
		riad_err(NULL, "no block device disk: %d", err);
		return 1;
	}
	bool writable = append_key[0] != '\0';
	kv = riad_kv_tar_open(dev, writable, &err);
	if (!kv) {
		riad_err(NULL, "not a tar store: %d", err);
		return 1;
	}
	if (writable) {
		int r = riad_kv_set(kv, append_key, append_value, strlen(append_value));
		if (r == 0)
			r = riad_kv_flush(kv);
		if (r < 0) {
			riad_err(NULL, "append %s: %d", append_key, r);
			return 1;
		}
	}
	int r = riad_kv_list(kv, "", visit, NULL);
	riad_kv_close(kv);
	riad_block_close(dev);
	if (r != 0 || errors)
		return 1;
	printf("SUCCESS\n");
	return 0;
}
