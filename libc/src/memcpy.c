/* libc/src/memcpy.c: copy between non-overlapping buffers, a word at a time. */
#include <string.h>

#include "word.h"

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (; n >= 32; n -= 32, d += 32, s += 32) {
		word_u a = ((const word_u *)s)[0], b = ((const word_u *)s)[1];
		word_u c = ((const word_u *)s)[2], e = ((const word_u *)s)[3];
		((word_u *)d)[0] = a;
		((word_u *)d)[1] = b;
		((word_u *)d)[2] = c;
		((word_u *)d)[3] = e;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(word_u *)d = *(const word_u *)s;
	for (; n > 0; n--)
		*d++ = *s++;
	return dst;
}
