/* time.h: a minimal <time.h>: wall-clock seconds and UTC calendar fields.
 *
 * Provided: time_t, struct timespec, struct tm, time(), gmtime_r(),
 * gmtime() (one static result, overwritten by the next call) and timegm()
 * (the inverse of gmtime_r, a GNU/BSD extension). time() reads the
 * unikernel's wall clock, riad_clock_wall_ns() from <riad/clock.h>, which
 * may jump when the host's clock is set. For intervals use
 * riad_time_ns() (<riad/time.h>) instead.
 *
 * Not provided: anything with time zones or locales (localtime, mktime,
 * strftime, tzset: a unikernel runs in UTC), clock(), difftime (a double),
 * clock_gettime and nanosleep (use <riad/time.h>).
 */
#ifndef RIAD_LIBC_TIME_H
#define RIAD_LIBC_TIME_H

#include <stddef.h>

#ifndef RIAD_LIBC_TIME_T
#define RIAD_LIBC_TIME_T
typedef long time_t;
#endif

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

struct tm {
	int tm_sec;   /* 0..60 */
	int tm_min;   /* 0..59 */
	int tm_hour;  /* 0..23 */
	int tm_mday;  /* 1..31 */
	int tm_mon;   /* 0..11 */
	int tm_year;  /* years since 1900 */
	int tm_wday;  /* 0..6, Sunday = 0 */
	int tm_yday;  /* 0..365 */
	int tm_isdst; /* always 0: UTC */
};

/* Seconds since 1970-01-01T00:00:00Z; also stored in *t if t is not NULL. */
time_t time(time_t *t);

/* Break t down into UTC fields. Returns tm, or NULL (errno EOVERFLOW) if the
 * year does not fit in an int. */
struct tm *gmtime_r(const time_t *__restrict t, struct tm *__restrict tm);
struct tm *gmtime(const time_t *t);

/* Seconds since the epoch of the UTC time in tm. Out-of-range fields are
 * normalised as by mktime (tm_mon 12 is January of the next year, ...), and
 * tm is rewritten with the normalised fields, tm_wday and tm_yday. */
time_t timegm(struct tm *tm);

#endif
