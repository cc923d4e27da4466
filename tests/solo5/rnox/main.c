/* tests/solo5/rnox: .rodata is not executable (riad: Solo5's spt layout keeps rodata in the executable text segment). */
#include "../common.h"

static const uint8_t ret_insn[16] = { 0xc3 };

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	t_puts("calling .rodata at ");
	t_puthex((uintptr_t)ret_insn);
	t_puts("\n");
	((void (*)(void))(uintptr_t)ret_insn)();
	return T_FAILURE(".rodata is executable");
}
