/* tests/solo5/canary: prints the stack protector's guard, which must differ at every boot (the test script compares runs). */
#include "../common.h"

extern uintptr_t __stack_chk_guard;

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	t_puts("guard=");
	t_puthex(__stack_chk_guard);
	t_puts("\n");
	if (__stack_chk_guard == 0)
		return T_FAILURE("the guard is 0");
	if ((__stack_chk_guard & 0xff) != 0)
		return T_FAILURE("the guard's low byte is not 0");
	return T_SUCCESS();
}
