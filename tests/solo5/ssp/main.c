/* tests/solo5/ssp: a stack buffer overflow is caught by the stack protector: ABORT, exit 255 (Solo5's test_ssp). */
#include "../common.h"

static void __attribute__((noinline)) smash(const char *src, size_t n)
{
	char buf[16];
	volatile char *p = buf;
	for (size_t i = 0; i < n; i++)
		p[i] = src[i];
}

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	static const char junk[64] = "0123456789abcdef0123456789abcdef0123456789abcdef012345678";
	t_puts("smashing the stack\n");
	smash(junk, sizeof(junk));
	return T_FAILURE("the stack protector did not fire");
}
