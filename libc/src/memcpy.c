/* libc/src/memcpy.c: copy between non-overlapping buffers, a word at a time
 * (replaced on x86_64 by x86_64/memcpy.c). */
#include <string.h>

#include "word.h"

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n)
{
	words_copy(dst, src, n);
	return dst;
}
