/* tests/unit/check.c: the unit tests' assertions and runner. */
#include "check.h"

#include <stdio.h>

int check_failures_in_test;
static int failed_tests;

void check_fail(const char *file, int line, const char *expr)
{
	printf("  %s:%d: check failed: %s\n", file, line, expr);
	check_failures_in_test++;
}

void check_fail_int(const char *file, int line, const char *expr, long long a, long long b)
{
	printf("  %s:%d: check failed: %s (%lld != %lld)\n", file, line, expr, a, b);
	check_failures_in_test++;
}

void check_fail_str(const char *file, int line, const char *expr, const char *a, const char *b)
{
	printf("  %s:%d: check failed: %s (\"%s\" != \"%s\")\n", file, line, expr,
	       a ? a : "(null)", b ? b : "(null)");
	check_failures_in_test++;
}

void check_run(const char *file, const char *name, void (*fn)(void))
{
	const char *base = strrchr(file, '/');
	check_failures_in_test = 0;
	fn();
	printf("%s: %s: %s\n", check_failures_in_test ? "FAIL" : "PASS", base ? base + 1 : file, name);
	fflush(stdout);
	if (check_failures_in_test)
		failed_tests++;
}

int check_done(void)
{
	return failed_tests ? 1 : 0;
}
