/* riad/errno.h: the error numbers riad's functions return, negated.
 *
 * riad reports errors as negative numbers (-RIAD_ETIMEDOUT, ...), never
 * through a global variable. The values are Linux's, so that a number seen
 * in a log means the same as errno would on the host. Each header that
 * returns errors includes this one; which errors a function may return is
 * written at the function.
 */
#ifndef RIAD_ERRNO_H
#define RIAD_ERRNO_H

#define RIAD_EINTR 4          /* a wait ended by riad_fiber_interrupt() */
#define RIAD_EIO 5
#define RIAD_EAGAIN 11         /* nothing now: try again after waiting */
#define RIAD_ENOMEM 12
#define RIAD_ENODEV 19
#define RIAD_EINVAL 22
#define RIAD_EPIPE 32
#define RIAD_EMSGSIZE 90
#define RIAD_ENOTSUP 95        /* not supported here (Linux: EOPNOTSUPP) */
#define RIAD_EADDRINUSE 98
#define RIAD_EADDRNOTAVAIL 99
#define RIAD_ENETDOWN 100
#define RIAD_ENETUNREACH 101
#define RIAD_ECONNRESET 104
#define RIAD_ENOBUFS 105
#define RIAD_ENOTCONN 107
#define RIAD_ETIMEDOUT 110
#define RIAD_ECONNREFUSED 111
#define RIAD_EHOSTUNREACH 113

#endif
