/* sys/types.h: the few POSIX types that portable C code expects.
 *
 * Provided: size_t, ssize_t, off_t (64-bit), time_t (64-bit seconds),
 * SSIZE_MAX (also in <limits.h>). There are no processes, users or files on a unikernel, so
 * pid_t, uid_t, mode_t and the like are not provided.
 */
#ifndef RIAD_LIBC_SYS_TYPES_H
#define RIAD_LIBC_SYS_TYPES_H

#include <stddef.h>

#ifndef RIAD_LIBC_SSIZE_T
#define RIAD_LIBC_SSIZE_T
typedef long ssize_t;
#endif
#ifndef RIAD_LIBC_OFF_T
#define RIAD_LIBC_OFF_T
typedef long off_t;
#endif
#ifndef RIAD_LIBC_TIME_T
#define RIAD_LIBC_TIME_T
typedef long time_t;
#endif

#define SSIZE_MAX __LONG_MAX__ /* also in <limits.h> */

#endif
