/* tests/solo5/bssnox: .bss is not executable. */
#include "../common.h"

static uint8_t code[64];

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	volatile uint8_t *p = code;
	p[0] = 0xc3;
	t_puts("calling .bss at ");
	t_puthex((uintptr_t)code);
	t_puts("\n");
	((void (*)(void))(uintptr_t)code)();
	return T_FAILURE(".bss is executable");
}
