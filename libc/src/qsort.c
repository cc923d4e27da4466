/* libc/src/qsort.c: qsort as an introsort.
 *
 * Quicksort with a median-of-three (or ninther) pivot and a partition that stops on
 * elements equal to the pivot (so runs of equal keys split evenly); it
 * recurses into the smaller part and loops on the larger, so the stack stays
 * O(log n). If the recursion gets deeper than 2 log2(n), that range is
 * heapsorted instead, which bounds the worst case at O(n log n). Ranges of
 * at most 16 elements are insertion-sorted. Not stable; allocates nothing.
 */
#include <stdint.h>
#include <stdlib.h>

typedef int cmp_fn(const void *, const void *);

struct sorter {
	size_t size;
	cmp_fn *cmp;
	int words; /* elements are whole, aligned 8-byte words: swap by word */
};

#define SMALL 16

static void swap(const struct sorter *s, char *a, char *b)
{
	if (a == b)
		return;
	if (s->words) {
		uint64_t *p = (uint64_t *)(void *)a, *q = (uint64_t *)(void *)b;
		for (size_t n = s->size / 8; n > 0; n--, p++, q++) {
			uint64_t t = *p;
			*p = *q;
			*q = t;
		}
	} else {
		for (size_t n = s->size; n > 0; n--, a++, b++) {
			char t = *a;
			*a = *b;
			*b = t;
		}
	}
}

static void insertion_sort(const struct sorter *s, char *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (char *p = a + i * s->size; p > a && s->cmp(p - s->size, p) > 0; p -= s->size)
			swap(s, p - s->size, p);
}

static void sift_down(const struct sorter *s, char *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && s->cmp(a + child * s->size, a + (child + 1) * s->size) < 0)
			child++;
		if (s->cmp(a + root * s->size, a + child * s->size) >= 0)
			return;
		swap(s, a + root * s->size, a + child * s->size);
		root = child;
	}
}

static void heap_sort(const struct sorter *s, char *a, size_t n)
{
	for (size_t i = n / 2; i > 0; i--)
		sift_down(s, a, i - 1, n);
	for (size_t end = n - 1; end > 0; end--) {
		swap(s, a, a + end * s->size);
		sift_down(s, a, 0, end);
	}
}

/* Order the three elements so that *x <= *y <= *z. */
static void sort3(const struct sorter *s, char *x, char *y, char *z)
{
	if (s->cmp(x, y) > 0)
		swap(s, x, y);
	if (s->cmp(y, z) > 0) {
		swap(s, y, z);
		if (s->cmp(x, y) > 0)
			swap(s, x, y);
	}
}

/* Choose the pivot and move it to a[0]: the median of the first, middle
 * and last elements, or for large ranges the median of three such medians
 * (Tukey's ninther). The samples are left ordered in place, which breaks up
 * reversed and organ-pipe inputs instead of preserving their pattern. */
static void pivot_to_front(const struct sorter *s, char *a, size_t n)
{
	size_t sz = s->size, mid = n / 2;

	if (n > 128) {
		size_t step = n / 8;
		sort3(s, a, a + step * sz, a + 2 * step * sz);
		sort3(s, a + (mid - step) * sz, a + mid * sz, a + (mid + step) * sz);
		sort3(s, a + (n - 1 - 2 * step) * sz, a + (n - 1 - step) * sz, a + (n - 1) * sz);
		sort3(s, a + step * sz, a + mid * sz, a + (n - 1 - step) * sz);
	} else {
		sort3(s, a, a + mid * sz, a + (n - 1) * sz);
	}
	swap(s, a, a + mid * sz);
}

/* Partition around a[0]; returns the pivot's final index j, with every
 * element before j not greater and every element after it not less. */
static size_t partition(const struct sorter *s, char *a, size_t n)
{
	size_t i = 1, j = n - 1, sz = s->size;

	for (;;) {
		while (i <= j && s->cmp(a + i * sz, a) < 0)
			i++;
		while (i <= j && s->cmp(a + j * sz, a) > 0)
			j--;
		if (i >= j)
			break;
		swap(s, a + i * sz, a + j * sz);
		i++;
		j--;
	}
	swap(s, a, a + j * sz);
	return j;
}

static void intro_sort(const struct sorter *s, char *a, size_t n, unsigned depth)
{
	while (n > SMALL) {
		if (depth == 0) {
			heap_sort(s, a, n);
			return;
		}
		depth--;
		pivot_to_front(s, a, n);
		size_t j = partition(s, a, n);
		char *right = a + (j + 1) * s->size;
		size_t nright = n - j - 1;
		if (j < nright) {
			intro_sort(s, a, j, depth);
			a = right;
			n = nright;
		} else {
			intro_sort(s, right, nright, depth);
			n = j;
		}
	}
	insertion_sort(s, a, n);
}

void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
{
	struct sorter s = {
		.size = size,
		.cmp = compar,
		.words = size % 8 == 0 && (uintptr_t)base % 8 == 0,
	};
	unsigned depth = 0;

	if (nmemb < 2 || size == 0)
		return;
	for (size_t n = nmemb; n > 1; n >>= 1)
		depth += 2;
	intro_sort(&s, base, nmemb, depth);
}
