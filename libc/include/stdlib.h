/* stdlib.h: memory allocation, number parsing, sorting and ending the
 * unikernel.
 *
 * Memory: malloc, calloc, realloc, reallocarray, free, aligned_alloc,
 * posix_memalign over
 * the one heap region that the platform start code hands to
 * riad_libc_heap_init() (see <riad_libc.h>). Every pointer returned is
 * 16-byte aligned (or more for aligned_alloc). malloc(0) and realloc(p, 0)
 * return a unique minimal allocation that must be freed, never NULL unless
 * memory is exhausted; NULL always means out of memory and sets errno to
 * ENOMEM. calloc and reallocarray check nmemb * size for overflow. The allocator checks its
 * headers on every free and realloc: freeing a pointer twice, freeing a
 * pointer it never returned, or a header overwritten by a buffer overrun
 * aborts the unikernel with a message naming the address (these checks
 * find mistakes; they are not an exploit mitigation). None of these calls
 * blocks.
 *
 * Numbers: strtol, strtoul, strtoll, strtoull (C11 rules: leading
 * white space, optional sign, base 0 or 2..36, "0x" prefix for bases 0
 * and 16, *endptr = nptr when nothing was converted, ERANGE and the
 * saturated value on overflow, EINVAL for an invalid base), atoi, atol,
 * atoll, abs, labs, llabs, div, ldiv, lldiv.
 *
 * Sorting: qsort (an introsort: O(n log n) comparisons in the worst case,
 * no allocation, bounded stack; not stable), bsearch.
 *
 * Ending: abort() prints "riad libc: abort()" and ends the unikernel with
 * status 255; exit(status) and _Exit(status) end it with status (only the
 * low 8 bits reach the host). There are no atexit handlers.
 *
 * getenv: a unikernel has no environment; getenv always returns NULL. Its
 * configuration comes from the command line (<riad/args.h>).
 *
 * Not provided: strtod, atof and anything else with floating point (guests
 * are compiled without SSE); rand and srand (use riad's generator,
 * <riad/random.h>, which is cryptographically strong); atexit, system,
 * multibyte and wide-character conversions.
 */
#ifndef RIAD_LIBC_STDLIB_H
#define RIAD_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

__attribute__((__malloc__, __alloc_size__(1))) void *malloc(size_t size);
__attribute__((__malloc__, __alloc_size__(1, 2))) void *calloc(size_t nmemb, size_t size);
__attribute__((__alloc_size__(2))) void *realloc(void *ptr, size_t size);
/* realloc(ptr, nmemb * size), but NULL with ENOMEM if the product overflows
 * (BSD and glibc). */
__attribute__((__alloc_size__(2, 3))) void *reallocarray(void *ptr, size_t nmemb, size_t size);
void free(void *ptr);
__attribute__((__malloc__, __alloc_align__(1), __alloc_size__(2)))
void *aligned_alloc(size_t alignment, size_t size);
/* 0, EINVAL if alignment is not a power of two multiple of sizeof(void *),
 * or ENOMEM; *memptr is set only on success. */
int posix_memalign(void **memptr, size_t alignment, size_t size);

long strtol(const char *__restrict nptr, char **__restrict endptr, int base);
unsigned long strtoul(const char *__restrict nptr, char **__restrict endptr, int base);
long long strtoll(const char *__restrict nptr, char **__restrict endptr, int base);
unsigned long long strtoull(const char *__restrict nptr, char **__restrict endptr, int base);
/* atoi and friends are strtol(nptr, NULL, 10) cast to their type; errors are
 * not reported. */
int atoi(const char *nptr);
long atol(const char *nptr);
long long atoll(const char *nptr);

int abs(int j);
long labs(long j);
long long llabs(long long j);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);
lldiv_t lldiv(long long num, long long den);

void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *));

__attribute__((__noreturn__)) void abort(void);
__attribute__((__noreturn__)) void exit(int status);
__attribute__((__noreturn__)) void _Exit(int status);

char *getenv(const char *name);

#endif
