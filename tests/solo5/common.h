/* tests/solo5/common.h: helpers for the guest test unikernels: console output without the libc, and the verdict lines the test scripts look for.
 *
 * Each test is a directory with a main.c that riad build links for hvt and
 * spt (tests/e2e/solo5-suite.t). Plain Solo5 tests define
 * solo5_app_main() and use nothing but solo5.h; riad tests define main().
 * A test that passes prints "SUCCESS" and exits 0; a negative test is
 * expected to die in a specific way before it can print "FAILURE: ...".
 */
#ifndef RIAD_TESTS_SOLO5_COMMON_H
#define RIAD_TESTS_SOLO5_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <solo5.h>

static inline size_t t_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static inline void t_puts(const char *s)
{
	solo5_console_write(s, t_strlen(s));
}

/* "0x" and 16 hex digits. */
static inline void t_puthex(uint64_t v)
{
	char b[18] = { '0', 'x' };
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	solo5_console_write(b, sizeof(b));
}

static inline void t_putdec(uint64_t v)
{
	char b[20];
	int n = 0;
	do
		b[sizeof(b) - 1 - n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	solo5_console_write(b + sizeof(b) - n, (size_t)n);
}

static inline int t_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

#define T_SUCCESS() (t_puts("SUCCESS\n"), SOLO5_EXIT_SUCCESS)

/* For negative tests: reaching this line means the fault did not happen. */
#define T_FAILURE(why) (t_puts("FAILURE: " why "\n"), SOLO5_EXIT_FAILURE)

#endif
