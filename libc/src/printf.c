/* libc/src/printf.c: formatted output to the console: printf, vprintf,
 * fprintf, vfprintf, and the stdout and stderr objects (both the console). */
#include <stdarg.h>
#include <stdio.h>

#include <riad/console.h>

#include "internal.h"

struct riad_libc_file {
	int unused;
};

FILE riad_libc_stdout, riad_libc_stderr;

static void console_flush(struct fmt_out *o)
{
	riad_console_write(o->buf, o->pos);
	o->pos = 0;
}

int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap)
{
	char buf[256];
	struct fmt_out o = { .buf = buf, .cap = sizeof(buf), .flush = console_flush };

	(void)f;
	int n = riad_libc_format(&o, fmt, ap);
	if (o.pos > 0)
		console_flush(&o);
	return n;
}

int fprintf(FILE *__restrict f, const char *__restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *__restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *__restrict fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}
