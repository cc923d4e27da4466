/* libc/src/strcasecmp.c: compare strings ignoring ASCII case (POSIX). */
#include <strings.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

int strcasecmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && fold(*p) == fold(*q)) {
		p++;
		q++;
	}
	return fold(*p) - fold(*q);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (fold(*p) != fold(*q))
			return fold(*p) - fold(*q);
		if (*p == '\0')
			break;
	}
	return 0;
}
