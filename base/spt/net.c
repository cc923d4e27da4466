/* base/spt/net.c: frames go straight to and from the tap descriptor (the tender made it non-blocking). */
#include "spt.h"

solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf, size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (size > (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	long n = spt_syscall3(SYS_WRITE, e->b.hostfd, (long)buf, (long)size);
	if (n == -SPT_EAGAIN || n == -SPT_EINTR)
		return SOLO5_R_OK; /* a transient failure drops the frame */
	return n == (long)size ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
			      size_t *read_size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (size < (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	long n = spt_syscall3(SYS_READ, e->b.hostfd, (long)buf, (long)size);
	if (n == -SPT_EAGAIN || n == -SPT_EINTR || n == 0)
		return SOLO5_R_AGAIN;
	if (n < 0)
		return SOLO5_R_EUNSPEC;
	*read_size = (size_t)n;
	return SOLO5_R_OK;
}
