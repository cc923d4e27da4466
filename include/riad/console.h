/* riad/console.h: the console, the unikernel's one text output.
 *
 * On unix it is standard output; on the solo5 targets solo5_console_write(),
 * which the tender copies to its standard output, so the same unikernel
 * prints the same bytes to the same place on every target. Output is best effort: it
 * may be dropped, never blocks the fiber, and is never interleaved within one
 * call. Prefer riad/log.h, which stamps and filters messages.
 */
#ifndef RIAD_CONSOLE_H
#define RIAD_CONSOLE_H

#include <stddef.h>

void riad_console_write(const char *buf, size_t len);

/* printf-style convenience over riad_console_write(); output longer than
 * RIAD_LOG_LINE_MAX bytes is truncated. */
void riad_console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
