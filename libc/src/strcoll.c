/* libc/src/strcoll.c: collation in the only locale there is, "C": strcoll
 * is strcmp, and strxfrm's transformation is the identity. */
#include <string.h>

int strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}

size_t strxfrm(char *__restrict dst, const char *__restrict src, size_t n)
{
	size_t len = strlen(src);

	/* C11: if the result does not fit, dst's contents are indeterminate;
	 * leave dst untouched then. */
	if (len < n)
		memcpy(dst, src, len + 1);
	return len;
}
