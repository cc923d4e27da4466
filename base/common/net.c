/* base/common/net.c: solo5_net_write/read and riad's net extension (riad_base.h), checked the same way on every target, which moves the frames (base_net_write/read: spt through the tap descriptor, hvt through its ring or hypercalls). */
#include "base.h"
#include "../riad_base.h"

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
	return base_net_write(e, handle, buf, size);
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
			      size_t *read_size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (!plain(e) || size < (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	return base_net_read(e, handle, buf, size, read_size);
}

/* What riad's tender granted, in the manifest entry; 0 from Solo5's. */
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
	return base_net_write(e, handle, buf, size);
}

solo5_result_t riad_base_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
				  size_t *read_size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (plain(e) || size < RIAD_MFT_NET_HDR_LEN + RIAD_MFT_NET_FRAME_MAX)
		return SOLO5_R_EINVAL;
	return base_net_read(e, handle, buf, size, read_size);
}
