/* libc/src/x86_64/memset.c: memset for x86_64: words for short fills,
 * "rep stosq" (then "rep stosb" for the last 0..7 bytes) for long ones; see
 * x86_64/memcpy.c for the measurements behind the choice. */
#include <string.h>

#include "../word.h"

#define REP_MIN 512

void *memset(void *dst, int c, size_t n)
{
	if (n < REP_MIN) {
		words_fill(dst, (unsigned char)c, n);
		return dst;
	}
	void *d = dst;
	size_t words = n / 8, bytes = n % 8;
	uint64_t w = (unsigned char)c * WORD_ONES;
	__asm__ __volatile__("rep stosq" : "+D"(d), "+c"(words) : "a"(w) : "memory");
	__asm__ __volatile__("rep stosb" : "+D"(d), "+c"(bytes) : "a"(w) : "memory");
	return dst;
}
