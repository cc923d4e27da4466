/* tests/solo5/rnow: .rodata is not writable (Solo5's test_rnow). */
#include "../common.h"

static const uint64_t constant = 0x0123456789abcdefull;

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)&constant;
	t_puts("writing to .rodata at ");
	t_puthex((uintptr_t)p);
	t_puts("\n");
	*p = 0;
	return T_FAILURE(".rodata is writable");
}
