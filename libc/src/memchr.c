/* libc/src/memchr.c: find the first occurrence of a byte in memory. */
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	for (; n > 0; n--, p++)
		if (*p == b)
			return (void *)p;
	return NULL;
}
