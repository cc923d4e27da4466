/* tests/solo5/stacknox: the initial stack is not executable. */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	volatile uint8_t code[64];
	code[0] = 0xc3;
	t_puts("calling the stack at ");
	t_puthex((uintptr_t)code);
	t_puts("\n");
	((void (*)(void))(uintptr_t)code)();
	return T_FAILURE("the stack is executable");
}
