/* tests/solo5/hello: boots, prints, and receives its command line exactly (Solo5's test_hello). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	t_puts("Hello, World\nCommand line is: '");
	t_puts(si->cmdline);
	t_puts("'\n");
	if (!t_streq(si->cmdline, "one  two 'three'"))
		return T_FAILURE("the command line is not the expected one");
	return T_SUCCESS();
}
