/* tests/solo5/stackguard: the initial stack overflows into a guard page that faults, not into the memory below it. */
#include "../common.h"

extern char _sguard[], _eguard[];

static int __attribute__((noinline)) deeper(int n)
{
	volatile char frame[512];
	frame[0] = (char)n;
	return deeper(n + 1) + frame[0];
}

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	t_puts("guard page at ");
	t_puthex((uintptr_t)_sguard);
	t_puts("\n");
	deeper(0);
	return T_FAILURE("the stack overflowed without a fault");
}
