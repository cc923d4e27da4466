/* riad/clock.h: the wall clock.
 *
 * Wall-clock time is for showing to people (log stamps, HTTP Date headers)
 * and for certificates; it may jump in both directions when the host's clock
 * is set. Never use it to measure intervals: that is riad_time_ns().
 */
#ifndef RIAD_CLOCK_H
#define RIAD_CLOCK_H

#include <stdint.h>

/* Nanoseconds since 1970-01-01T00:00:00Z (UTC, leap seconds not counted).
 * Never blocks. */
int64_t riad_clock_wall_ns(void);

/* Broken-down UTC time, for formatting. */
struct riad_tm {
	int year;   /* e.g. 2026 */
	int month;  /* 1..12 */
	int day;    /* 1..31 */
	int hour;   /* 0..23 */
	int min;    /* 0..59 */
	int sec;    /* 0..59 */
	int nsec;   /* 0..999999999 */
};

/* Convert nanoseconds since the epoch into UTC calendar fields. Defined for
 * every int64_t input (years 1677..2262). Pure; does not read any clock. */
void riad_clock_to_tm(int64_t ns, struct riad_tm *tm);

#endif
