/* libc/src/memset.c: fill memory with a byte, a word at a time (replaced on
 * x86_64 by x86_64/memset.c). */
#include <string.h>

#include "word.h"

void *memset(void *dst, int c, size_t n)
{
	words_fill(dst, (unsigned char)c, n);
	return dst;
}
