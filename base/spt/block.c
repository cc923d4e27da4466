/* base/spt/block.c: one block per call with pread64/pwrite64 (the seccomp filter allows exactly that), and with riad's block extension 2^k blocks per call and fdatasync. */
#include "spt.h"
#include "../riad_base.h"

static solo5_result_t io(int nr, solo5_handle_t handle, solo5_off_t offset, void *buf,
			 size_t size, bool ext)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if ((ext ? base_block_check_ext(e, offset, size) : base_block_check(e, offset, size)) !=
	    SOLO5_R_OK)
		return SOLO5_R_EINVAL;
	long n;
	do
		n = spt_syscall4(nr, e->b.hostfd, (long)buf, (long)size, (long)offset);
	while (n == -SPT_EINTR);
	return n == (long)size ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
}

solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset, const uint8_t *buf,
				 size_t size)
{
	return io(SYS_PWRITE64, handle, offset, (void *)(uintptr_t)buf, size, false);
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				size_t size)
{
	return io(SYS_PREAD64, handle, offset, buf, size, false);
}

solo5_result_t riad_base_block_write(solo5_handle_t handle, solo5_off_t offset, const uint8_t *buf,
				     size_t size)
{
	return io(SYS_PWRITE64, handle, offset, (void *)(uintptr_t)buf, size, true);
}

solo5_result_t riad_base_block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				    size_t size)
{
	return io(SYS_PREAD64, handle, offset, buf, size, true);
}

solo5_result_t riad_base_block_flush(solo5_handle_t handle)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (!(e->u.block_basic.riad_flags & RIAD_MFT_BLOCK_F_FLUSH))
		return SOLO5_R_OK;
	long n;
	do
		n = spt_syscall3(SYS_FDATASYNC, e->b.hostfd, 0, 0);
	while (n == -SPT_EINTR);
	return n == 0 ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
}
