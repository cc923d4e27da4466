/* string.h: byte-array and string functions of riad's freestanding libc.
 *
 * Provided: all of C11's <string.h> (memcpy, memmove, memset, memcmp,
 * memchr, strlen, strcpy, strncpy, strcat, strncat, strcmp, strncmp, strcoll,
 * strxfrm, strchr, strrchr, strstr, strspn, strcspn, strpbrk, strtok,
 * strerror), plus the POSIX/BSD/GNU
 * additions that portable C services commonly use: strnlen, strdup, strndup
 * (which allocate with malloc), strtok_r, memrchr, memmem, strlcpy, strlcat
 * and explicit_bzero (a memset that the compiler may not remove, for
 * wiping keys).
 *
 * Every function behaves as C11 (or, for the extensions, as glibc/BSD)
 * specifies for the "C" locale, the only one: bytes compare as unsigned
 * char, strcoll is strcmp and strxfrm copies. Overlapping
 * source and destination is undefined except for memmove, as in C11.
 * None of these functions blocks or touches errno, except strdup and
 * strndup (ENOMEM when out of memory).
 *
 * strerror returns a static English message for the Linux errno numbers that
 * <errno.h> defines, and "Unknown error N" for others (in a static buffer
 * overwritten by the next such call).
 *
 * Not provided: strsignal (no signals), strerror_r, strsep, stpcpy.
 */
#ifndef RIAD_LIBC_STRING_H
#define RIAD_LIBC_STRING_H

#include <stddef.h>

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);
void *memmem(const void *hay, size_t haylen, const void *needle, size_t needlelen);
void explicit_bzero(void *dst, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strcpy(char *__restrict dst, const char *__restrict src);
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n);
char *strcat(char *__restrict dst, const char *__restrict src);
char *strncat(char *__restrict dst, const char *__restrict src, size_t n);
size_t strlcpy(char *__restrict dst, const char *__restrict src, size_t size);
size_t strlcat(char *__restrict dst, const char *__restrict src, size_t size);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcoll(const char *a, const char *b);
size_t strxfrm(char *__restrict dst, const char *__restrict src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strtok(char *__restrict s, const char *__restrict delim);
char *strtok_r(char *__restrict s, const char *__restrict delim, char **__restrict save);
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
char *strerror(int errnum);

#endif
