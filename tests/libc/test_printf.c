/* tests/libc/test_printf.c: the riad libc's printf family against glibc's
 * snprintf: every supported conversion with every flag, width, precision
 * and length modifier that C11 defines for it, truncation, return values,
 * and the console output of printf, puts and friends. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "rl.h"

static int mismatches;

static void compare(const char *fmt, int ra, const char *a, int rb, const char *b)
{
	if (ra == rb && memcmp(a, b, (size_t)(ra >= 0 ? ra : 0) + 1) == 0)
		return;
	if (mismatches++ < 20)
		printf("  format \"%s\": riad %d \"%s\", glibc %d \"%s\"\n", fmt, ra, a, rb, b);
	check_failures_in_test++;
}

/* Both snprintfs on the same format and arguments, compared. */
#define SAME(fmt, ...) \
	do { \
		const char *f_ = (fmt); /* not a literal: odd flags are the point */ \
		char a_[512], b_[512]; \
		int ra_ = rl_snprintf(a_, sizeof(a_), f_, __VA_ARGS__); \
		int rb_ = snprintf(b_, sizeof(b_), f_, __VA_ARGS__); \
		compare(f_, ra_, a_, rb_, b_); \
	} while (0)

static const char *const lengths[] = { "", "hh", "h", "l", "ll", "j", "z", "t" };
static const char *const widths[] = { "", "1", "6", "25" };
static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".22" };
static const long long values[] = {
	0, 1, -1, 7, 42, -42, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, -32769,
	INT_MAX, INT_MIN, (long long)UINT_MAX, 1234567890123LL, LLONG_MAX, LLONG_MIN,
	0x123456789abcdef0LL, -0x7654321LL,
};

static void one_int(const char *fmt, char conv, const char *len, long long v)
{
	bool sig = conv == 'd' || conv == 'i';

	if (len[0] == '\0' || len[0] == 'h') {
		if (sig)
			SAME(fmt, (int)v);
		else
			SAME(fmt, (unsigned)v);
	} else if (strcmp(len, "ll") == 0) {
		if (sig)
			SAME(fmt, v);
		else
			SAME(fmt, (unsigned long long)v);
	} else {
		if (sig)
			SAME(fmt, (long)v);
		else
			SAME(fmt, (unsigned long)v);
	}
}

static void test_integers(void)
{
	const char *convs = "diuoxX";

	mismatches = 0;
	for (const char *c = convs; *c; c++) {
		/* Flags C11 defines for the conversion ('+' and ' ' are
		 * accepted and ignored by unsigned ones). */
		const char *flagset = (*c == 'd' || *c == 'i' || *c == 'u') ? "-+ 0" : "-+ 0#";
		size_t nflags = strlen(flagset);
		for (unsigned mask = 0; mask < (1u << nflags); mask++) {
			char flags[8];
			size_t nf = 0;
			for (size_t i = 0; i < nflags; i++)
				if (mask & (1u << i))
					flags[nf++] = flagset[i];
			flags[nf] = '\0';
			for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++)
				for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
					for (size_t p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
						char fmt[64];
						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
						         widths[w], precs[p], lengths[l], *c);
						for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
							one_int(fmt, *c, lengths[l], values[v]);
					}
		}
	}
}

static void test_chars_strings(void)
{
	const char *strs[] = { "", "a", "hello", "hello, world", "\xe9\xff" };
	const char *sprecs[] = { "", ".", ".0", ".3", ".5", ".6", ".40" };

	mismatches = 0;
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		for (int left = 0; left < 2; left++) {
			char fmt[64];
			for (int c = 0; c < 256; c += 17) {
				snprintf(fmt, sizeof(fmt), "<%%%s%sc>", left ? "-" : "", widths[w]);
				SAME(fmt, c);
			}
			SAME(fmt, 0x141); /* converted to unsigned char */
			for (size_t p = 0; p < sizeof(sprecs) / sizeof(sprecs[0]); p++) {
				snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", left ? "-" : "", widths[w], sprecs[p]);
				for (size_t s = 0; s < sizeof(strs) / sizeof(strs[0]); s++)
					SAME(fmt, strs[s]);
				SAME(fmt, (char *)NULL); /* glibc's "(null)" convention */
			}
		}
	char a[16], b[16];
	/* A NUL from %c is output and counted. */
	int ra = rl_snprintf(a, sizeof(a), "x%cy", 0), rb = snprintf(b, sizeof(b), "x%cy", 0);
	CHECK_INT(ra, 3);
	CHECK_INT(ra, rb);
	CHECK_MEM(a, b, 4);
	/* Precision bounds the read: the string need not be terminated. */
	char unterminated[3] = { 'a', 'b', 'c' };
	SAME("%.3s", unterminated);
}

static void test_pointers(void)
{
	int x;
	void *ptrs[] = { NULL, &x, (void *)1, (void *)0xdeadbeef, (void *)UINTPTR_MAX };

	mismatches = 0;
	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			char fmt[32];
			snprintf(fmt, sizeof(fmt), "%%%sp|", widths[w]);
			SAME(fmt, ptrs[i]);
			snprintf(fmt, sizeof(fmt), "%%-%sp|", widths[w]);
			SAME(fmt, ptrs[i]);
		}
}

static void test_star(void)
{
	const int ws[] = { 0, 3, 12, -3, -12 };
	const int ps[] = { 0, 2, 10, -1, -7 };

	mismatches = 0;
	for (size_t w = 0; w < sizeof(ws) / sizeof(ws[0]); w++) {
		SAME("%*d|", ws[w], -17);
		SAME("%-*x|", ws[w], 255u);
		SAME("%0*d|", ws[w], 99);
		SAME("%*s|", ws[w], "abc");
		SAME("%*c|", ws[w], 'q');
		for (size_t p = 0; p < sizeof(ps) / sizeof(ps[0]); p++) {
			SAME("%*.*d|", ws[w], ps[p], 12345);
			SAME("%0*.*d|", ws[w], ps[p], -6);
			SAME("%*.*s|", ws[w], ps[p], "abcdefgh");
			SAME("%.*ld|", ps[p], 0L);
			SAME("%#.*o|", ps[p], 0u);
		}
	}
}

static void test_mixed(void)
{
	mismatches = 0;
	SAME("plain text, no conversions", 0);
	SAME("%d%s%c%u%%%x%X%o%p", -1, "str", 'c', 5u, 0xabcu, 0xabcu, 8u, (void *)0x10);
	SAME("%hhd %hhu %hd %hu", 300, 300u, 70000, 70000u);
	SAME("%zu %zd %zx %td %jd %ju", (size_t)SIZE_MAX, (ssize_t)-5, (size_t)4096,
	     (ptrdiff_t)-9, (intmax_t)INTMAX_MIN, (uintmax_t)UINTMAX_MAX);
	SAME("%lli %llo %llX", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	SAME("%5.3d|%-5.3d|%05d|%-05d|%+.0d|% .0d|%#.0x|%#x|%#o|%#.3o", 7, 7, -7, -7, 0, 0, 0u,
	     0u, 0u, 8u);
	SAME("%%|%-%|%5%", 0);
}

/* Output beyond the buffer is counted but dropped; the buffer is always
 * terminated when size > 0, and snprintf(NULL, 0) just measures. */
static void test_truncation(void)
{
	const char *fmt = "%s=%08x (%d%%) [%-6s]";
	char ref[128];
	int len = snprintf(ref, sizeof(ref), fmt, "key", 0xbeefu, -12, "ab");

	for (size_t n = 0; n <= (size_t)len + 2; n++) {
		char a[128], b[128];
		memset(a, '#', sizeof(a));
		memset(b, '#', sizeof(b));
		CHECK_INT(rl_snprintf(a, n, fmt, "key", 0xbeefu, -12, "ab"), len);
		snprintf(b, n, fmt, "key", 0xbeefu, -12, "ab");
		CHECK_MEM(a, b, sizeof(a));
	}
	CHECK_INT(rl_snprintf(NULL, 0, fmt, "key", 0xbeefu, -12, "ab"), len);
	char big[10];
	CHECK_INT(rl_snprintf(big, sizeof(big), "%1000d", 5), 1000);
	CHECK_STR(big, "         ");
	char s[64];
	CHECK_INT(rl_sprintf(s, "%s-%d", "sprintf", 42), 10);
	CHECK_STR(s, "sprintf-42");
}

static void test_unsupported(void)
{
	char buf[128];

	/* No double is passed: the riad libc consumes no argument for them. */
	CHECK_INT(rl_snprintf(buf, sizeof(buf), "%f|%d", 5), 4);
	CHECK_STR(buf, "%f|5");
	rl_snprintf(buf, sizeof(buf), "a %.2f b %10.3e c %g %Lf %a %E %G %F %A|%s", "end");
	CHECK_STR(buf, "a %.2f b %10.3e c %g %Lf %a %E %G %F %A|end");
	rl_snprintf(buf, sizeof(buf), "%*.*f|%d", 5, 2, 7); /* the '*' ints are read */
	CHECK_STR(buf, "%*.*f|7");
	int n = 1;
	rl_snprintf(buf, sizeof(buf), "x%ny%d", 9);
	CHECK_STR(buf, "x%ny9");
	CHECK_INT(n, 1);
	rl_snprintf(buf, sizeof(buf), "%ls %lc %y %d", 3);
	CHECK_STR(buf, "%ls %lc %y 3");
	CHECK_INT(rl_snprintf(buf, sizeof(buf), "100%"), 4);
	CHECK_STR(buf, "100%");
	CHECK_INT(rl_snprintf(buf, sizeof(buf), "[%-08"), 5);
	CHECK_STR(buf, "[%-08");
}

static void test_overflow(void)
{
	rl_riad_libc_errno = 0;
	CHECK_INT(rl_snprintf(NULL, 0, "%*d", INT_MAX, 1), INT_MAX);
	CHECK_INT(rl_riad_libc_errno, 0);
	CHECK_INT(rl_snprintf(NULL, 0, "%*d%*d", INT_MAX, 1, INT_MAX, 1), -1);
	CHECK_INT(rl_riad_libc_errno, EOVERFLOW);
	rl_riad_libc_errno = 0;
	CHECK_INT(rl_snprintf(NULL, 0, "%2147483648d", 1), -1);
	CHECK_INT(rl_riad_libc_errno, EOVERFLOW);
	rl_riad_libc_errno = 0;
	CHECK_INT(rl_snprintf(NULL, 0, "%.2147483648d", 1), -1);
	CHECK_INT(rl_riad_libc_errno, EOVERFLOW);
	CHECK_INT(rl_snprintf(NULL, 0, "%*d", INT_MIN, 1), -1);
}

static void test_console(void)
{
	size_t len;
	int writes;
	char ref[4096];

	rl_console_take(NULL, NULL);
	CHECK_INT(rl_printf("hello %s %d\n", "console", 42), 17);
	CHECK_STR(rl_console_take(&len, &writes), "hello console 42\n");
	CHECK_INT(writes, 1); /* one printf, one console write */

	/* Longer than the stack buffer: flushed in pieces, nothing lost. */
	char longs[1500];
	memset(longs, 'z', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	int n = rl_fprintf(rl_stderr, "<%s|%600d>", longs, -3);
	snprintf(ref, sizeof(ref), "<%s|%600d>", longs, -3);
	CHECK_INT(n, (int)strlen(ref));
	CHECK_STR(rl_console_take(&len, &writes), ref);
	CHECK(writes > 1);

	CHECK(rl_puts("a line") >= 0);
	CHECK(rl_fputs("no newline", rl_stdout) >= 0);
	CHECK_INT(rl_putchar('!'), '!');
	CHECK_INT(rl_putchar(0x1e9), 0xe9);
	CHECK_INT(rl_fputc('x', rl_stderr), 'x');
	CHECK_INT(rl_putc('y', rl_stdout), 'y');
	CHECK_INT(rl_fwrite("abcdef", 2, 3, rl_stdout), 3);
	CHECK_INT(rl_fwrite("abcdef", 0, 3, rl_stdout), 0);
	CHECK_INT(rl_fflush(rl_stdout), 0);
	CHECK_STR(rl_console_take(&len, &writes), "a line\nno newline!\xe9xyabcdef");
	rl_puts(longs); /* too long for one write: the newline still follows */
	snprintf(ref, sizeof(ref), "%s\n", longs);
	CHECK_STR(rl_console_take(NULL, NULL), ref);

	rl_riad_libc_errno = ENOENT;
	rl_perror("open");
	rl_perror(NULL);
	CHECK_STR(rl_console_take(NULL, NULL),
	          "open: No such file or directory\nNo such file or directory\n");
}

int main(void)
{
	RUN(test_integers);
	RUN(test_chars_strings);
	RUN(test_pointers);
	RUN(test_star);
	RUN(test_mixed);
	RUN(test_truncation);
	RUN(test_unsupported);
	RUN(test_overflow);
	RUN(test_console);
	return check_done();
}
