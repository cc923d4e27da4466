/* tests/libc/test_stdlib.c: the riad libc's number parsing, sorting,
 * searching, time conversion, setjmp/longjmp and ways to end, against
 * glibc where glibc has the same function. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/check.h"
#include "rl.h"

static uint64_t rng = 0x243f6a8885a308d3u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const char *const numbers[] = {
	"", " ", "\t\n\v\f\r ", "0", "-0", "+0", "00", "123", "-123", "  \t\n+42abc", "+-1", "- 1",
	"-", "+", " -", "0x1f", "0X1F", "0x", "0X", "0xg", "-0x10", "+0x", " 0x1", "0x0x1", "0777",
	"08", "09", "0b101", "1010", "z", "Z", "zz", "1z", "1y", "abc", "ABC", "7fffffffffffffff",
	"ffffffffffffffff", "10000000000000000", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
	"18446744073709551616", "-18446744073709551615", "-18446744073709551616",
	"99999999999999999999999999", "0x7FFFFFFFFFFFFFFF", "0x8000000000000000",
	"-0x8000000000000000", "-0x8000000000000001", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
	"1111111111111111111111111111111111111111111111111111111111111111", /* 64 ones */
	"11111111111111111111111111111111111111111111111111111111111111111", "3w5e11264sgsf",
	"3w5e11264sgsg", "-3w5e11264sgsg", "2147483647", "2147483648", "-2147483649", "4294967296",
	"12 34", "1e5", "1.5", "\x80" "1", "007", "-007x",
};
static const int bases[] = { 0, 2, 3, 8, 10, 16, 35, 36 };

#define COMPARE_STRTO(mine, theirs, type, fmtspec) \
	do { \
		char *e1, *e2; \
		rl_riad_libc_errno = 0; \
		errno = 0; \
		type a_ = mine(s, &e1, base); \
		int err1 = rl_riad_libc_errno; \
		type b_ = theirs(s, &e2, base); \
		if (a_ != b_ || e1 != e2 || err1 != errno) { \
			printf("  " #mine "(\"%s\", %d): riad " fmtspec " end+%td errno %d, glibc " \
			       fmtspec " end+%td errno %d\n", s, base, a_, e1 - s, err1, b_, e2 - s, errno); \
			check_failures_in_test++; \
		} \
	} while (0)

static void compare_all(const char *s, int base)
{
	COMPARE_STRTO(rl_strtol, strtol, long, "%ld");
	COMPARE_STRTO(rl_strtoul, strtoul, unsigned long, "%lu");
	COMPARE_STRTO(rl_strtoll, strtoll, long long, "%lld");
	COMPARE_STRTO(rl_strtoull, strtoull, unsigned long long, "%llu");
	COMPARE_STRTO(rl_strtoimax, strtoimax, intmax_t, "%jd");
	COMPARE_STRTO(rl_strtoumax, strtoumax, uintmax_t, "%ju");
}

static void test_strtol_edges(void)
{
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
			compare_all(numbers[i], bases[b]);
}

static void test_strtol_random(void)
{
	static const char alphabet[] = " \t+-0123456789abcfxXzZ";
	char s[40];

	for (int iter = 0; iter < 200000; iter++) {
		size_t n = rnd() % 30;
		for (size_t i = 0; i < n; i++)
			s[i] = alphabet[rnd() % (sizeof(alphabet) - 1)];
		s[n] = '\0';
		compare_all(s, bases[rnd() % (sizeof(bases) / sizeof(bases[0]))]);
	}
}

static void test_strtol_misc(void)
{
	char *end = (char *)1;
	const char *s = "  123";

	/* Invalid bases: 0, EINVAL, nothing converted. */
	const int bad[] = { 1, 37, -1, INT_MIN };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rl_riad_libc_errno = 0;
		CHECK_INT(rl_strtol(s, &end, bad[i]), 0);
		CHECK_INT(rl_riad_libc_errno, EINVAL);
		CHECK(end == s);
	}
	/* A NULL endptr is allowed. */
	CHECK_INT(rl_strtoul("42", NULL, 10), 42);
	CHECK_INT(rl_atoi("  -17x"), -17);
	CHECK_INT(rl_atoi("junk"), 0);
	CHECK_INT(rl_atol("9223372036854775807"), LONG_MAX);
	CHECK_INT(rl_atoll("-9223372036854775808"), LLONG_MIN);
}

static void test_abs_div(void)
{
	CHECK_INT(rl_abs(-5), 5);
	CHECK_INT(rl_abs(INT_MAX), INT_MAX);
	CHECK_INT(rl_labs(LONG_MIN + 1), LONG_MAX);
	CHECK_INT(rl_llabs(-3), 3);
	CHECK_INT(rl_imaxabs(-4), 4);
	const int nums[] = { 7, -7, 0, INT_MAX, INT_MIN + 1 }, dens[] = { 2, -2, 1, 3, -5 };
	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++) {
			rl_div_t a = rl_div(nums[i], dens[j]);
			div_t b = div(nums[i], dens[j]);
			CHECK(a.quot == b.quot && a.rem == b.rem);
			rl_ldiv_t c = rl_ldiv(nums[i] * 1000000000L, dens[j]);
			ldiv_t d = ldiv(nums[i] * 1000000000L, dens[j]);
			CHECK(c.quot == d.quot && c.rem == d.rem);
			rl_lldiv_t e = rl_lldiv(nums[i], dens[j]);
			CHECK(e.quot == b.quot && e.rem == b.rem);
		}
}

/* qsort */

static size_t ncmp;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	ncmp++;
	return (x > y) - (x < y);
}

static int cmp_byte(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

struct rec {
	uint32_t key;
	uint32_t id;
	char pad[4]; /* 12 bytes: not a multiple of 8, so swapped bytewise */
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

struct big {
	uint64_t key;
	uint64_t payload[3];
};

static int cmp_big(const void *a, const void *b)
{
	const struct big *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

enum shape { RANDOM, FEW_KEYS, SORTED, REVERSED, EQUAL, ORGAN, NSHAPES };

static int shaped(enum shape sh, size_t i, size_t n)
{
	switch (sh) {
	case RANDOM: return (int)rnd() - (int)(UINT32_MAX / 4);
	case FEW_KEYS: return (int)(rnd() % 4);
	case SORTED: return (int)i;
	case REVERSED: return (int)(n - i);
	case EQUAL: return 5;
	default: return (int)(i < n / 2 ? i : n - i);
	}
}

static void test_qsort_ints(void)
{
	static int a[5000], b[5000];
	const size_t sizes[] = { 0, 1, 2, 3, 5, 16, 17, 31, 100, 1000, 5000 };

	for (int sh = 0; sh < NSHAPES; sh++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			size_t n = sizes[k];
			for (size_t i = 0; i < n; i++)
				a[i] = b[i] = shaped((enum shape)sh, i, n);
			ncmp = 0;
			rl_qsort(a, n, sizeof(int), cmp_int);
			size_t mine = ncmp;
			qsort(b, n, sizeof(int), cmp_int);
			CHECK_MEM(a, b, n * sizeof(int));
			/* Introsort bound: under 3 n log2 n comparisons even
			 * for the patterns that break a plain quicksort. */
			size_t lg = 1;
			for (size_t m = n; m > 1; m >>= 1)
				lg++;
			if (n > 16 && mine > 3 * n * lg)
				CHECK_INT(mine, 3 * n * lg);
		}
}

/* McIlroy's adversary ("A killer adversary for quicksort", 1999): values
 * start as "gas" and are frozen to solid, increasing values only when the
 * sort compares two gas elements, always in the way that hurts the pivot.
 * Against a plain quicksort this costs O(n^2) comparisons; the introsort
 * must stay O(n log n). */
static int *adv_val;
static int adv_gas, adv_solid, adv_candidate;

static int cmp_adversary(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	ncmp++;
	if (adv_val[x] == adv_gas && adv_val[y] == adv_gas)
		adv_val[x == adv_candidate ? x : y] = adv_solid++;
	if (adv_val[x] == adv_gas)
		adv_candidate = x;
	else if (adv_val[y] == adv_gas)
		adv_candidate = y;
	return (adv_val[x] > adv_val[y]) - (adv_val[x] < adv_val[y]);
}

static void test_qsort_adversary(void)
{
	enum { N = 5000 };
	static int idx[N], val[N];

	adv_val = val;
	adv_gas = N;
	adv_solid = 0;
	adv_candidate = 0;
	for (int i = 0; i < N; i++) {
		idx[i] = i;
		val[i] = adv_gas;
	}
	ncmp = 0;
	rl_qsort(idx, N, sizeof(int), cmp_adversary);
	for (int i = 1; i < N; i++)
		CHECK(val[idx[i - 1]] <= val[idx[i]]);
	size_t lg = 13; /* log2(5000) + 1 */
	if (ncmp > 6 * N * lg)
		CHECK_INT(ncmp, 6 * N * lg);
}

static void test_qsort_records(void)
{
	static struct rec r[3000];
	static struct big g[2000];
	static unsigned char bytes[1001];

	for (int iter = 0; iter < 20; iter++) {
		size_t n = rnd() % 3000;
		for (size_t i = 0; i < n; i++)
			r[i] = (struct rec){ .key = rnd() % 50, .id = (uint32_t)i };
		rl_qsort(r, n, sizeof(r[0]), cmp_rec);
		uint64_t idsum = 0;
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				CHECK(r[i - 1].key <= r[i].key);
			idsum += r[i].id;
		}
		CHECK(idsum == (n ? (uint64_t)n * (n - 1) / 2 : 0)); /* a permutation */

		n = rnd() % 2000;
		for (size_t i = 0; i < n; i++)
			g[i] = (struct big){ .key = rnd(), .payload = { i, ~i, i * 3 } };
		rl_qsort(g, n, sizeof(g[0]), cmp_big);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				CHECK(g[i - 1].key <= g[i].key);
			CHECK(g[i].payload[1] == ~g[i].payload[0] && g[i].payload[2] == g[i].payload[0] * 3);
		}

		/* Misaligned base, one-byte elements. */
		n = rnd() % 1000;
		for (size_t i = 0; i < n; i++)
			bytes[1 + i] = (unsigned char)rnd();
		rl_qsort(bytes + 1, n, 1, cmp_byte);
		for (size_t i = 1; i < n; i++)
			CHECK(bytes[i] <= bytes[i + 1]);
	}
}

static void test_bsearch(void)
{
	int a[300];

	for (size_t n = 0; n < 300; n += 7) {
		for (size_t i = 0; i < n; i++)
			a[i] = (int)(i * 3);
		for (int key = -2; key < (int)n * 3 + 3; key++)
			CHECK(rl_bsearch(&key, a, n, sizeof(int), cmp_int) ==
			      bsearch(&key, a, n, sizeof(int), cmp_int));
	}
}

/* time.h */

static void test_time(void)
{
	rl_wall_ns_set(1700000000999999999LL);
	long t = 0;
	CHECK_INT(rl_time(NULL), 1700000000);
	CHECK_INT(rl_time(&t), 1700000000);
	CHECK_INT(t, 1700000000);

	const long fixed[] = { 0, -1, 86399, 86400, -86400, -86401, 951782400, 951868800,
	                       4107542400, -2208988800, 253402300799, -62135596800, 68719476736 };
	for (int iter = 0; iter < 300000; iter++) {
		long s = iter < (int)(sizeof(fixed) / sizeof(fixed[0])) ? fixed[iter]
		         : (long)(((uint64_t)rnd() << 32 | rnd()) % 800000000000ull) - 400000000000L;
		struct tm a, b;
		memset(&a, 0x55, sizeof(a));
		REQUIRE(rl_gmtime_r(&s, &a) == &a);
		REQUIRE(gmtime_r(&s, &b) == &b);
		if (a.tm_year != b.tm_year || a.tm_mon != b.tm_mon || a.tm_mday != b.tm_mday ||
		    a.tm_hour != b.tm_hour || a.tm_min != b.tm_min || a.tm_sec != b.tm_sec ||
		    a.tm_wday != b.tm_wday || a.tm_yday != b.tm_yday || a.tm_isdst != 0) {
			CHECK_INT(s, -1);
			break;
		}
		/* timegm inverts it, also from shifted, unnormalised fields. */
		struct tm c = a;
		CHECK_INT(rl_timegm(&c), s);
		c.tm_mon += 25;
		c.tm_mday -= 40;
		c.tm_sec += 100000;
		struct tm d = c;
		CHECK_INT(rl_timegm(&c), timegm(&d));
		CHECK(c.tm_year == d.tm_year && c.tm_mon == d.tm_mon && c.tm_mday == d.tm_mday &&
		      c.tm_sec == d.tm_sec && c.tm_wday == d.tm_wday && c.tm_yday == d.tm_yday);
	}
	long huge = LONG_MAX;
	struct tm tm;
	rl_riad_libc_errno = 0;
	CHECK(rl_gmtime_r(&huge, &tm) == NULL);
	CHECK_INT(rl_riad_libc_errno, EOVERFLOW);
}

/* setjmp.h */

static rl_jmp_buf jb;
static int depth_reached;

static void __attribute__((noinline)) dive(int depth, int val)
{
	volatile char stack_use[256];
	stack_use[0] = (char)depth;
	depth_reached = depth + stack_use[0] - depth;
	if (depth < 0)
		return;
	if (depth == 0)
		rl_longjmp(jb, val);
	dive(depth - 1, val);
}

static void test_setjmp(void)
{
	volatile int calls = 0;
	/* Callee-saved registers hold these across the jump. */
	register long r1 = (long)rnd(), r2 = r1 * 3;
	int v = rl_setjmp(jb);
	calls++;
	if (calls == 1) {
		CHECK_INT(v, 0);
		dive(20, 7);
	} else if (calls == 2) {
		CHECK_INT(v, 7);
		dive(5, 0);
	} else {
		CHECK_INT(v, 1); /* longjmp(env, 0) returns 1 */
	}
	CHECK_INT(r2, r1 * 3);
	CHECK_INT(calls, 3);
	CHECK_INT(depth_reached, 0);
}

/* Ending the unikernel */

static void call_abort(void) { rl_abort(); }
static void call_exit(void) { rl_exit(300); }
static void call_assert(void) { rl_riad_libc_assert_fail("x > 0", "file.c", 12, "fn"); }

static void test_endings(void)
{
	int status = 0;

	rl_console_take(NULL, NULL);
	CHECK(rl_expect_end(call_abort, &status));
	CHECK_INT(status, 255);
	CHECK_STR(rl_console_take(NULL, NULL), "riad libc: abort()\n");
	CHECK(rl_expect_end(call_exit, &status));
	CHECK_INT(status, 300 & 255);
	CHECK(rl_expect_end(call_assert, &status));
	CHECK_INT(status, 255);
	CHECK_STR(rl_console_take(NULL, NULL), "riad libc: assertion failed: x > 0 (file.c:12: fn)\n");
	CHECK(rl_getenv("PATH") == NULL);
}

int main(void)
{
	RUN(test_strtol_edges);
	RUN(test_strtol_random);
	RUN(test_strtol_misc);
	RUN(test_abs_div);
	RUN(test_qsort_ints);
	RUN(test_qsort_adversary);
	RUN(test_qsort_records);
	RUN(test_bsearch);
	RUN(test_time);
	RUN(test_setjmp);
	RUN(test_endings);
	return check_done();
}
