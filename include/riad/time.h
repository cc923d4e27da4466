/* riad/time.h: the monotonic clock and sleeping.
 *
 * One monotonic clock per unikernel, chosen when linking: on unix it is
 * clock_gettime(CLOCK_MONOTONIC), on the solo5 targets solo5_clock_monotonic().
 * Times are signed 64-bit nanoseconds, so that differences need no casts and
 * RIAD_TIME_NEVER can stand for "no deadline".
 */
#ifndef RIAD_TIME_H
#define RIAD_TIME_H

#include <stdint.h>

/* A deadline that never arrives. */
#define RIAD_TIME_NEVER INT64_MAX

#define RIAD_NS_PER_US 1000LL
#define RIAD_NS_PER_MS 1000000LL
#define RIAD_NS_PER_S 1000000000LL

/* Nanoseconds since an arbitrary fixed point in the past (boot, usually).
 * Never goes backwards. Never blocks. */
int64_t riad_time_ns(void);

/* Park the calling fiber for at least ns nanoseconds; other fibers run
 * meanwhile. ns <= 0 yields once (lets every ready fiber run) and returns.
 * Must be called from a fiber (main() is one). */
void riad_sleep_ns(int64_t ns);

/* Park the calling fiber until riad_time_ns() >= deadline. */
void riad_sleep_until(int64_t deadline);

#endif
