/* errno.h: the error variable and error numbers.
 *
 * The numbers are Linux's (x86_64), the same ones riad's runtime returns
 * negated (RIAD_ETIMEDOUT is ETIMEDOUT), so an error can cross between libc
 * and riad code without translation.
 *
 * errno is one global variable. A unikernel runs on one core and fibers
 * switch only where a call parks, and no libc function parks, so errno
 * stays valid between a failing libc call and the caller reading it, as long
 * as the caller reads it before anything that may park (riad_sleep_ns, I/O).
 *
 * Which functions set errno: strtol and friends (ERANGE, EINVAL), malloc,
 * calloc, realloc, aligned_alloc, strdup, strndup (ENOMEM), the printf
 * family (EOVERFLOW when the result would exceed INT_MAX bytes). No
 * function sets errno to 0.
 */
#ifndef RIAD_LIBC_ERRNO_H
#define RIAD_LIBC_ERRNO_H

extern int riad_libc_errno;
#define errno riad_libc_errno

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define EWOULDBLOCK EAGAIN
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EMLINK 31
#define EPIPE 32
#define EDOM 33
#define ERANGE 34
#define EDEADLK 35
#define ENAMETOOLONG 36
#define ENOLCK 37
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define ENOMSG 42
#define ENODATA 61
#define ETIME 62
#define EOVERFLOW 75
#define EBADMSG 74
#define EILSEQ 84
#define ENOTSOCK 88
#define EDESTADDRREQ 89
#define EMSGSIZE 90
#define EPROTOTYPE 91
#define ENOPROTOOPT 92
#define EPROTONOSUPPORT 93
#define EOPNOTSUPP 95
#define ENOTSUP EOPNOTSUPP
#define EAFNOSUPPORT 97
#define EADDRINUSE 98
#define EADDRNOTAVAIL 99
#define ENETDOWN 100
#define ENETUNREACH 101
#define ENETRESET 102
#define ECONNABORTED 103
#define ECONNRESET 104
#define ENOBUFS 105
#define EISCONN 106
#define ENOTCONN 107
#define ESHUTDOWN 108
#define ETIMEDOUT 110
#define ECONNREFUSED 111
#define EHOSTDOWN 112
#define EHOSTUNREACH 113
#define EALREADY 114
#define EINPROGRESS 115
#define ECANCELED 125
#define EPROTO 71

#endif
