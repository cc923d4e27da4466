/* runtime/clock_tm.c: nanoseconds since the epoch to UTC calendar fields,
 * without libc's time functions (it runs freestanding too).
 *
 * Days are converted with the proleptic Gregorian calendar counted in eras of
 * 400 years (146097 days, which is exactly 20871 weeks), each starting on
 * March 1st so that the leap day is the last day of its year: then the day of
 * the year maps to a month with one linear formula, because March..January
 * month lengths repeat the pattern 31,30,31,30,31 with 153 days per five
 * months.
 */
#include <riad/clock.h>
#include <riad/time.h>

#define SECS_PER_DAY 86400
#define DAYS_PER_ERA 146097   /* 400 years */
/* Days from 0000-03-01 (an era start) to 1970-01-01. */
#define EPOCH_SHIFT 719468

/* Division rounding towards minus infinity, for the negative times. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void civil_from_days(int64_t days, struct riad_tm *tm)
{
	int64_t z = days + EPOCH_SHIFT;
	int64_t era = floor_div(z, DAYS_PER_ERA);
	int64_t doe = z - era * DAYS_PER_ERA;                 /* 0..146096 */
	/* Year of the era: remove the leap days before doe (one every 4 years
	 * (1460 days), none every 100 (36524), one every 400 (the last day of
	 * the era, 146096)), then divide by 365. */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  /* 0..365 */
	int64_t mp = (5 * doy + 2) / 153;                     /* 0 = March */
	tm->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	tm->year = (int)(era * 400 + yoe + (tm->month <= 2));
}

void riad_clock_to_tm(int64_t ns, struct riad_tm *tm)
{
	/* Not ns - secs * 10^9: for INT64_MIN that product overflows. */
	int64_t secs = floor_div(ns, RIAD_NS_PER_S);
	int64_t rem = ns % RIAD_NS_PER_S;
	tm->nsec = (int)(rem < 0 ? rem + RIAD_NS_PER_S : rem);
	int64_t days = floor_div(secs, SECS_PER_DAY);
	int64_t sod = secs - days * SECS_PER_DAY;
	tm->hour = (int)(sod / 3600);
	tm->min = (int)(sod / 60 % 60);
	tm->sec = (int)(sod % 60);
	civil_from_days(days, tm);
}
