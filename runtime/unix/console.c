/* runtime/unix/console.c: the console on unix is standard output. */
#include <riad/console.h>

#include <errno.h>
#include <unistd.h>

void riad_console_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(1, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* best effort: a closed stdout drops output */
		buf += n;
		len -= (size_t)n;
	}
}
