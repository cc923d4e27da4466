/* libc/src/snprintf.c: formatting into memory: snprintf, sprintf, vsprintf. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* sprintf cannot know the buffer's size; INT_MAX + 1 is the most any
 * successful call can write. Prefer snprintf. */
int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)INT_MAX + 1, fmt, ap);
}

int sprintf(char *__restrict buf, const char *__restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}
