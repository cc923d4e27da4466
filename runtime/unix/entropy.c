/* runtime/unix/entropy.c: host entropy on unix is getrandom(2). */
#include <errno.h>
#include <sys/random.h>

#include "../platform.h"
#include "../runtime.h"

void riad_platform_entropy(void *buf, size_t len)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			riad_panic("getrandom failed (errno %d): refusing to run without entropy", errno);
		p += n;
		len -= (size_t)n;
	}
}
