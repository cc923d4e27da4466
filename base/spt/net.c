/* base/spt/net.c: frames go straight to and from the tap descriptor (the tender made it non-blocking); with riad's net extension, each behind its virtio-net header, in the same buffer. */
#include "spt.h"
#include "../riad_base.h"

static solo5_result_t net_write(const struct riad_mft_entry *e, const uint8_t *buf, size_t size)
{
	long n = spt_syscall3(SYS_WRITE, e->b.hostfd, (long)buf, (long)size);
	if (n == -SPT_EAGAIN || n == -SPT_EINTR)
		return SOLO5_R_OK; /* a transient failure drops the frame */
	return n == (long)size ? SOLO5_R_OK : SOLO5_R_EUNSPEC;
}

static solo5_result_t net_read(const struct riad_mft_entry *e, uint8_t *buf, size_t size,
			       size_t *read_size)
{
	long n = spt_syscall3(SYS_READ, e->b.hostfd, (long)buf, (long)size);
	if (n == -SPT_EAGAIN || n == -SPT_EINTR || n == 0)
		return SOLO5_R_AGAIN;
	if (n < 0)
		return SOLO5_R_EUNSPEC;
	*read_size = (size_t)n;
	return SOLO5_R_OK;
}

/* The plain calls refuse a device that carries headers: the frames would
 * not be what the caller thinks. */
static bool plain(const struct riad_mft_entry *e)
{
	return !(e->u.net_basic.riad_flags & RIAD_MFT_NET_F_VNET);
}

solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf, size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (!plain(e) || size > (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	return net_write(e, buf, size);
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
			      size_t *read_size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (!plain(e) || size < (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	return net_read(e, buf, size, read_size);
}

unsigned riad_base_net_flags(solo5_handle_t handle)
{
	return base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC)->u.net_basic.riad_flags;
}

solo5_result_t riad_base_net_write(solo5_handle_t handle, const uint8_t *buf, size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (plain(e) || size < RIAD_MFT_NET_HDR_LEN ||
	    size > RIAD_MFT_NET_HDR_LEN + RIAD_MFT_NET_FRAME_MAX)
		return SOLO5_R_EINVAL;
	return net_write(e, buf, size);
}

solo5_result_t riad_base_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
				  size_t *read_size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (plain(e) || size < RIAD_MFT_NET_HDR_LEN + RIAD_MFT_NET_FRAME_MAX)
		return SOLO5_R_EINVAL;
	return net_read(e, buf, size, read_size);
}
