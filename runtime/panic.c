/* runtime/panic.c: fatal errors of the runtime. */
#include <stdarg.h>
#include <stdio.h>

#include <riad/console.h>
#include <riad/opt.h>

#include "platform.h"
#include "runtime.h"

void riad_panic(const char *fmt, ...)
{
	char line[RIAD_LOG_LINE_MAX];
	int n = snprintf(line, sizeof(line), "riad: fatal: ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = 0;
	while (line[len])
		len++;
	line[len++] = '\n';
	riad_console_write(line, len);
	riad_platform_abort();
}
