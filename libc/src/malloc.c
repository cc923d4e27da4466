/* libc/src/malloc.c: the heap allocator: malloc, calloc, realloc, free,
 * aligned_alloc, posix_memalign over the one region given to
 * riad_libc_heap_init() (see <riad_libc.h> for the contract).
 *
 * Layout. The region is a sequence of blocks ("chunks") that tile it
 * exactly, followed by a zero-sized sentinel header:
 *
 *   | hdr | payload ...... | hdr | payload ... [footer] | ... | sentinel |
 *
 * A header is two words: head = size | INUSE | PREV_INUSE, and check =
 * head ^ cookie ^ address, which is how corrupted headers and pointers that
 * malloc never returned are recognised. Sizes are multiples of 16 and
 * headers are 16 bytes, so payloads are 16-byte aligned. A free chunk keeps
 * its free-list links in its first payload words and its size again in its
 * last word (the footer), so that freeing the chunk after it can find it.
 *
 * Invariants (riad_libc_heap_check() verifies all of them):
 *  1. Chunks tile [start, sentinel) and each has a valid check word.
 *  2. No two free chunks are adjacent: free() coalesces at once.
 *  3. PREV_INUSE in a header is set iff the chunk before it is in use
 *     (the first chunk has it set: nothing before it can be merged).
 *  4. Every free chunk is on exactly the free list bin_of(its size) says,
 *     and bit i of map is set iff list i is non-empty.
 *  5. used is the sum of the sizes of the chunks in use.
 *
 * Free lists: sizes below 1024 have one exact list per 16 bytes; above,
 * each power of two is split into four lists. malloc takes the first chunk
 * that fits from the request's own list, else the head of the next non-empty
 * list (whose chunks are all big enough), and splits off the remainder.
 *
 * A chunk absorbed by a neighbour during coalescing has its header stamped
 * DEAD, so freeing a pointer into it again is reported as a double free
 * (unless the memory has been reused since).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad_libc.h>

#include "internal.h"

#define ALIGN 16
#define HDR 16
#define MIN_CHUNK 48 /* header + two links + footer, rounded up */
#define INUSE 1ul
#define PREV_INUSE 2ul
#define FLAGS (INUSE | PREV_INUSE)
#define NBINS 256
#define COOKIE 0x5a17c0de9e3779b9ul
#define DEAD 0xdeadb10cdeadb10cul

struct chunk {
	size_t head;
	size_t check;
	struct chunk *next, *prev; /* only while free */
};

static struct {
	char *start;
	struct chunk *sentinel;
	struct chunk *bins[NBINS];
	uint64_t map[NBINS / 64];
	size_t used;
	size_t peak;  /* largest used since the heap was made */
	size_t nfree; /* free chunks on the lists (fragments) */
} H;

static size_t csize(const struct chunk *c)
{
	return c->head & ~FLAGS;
}

static struct chunk *at(const struct chunk *c, size_t off)
{
	return (struct chunk *)(void *)((char *)c + off);
}

static size_t check_of(const struct chunk *c, size_t head)
{
	return head ^ COOKIE ^ (uintptr_t)c;
}

static void set_head(struct chunk *c, size_t head)
{
	c->head = head;
	c->check = check_of(c, head);
}

static bool valid(const struct chunk *c)
{
	return c->check == check_of(c, c->head);
}

static void stamp_dead(struct chunk *c)
{
	c->head = 0;
	c->check = check_of(c, DEAD);
}

static bool is_dead(const struct chunk *c)
{
	return c->head == 0 && c->check == check_of(c, DEAD);
}

static void set_footer(struct chunk *c, size_t size)
{
	*(size_t *)(void *)((char *)c + size - sizeof(size_t)) = size;
}

static unsigned bin_of(size_t size)
{
	if (size < 1024)
		return (unsigned)(size / 16);
	unsigned b = 63u - (unsigned)__builtin_clzll(size);
	unsigned idx = 64 + (b - 10) * 4 + (unsigned)((size >> (b - 2)) & 3);
	return idx < NBINS ? idx : NBINS - 1;
}

/* The first non-empty bin at or after i, or NBINS. */
static unsigned next_bin(unsigned i)
{
	if (i >= NBINS)
		return NBINS;
	unsigned w = i / 64;
	uint64_t bits = H.map[w] & (~0ull << (i % 64));
	while (bits == 0) {
		if (++w == NBINS / 64)
			return NBINS;
		bits = H.map[w];
	}
	return w * 64 + (unsigned)__builtin_ctzll(bits);
}

static void bin_insert(struct chunk *c)
{
	unsigned i = bin_of(csize(c));

	c->prev = NULL;
	c->next = H.bins[i];
	if (c->next)
		c->next->prev = c;
	H.bins[i] = c;
	H.map[i / 64] |= 1ull << (i % 64);
	H.nfree++;
}

/* Whether a free-list link may be followed: NULL or a chunk address inside
 * the heap. A link overwritten by a use after free fails this (or the
 * checks after it) instead of sending the allocator through a wild
 * pointer. */
static bool link_ok(const struct chunk *c)
{
	return c == NULL || ((char *)c >= H.start && c < H.sentinel && (uintptr_t)c % ALIGN == 0);
}

static void bin_remove(struct chunk *c)
{
	unsigned i = bin_of(csize(c));

	if (!link_ok(c->prev) || !link_ok(c->next) ||
	    (c->prev ? c->prev->next : H.bins[i]) != c || (c->next && c->next->prev != c))
		riad_libc_fatal("malloc: free list corrupted at %p (overrun of the block before it?)",
		                (void *)c);
	if (c->prev)
		c->prev->next = c->next;
	else
		H.bins[i] = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (H.bins[i] == NULL)
		H.map[i / 64] &= ~(1ull << (i % 64));
	H.nfree--;
}

/* Make c (whose header is set, PREV_INUSE included) a free chunk of size. */
static void put_free(struct chunk *c, size_t size)
{
	set_footer(c, size);
	bin_insert(c);
}

/* Unlink and return a free chunk of at least need bytes, or NULL. */
static struct chunk *take_fit(size_t need)
{
	unsigned i = bin_of(need);

	for (struct chunk *c = H.bins[i]; c; c = c->next) {
		if (!link_ok(c) || !valid(c))
			riad_libc_fatal("malloc: free block at %p has a corrupted header", (void *)c);
		if (csize(c) >= need) {
			bin_remove(c);
			return c;
		}
	}
	i = next_bin(i + 1);
	if (i == NBINS)
		return NULL;
	struct chunk *c = H.bins[i];
	if (!valid(c))
		riad_libc_fatal("malloc: free block at %p has a corrupted header", (void *)c);
	bin_remove(c);
	return c;
}

/* Mark the unlinked free chunk c in use with size bytes, returning the rest
 * (if big enough to be a chunk) to the free lists. */
static void *use(struct chunk *c, size_t size)
{
	size_t have = csize(c);
	size_t prev_flag = c->head & PREV_INUSE;

	if (have - size >= MIN_CHUNK) {
		struct chunk *rest = at(c, size);
		set_head(rest, (have - size) | PREV_INUSE);
		put_free(rest, have - size);
		have = size; /* the chunk after rest already knows rest is free */
	} else {
		struct chunk *next = at(c, have);
		set_head(next, next->head | PREV_INUSE);
	}
	set_head(c, have | INUSE | prev_flag);
	H.used += have;
	if (H.used > H.peak)
		H.peak = H.used;
	return at(c, HDR);
}

/* Free chunk of size that was just carved out of the heap, possibly
 * merging with a free chunk after it (never before it: callers guarantee
 * the chunk before is in use). */
static void release(struct chunk *c, size_t size)
{
	struct chunk *next = at(c, size);

	if (!(next->head & INUSE)) {
		bin_remove(next);
		size += csize(next);
		stamp_dead(next);
		next = at(c, size);
	}
	set_head(c, size | PREV_INUSE);
	put_free(c, size);
	set_head(next, next->head & ~PREV_INUSE);
}

/* Chunk size for a request of n bytes, or 0 if it cannot possibly fit. */
static size_t chunk_size(size_t n)
{
	if (H.start == NULL || n > (size_t)((char *)H.sentinel - H.start))
		return 0;
	size_t size = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/* The in-use chunk of p, after every check that p came from malloc and
 * that the headers around it are intact. */
static struct chunk *owned(void *p, const char *who)
{
	char *cp = p;

	if (H.start == NULL || cp < H.start + HDR || cp >= (char *)H.sentinel ||
	    (uintptr_t)cp % ALIGN != 0)
		riad_libc_fatal("malloc: %s(%p): not a pointer from malloc", who, p);
	struct chunk *c = (struct chunk *)(void *)(cp - HDR);
	if (!valid(c)) {
		if (is_dead(c))
			riad_libc_fatal("malloc: %s(%p): double free", who, p);
		riad_libc_fatal("malloc: %s(%p): invalid pointer or corrupted header", who, p);
	}
	if (!(c->head & INUSE))
		riad_libc_fatal("malloc: %s(%p): double free", who, p);
	size_t size = csize(c);
	if (size < MIN_CHUNK || size > (size_t)((char *)H.sentinel - (char *)c))
		riad_libc_fatal("malloc: %s(%p): corrupted header", who, p);
	struct chunk *next = at(c, size);
	if (!valid(next) || !(next->head & PREV_INUSE))
		riad_libc_fatal("malloc: %s(%p): header after the block overwritten (overrun?)", who, p);
	return c;
}

void riad_libc_heap_init(void *start, size_t size)
{
	uintptr_t s = ((uintptr_t)start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	uintptr_t e = ((uintptr_t)start + size) & ~(uintptr_t)(ALIGN - 1);

	if ((uintptr_t)start + size < (uintptr_t)start || e < s || e - s < MIN_CHUNK + HDR)
		riad_libc_fatal("malloc: heap of %zu bytes at %p is too small", size, start);
	memset(&H, 0, sizeof(H));
	H.start = (char *)s;
	H.sentinel = (struct chunk *)(e - HDR);
	set_head(H.sentinel, INUSE);
	struct chunk *first = (struct chunk *)s;
	set_head(first, (e - HDR - s) | PREV_INUSE);
	put_free(first, e - HDR - s);
}

void *malloc(size_t n)
{
	size_t size = chunk_size(n);
	struct chunk *c = size ? take_fit(size) : NULL;

	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	return use(c, size);
}

void *calloc(size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(nmemb * size);
	return p ? memset(p, 0, nmemb * size) : NULL;
}

void free(void *p)
{
	if (p == NULL)
		return;
	struct chunk *c = owned(p, "free");
	size_t size = csize(c);
	H.used -= size;

	if (!(c->head & PREV_INUSE)) {
		size_t psize = *(size_t *)(void *)((char *)c - sizeof(size_t));
		struct chunk *prev = (struct chunk *)(void *)((char *)c - psize);
		if (psize < MIN_CHUNK || psize % ALIGN != 0 || psize > (size_t)((char *)c - H.start) ||
		    !valid(prev) || (prev->head & INUSE) || csize(prev) != psize)
			riad_libc_fatal("malloc: free(%p): the free block before it is corrupted", p);
		bin_remove(prev);
		stamp_dead(c);
		c = prev;
		size += psize;
	}
	release(c, size);
}

/* Give back the tail of in-use chunk c beyond size bytes, if it is big
 * enough to be a chunk. */
static void shrink(struct chunk *c, size_t size)
{
	size_t have = csize(c);

	if (have - size < MIN_CHUNK)
		return;
	set_head(c, size | (c->head & FLAGS));
	H.used -= have - size;
	release(at(c, size), have - size);
}

void *realloc(void *p, size_t n)
{
	if (p == NULL)
		return malloc(n);
	struct chunk *c = owned(p, "realloc");
	size_t size = chunk_size(n);
	if (size == 0) {
		errno = ENOMEM;
		return NULL;
	}
	size_t have = csize(c);
	if (size <= have) {
		shrink(c, size);
		return p;
	}
	struct chunk *next = at(c, have);
	if (!(next->head & INUSE) && have + csize(next) >= size) {
		/* Grow in place into the free chunk after it. */
		size_t nsize = csize(next);
		bin_remove(next);
		stamp_dead(next);
		struct chunk *after = at(c, have + nsize);
		set_head(after, after->head | PREV_INUSE);
		set_head(c, (have + nsize) | (c->head & FLAGS));
		H.used += nsize;
		shrink(c, size);
		if (H.used > H.peak)
			H.peak = H.used;
		return p;
	}
	void *q = malloc(n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, have - HDR);
	free(p);
	return q;
}

void *aligned_alloc(size_t alignment, size_t n)
{
	if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if (alignment <= ALIGN)
		return malloc(n);
	size_t size = chunk_size(n);
	size_t heap = H.start ? (size_t)((char *)H.sentinel - H.start) : 0;
	struct chunk *c = NULL;
	if (size != 0 && alignment <= heap && size + alignment + MIN_CHUNK <= heap)
		c = take_fit(size + alignment + MIN_CHUNK);
	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}

	/* The first aligned payload address whose leading gap is either zero
	 * or big enough to become a free chunk of its own. */
	uintptr_t payload = (uintptr_t)c + HDR;
	uintptr_t aligned = (payload + alignment - 1) & ~(uintptr_t)(alignment - 1);
	while (aligned != payload && aligned - payload < MIN_CHUNK)
		aligned += alignment;
	size_t lead = aligned - payload;
	if (lead > 0) {
		size_t total = csize(c);
		struct chunk *nc = at(c, lead);
		set_head(c, lead | (c->head & PREV_INUSE));
		put_free(c, lead);
		set_head(nc, total - lead);
		c = nc;
	}
	return use(c, size);
}

int posix_memalign(void **memptr, size_t alignment, size_t n)
{
	if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0)
		return EINVAL;
	int saved = errno;
	void *p = aligned_alloc(alignment, n);
	if (p == NULL) {
		int err = errno;
		errno = saved;
		return err;
	}
	*memptr = p;
	return 0;
}

size_t riad_libc_heap_used(void)
{
	return H.used;
}

size_t riad_libc_heap_peak(void)
{
	return H.peak;
}

size_t riad_libc_heap_free_chunks(void)
{
	return H.nfree;
}

size_t riad_libc_heap_free(void)
{
	return H.start ? (size_t)((char *)H.sentinel - H.start) - H.used : 0;
}

void riad_libc_heap_check(void)
{
	size_t used = 0, nfree = 0, nlisted = 0;
	bool prev_free = false;
	struct chunk *c;

	if (H.start == NULL)
		return;
	for (c = (struct chunk *)(void *)H.start; c != H.sentinel; c = at(c, csize(c))) {
		size_t size = csize(c);
		if (!valid(c) || size < MIN_CHUNK || size % ALIGN != 0 ||
		    size > (size_t)((char *)H.sentinel - (char *)c))
			riad_libc_fatal("malloc: heap check: bad header at %p", (void *)c);
		if (!(c->head & PREV_INUSE) != prev_free)
			riad_libc_fatal("malloc: heap check: wrong PREV_INUSE at %p", (void *)c);
		if (c->head & INUSE) {
			used += size;
			prev_free = false;
		} else {
			if (prev_free)
				riad_libc_fatal("malloc: heap check: adjacent free blocks at %p", (void *)c);
			if (*(size_t *)(void *)((char *)c + size - sizeof(size_t)) != size)
				riad_libc_fatal("malloc: heap check: bad footer at %p", (void *)c);
			nfree++;
			prev_free = true;
		}
	}
	if (!valid(c) || csize(c) != 0 || !(c->head & INUSE) || !(c->head & PREV_INUSE) != prev_free)
		riad_libc_fatal("malloc: heap check: bad sentinel at %p", (void *)c);
	for (unsigned i = 0; i < NBINS; i++) {
		if ((H.bins[i] != NULL) != ((H.map[i / 64] >> (i % 64)) & 1))
			riad_libc_fatal("malloc: heap check: bitmap wrong for list %u", i);
		struct chunk *prev = NULL;
		for (struct chunk *f = H.bins[i]; f; prev = f, f = f->next) {
			if (!link_ok(f) || !valid(f) || (f->head & INUSE) ||
			    bin_of(csize(f)) != i || f->prev != prev || ++nlisted > nfree)
				riad_libc_fatal("malloc: heap check: free list %u corrupted at %p", i,
				                (void *)f);
		}
	}
	if (nlisted != nfree)
		riad_libc_fatal("malloc: heap check: %zu free blocks but %zu listed", nfree, nlisted);
	if (used != H.used)
		riad_libc_fatal("malloc: heap check: %zu bytes in use but %zu counted", used, H.used);
	if (nfree != H.nfree)
		riad_libc_fatal("malloc: heap check: %zu free blocks but %zu counted", nfree, H.nfree);
	if (H.peak < H.used)
		riad_libc_fatal("malloc: heap check: peak %zu below %zu in use", H.peak, H.used);
}
