/* stdio.h: formatted output to the console.
 *
 * A unikernel has one text output, the console (<riad/console.h>); stdout
 * and stderr both write to it, and there is no input and there are no files.
 * Output is unbuffered: each call hands its bytes to riad_console_write()
 * before returning (in one write when they fit in 256 bytes, else in
 * chunks), so nothing is lost if the unikernel aborts right after, and
 * fflush() has nothing to do. Like the console, output never blocks.
 *
 * Provided: printf, vprintf, fprintf, vfprintf, snprintf, vsnprintf, sprintf,
 * vsprintf, puts, fputs, putchar, fputc, putc, fwrite, fflush, perror.
 *
 * Conversions: %d %i %u %o %x %X %c %s %p %%, with the flags - + space # 0,
 * a field width and a precision (either may be *), and the length modifiers
 * hh h l ll z j t, all as C11 specifies. As in glibc, %p prints "(nil)"
 * for NULL and 0x followed by lower-case hex otherwise, and %s prints
 * "(null)" for a NULL pointer (or nothing, if the precision is below 6).
 *
 * Not supported, and why:
 * - Floating point (%f %F %e %E %g %G %a %A): guests are compiled with
 *   -mno-sse, so a double cannot even be passed to printf there (the
 *   compiler rejects the call). If such a conversion appears anyway, the
 *   conversion specification is copied to the output verbatim (e.g. "%.2f")
 *   so that the mistake is visible, and consumes no argument (except the
 *   ints of a '*' width or precision, which are read first).
 * - %n (writes through a pointer taken from the arguments; a classic
 *   format-string exploit) and the wide forms %lc and %ls: copied verbatim
 *   like the floating-point conversions, no argument consumed. So is any
 *   unknown conversion.
 * - Input (scanf, getchar, fgets...), files (fopen...), setvbuf and
 *   positional arguments (%1$d).
 *
 * Return values are as in C11: the number of bytes written (for snprintf
 * and vsnprintf: that would have been written with enough room, not
 * counting the NUL), or a negative value with errno EOVERFLOW if that
 * number exceeds INT_MAX. snprintf(NULL, 0, ...) measures.
 */
#ifndef RIAD_LIBC_STDIO_H
#define RIAD_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

typedef struct riad_libc_file FILE;
extern FILE riad_libc_stdout, riad_libc_stderr;
#define stdout (&riad_libc_stdout)
#define stderr (&riad_libc_stderr)

#define RIAD_LIBC_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

int printf(const char *__restrict fmt, ...) RIAD_LIBC_PRINTF(1, 2);
int vprintf(const char *__restrict fmt, va_list ap) RIAD_LIBC_PRINTF(1, 0);
int fprintf(FILE *__restrict f, const char *__restrict fmt, ...) RIAD_LIBC_PRINTF(2, 3);
int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap) RIAD_LIBC_PRINTF(2, 0);
int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt, ...)
	RIAD_LIBC_PRINTF(3, 4);
int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt, va_list ap)
	RIAD_LIBC_PRINTF(3, 0);
int sprintf(char *__restrict buf, const char *__restrict fmt, ...) RIAD_LIBC_PRINTF(2, 3);
int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap) RIAD_LIBC_PRINTF(2, 0);

/* puts appends a newline; fputs does not. Both return a non-negative value. */
int puts(const char *s);
int fputs(const char *__restrict s, FILE *__restrict f);
/* The byte written, as an unsigned char converted to int. */
int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *__restrict ptr, size_t size, size_t nmemb, FILE *__restrict f);
/* Always 0: output is unbuffered. */
int fflush(FILE *f);
/* Writes "s: message\n" (or "message\n" if s is NULL or empty) for errno. */
void perror(const char *s);

#endif
