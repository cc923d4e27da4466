/* fuzz/support/panic.c: riad_panic for fuzz targets that link protocol code
 * without the runtime: it aborts, so libFuzzer reports it.
 *
 * It lives under fuzz/support/ rather than fuzz/ because mk/fuzz.mk makes a
 * fuzz target of every fuzz/ *.c file, and this one has no
 * LLVMFuzzerTestOneInput. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime.h"

void riad_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("riad: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
