/* libc/src/strcpy.c: copy strings: strcpy, strncpy (pads with NULs, may
 * leave dst unterminated, as C11 says) and BSD's strlcpy (always terminates
 * when size > 0, returns strlen(src) so truncation can be detected). */
#include <string.h>

char *strcpy(char *__restrict dst, const char *__restrict src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

char *strncpy(char *__restrict dst, const char *__restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

size_t strlcpy(char *__restrict dst, const char *__restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
