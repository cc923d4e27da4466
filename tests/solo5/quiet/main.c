/* tests/solo5/quiet: with --solo5:quiet first, the bindings print no "Solo5:" lines and the option is not passed on (Solo5's test_quiet). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	if (!t_streq(si->cmdline, "rest"))
		return T_FAILURE("--solo5:quiet was not removed from the command line");
	return T_SUCCESS();
}
