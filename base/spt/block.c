/* base/spt/block.c: one block per call with pread64/pwrite64 (the seccomp filter allows exactly that). */
#include "spt.h"

static solo5_result_t io(int nr, solo5_handle_t handle, solo5_off_t offset, void *buf,
			 size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_BLOCK_BASIC);
	if (base_block_check(e, offset, size) != SOLO5_R_OK)
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
	return io(SYS_PWRITE64, handle, offset, (void *)(uintptr_t)buf, size);
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset, uint8_t *buf,
				size_t size)
{
	return io(SYS_PREAD64, handle, offset, buf, size);
}
