/* libc/src/x86_64/memset.c: memset for x86_64: words for short fills,
 * "rep stosb" for long ones (see x86_64/memcpy.c). */
#include <string.h>

#include "../word.h"

#define REP_MIN 1024

void *memset(void *dst, int c, size_t n)
{
	if (n < REP_MIN) {
		words_fill(dst, (unsigned char)c, n);
		return dst;
	}
	void *d = dst;
	__asm__ __volatile__("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}
