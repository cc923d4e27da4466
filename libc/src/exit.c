/* libc/src/exit.c: exit() and _Exit() end the unikernel with a status.
 *
 * Output is unbuffered and there are no atexit handlers, so both are the
 * target's riad_platform_exit(). */
#include <stdlib.h>

/* runtime/platform.h; declared here because the libc does not see the
 * runtime's private headers. */
extern __attribute__((__noreturn__)) void riad_platform_exit(int status);

void exit(int status)
{
	riad_platform_exit(status);
}

void _Exit(int status)
{
	riad_platform_exit(status);
}
