/* libc/src/strstr.c: find a substring. Quadratic in the worst case, which is
 * fine for the short needles services search for. */
#include <string.h>

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)hay;
	for (; (hay = strchr(hay, needle[0])) != NULL; hay++)
		if (strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return NULL;
}
