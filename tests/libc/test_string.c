/* tests/libc/test_string.c: the riad libc's <string.h>, <strings.h> and
 * <ctype.h> against glibc, on varied lengths, alignments and overlaps. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../unit/check.h"
#include "rl.h"

#define BUF 600

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)rnd();
}

static int sign(long v)
{
	return (v > 0) - (v < 0);
}

/* The generic versions of functions that libc/src/x86_64/ replaces, when
 * mk/libc.mk built them (prefixed rg_). */
extern void *rg_memcpy(void *dst, const void *src, size_t n) __attribute__((weak));
extern void *rg_memset(void *dst, int c, size_t n) __attribute__((weak));

typedef void *memcpy_fn(void *dst, const void *src, size_t n);
typedef void *memset_fn(void *dst, int c, size_t n);

static void check_memcpy(memcpy_fn *fn)
{
	static unsigned char src[70000], a[70000], b[70000];
	const size_t big[] = { 511, 512, 513, 1500, 4096 + 7, 65536 };

	fill(src, sizeof(src));
	for (size_t n = 0; n <= 300; n += (n < 70 ? 1 : 7))
		for (size_t so = 0; so < 16; so++)
			for (size_t d = 0; d < 16; d += 3) {
				fill(a, BUF);
				memcpy(b, a, BUF);
				void *r = fn(a + d, src + so, n);
				memcpy(b + d, src + so, n);
				CHECK(r == a + d);
				if (memcmp(a, b, BUF) != 0) {
					CHECK_INT(n * 1000 + so * 10 + d, -1);
					return;
				}
			}
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		size_t n = big[i] & 0x1ffff, so = i % 8, d = (i * 3) % 16; /* (bounded for GCC) */
		fill(a, n + 32);
		memcpy(b, a, n + 32);
		CHECK(fn(a + d, src + so, n) == a + d);
		memcpy(b + d, src + so, n);
		CHECK(memcmp(a, b, n + 32) == 0);
	}
}

static void test_memcpy(void)
{
	check_memcpy(rl_memcpy);
	if (rg_memcpy)
		check_memcpy(rg_memcpy);
}

static void test_memmove(void)
{
	static unsigned char a[BUF], b[BUF];

	for (size_t n = 0; n <= 200; n += (n < 40 ? 1 : 9))
		for (int off = -40; off <= 40; off++) {
			fill(a, sizeof(a));
			memcpy(b, a, sizeof(a));
			size_t s = 100, d = (size_t)(100 + off);
			void *r = rl_memmove(a + d, a + s, n);
			memmove(b + d, b + s, n);
			CHECK(r == a + d);
			if (memcmp(a, b, sizeof(a)) != 0) {
				CHECK_INT((long)n * 1000 + off, -1);
				return;
			}
		}
}

static void check_memset(memset_fn *fn)
{
	static unsigned char a[70000], b[70000];
	const int values[] = { 0, 1, 0x7f, 0x80, 0xff, 0x1ab, -1, -200 };
	const size_t big[] = { 511, 512, 513, 1500, 4096 + 7, 65536 };

	for (size_t n = 0; n <= 300; n += (n < 70 ? 1 : 11))
		for (size_t d = 0; d < 16; d++)
			for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
				fill(a, BUF);
				memcpy(b, a, BUF);
				CHECK(fn(a + d, values[v], n) == a + d);
				memset(b + d, values[v], n);
				CHECK(memcmp(a, b, BUF) == 0);
			}
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		size_t n = big[i] & 0x1ffff, d = (i * 5) % 16; /* (bounded for GCC) */
		fill(a, n + 32);
		memcpy(b, a, n + 32);
		CHECK(fn(a + d, values[i], n) == a + d);
		memset(b + d, values[i], n);
		CHECK(memcmp(a, b, n + 32) == 0);
	}
}

static void test_memset(void)
{
	static unsigned char a[64], b[64];

	check_memset(rl_memset);
	if (rg_memset)
		check_memset(rg_memset);
	fill(a, 64);
	rl_explicit_bzero(a + 3, 40);
	memset(b, 0, 40);
	CHECK_MEM(a + 3, b, 40);
}

static void test_memcmp(void)
{
	static unsigned char a[BUF], b[BUF];

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rnd() % 100, ao = rnd() % 16, bo = rnd() % 16;
		fill(a + ao, n);
		memcpy(b + bo, a + ao, n);
		if (n > 0 && rnd() % 4 != 0)
			b[bo + rnd() % n] = (unsigned char)rnd();
		CHECK_INT(sign(rl_memcmp(a + ao, b + bo, n)), sign(memcmp(a + ao, b + bo, n)));
	}
	CHECK(rl_memcmp("\x80", "\x7f", 1) > 0);
	CHECK(rl_memcmp("abc", "abd", 0) == 0);
}

static void test_memchr(void)
{
	static unsigned char a[BUF];

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rnd() % 120, o = rnd() % 16;
		for (size_t i = 0; i < n; i++)
			a[o + i] = (unsigned char)(rnd() % 8 + 0x7c);
		int c = (int)(rnd() % 10 + 0x7c) | (rnd() % 2 ? 0x100 : 0);
		CHECK(rl_memchr(a + o, c, n) == memchr(a + o, c, n));
		CHECK(rl_memrchr(a + o, c, n) == memrchr(a + o, c, n));
	}
	static const char hay[] = "abracadabra, abracadabra!";
	const char *needles[] = { "", "a", "abra", "cad", "ra!", "!", "x", "abracadabra, abracadabra!!" };
	for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		for (size_t hl = 0; hl <= sizeof(hay) - 1; hl++)
			CHECK(rl_memmem(hay, hl, needles[i], strlen(needles[i])) ==
			      memmem(hay, hl, needles[i], strlen(needles[i])));
}

/* Random short strings over a small alphabet, so that comparisons and
 * searches hit each other often. */
static void rand_str(char *s, size_t n, char lo, int range)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(lo + (int)(rnd() % (unsigned)range));
	s[n] = '\0';
}

static void test_strlen_cmp(void)
{
	static char a[BUF], b[BUF];

	for (int iter = 0; iter < 20000; iter++) {
		size_t ao = rnd() % 16, bo = rnd() % 16;
		rand_str(a + ao, rnd() % 40, 'a', 3);
		rand_str(b + bo, rnd() % 40, 'a', 3);
		if (rnd() % 3 == 0)
			strcpy(b + bo, a + ao);
		if (rnd() % 5 == 0)
			a[ao + rnd() % (strlen(a + ao) + 1)] = (char)0xe9;
		size_t n = rnd() % 45;
		CHECK_INT(rl_strlen(a + ao), strlen(a + ao));
		CHECK_INT(rl_strnlen(a + ao, n), strnlen(a + ao, n));
		CHECK_INT(sign(rl_strcmp(a + ao, b + bo)), sign(strcmp(a + ao, b + bo)));
		CHECK_INT(sign(rl_strncmp(a + ao, b + bo, n)), sign(strncmp(a + ao, b + bo, n)));
		CHECK_INT(sign(rl_strcoll(a + ao, b + bo)), sign(strcoll(a + ao, b + bo)));
		char xa[64], xb[64];
		memset(xa, 'Q', sizeof(xa));
		memset(xb, 'Q', sizeof(xb));
		CHECK_INT(rl_strxfrm(xa, a + ao, n), strxfrm(xb, a + ao, n));
		if (strlen(a + ao) < n)
			CHECK_STR(xa, xb);
	}
	CHECK(rl_strcmp("\xe9", "a") > 0);
	CHECK(rl_strncmp("abc", "abd", 2) == 0);
	CHECK(rl_strncmp("ab", "ab\0x", 4) == 0);
}

static void test_strcasecmp(void)
{
	static char a[64], b[64];

	for (int iter = 0; iter < 20000; iter++) {
		rand_str(a, rnd() % 10, '@', 60); /* '@'..'{': both cases and punctuation */
		rand_str(b, rnd() % 10, '@', 60);
		if (rnd() % 2)
			for (size_t i = 0; i <= strlen(a); i++)
				b[i] = (char)(rnd() % 2 ? toupper(a[i]) : tolower(a[i]));
		size_t n = rnd() % 12;
		CHECK_INT(sign(rl_strcasecmp(a, b)), sign(strcasecmp(a, b)));
		CHECK_INT(sign(rl_strncasecmp(a, b, n)), sign(strncasecmp(a, b, n)));
	}
}

static void test_strcpy_cat(void)
{
	static char src[128], a[256], b[256];

	for (int iter = 0; iter < 5000; iter++) {
		size_t so = rnd() % 16, n = rnd() % 50;
		rand_str(src + so, rnd() % 40, 'a', 26);
		memset(a, 'X', sizeof(a));
		memset(b, 'X', sizeof(b));
		switch (iter % 4) {
		case 0:
			CHECK(rl_strcpy(a + 3, src + so) == a + 3);
			strcpy(b + 3, src + so);
			break;
		case 1:
			CHECK(rl_strncpy(a + 3, src + so, n) == a + 3);
			strncpy(b + 3, src + so, n);
			break;
		case 2:
			strcpy(a + 5, "pre");
			strcpy(b + 5, "pre");
			CHECK(rl_strcat(a + 5, src + so) == a + 5);
			strcat(b + 5, src + so);
			break;
		case 3:
			strcpy(a + 5, "pre");
			strcpy(b + 5, "pre");
			CHECK(rl_strncat(a + 5, src + so, n) == a + 5);
			strncat(b + 5, src + so, n);
			break;
		}
		CHECK_MEM(a, b, sizeof(a));
	}
}

static void test_strlcpy(void)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	CHECK_INT(rl_strlcpy(buf, "hello world", sizeof(buf)), 11);
	CHECK_STR(buf, "hello w");
	CHECK_INT(rl_strlcpy(buf, "hi", sizeof(buf)), 2);
	CHECK_STR(buf, "hi");
	memset(buf, 'X', sizeof(buf));
	CHECK_INT(rl_strlcpy(buf, "abc", 0), 3);
	CHECK(buf[0] == 'X');
	CHECK_INT(rl_strlcpy(buf, "abc", 1), 3);
	CHECK_STR(buf, "");
	strcpy(buf, "ab");
	CHECK_INT(rl_strlcat(buf, "cdefghij", sizeof(buf)), 10);
	CHECK_STR(buf, "abcdefg");
	CHECK_INT(rl_strlcat(buf, "zz", sizeof(buf)), 9);
	CHECK_STR(buf, "abcdefg");
	memset(buf, 'Y', sizeof(buf)); /* unterminated: returns size + strlen(src) */
	CHECK_INT(rl_strlcat(buf, "abc", sizeof(buf)), 11);
	CHECK_INT(rl_strlcat(buf, "abc", 3), 6);
}

static void test_strchr_strstr(void)
{
	static char a[128], n[16];

	for (int iter = 0; iter < 20000; iter++) {
		size_t o = rnd() % 16;
		rand_str(a + o, rnd() % 60, 'a', 4);
		int c = (int)(rnd() % 6 + 'a') | (rnd() % 2 ? 0x100 : 0);
		if (rnd() % 10 == 0)
			c = 0;
		CHECK(rl_strchr(a + o, c) == strchr(a + o, c));
		CHECK(rl_strrchr(a + o, c) == strrchr(a + o, c));
		rand_str(n, rnd() % 5, 'a', 3);
		CHECK(rl_strstr(a + o, n) == strstr(a + o, n));
		CHECK_INT(rl_strspn(a + o, n), strspn(a + o, n));
		CHECK_INT(rl_strcspn(a + o, n), strcspn(a + o, n));
		CHECK(rl_strpbrk(a + o, n) == strpbrk(a + o, n));
	}
	CHECK(rl_strspn("\xff\xfe" "a", "\xfe\xff") == 2);
	CHECK(rl_strcspn("ab\x80", "\x80") == 2);
}

static void test_strtok(void)
{
	const char *inputs[] = { "", ",,,", "a", "a,b", ",a,,b,", "  hello world  x", "one;two, three" };
	const char *delims[] = { ",", " ", ", ;", "" };

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (size_t d = 0; d < sizeof(delims) / sizeof(delims[0]); d++) {
			char a[64], b[64], *sa, *sb;
			strcpy(a, inputs[i]);
			strcpy(b, inputs[i]);
			char *ta = rl_strtok_r(a, delims[d], &sa), *tb = strtok_r(b, delims[d], &sb);
			for (;;) {
				CHECK((ta == NULL) == (tb == NULL));
				if (!ta || !tb)
					break;
				CHECK(ta - a == tb - b);
				ta = rl_strtok_r(NULL, delims[d], &sa);
				tb = strtok_r(NULL, delims[d], &sb);
			}
			/* The tokenised buffers are identical too. */
			CHECK_MEM(a, b, strlen(inputs[i]) + 1);
			strcpy(a, inputs[i]);
			strcpy(b, inputs[i]);
			ta = rl_strtok(a, delims[d]);
			tb = strtok(b, delims[d]);
			while (ta && tb) {
				CHECK(ta - a == tb - b);
				ta = rl_strtok(NULL, delims[d]);
				tb = strtok(NULL, delims[d]);
			}
			CHECK(ta == NULL && tb == NULL);
		}
}

static void test_strdup(void)
{
	static char heap[4096];

	rl_riad_libc_heap_init(heap, sizeof(heap));
	char *d = rl_strdup("duplicate me");
	REQUIRE(d != NULL);
	CHECK_STR(d, "duplicate me");
	char *e = rl_strndup("abcdef", 3);
	CHECK_STR(e, "abc");
	char *f = rl_strndup("ab", 10);
	CHECK_STR(f, "ab");
	rl_free(d);
	rl_free(e);
	rl_free(f);
	CHECK_INT(rl_riad_libc_heap_used(), 0);
	char big[5000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rl_riad_libc_errno = 0;
	CHECK(rl_strdup(big) == NULL);
	CHECK_INT(rl_riad_libc_errno, ENOMEM);
}

static void test_strerror(void)
{
	int known[] = { 0, EPERM, ENOENT, EINTR, EIO, EAGAIN, ENOMEM, EINVAL, ENOSPC, ERANGE,
	                EOVERFLOW, ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ECANCELED };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		/* Same numbers, and here the same wording, as glibc. */
		CHECK_STR(rl_strerror(known[i]), strerror(known[i]));
	}
	CHECK_STR(rl_strerror(9999), "Unknown error 9999");
	CHECK_STR(rl_strerror(-5), "Unknown error -5");
}

static void test_ctype(void)
{
	int (*mine[])(int) = { rl_isalnum, rl_isalpha, rl_isblank, rl_iscntrl, rl_isdigit,
	                       rl_isgraph, rl_islower, rl_isprint, rl_ispunct, rl_isspace,
	                       rl_isupper, rl_isxdigit };
	int (*theirs[])(int) = { isalnum, isalpha, isblank, iscntrl, isdigit, isgraph,
	                         islower, isprint, ispunct, isspace, isupper, isxdigit };

	for (int c = -1; c <= 255; c++) {
		for (size_t f = 0; f < sizeof(mine) / sizeof(mine[0]); f++)
			if (!mine[f](c) != !theirs[f](c))
				CHECK_INT(c * 100 + (int)f, -1);
		CHECK_INT(rl_tolower(c), tolower(c));
		CHECK_INT(rl_toupper(c), toupper(c));
	}
	/* Out of range is no class rather than an out-of-bounds read. */
	CHECK(!rl_isalpha(-100) && !rl_isspace(1000) && rl_tolower(-100) == -100);
}

int main(void)
{
	RUN(test_memcpy);
	RUN(test_memmove);
	RUN(test_memset);
	RUN(test_memcmp);
	RUN(test_memchr);
	RUN(test_strlen_cmp);
	RUN(test_strcasecmp);
	RUN(test_strcpy_cat);
	RUN(test_strlcpy);
	RUN(test_strchr_strstr);
	RUN(test_strtok);
	RUN(test_strdup);
	RUN(test_strerror);
	RUN(test_ctype);
	return check_done();
}
