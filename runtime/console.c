/* runtime/console.c: formatted console output over the target's console. */
#include <stdarg.h>
#include <stdio.h>

#include <riad/console.h>
#include <riad/opt.h>

void riad_console_printf(const char *fmt, ...)
{
	char buf[RIAD_LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	riad_console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
