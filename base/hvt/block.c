/* base/hvt/block.c: one block per BLOCK_READ or BLOCK_WRITE hypercall; the tender checks the range, the guest checks Solo5's alignment and size rules first. */
#include "hvt.h"

solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset, const uint8_t *buf,
				 size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check(e, offset, size) != SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	volatile struct riad_hvt_hc_block_write w = {
		.handle = handle, .offset = offset, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_BLOCK_WRITE, &w);
	return (solo5_result_t)w.ret;
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check(e, offset, size) != SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	volatile struct riad_hvt_hc_block_read r = {
		.handle = handle, .offset = offset, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_BLOCK_READ, &r);
	if (r.ret == SOLO5_R_OK && r.len != size)
		return SOLO5_R_EUNSPEC;
	return (solo5_result_t)r.ret;
}
