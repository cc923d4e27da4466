/* fuzz/support/tcp_support.c: what the TCP fuzz targets need from the runtime: riad_panic, which aborts so libFuzzer reports it.
 *
 * Under fuzz/support/ rather than fuzz/ (where the issue first put it):
 * mk/fuzz.mk makes a fuzz target of every fuzz/ *.c file, and this one has
 * no LLVMFuzzerTestOneInput. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../runtime/runtime.h"

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
