/* libc/src/strtok.c: split a string into tokens: strtok_r (POSIX) and strtok
 * (C11, which keeps its position in a static: not for use by two fibers
 * interleaving their tokenising). */
#include <string.h>

char *strtok_r(char *__restrict s, const char *__restrict delim, char **__restrict save)
{
	if (s == NULL)
		s = *save;
	if (s == NULL)
		return NULL;
	s += strspn(s, delim);
	if (*s == '\0') {
		*save = NULL;
		return NULL;
	}
	char *end = s + strcspn(s, delim);
	if (*end == '\0') {
		*save = NULL;
	} else {
		*end = '\0';
		*save = end + 1;
	}
	return s;
}

char *strtok(char *__restrict s, const char *__restrict delim)
{
	static char *save;

	return strtok_r(s, delim, &save);
}
