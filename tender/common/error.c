/* tender/common/error.c: formatting of tender error lines. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int error_set(struct tender_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}
