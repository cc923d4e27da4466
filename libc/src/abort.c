/* libc/src/abort.c: abnormal ends: abort(), and the libc's own fatal errors
 * (heap corruption) which print a message first. Both end the unikernel
 * with status 255 through the target's riad_platform_abort(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <riad/console.h>

#include "internal.h"

/* runtime/platform.h; declared here because the libc does not see the
 * runtime's private headers. */
extern __attribute__((__noreturn__)) void riad_platform_abort(void);

void abort(void)
{
	static const char msg[] = "riad libc: abort()\n";

	riad_console_write(msg, sizeof(msg) - 1);
	riad_platform_abort();
}

void riad_libc_fatal(const char *fmt, ...)
{
	char line[256];
	static const char prefix[] = "riad libc: ";
	struct fmt_out o = { .buf = line, .cap = sizeof(line) - 1 };
	va_list ap;

	riad_libc_out(&o, prefix, sizeof(prefix) - 1);
	va_start(ap, fmt);
	riad_libc_format(&o, fmt, ap);
	va_end(ap);
	line[o.pos++] = '\n';
	riad_console_write(line, o.pos);
	riad_platform_abort();
}
