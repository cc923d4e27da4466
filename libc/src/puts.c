/* libc/src/puts.c: unformatted output to the console: puts, fputs, putchar,
 * fputc, putc, fwrite, fflush, perror. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <riad/console.h>

#include "internal.h"

int fputs(const char *__restrict s, FILE *__restrict f)
{
	(void)f;
	riad_console_write(s, strlen(s));
	return 0;
}

int puts(const char *s)
{
	char buf[256];
	size_t n = strlen(s);

	/* One console write for the line when it fits. */
	if (n < sizeof(buf)) {
		memcpy(buf, s, n);
		buf[n] = '\n';
		riad_console_write(buf, n + 1);
	} else {
		riad_console_write(s, n);
		riad_console_write("\n", 1);
	}
	return 0;
}

int fputc(int c, FILE *f)
{
	char b = (char)(unsigned char)c;

	(void)f;
	riad_console_write(&b, 1);
	return (unsigned char)c;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

size_t fwrite(const void *__restrict ptr, size_t size, size_t nmemb, FILE *__restrict f)
{
	(void)f;
	if (size == 0 || nmemb == 0)
		return 0;
	if (nmemb > (size_t)-1 / size)
		return 0;
	riad_console_write(ptr, size * nmemb);
	return nmemb;
}

int fflush(FILE *f)
{
	(void)f;
	return 0;
}

void perror(const char *s)
{
	const char *msg = strerror(errno);

	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, msg);
	else
		fprintf(stderr, "%s\n", msg);
}
