/* libc/src/strcmp.c: compare strings as unsigned bytes. */
#include <string.h>

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return (*p > *q) - (*p < *q);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
		if (*p == '\0')
			break;
	}
	return 0;
}
