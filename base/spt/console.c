/* base/spt/console.c: the console is the tender's standard output, fd 1. */
#include "spt.h"

void solo5_console_write(const char *buf, size_t size)
{
	while (size > 0) {
		long n = spt_syscall3(SYS_WRITE, 1, (long)buf, (long)size);
		if (n == -SPT_EINTR || n == -SPT_EAGAIN)
			continue;
		if (n <= 0)
			return; /* best effort */
		buf += n;
		size -= (size_t)n;
	}
}
