/* tests/solo5/zeropage: page 0 is not mapped: a store to address 8 faults (Solo5's test_zeropage). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	t_puts("storing to 0x8\n");
	*(volatile int *)(uintptr_t)8 = 1;
	return T_FAILURE("the store to page 0 did not fault");
}
