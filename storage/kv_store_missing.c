/* storage/kv_store_missing.c: TEMPORARY stand-in for riad_kv_store_open() until the writable store (branch wip-store) is merged; delete it then. Weak, so the real definition wins wherever both are linked. */
#include <riad/kv.h>

__attribute__((weak)) struct riad_kv *riad_kv_store_open(struct riad_block *dev, bool format,
                                                         int *err)
{
	(void)dev;
	(void)format;
	if (err)
		*err = -RIAD_ENOTSUP;
	return NULL;
}
