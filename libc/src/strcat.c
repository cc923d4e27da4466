/* libc/src/strcat.c: append strings: strcat, strncat (appends at most n
 * bytes, always terminates) and BSD's strlcat (bounded by the whole buffer
 * size, returns the length it tried to create). */
#include <string.h>

char *strcat(char *__restrict dst, const char *__restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *__restrict dst, const char *__restrict src, size_t n)
{
	char *d = dst + strlen(dst);
	size_t i = 0;

	for (; i < n && src[i]; i++)
		d[i] = src[i];
	d[i] = '\0';
	return dst;
}

size_t strlcat(char *__restrict dst, const char *__restrict src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size) /* dst not terminated within size: nothing to do */
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}
