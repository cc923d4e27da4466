/* libc/src/memmem.c: find a byte string inside another (GNU/BSD).
 *
 * Quadratic in the worst case; the first byte is located with memchr. */
#include <string.h>

void *memmem(const void *hay, size_t haylen, const void *needle, size_t needlelen)
{
	const unsigned char *h = hay, *n = needle;

	if (needlelen == 0)
		return (void *)h;
	while (haylen >= needlelen) {
		const unsigned char *p = memchr(h, n[0], haylen - needlelen + 1);
		if (!p)
			return NULL;
		if (memcmp(p + 1, n + 1, needlelen - 1) == 0)
			return (void *)p;
		haylen -= (size_t)(p - h) + 1;
		h = p + 1;
	}
	return NULL;
}
