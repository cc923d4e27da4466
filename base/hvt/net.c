/* base/hvt/net.c: frames through the NET_WRITE and NET_READ hypercalls (the optional ring is not used: every frame is one exit). */
#include "hvt.h"

solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf, size_t size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (size > (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	volatile struct riad_hvt_hc_net_write w = {
		.handle = handle, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_NET_WRITE, &w);
	return (solo5_result_t)w.ret;
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
			      size_t *read_size)
{
	const struct riad_mft_entry *e = base_mft_handle(handle, RIAD_MFT_DEV_NET_BASIC);
	if (size < (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	volatile struct riad_hvt_hc_net_read r = {
		.handle = handle, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_NET_READ, &r);
	if (r.ret == SOLO5_R_OK)
		*read_size = r.len;
	return (solo5_result_t)r.ret;
}
