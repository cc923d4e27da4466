/* tests/unit/check.h: the unit tests' assertions and runner.
 *
 * A test is a void function; RUN(fn) runs it and prints one line,
 * "PASS: file: fn" or "FAIL: file: fn", which tests/run counts. CHECK records
 * a failure with its location and goes on; REQUIRE also leaves the test.
 * check_done() ends main() with status 1 if anything failed.
 */
#ifndef RIAD_TESTS_CHECK_H
#define RIAD_TESTS_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

extern int check_failures_in_test;

void check_fail(const char *file, int line, const char *expr);
void check_fail_int(const char *file, int line, const char *expr, long long a, long long b);
void check_fail_str(const char *file, int line, const char *expr, const char *a, const char *b);
void check_run(const char *file, const char *name, void (*fn)(void));
int check_done(void);

#define CHECK(cond) \
	do { if (!(cond)) check_fail(__FILE__, __LINE__, #cond); } while (0)
#define REQUIRE(cond) \
	do { if (!(cond)) { check_fail(__FILE__, __LINE__, #cond); return; } } while (0)
#define CHECK_INT(a, b) \
	do { long long a_ = (long long)(a), b_ = (long long)(b); \
	     if (a_ != b_) check_fail_int(__FILE__, __LINE__, #a " == " #b, a_, b_); } while (0)
#define CHECK_STR(a, b) \
	do { const char *a_ = (a), *b_ = (b); \
	     if (!a_ || !b_ || strcmp(a_, b_) != 0) \
		     check_fail_str(__FILE__, __LINE__, #a " == " #b, a_, b_); } while (0)
#define CHECK_MEM(a, b, n) \
	do { if (memcmp((a), (b), (n)) != 0) check_fail(__FILE__, __LINE__, "memcmp(" #a ", " #b ")"); } while (0)

#define RUN(fn) check_run(__FILE__, #fn, fn)

/* The fake platform's clock (tests/unit/fake_platform.c): it starts at
 * FAKE_TIME_START and moves only when a test sets it or when the scheduler
 * waits, which jumps it straight to the deadline. */
#define FAKE_TIME_START (1000 * 1000000000LL)
void fake_time_set(int64_t ns);
void fake_time_advance(int64_t ns);
/* Everything written to the console since the last call (NUL-terminated,
 * owned by the fake platform, valid until the next call). */
const char *fake_console_take(void);
/* Wall clock: FAKE_TIME_START + this offset. */
void fake_wall_set(int64_t ns);
/* Make riad_platform_wait report events with this hook (NULL: none). It is
 * called with the deadline and returns how many events it delivered. */
void fake_wait_hook(int (*hook)(int64_t deadline));
/* What riad_platform_entropy returns: bytes of a counter from this seed. */
void fake_entropy_seed(uint8_t seed);
/* riad_platform_abort() longjmps back into expect_abort() instead of ending
 * the process; returns true if fn aborted. */
bool expect_abort(void (*fn)(void));

#endif
