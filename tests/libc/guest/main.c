/* tests/libc/guest/main.c: the libc inside a real guest (spt, hvt), run by
 * tests/libc/guest.t: formatting to the console, the heap the start code
 * gave, qsort, setjmp, strtol, the rep-string memcpy/memset, time(). With
 * an argument it misuses the libc instead, and must be stopped:
 * "doublefree", "abort" or "assert". */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <riad_libc.h>

static int checks, failures;

#define CHECK(cond) \
	do { \
		checks++; \
		if (!(cond)) { \
			failures++; \
			printf("libc-guest: check failed at line %d: %s\n", __LINE__, #cond); \
		} \
	} while (0)

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void check_format(void)
{
	char buf[128];

	CHECK(snprintf(buf, sizeof(buf), "%d|%5s|%-5x|%#o|%+.3d|%p|%zu|%lld", -42, "ab", 255u, 8u, 7,
	               (void *)0x1000, sizeof(long), LLONG_MIN) == 54);
	CHECK(strcmp(buf, "-42|   ab|ff   |010|+007|0x1000|8|-9223372036854775808") == 0);
	CHECK(snprintf(NULL, 0, "%s", "measure") == 7);
	CHECK(printf("libc-guest: printf works (%s)\n", "console") == 35);
}

static void check_heap(void)
{
	static char *blocks[512];
	unsigned s = 12345;
	size_t used_before = riad_libc_heap_used();

	for (int round = 0; round < 4; round++)
		for (int i = 0; i < 512; i++) {
			s = s * 1103515245u + 12345u;
			if (blocks[i]) {
				CHECK(blocks[i][0] == (char)i);
				free(blocks[i]);
				blocks[i] = NULL;
			} else {
				size_t n = (s >> 8) % 3000 + 1;
				blocks[i] = (s & 1) ? malloc(n) : realloc(NULL, n);
				CHECK(blocks[i] != NULL && (unsigned long)blocks[i] % 16 == 0);
				if (blocks[i])
					memset(blocks[i], i, n);
			}
		}
	riad_libc_heap_check();
	for (int i = 0; i < 512; i++)
		free(blocks[i]);
	CHECK(riad_libc_heap_used() == used_before);
	void *a = aligned_alloc(4096, 100);
	CHECK(a != NULL && (unsigned long)a % 4096 == 0);
	free(a);
	volatile size_t huge = (size_t)-1; /* hidden from -Walloc-size-larger-than */
	errno = 0;
	CHECK(malloc(huge) == NULL && errno == ENOMEM);
}

static jmp_buf jb;

static void check_misc(void)
{
	int a[1000];
	unsigned s = 1;
	for (int i = 0; i < 1000; i++) {
		s = s * 1103515245u + 12345u;
		a[i] = (int)(s >> 4);
	}
	qsort(a, 1000, sizeof(int), cmp_int);
	int sorted = 1;
	for (int i = 1; i < 1000; i++)
		sorted &= a[i - 1] <= a[i];
	CHECK(sorted);
	int key = a[500];
	CHECK(*(int *)bsearch(&key, a, 1000, sizeof(int), cmp_int) == key);

	volatile int n = 0;
	if (setjmp(jb) < 3) {
		n++;
		longjmp(jb, n);
	}
	CHECK(n == 3);

	errno = 0;
	CHECK(strtol("0x7fffffffffffffff0", NULL, 0) == LONG_MAX && errno == ERANGE);
	char *end;
	CHECK(strtoul(" -1z", &end, 10) == ULONG_MAX && *end == 'z');

	/* Long enough for the rep movsb / rep stosb paths. */
	static char x[70000], y[70000];
	memset(x, 0x5a, sizeof(x));
	memcpy(y + 3, x + 1, 65536);
	CHECK(y[2] == 0 && y[3] == 0x5a && y[65538] == 0x5a && y[65539] == 0);
	memmove(y + 1, y + 3, 65536);
	CHECK(y[0] == 0 && y[1] == 0x5a && y[65536] == 0x5a);

	time_t t = time(NULL);
	struct tm tm;
	CHECK(gmtime_r(&t, &tm) != NULL && tm.tm_year + 1900 >= 2024);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "doublefree") == 0) {
		char *p = malloc(10);
		free(p);
		free(p);
	} else if (argc > 1 && strcmp(argv[1], "abort") == 0) {
		abort();
	} else if (argc > 1 && strcmp(argv[1], "assert") == 0) {
		assert(argc == 1);
	}
	check_format();
	check_heap();
	check_misc();
	printf("libc-guest: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
