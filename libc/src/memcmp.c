/* libc/src/memcmp.c: compare memory as unsigned bytes. */
#include <string.h>

#include "word.h"

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	/* Skip equal words quickly; the first difference is found bytewise. */
	for (; n >= 8 && *(const word_u *)p == *(const word_u *)q; n -= 8, p += 8, q += 8)
		;
	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}
