/* storage/kv_baked.h: private to the baked store: opening an image other than the linked one (unit tests). */
#ifndef RIAD_STORAGE_KV_BAKED_H
#define RIAD_STORAGE_KV_BAKED_H

#include <riad/kv.h>

/* The image that riad build links in (storage/kv_baked_wire.h); a weak
 * empty one in the library (kv_baked_empty.c) when nothing was baked. */
extern const unsigned char riad_kv_baked_image[];

/* riad_kv_baked_open() over image, which stays owned by the caller and
 * must outlive the store. image_size is how many bytes may be read there
 * (SIZE_MAX: trust the header). Returns NULL with *err -RIAD_EBADMSG if
 * the image is not well formed, -RIAD_ENOMEM. */
struct riad_kv *riad_kv_baked_open_image(const void *image, size_t image_size, int *err);

#endif
