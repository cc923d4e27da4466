/* tests/solo5/xnow: .text is not writable (Solo5's test_xnow). */
#include "../common.h"

static int __attribute__((noinline)) victim(int x)
{
	return x + 1;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)&victim;
	t_puts("writing to .text at ");
	t_puthex((uintptr_t)p);
	t_puts("\n");
	*p = 0xc3;
	return T_FAILURE(".text is writable");
}
