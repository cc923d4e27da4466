/* tests/libc/test_malloc.c: the riad libc's allocator: random
 * malloc/calloc/realloc/aligned_alloc/free sequences that verify contents,
 * alignment and disjointness and check the heap's invariants as they go;
 * out-of-memory behaviour; and that misuse (double free, foreign pointers,
 * overruns) aborts with a message. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "rl.h"

#define HEAP_SIZE (8u << 20)

static unsigned char heap[HEAP_SIZE + 64] __attribute__((aligned(64)));

static uint64_t rng = 0x13198a2e03707344u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Start a fresh heap at a deliberately misaligned address. */
static void fresh_heap(void)
{
	rl_riad_libc_heap_init(heap + 3, HEAP_SIZE);
	CHECK_INT(rl_riad_libc_heap_used(), 0);
}

static void test_before_init(void)
{
	rl_riad_libc_errno = 0;
	CHECK(rl_malloc(16) == NULL);
	CHECK_INT(rl_riad_libc_errno, ENOMEM);
	rl_free(NULL);
}

static void test_basics(void)
{
	fresh_heap();
	size_t total = rl_riad_libc_heap_free();
	CHECK(total > HEAP_SIZE - 64 && total <= HEAP_SIZE);

	void *z1 = rl_malloc(0), *z2 = rl_malloc(0);
	CHECK(z1 && z2 && z1 != z2);
	for (size_t n = 1; n < 300; n++) {
		unsigned char *p = rl_malloc(n);
		REQUIRE(p != NULL);
		CHECK((uintptr_t)p % 16 == 0);
		memset(p, 0xab, n);
		rl_free(p);
	}
	rl_free(z1);
	rl_free(z2);
	rl_free(NULL);
	CHECK_INT(rl_riad_libc_heap_used(), 0);
	CHECK_INT(rl_riad_libc_heap_free(), total);
	rl_riad_libc_heap_check();
	/* The gauges' values (riad/metrics.h): the peak is the largest block
	 * of the loop (299 bytes, header and rounding included); everything
	 * coalesced is one free block. */
	CHECK(rl_riad_libc_heap_peak() >= 299 + 16 && rl_riad_libc_heap_peak() <= 2 * 320 + 64);
	CHECK_INT(rl_riad_libc_heap_free_chunks(), 1);
	void *f1 = rl_malloc(100), *f2 = rl_malloc(100), *f3 = rl_malloc(100);
	REQUIRE(f1 && f2 && f3);
	rl_free(f2);
	CHECK_INT(rl_riad_libc_heap_free_chunks(), 2); /* the hole and the rest */
	rl_free(f1);
	rl_free(f3);
	CHECK_INT(rl_riad_libc_heap_free_chunks(), 1);

	/* Everything coalesced back: nearly the whole heap fits in one block. */
	void *all = rl_malloc(total - 16);
	CHECK(all != NULL);
	CHECK(rl_malloc(1) == NULL);
	rl_free(all);

	int *c = rl_calloc(1000, sizeof(int));
	REQUIRE(c != NULL);
	for (int i = 0; i < 1000; i++)
		CHECK_INT(c[i], 0);
	rl_free(c);
	CHECK_INT(rl_riad_libc_heap_used(), 0);
}

static void test_out_of_memory(void)
{
	fresh_heap();
	const size_t huge[] = { HEAP_SIZE, HEAP_SIZE * 2, SIZE_MAX, SIZE_MAX - 15, SIZE_MAX / 2 };

	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		rl_riad_libc_errno = 0;
		CHECK(rl_malloc(huge[i]) == NULL);
		CHECK_INT(rl_riad_libc_errno, ENOMEM);
		CHECK(rl_aligned_alloc(64, huge[i]) == NULL);
	}
	rl_riad_libc_errno = 0;
	CHECK(rl_calloc(SIZE_MAX / 2, 3) == NULL); /* the product overflows */
	CHECK_INT(rl_riad_libc_errno, ENOMEM);
	CHECK(rl_calloc((size_t)1 << 32, (size_t)1 << 32) == NULL);
	rl_riad_libc_errno = 0;
	CHECK(rl_reallocarray(NULL, (size_t)1 << 33, (size_t)1 << 31) == NULL);
	CHECK_INT(rl_riad_libc_errno, ENOMEM);
	int *arr = rl_reallocarray(NULL, 10, sizeof(int));
	REQUIRE(arr != NULL);
	arr[9] = 9;
	arr = rl_reallocarray(arr, 1000, sizeof(int));
	REQUIRE(arr != NULL);
	CHECK_INT(arr[9], 9);
	rl_free(arr);

	char *p = rl_malloc(100);
	REQUIRE(p != NULL);
	strcpy(p, "survives");
	rl_riad_libc_errno = 0;
	CHECK(rl_realloc(p, SIZE_MAX) == NULL);
	CHECK_INT(rl_riad_libc_errno, ENOMEM);
	CHECK(rl_realloc(p, HEAP_SIZE) == NULL);
	CHECK_STR(p, "survives"); /* realloc failure leaves the block alone */

	/* Fill the heap with small blocks, then check that it recovers. */
	void *blocks[200000];
	size_t n = 0;
	while (n < sizeof(blocks) / sizeof(blocks[0]) && (blocks[n] = rl_malloc(100)) != NULL)
		n++;
	CHECK(n > HEAP_SIZE / 128 - 100 && n < sizeof(blocks) / sizeof(blocks[0]));
	rl_riad_libc_heap_check();
	while (n > 0)
		rl_free(blocks[--n]);
	rl_free(p);
	CHECK_INT(rl_riad_libc_heap_used(), 0);
	rl_riad_libc_heap_check();
}

static void test_aligned(void)
{
	fresh_heap();
	for (size_t align = 1; align <= 65536; align *= 2)
		for (size_t n = 0; n < 200; n += 37) {
			void *p = rl_aligned_alloc(align, n);
			REQUIRE(p != NULL);
			CHECK((uintptr_t)p % (align < 16 ? 16 : align) == 0);
			memset(p, 0x5c, n);
			void *q = NULL;
			CHECK_INT(rl_posix_memalign(&q, align < 8 ? 8 : align, n), 0);
			CHECK(q && (uintptr_t)q % (align < 16 ? 16 : align) == 0);
			rl_riad_libc_heap_check();
			rl_free(p);
			rl_free(q);
		}
	CHECK_INT(rl_riad_libc_heap_used(), 0);
	void *q = (void *)1;
	rl_riad_libc_errno = 0;
	CHECK(rl_aligned_alloc(48, 10) == NULL);
	CHECK_INT(rl_riad_libc_errno, EINVAL);
	CHECK(rl_aligned_alloc(0, 10) == NULL);
	CHECK_INT(rl_posix_memalign(&q, 4, 10), EINVAL);
	CHECK_INT(rl_posix_memalign(&q, 24, 10), EINVAL);
	CHECK_INT(rl_posix_memalign(&q, 64, SIZE_MAX), ENOMEM);
	CHECK(q == (void *)1);
}

static void test_realloc(void)
{
	fresh_heap();
	CHECK(rl_realloc(NULL, 0) != NULL); /* malloc(0): a minimal block */
	unsigned char *p = rl_realloc(NULL, 10);
	REQUIRE(p != NULL);
	for (int i = 0; i < 10; i++)
		p[i] = (unsigned char)i;
	/* Grow in place (the heap after it is free), then move. */
	unsigned char *q = rl_realloc(p, 5000);
	REQUIRE(q != NULL);
	CHECK(q == p);
	void *blocker = rl_malloc(32);
	unsigned char *r = rl_realloc(q, 100000);
	REQUIRE(r != NULL);
	for (int i = 0; i < 10; i++)
		CHECK_INT(r[i], i);
	/* Shrink in place. */
	CHECK(rl_realloc(r, 20) == r);
	unsigned char *s = rl_realloc(r, 0);
	CHECK(s != NULL);
	rl_free(s);
	rl_free(blocker);
	rl_riad_libc_heap_check();
}

/* The random stress: slots hold live blocks with a known fill. */
struct slot {
	unsigned char *p;
	size_t n;
	size_t align;
	unsigned char fill;
};

static size_t random_size(void)
{
	switch (rnd() % 10) {
	case 0: return rnd() % 65536;
	case 1: return rnd() % 4096;
	case 2: return 0;
	default: return rnd() % 256;
	}
}

static bool slot_intact(const struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] != (unsigned char)(s->fill + i))
			return false;
	return true;
}

static void slot_fill(struct slot *s, size_t from)
{
	for (size_t i = from; i < s->n; i++)
		s->p[i] = (unsigned char)(s->fill + i);
}

static int by_address(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	return (x->p > y->p) - (x->p < y->p);
}

static void verify_all(struct slot *slots, size_t nslots)
{
	static struct slot sorted[2048];
	size_t live = 0;

	for (size_t i = 0; i < nslots; i++)
		if (slots[i].p) {
			CHECK(slot_intact(&slots[i]));
			CHECK((uintptr_t)slots[i].p % slots[i].align == 0);
			sorted[live++] = slots[i];
		}
	qsort(sorted, live, sizeof(sorted[0]), by_address);
	for (size_t i = 1; i < live; i++)
		CHECK(sorted[i - 1].p + sorted[i - 1].n <= sorted[i].p);
	rl_riad_libc_heap_check();
}

static void test_stress(void)
{
	static struct slot slots[2048];
	const size_t nslots = sizeof(slots) / sizeof(slots[0]);
	unsigned long fails = 0, ops = 0;

	fresh_heap();
	memset(slots, 0, sizeof(slots));
	for (int iter = 0; iter < 400000; iter++) {
		struct slot *s = &slots[rnd() % nslots];
		unsigned op = rnd() % 8;
		ops++;
		if (s->p == NULL) {
			s->n = random_size();
			s->fill = (unsigned char)rnd();
			s->align = 16;
			if (op == 0) {
				s->align = (size_t)32 << (rnd() % 8);
				s->p = rl_aligned_alloc(s->align, s->n);
			} else if (op == 1) {
				s->p = rl_calloc(1, s->n);
				for (size_t i = 0; s->p && i < s->n; i++)
					if (s->p[i] != 0) {
						CHECK(!"calloc memory not zeroed");
						break;
					}
			} else {
				s->p = rl_malloc(s->n);
			}
			if (s->p == NULL) {
				fails++;
				continue;
			}
			slot_fill(s, 0);
		} else if (op < 3) {
			size_t n = random_size();
			unsigned char *q = rl_realloc(s->p, n);
			if (q == NULL) {
				fails++;
				CHECK(slot_intact(s));
				continue;
			}
			s->p = q;
			size_t keep = n < s->n ? n : s->n;
			s->n = keep;
			if (!slot_intact(s))
				CHECK(!"realloc lost contents");
			s->n = n;
			s->align = 16;
			slot_fill(s, keep);
		} else {
			if (!slot_intact(s))
				CHECK(!"block contents changed");
			rl_free(s->p);
			s->p = NULL;
		}
		if (iter % 20000 == 0)
			verify_all(slots, nslots);
		if (check_failures_in_test > 5)
			return;
	}
	verify_all(slots, nslots);
	for (size_t i = 0; i < nslots; i++) {
		rl_free(slots[i].p);
		slots[i].p = NULL;
	}
	CHECK_INT(rl_riad_libc_heap_used(), 0);
	rl_riad_libc_heap_check();
	CHECK(fails < ops / 100); /* an 8 MiB heap easily holds this load */
}

/* Misuse: each case must end in the libc's abort with a message. */

static void *victim, *other;

static void expect_fatal(void (*fn)(void), const char *what)
{
	int status = 0;

	rl_console_take(NULL, NULL);
	CHECK(rl_expect_end(fn, &status));
	CHECK_INT(status, 255);
	const char *msg = rl_console_take(NULL, NULL);
	if (!strstr(msg, what) || strncmp(msg, "riad libc: malloc: ", 19) != 0) {
		printf("  expected \"%s\", got \"%s\"\n", what, msg);
		check_failures_in_test++;
	}
}

static void do_free_victim(void) { rl_free(victim); }
static void do_realloc_victim(void) { rl_realloc(victim, 10); }

static void test_double_free(void)
{
	fresh_heap();
	victim = rl_malloc(40);
	other = rl_malloc(40);
	rl_free(victim);
	expect_fatal(do_free_victim, "double free");
	expect_fatal(do_realloc_victim, "double free");

	/* Freed and then merged into its free neighbour: still caught. */
	fresh_heap();
	other = rl_malloc(40);
	victim = rl_malloc(40);
	void *guard = rl_malloc(40);
	rl_free(other);
	rl_free(victim); /* merges into other's block */
	expect_fatal(do_free_victim, "double free");
	(void)guard;
}

static void test_bad_pointers(void)
{
	char local[32];

	fresh_heap();
	victim = local;
	expect_fatal(do_free_victim, "not a pointer from malloc");
	char *p = rl_malloc(100);
	victim = p + 8;
	expect_fatal(do_free_victim, "not a pointer from malloc"); /* misaligned */
	victim = p + 32;
	expect_fatal(do_free_victim, "invalid pointer or corrupted header");
}

static void test_overrun(void)
{
	fresh_heap();
	char *p = rl_malloc(40);
	char *q = rl_malloc(40);
	(void)q;
	memset(p, 'A', 56); /* 16 bytes too many: q's header */
	victim = p;
	expect_fatal(do_free_victim, "overwritten");
	victim = q;
	expect_fatal(do_free_victim, "corrupted header");

	/* An overrun into a free block's links is caught when it is used. */
	fresh_heap();
	p = rl_malloc(40);
	q = rl_malloc(40);
	void *guard = rl_malloc(40);
	(void)guard;
	rl_free(q);
	memset(p + 48, 0, 32); /* q's header (now a free block) and links */
	victim = p;
	expect_fatal(do_free_victim, "overwritten");
}

static void *grab;
static void do_malloc(void)
{
	grab = rl_malloc(40);
	grab = rl_malloc(40);
}

static void test_corrupted_free_list(void)
{
	fresh_heap();
	char *a = rl_malloc(40);
	void *b = rl_malloc(40);
	void *c = rl_malloc(40);
	void *d = rl_malloc(40);
	(void)b;
	(void)d;
	rl_free(c);
	rl_free(a);
	/* A use after free smashes a's next link (the first payload word of
	 * the free block; a heads its list and c follows). */
	memset(a, 0x41, 8);
	expect_fatal(do_malloc, "free list corrupted");
}

int main(void)
{
	RUN(test_before_init);
	RUN(test_basics);
	RUN(test_out_of_memory);
	RUN(test_aligned);
	RUN(test_realloc);
	RUN(test_stress);
	RUN(test_double_free);
	RUN(test_bad_pointers);
	RUN(test_overrun);
	RUN(test_corrupted_free_list);
	return check_done();
}
