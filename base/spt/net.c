/* base/spt/net.c: frames go straight to and from the tap descriptor (the tender made it non-blocking); with riad's net extension, each behind its virtio-net header, in the same buffer. base/common/net.c checks them first. */
#include "spt.h"
#include "../riad_base.h"

solo5_result_t base_net_write(const struct riad_mft_entry *e, solo5_handle_t handle,
			      const uint8_t *buf, size_t size)
{
	(void)handle;
	long n = spt_syscall3(SYS_WRITE, e->b.hostfd, (long)buf, (long)size);
	if (n == -SPT_EAGAIN || n == -SPT_EINTR)
		return SOLO5_R_OK; /* a transient failure drops the frame */
	return n == (long)size ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
}

solo5_result_t base_net_read(const struct riad_mft_entry *e, solo5_handle_t handle, uint8_t *buf,
			     size_t size, size_t *read_size)
{
	(void)handle;
	long n = spt_syscall3(SYS_READ, e->b.hostfd, (long)buf, (long)size);
	if (n == -SPT_EAGAIN || n == -SPT_EINTR || n == 0)
		return SOLO5_R_AGAIN;
	if (n < 0)
		return SOLO5_R_EUNSPEC;
	*read_size = (size_t)n;
	return SOLO5_R_OK;
}
