/* base/hvt/block.c: one block per BLOCK_READ or BLOCK_WRITE hypercall (with riad's block extension, 2^k blocks, and a zero-length write as the barrier); the tender checks the range, the guest checks Solo5's alignment and size rules first. */
#include "hvt.h"
#include "../riad_base.h"

static solo5_result_t block_write(solo5_handle_t handle, solo5_off_t offset, const uint8_t *buf,
				  size_t size)
{
	volatile struct riad_hvt_hc_block_write w = {
		.handle = handle, .offset = offset, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_BLOCK_WRITE, &w);
	return (solo5_result_t)w.ret;
}

static solo5_result_t block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				 size_t size)
{
	volatile struct riad_hvt_hc_block_read r = {
		.handle = handle, .offset = offset, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_BLOCK_READ, &r);
	if (r.ret == SOLO5_R_OK && r.len != size)
		return SOLO5_R_EUNSPEC;
	return (solo5_result_t)r.ret;
}

solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset, const uint8_t *buf,
				 size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check(e, offset, size) != SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	return block_write(handle, offset, buf, size);
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check(e, offset, size) != SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	return block_read(handle, offset, buf, size);
}

solo5_result_t riad_base_block_write(solo5_handle_t handle, solo5_off_t offset, const uint8_t *buf,
				     size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check_ext(e, offset, size) != SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	return block_write(handle, offset, buf, size);
}

solo5_result_t riad_base_block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				    size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check_ext(e, offset, size) != SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	return block_read(handle, offset, buf, size);
}

solo5_result_t riad_base_block_flush(solo5_handle_t handle)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (!(e->u.block_basic.riad_flags & RIAD_MFT_BLOCK_F_FLUSH))
		return SOLO5_R_OK;
	return block_write(handle, 0, (const uint8_t *)e, 0);
}
