/* tests/solo5/wnox: .data is not executable (Solo5's test_wnox). */
#include "../common.h"

static uint8_t ret_insn[16] = { 0xc3 };

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	volatile uint8_t *p = ret_insn;
	p[0] = 0xc3;
	t_puts("calling .data at ");
	t_puthex((uintptr_t)ret_insn);
	t_puts("\n");
	((void (*)(void))(uintptr_t)ret_insn)();
	return T_FAILURE(".data is executable");
}
