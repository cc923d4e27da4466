/* riad/errno.h: the error numbers riad's functions return, negated.
 *
 * riad reports errors as negative numbers (-RIAD_ETIMEDOUT, ...), never
 * through a global variable. The values are Linux's, so that a number seen
 * in a log means the same as errno would on the host. Each header that
 * returns errors includes this one; which errors a function may return is
 * written at the function. riad_strerror() gives a short text for each,
 * for messages meant for people.
 */
#ifndef RIAD_ERRNO_H
#define RIAD_ERRNO_H

#define RIAD_ENOENT 2          /* no such key, partition or device entry */
#define RIAD_EINTR 4          /* a wait ended by riad_fiber_interrupt() */
#define RIAD_EIO 5
#define RIAD_EAGAIN 11         /* nothing now: try again after waiting */
#define RIAD_ENOMEM 12
#define RIAD_EACCES 13         /* refused: a wrong key */
#define RIAD_EBUSY 16          /* already open */
#define RIAD_EEXIST 17         /* already exists */
#define RIAD_ENODEV 19
#define RIAD_ENOTDIR 20        /* a path goes through a value, not a dictionary */
#define RIAD_EISDIR 21         /* a value was asked of a dictionary */
#define RIAD_EINVAL 22
#define RIAD_EFBIG 27          /* a value larger than the store allows */
#define RIAD_ENOSPC 28         /* the device or store is full */
#define RIAD_EROFS 30          /* a write to something read-only */
#define RIAD_EPIPE 32
#define RIAD_ERANGE 34         /* outside the device or value */
#define RIAD_ENAMETOOLONG 36   /* a key or name too long */
#define RIAD_ENOTEMPTY 39      /* removing a dictionary that is not empty */
#define RIAD_EBADMSG 74        /* bad data: a failed checksum, tag or format */
#define RIAD_EMSGSIZE 90
#define RIAD_ENOTSUP 95        /* not supported here (Linux: EOPNOTSUPP) */
#define RIAD_EADDRINUSE 98
#define RIAD_EADDRNOTAVAIL 99
#define RIAD_ENETDOWN 100
#define RIAD_ENETUNREACH 101
#define RIAD_ECONNABORTED 103  /* a connection died: the peer stopped answering
                                  (retransmission, SYN or keepalive timeouts) */
#define RIAD_ECONNRESET 104
#define RIAD_ENOBUFS 105
#define RIAD_ENOTCONN 107
#define RIAD_ETIMEDOUT 110
#define RIAD_ECONNREFUSED 111
#define RIAD_EHOSTUNREACH 113

/* A short lower-case text for err, which may be given negated or not
 * (-RIAD_EBADMSG and RIAD_EBADMSG give the same text): "no such entry",
 * "bad data (failed checksum or authentication)", ... 0 is "success"; a
 * value not listed above is "unknown error". The text is a constant:
 * never NULL, never freed. */
const char *riad_strerror(int err);

#endif
