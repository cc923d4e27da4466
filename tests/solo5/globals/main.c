/* tests/solo5/globals: initialised .data is there and writable, .bss is zero (Solo5's test_globals). */
#include "../common.h"

static int data = 42;
static int bss;
static const char *str = "initialised";

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	volatile int *d = &data, *b = &bss;
	if (*d != 42 || *b != 0 || !t_streq(str, "initialised"))
		return T_FAILURE("globals not initialised");
	*d = 7;
	*b = 9;
	if (*d != 7 || *b != 9)
		return T_FAILURE("globals not writable");
	return T_SUCCESS();
}
