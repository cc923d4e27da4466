/* libc/src/memmove.c: copy between buffers that may overlap.
 *
 * Copying forwards is safe when dst is below src (see words_copy); above
 * src, copy backwards. */
#include <stdint.h>
#include <string.h>

#include "word.h"

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* dst below src, or no overlap at all */
		words_copy(d, s, n);
	} else {
		d += n;
		s += n;
		for (; n >= 8; n -= 8) {
			d -= 8;
			s -= 8;
			*(word_u *)d = *(const word_u *)s;
		}
		for (; n > 0; n--)
			*--d = *--s;
	}
	return dst;
}
