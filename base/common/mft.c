/* base/common/mft.c: the tender's filled-in manifest copy: acquiring net and block devices by name, checking handles, Solo5's block I/O rules. */
#include "base.h"
#include "../riad_base.h"

static const struct riad_mft *mft;
/* Bit h: handle h was acquired (and is of the type its entry says). */
static uint64_t acquired;

void base_mft_init(const struct riad_mft *m)
{
	if (m->version != RIAD_MFT_VERSION || m->entries < 1 || m->entries > RIAD_MFT_MAX_ENTRIES ||
	    m->e[0].type != RIAD_MFT_RESERVED_FIRST)
		base_abort(__FILE__, "the tender's manifest copy is not a valid version 1 manifest");
	mft = m;
}

static bool name_eq(const char *a, const char *b)
{
	size_t i = 0;
	for (; i < RIAD_MFT_NAME_SIZE && a[i] && a[i] == b[i]; i++)
		;
	return i < RIAD_MFT_NAME_SIZE && a[i] == b[i];
}

/* The index of the attached entry called name with this type, or 0. */
static solo5_handle_t find(const char *name, uint32_t type)
{
	if (!name)
		return 0;
	for (uint32_t i = 1; i < mft->entries; i++) {
		const struct riad_mft_entry *e = &mft->e[i];
		if (e->type == type && e->attached && name_eq(e->name, name))
			return i;
	}
	return 0;
}

const struct riad_mft_entry *base_mft_handle(solo5_handle_t h, uint32_t type)
{
	if (h >= 64 || !(acquired & (1ull << h)) || mft->e[h].type != type)
		base_abort(__FILE__, "invalid device handle (not an acquired device of this type)");
	return &mft->e[h];
}

solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
				 struct solo5_net_info *info)
{
	solo5_handle_t h = find(name, RIAD_MFT_DEV_NET_BASIC);
	if (!h) {
		base_log(BASE_LOG_WARN, "no net device called '%s' in the manifest", name);
		return SOLO5_R_EINVAL;
	}
	const struct riad_mft_entry *e = &mft->e[h];
	base_memcpy(info->mac_address, e->u.net_basic.mac, SOLO5_NET_ALEN);
	info->mtu = e->u.net_basic.mtu;
	acquired |= 1ull << h;
	*handle = h;
	base_log(BASE_LOG_DEBUG, "net device '%s' is handle %u", name, (unsigned)h);
	return SOLO5_R_OK;
}

solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
				   struct solo5_block_info *info)
{
	solo5_handle_t h = find(name, RIAD_MFT_DEV_BLOCK_BASIC);
	if (!h) {
		base_log(BASE_LOG_WARN, "no block device called '%s' in the manifest", name);
		return SOLO5_R_EINVAL;
	}
	const struct riad_mft_entry *e = &mft->e[h];
	info->capacity = e->u.block_basic.capacity;
	info->block_size = e->u.block_basic.block_size;
	acquired |= 1ull << h;
	*handle = h;
	base_log(BASE_LOG_DEBUG, "block device '%s' is handle %u", name, (unsigned)h);
	return SOLO5_R_OK;
}

solo5_result_t base_block_check(const struct riad_mft_entry *e, solo5_off_t offset, size_t size)
{
	uint64_t bs = e->u.block_basic.block_size, cap = e->u.block_basic.capacity;
	if (bs == 0 || size != bs || offset % bs != 0 || cap < bs || offset > cap - bs)
		return SOLO5_R_EINVAL;
	return SOLO5_R_OK;
}

/* riad's block extension (riad_base.h): what the tender wrote into the
 * padding of Solo5's block entry, 0 from Solo5's tenders. */
uint32_t riad_base_block_max_blocks(solo5_handle_t h)
{
	const struct riad_mft_entry *e = base_mft_handle(h, RIAD_MFT_DEV_BLOCK_BASIC);
	uint32_t m = e->u.block_basic.riad_max_blocks;
	return m && !(m & (m - 1)) ? m : 1;
}

bool riad_base_block_can_flush(solo5_handle_t h)
{
	const struct riad_mft_entry *e = base_mft_handle(h, RIAD_MFT_DEV_BLOCK_BASIC);
	return (e->u.block_basic.riad_flags & RIAD_MFT_BLOCK_F_FLUSH) != 0;
}

solo5_result_t base_block_check_ext(const struct riad_mft_entry *e, solo5_off_t offset,
				    size_t size)
{
	uint64_t bs = e->u.block_basic.block_size, cap = e->u.block_basic.capacity;
	uint64_t m = e->u.block_basic.riad_max_blocks, n;
	if (m == 0 || (m & (m - 1)))
		m = 1;
	if (bs == 0 || size == 0 || size % bs != 0 || offset % bs != 0)
		return SOLO5_R_EINVAL;
	n = size / bs;
	if ((n & (n - 1)) || n > m || cap < size || offset > cap - size)
		return SOLO5_R_EINVAL;
	return SOLO5_R_OK;
}
