/* tests/libc/rl.h: the riad libc as the host tests see it: every symbol
 * carries the prefix rl_ (mk/libc.mk applies objcopy --prefix-symbols), so
 * it links beside glibc and each rl_X can be compared with glibc's X.
 *
 * The declarations mirror libc/include with the prefix added; the types are
 * the same on x86_64 (size_t, long...). Also the hooks of rl_support.c:
 * the fake console, platform abort and wall clock that the libc calls. */
#ifndef RIAD_TESTS_LIBC_RL_H
#define RIAD_TESTS_LIBC_RL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* string.h, strings.h */
void *rl_memcpy(void *dst, const void *src, size_t n);
void *rl_memmove(void *dst, const void *src, size_t n);
void *rl_memset(void *dst, int c, size_t n);
int rl_memcmp(const void *a, const void *b, size_t n);
void *rl_memchr(const void *s, int c, size_t n);
void *rl_memrchr(const void *s, int c, size_t n);
void *rl_memmem(const void *hay, size_t haylen, const void *needle, size_t needlelen);
void rl_explicit_bzero(void *dst, size_t n);
size_t rl_strlen(const char *s);
size_t rl_strnlen(const char *s, size_t max);
char *rl_strcpy(char *dst, const char *src);
char *rl_strncpy(char *dst, const char *src, size_t n);
char *rl_strcat(char *dst, const char *src);
char *rl_strncat(char *dst, const char *src, size_t n);
size_t rl_strlcpy(char *dst, const char *src, size_t size);
size_t rl_strlcat(char *dst, const char *src, size_t size);
int rl_strcmp(const char *a, const char *b);
int rl_strncmp(const char *a, const char *b, size_t n);
int rl_strcoll(const char *a, const char *b);
size_t rl_strxfrm(char *dst, const char *src, size_t n);
char *rl_strchr(const char *s, int c);
char *rl_strrchr(const char *s, int c);
char *rl_strstr(const char *hay, const char *needle);
size_t rl_strspn(const char *s, const char *accept);
size_t rl_strcspn(const char *s, const char *reject);
char *rl_strpbrk(const char *s, const char *accept);
char *rl_strtok(char *s, const char *delim);
char *rl_strtok_r(char *s, const char *delim, char **save);
char *rl_strdup(const char *s);
char *rl_strndup(const char *s, size_t n);
char *rl_strerror(int errnum);
int rl_strcasecmp(const char *a, const char *b);
int rl_strncasecmp(const char *a, const char *b, size_t n);

/* ctype.h */
int rl_isalnum(int c);
int rl_isalpha(int c);
int rl_isblank(int c);
int rl_iscntrl(int c);
int rl_isdigit(int c);
int rl_isgraph(int c);
int rl_islower(int c);
int rl_isprint(int c);
int rl_ispunct(int c);
int rl_isspace(int c);
int rl_isupper(int c);
int rl_isxdigit(int c);
int rl_tolower(int c);
int rl_toupper(int c);

/* errno.h */
extern int rl_riad_libc_errno;

/* stdio.h */
struct rl_file;
extern struct rl_file rl_riad_libc_stdout, rl_riad_libc_stderr;
#define rl_stdout (&rl_riad_libc_stdout)
#define rl_stderr (&rl_riad_libc_stderr)
int rl_printf(const char *fmt, ...);
int rl_vprintf(const char *fmt, va_list ap);
int rl_fprintf(struct rl_file *f, const char *fmt, ...);
int rl_snprintf(char *buf, size_t size, const char *fmt, ...);
int rl_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rl_sprintf(char *buf, const char *fmt, ...);
int rl_puts(const char *s);
int rl_fputs(const char *s, struct rl_file *f);
int rl_putchar(int c);
int rl_fputc(int c, struct rl_file *f);
int rl_putc(int c, struct rl_file *f);
size_t rl_fwrite(const void *ptr, size_t size, size_t nmemb, struct rl_file *f);
int rl_fflush(struct rl_file *f);
void rl_perror(const char *s);

/* stdlib.h, inttypes.h */
void *rl_malloc(size_t size);
void *rl_calloc(size_t nmemb, size_t size);
void *rl_realloc(void *ptr, size_t size);
void *rl_reallocarray(void *ptr, size_t nmemb, size_t size);
void rl_free(void *ptr);
void *rl_aligned_alloc(size_t alignment, size_t size);
int rl_posix_memalign(void **memptr, size_t alignment, size_t size);
long rl_strtol(const char *nptr, char **endptr, int base);
unsigned long rl_strtoul(const char *nptr, char **endptr, int base);
long long rl_strtoll(const char *nptr, char **endptr, int base);
unsigned long long rl_strtoull(const char *nptr, char **endptr, int base);
intmax_t rl_strtoimax(const char *nptr, char **endptr, int base);
uintmax_t rl_strtoumax(const char *nptr, char **endptr, int base);
int rl_atoi(const char *nptr);
long rl_atol(const char *nptr);
long long rl_atoll(const char *nptr);
int rl_abs(int j);
long rl_labs(long j);
long long rl_llabs(long long j);
intmax_t rl_imaxabs(intmax_t j);
typedef struct { int quot, rem; } rl_div_t;
typedef struct { long quot, rem; } rl_ldiv_t;
typedef struct { long long quot, rem; } rl_lldiv_t;
rl_div_t rl_div(int num, int den);
rl_ldiv_t rl_ldiv(long num, long den);
rl_lldiv_t rl_lldiv(long long num, long long den);
void rl_qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *));
void *rl_bsearch(const void *key, const void *base, size_t nmemb, size_t size,
                 int (*compar)(const void *, const void *));
void rl_abort(void);
void rl_exit(int status);
char *rl_getenv(const char *name);
void rl_riad_libc_assert_fail(const char *expr, const char *file, int line, const char *func);

/* riad_libc.h */
void rl_riad_libc_heap_init(void *start, size_t size);
size_t rl_riad_libc_heap_used(void);
size_t rl_riad_libc_heap_peak(void);
size_t rl_riad_libc_heap_free_chunks(void);
size_t rl_riad_libc_heap_free(void);
void rl_riad_libc_heap_check(void);

/* setjmp.h */
typedef long rl_jmp_buf[8];
__attribute__((returns_twice)) int rl_setjmp(rl_jmp_buf env);
__attribute__((noreturn)) void rl_longjmp(rl_jmp_buf env, int val);

/* time.h (struct tm has glibc's first nine fields, in the same order) */
struct tm;
long rl_time(long *t);
struct tm *rl_gmtime_r(const long *t, struct tm *tm);
long rl_timegm(struct tm *tm);

/* rl_support.c: what the libc calls outside itself, faked. */
/* Everything the libc wrote to the console since the last call, and how
 * many riad_console_write calls that took; NUL-terminated, valid until the
 * next call. */
const char *rl_console_take(size_t *len, int *writes);
/* rl_riad_platform_abort (and exit) longjmp back here: returns true if fn
 * aborted, with the status in *status (255 for abort, exit's otherwise). */
bool rl_expect_end(void (*fn)(void), int *status);
/* What rl_riad_clock_wall_ns returns. */
void rl_wall_ns_set(int64_t ns);

#endif
