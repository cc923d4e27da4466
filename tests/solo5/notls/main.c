/* tests/solo5/notls: before solo5_set_tls_base() the thread pointer is 0, so a %fs-relative load faults (Solo5's test_notls). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	uint64_t v;
	t_puts("loading %fs:0\n");
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v));
	(void)v;
	return T_FAILURE("%fs:0 was readable before TLS set-up");
}
