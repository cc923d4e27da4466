/* runtime/solo5/exit.c: leaving the unikernel on the solo5 targets. */
#include <solo5.h>

#include "../platform.h"

void riad_platform_exit(int status)
{
	solo5_exit(status);
}

void riad_platform_abort(void)
{
	solo5_abort();
}
