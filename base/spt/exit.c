/* base/spt/exit.c: the end of an spt guest: exit_group with its status. */
#include "spt.h"

void solo5_exit(int status)
{
	base_log(BASE_LOG_INFO, "solo5_exit(%d) called", status);
	spt_exit_group(status);
}

void solo5_abort(void)
{
	base_log(BASE_LOG_INFO, "solo5_abort() called");
	spt_exit_group(SOLO5_EXIT_ABORT);
}
