/* storage/wipe.h: storage_wipe(), zeroing of key material that the compiler cannot remove (private to storage/ and the riad disk tool). */
#ifndef RIAD_STORAGE_WIPE_H
#define RIAD_STORAGE_WIPE_H

#include <stddef.h>

/* Set n bytes at p to zero through a volatile pointer, so that the stores
 * happen even when p is never read again (a plain memset before free or
 * return may be removed as dead). Works in the freestanding guest libc. */
void storage_wipe(void *p, size_t n);

#endif
