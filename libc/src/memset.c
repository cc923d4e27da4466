/* libc/src/memset.c: fill memory with a byte, a word at a time. */
#include <string.h>

#include "word.h"

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = (uint64_t)(unsigned char)c * WORD_ONES;

	for (; n >= 32; n -= 32, d += 32) {
		((word_u *)d)[0] = w;
		((word_u *)d)[1] = w;
		((word_u *)d)[2] = w;
		((word_u *)d)[3] = w;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(word_u *)d = w;
	for (; n > 0; n--)
		*d++ = (unsigned char)c;
	return dst;
}
