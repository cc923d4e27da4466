/* libc/src/strchr.c: find a byte in a string, first or last occurrence; the
 * terminating NUL counts as part of the string. */
#include <string.h>

char *strchr(const char *s, int c)
{
	char b = (char)c;

	for (;; s++) {
		if (*s == b)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	char b = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == b)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}
