/* storage/kv_store_index.h: the writable store's index in RAM (private to storage/kv_store*.c). */
#ifndef RIAD_STORAGE_KV_STORE_INDEX_H
#define RIAD_STORAGE_KV_STORE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One key: where its value starts in the log of the active half (sector
 * pos and payload offset), its size and mtime. key is the index's. */
struct entry {
	char *key;
	uint64_t vsec;
	uint64_t size;
	int64_t mtime;
	uint32_t voff;
	uint32_t klen;
};

/* The keys, sorted as if '/' were the lowest byte: a dictionary's keys are
 * contiguous, right after its name, in the order of their names. At most
 * RIAD_KV_STORE_KEYS entries and RIAD_KV_STORE_KEY_BYTES bytes of keys
 * (each key's length + 1). Zero-initialised with scratch set to
 * RIAD_KV_KEY_MAX + 2 bytes is empty. Keys given are normalised (riad/kv.h)
 * and not NUL-terminated (klen bytes); "" is the root. */
struct kv_store_index {
	struct entry *e;
	size_t n, cap, key_bytes;
	char *scratch;
};

/* The first entry not below key; the entry of key, or NULL. */
size_t kv_store_index_lower_bound(const struct kv_store_index *ix, const char *key, size_t klen);
struct entry *kv_store_index_find(struct kv_store_index *ix, const char *key, size_t klen);
/* The entries below the dictionary key ("": all of them): [*lo, *hi). */
void kv_store_index_dict_range(struct kv_store_index *ix, const char *key, size_t klen,
                               size_t *lo, size_t *hi);
bool kv_store_index_is_dict(struct kv_store_index *ix, const char *key, size_t klen);

/* A set in two steps, so that once its record is in the log only the
 * allocation of a new key can fail: check (-RIAD_EISDIR, -RIAD_ENOTDIR,
 * -RIAD_ENOSPC at a limit, -RIAD_ENOMEM) and make room, then apply. */
int kv_store_index_set_check(struct kv_store_index *ix, const char *key, size_t klen);
int kv_store_index_set_apply(struct kv_store_index *ix, const char *key, size_t klen,
                             uint64_t vsec, uint32_t voff, uint64_t size, int64_t mtime);
/* Remove a value or a dictionary ("": everything): -RIAD_ENOENT. With dry,
 * only the check. */
int kv_store_index_remove(struct kv_store_index *ix, const char *key, size_t klen, bool dry);
/* Rename as riad/kv.h says: -RIAD_ENOENT, -RIAD_EINVAL (to below from),
 * -RIAD_ENOTDIR, -RIAD_EISDIR (a value onto a dictionary), -RIAD_EEXIST
 * (a dictionary onto a key), -RIAD_ENAMETOOLONG, -RIAD_ENOSPC,
 * -RIAD_ENOMEM. With dry, only the checks. */
int kv_store_index_rename(struct kv_store_index *ix, const char *from, size_t flen,
                          const char *to, size_t tlen, bool dry);
/* Free every key and the arrays. */
void kv_store_index_free(struct kv_store_index *ix);

#endif
