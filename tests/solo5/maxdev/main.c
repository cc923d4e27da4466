/* tests/solo5/maxdev: the most devices a manifest holds, 63 (plus the reserved entry): all declared, all attached, the first and the last acquired with handles 1 and 63 (Solo5's test_mft_maxdevices). */
#include <riad/devices.h>

#include "../common.h"

RIAD_DEVICE_BLOCK(d00);
RIAD_DEVICE_BLOCK(d01);
RIAD_DEVICE_BLOCK(d02);
RIAD_DEVICE_BLOCK(d03);
RIAD_DEVICE_BLOCK(d04);
RIAD_DEVICE_BLOCK(d05);
RIAD_DEVICE_BLOCK(d06);
RIAD_DEVICE_BLOCK(d07);
RIAD_DEVICE_BLOCK(d08);
RIAD_DEVICE_BLOCK(d09);
RIAD_DEVICE_BLOCK(d10);
RIAD_DEVICE_BLOCK(d11);
RIAD_DEVICE_BLOCK(d12);
RIAD_DEVICE_BLOCK(d13);
RIAD_DEVICE_BLOCK(d14);
RIAD_DEVICE_BLOCK(d15);
RIAD_DEVICE_BLOCK(d16);
RIAD_DEVICE_BLOCK(d17);
RIAD_DEVICE_BLOCK(d18);
RIAD_DEVICE_BLOCK(d19);
RIAD_DEVICE_BLOCK(d20);
RIAD_DEVICE_BLOCK(d21);
RIAD_DEVICE_BLOCK(d22);
RIAD_DEVICE_BLOCK(d23);
RIAD_DEVICE_BLOCK(d24);
RIAD_DEVICE_BLOCK(d25);
RIAD_DEVICE_BLOCK(d26);
RIAD_DEVICE_BLOCK(d27);
RIAD_DEVICE_BLOCK(d28);
RIAD_DEVICE_BLOCK(d29);
RIAD_DEVICE_BLOCK(d30);
RIAD_DEVICE_BLOCK(d31);
RIAD_DEVICE_BLOCK(d32);
RIAD_DEVICE_BLOCK(d33);
RIAD_DEVICE_BLOCK(d34);
RIAD_DEVICE_BLOCK(d35);
RIAD_DEVICE_BLOCK(d36);
RIAD_DEVICE_BLOCK(d37);
RIAD_DEVICE_BLOCK(d38);
RIAD_DEVICE_BLOCK(d39);
RIAD_DEVICE_BLOCK(d40);
RIAD_DEVICE_BLOCK(d41);
RIAD_DEVICE_BLOCK(d42);
RIAD_DEVICE_BLOCK(d43);
RIAD_DEVICE_BLOCK(d44);
RIAD_DEVICE_BLOCK(d45);
RIAD_DEVICE_BLOCK(d46);
RIAD_DEVICE_BLOCK(d47);
RIAD_DEVICE_BLOCK(d48);
RIAD_DEVICE_BLOCK(d49);
RIAD_DEVICE_BLOCK(d50);
RIAD_DEVICE_BLOCK(d51);
RIAD_DEVICE_BLOCK(d52);
RIAD_DEVICE_BLOCK(d53);
RIAD_DEVICE_BLOCK(d54);
RIAD_DEVICE_BLOCK(d55);
RIAD_DEVICE_BLOCK(d56);
RIAD_DEVICE_BLOCK(d57);
RIAD_DEVICE_BLOCK(d58);
RIAD_DEVICE_BLOCK(d59);
RIAD_DEVICE_BLOCK(d60);
RIAD_DEVICE_BLOCK(d61);
RIAD_DEVICE_BLOCK(d62);

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	solo5_handle_t first, last;
	struct solo5_block_info bi;
	if (solo5_block_acquire("d00", &first, &bi) != SOLO5_R_OK ||
	    solo5_block_acquire("d62", &last, &bi) != SOLO5_R_OK)
		return T_FAILURE("cannot acquire the first and the last device");
	if (first != 1 || last != 63)
		return T_FAILURE("the handles are not 1 and 63");
	uint8_t *buf = (uint8_t *)si->heap_start;
	for (size_t i = 0; i < bi.block_size; i++)
		buf[i] = (uint8_t)i;
	if (solo5_block_write(last, 0, buf, bi.block_size) != SOLO5_R_OK ||
	    solo5_block_read(first, 0, buf, bi.block_size) != SOLO5_R_OK)
		return T_FAILURE("I/O on handle 1 or 63 failed");
	return T_SUCCESS();
}
