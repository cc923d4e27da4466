/* libc/src/internal.h: what the libc's own files share (private).
 *
 * The printf family is one formatter writing into a struct fmt_out: a buffer
 * that is either the caller's (snprintf: overflow is counted but dropped)
 * or a small one on the stack that is flushed to the console when full.
 */
#ifndef RIAD_LIBC_INTERNAL_H
#define RIAD_LIBC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#define RIAD_LIBC_HIDDEN __attribute__((__visibility__("hidden")))

struct fmt_out {
	char *buf;
	size_t cap;   /* bytes buf can take */
	size_t pos;   /* bytes in buf */
	size_t total; /* bytes produced so far, kept or not */
	/* Called when buf is full (and at the end, by the caller); empties it.
	 * NULL: bytes beyond cap are dropped. */
	void (*flush)(struct fmt_out *o);
};

/* Format into o; returns the total count as printf does (or -1 with errno
 * EOVERFLOW beyond INT_MAX). Does not flush the tail or NUL-terminate. */
RIAD_LIBC_HIDDEN int riad_libc_format(struct fmt_out *o, const char *fmt, va_list ap);

/* Append n bytes to o. */
RIAD_LIBC_HIDDEN void riad_libc_out(struct fmt_out *o, const char *s, size_t n);

/* Print "riad libc: " and the formatted message on the console, then end the
 * unikernel through riad_platform_abort(). */
RIAD_LIBC_HIDDEN __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
void riad_libc_fatal(const char *fmt, ...);

#endif
