/* storage/kv_path.h: the path order the KV stores keep their keys in (private to storage/). */
#ifndef RIAD_STORAGE_KV_PATH_H
#define RIAD_STORAGE_KV_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Compare two normalised keys of al and bl bytes segment by segment: '/'
 * sorts before every other byte and a key before every key below it. So
 * the keys below "d" follow "d" directly, before any sibling of "d" such as
 * "d-x", and the names directly below a dictionary come in byte order. */
static inline int kv_path_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	for (size_t i = 0; i < n; i++) {
		unsigned ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (ca == cb)
			continue;
		if (ca == '/')
			return -1;
		if (cb == '/')
			return 1;
		return ca < cb ? -1 : 1;
	}
	return al < bl ? -1 : al > bl;
}

/* Whether key lies strictly below the dictionary dir of dl bytes ("" is
 * the root, above every non-empty key). */
static inline bool kv_path_is_below(const char *key, const char *dir, size_t dl)
{
	if (dl == 0)
		return *key != '\0';
	return strncmp(key, dir, dl) == 0 && key[dl] == '/';
}

#endif
