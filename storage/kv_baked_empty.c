/* storage/kv_baked_empty.c: the image of a unikernel with nothing baked, a weak default that riad build's generated baked.S replaces. */
#include "kv_baked.h"
#include "kv_baked_wire.h"

__attribute__((weak, aligned(RIAD_BAKED_ALIGN), section(".rodata.riad_kv_baked")))
const unsigned char riad_kv_baked_image[sizeof(struct riad_baked_header)] = {
	'R', 'I', 'A', 'D', 'B', 'A', 'K', '1',
	RIAD_BAKED_VERSION, 0, 0, 0,            /* version */
	0, 0, 0, 0,                             /* count */
	64, 0, 0, 0, 0, 0, 0, 0,                /* entries_off */
	64, 0, 0, 0, 0, 0, 0, 0,                /* names_off */
	0, 0, 0, 0, 0, 0, 0, 0,                 /* names_size */
	64, 0, 0, 0, 0, 0, 0, 0,                /* data_off */
	0, 0, 0, 0, 0, 0, 0, 0,                 /* data_size */
	64, 0, 0, 0, 0, 0, 0, 0,                /* image_size */
};
