/* libc/src/memrchr.c: find the last occurrence of a byte in memory (GNU). */
#include <string.h>

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;
	unsigned char b = (unsigned char)c;

	while (n-- > 0)
		if (*--p == b)
			return (void *)p;
	return NULL;
}
