/* libc/src/assert.c: what a failed assert() does (see <assert.h>). */
#include <assert.h>

#include "internal.h"

void riad_libc_assert_fail(const char *expr, const char *file, int line, const char *func)
{
	riad_libc_fatal("assertion failed: %s (%s:%d: %s)", expr, file, line, func);
}
