/* tests/solo5/blk: block I/O: write and read back every 10th block and the last; I/O past the end, of the wrong size or unaligned is refused (Solo5's test_blk). Run with any sector size. */
#include <riad/devices.h>

#include "../common.h"

RIAD_DEVICE_BLOCK(storage);

static void fill(uint8_t *buf, size_t n, uint64_t block)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(block * 7 + i);
}

int solo5_app_main(const struct solo5_start_info *si)
{
	solo5_handle_t h, h2;
	struct solo5_block_info bi;
	if (solo5_block_acquire("nosuch", &h, &bi) != SOLO5_R_EINVAL)
		return T_FAILURE("acquiring an undeclared device did not give EINVAL");
	if (solo5_block_acquire("storage", &h, &bi) != SOLO5_R_OK)
		return T_FAILURE("cannot acquire 'storage'");
	if (solo5_net_acquire("storage", &h2, &(struct solo5_net_info){ { 0 }, 0 }) != SOLO5_R_EINVAL)
		return T_FAILURE("a block device was acquired as a net device");
	size_t bs = (size_t)bi.block_size;
	uint64_t blocks = bi.capacity / bs;
	t_puts("handle ");
	t_putdec(h);
	t_puts(", block size ");
	t_putdec(bs);
	t_puts(", ");
	t_putdec(blocks);
	t_puts(" blocks\n");
	if (bs < 512 || bs * 2 > si->heap_size / 2 || blocks == 0)
		return T_FAILURE("odd block size or capacity");
	uint8_t *wbuf = (uint8_t *)si->heap_start, *rbuf = wbuf + 2 * bs;

	for (uint64_t b = 0; b < blocks; b = (b + 10 < blocks || b == blocks - 1) ? b + 10 : blocks - 1) {
		fill(wbuf, bs, b);
		if (solo5_block_write(h, b * bs, wbuf, bs) != SOLO5_R_OK)
			return T_FAILURE("a write failed");
		for (size_t i = 0; i < bs; i++)
			rbuf[i] = 0;
		if (solo5_block_read(h, b * bs, rbuf, bs) != SOLO5_R_OK)
			return T_FAILURE("a read failed");
		for (size_t i = 0; i < bs; i++)
			if (rbuf[i] != wbuf[i])
				return T_FAILURE("read back other bytes than written");
		if (b == blocks - 1)
			break;
	}
	if (solo5_block_write(h, bi.capacity, wbuf, bs) != SOLO5_R_EINVAL ||
	    solo5_block_read(h, bi.capacity, rbuf, bs) != SOLO5_R_EINVAL)
		return T_FAILURE("I/O past the end was not refused");
	if (solo5_block_write(h, 0, wbuf, 2 * bs) != SOLO5_R_EINVAL ||
	    solo5_block_read(h, 0, rbuf, bs / 2) != SOLO5_R_EINVAL)
		return T_FAILURE("I/O of the wrong size was not refused");
	if (solo5_block_write(h, 1, wbuf, bs) != SOLO5_R_EINVAL ||
	    solo5_block_read(h, bs / 2, rbuf, bs) != SOLO5_R_EINVAL)
		return T_FAILURE("unaligned I/O was not refused");
	return T_SUCCESS();
}
