/* tests/solo5/exception: a store far outside guest memory (2^34) kills the guest: hvt's trap handler reports #PF and exits 255; spt dies of SIGSEGV (Solo5's test_exception). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	t_puts("storing to 0x400000000\n");
	*(volatile int *)(uintptr_t)(1ull << 34) = 1;
	return T_FAILURE("the store to 2^34 did not fault");
}
