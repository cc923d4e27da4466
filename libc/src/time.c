/* libc/src/time.c: time() from the wall clock, and conversions between
 * seconds since the epoch and UTC calendar fields (proleptic Gregorian).
 *
 * The calendar arithmetic counts years from March: then February, with its
 * leap day, is the last month of the year, month lengths follow a fixed
 * 153-days-per-5-months pattern, and a 400-year era always has 146097 days.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>

#include <riad/clock.h>

#define SECS_PER_DAY 86400LL
#define DAYS_PER_ERA 146097LL
#define EPOCH_SHIFT 719468LL /* days from 0000-03-01 to 1970-01-01 */

time_t time(time_t *t)
{
	time_t now = (time_t)(riad_clock_wall_ns() / 1000000000LL);

	if (t)
		*t = now;
	return now;
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of year-month-day, month 1..12. */
static long long days_from_civil(long long y, int m, int d)
{
	if (m <= 2)
		y--; /* January and February belong to the previous March-year */
	long long era = floor_div(y, 400);
	long long yoe = y - era * 400;                     /* 0..399 */
	int mp = m > 2 ? m - 3 : m + 9;                    /* March = 0 */
	long long doy = (153 * mp + 2) / 5 + d - 1;        /* 0..365 */
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

struct tm *gmtime_r(const time_t *__restrict t, struct tm *__restrict tm)
{
	long long days = floor_div(*t, SECS_PER_DAY);
	long long secs = *t - days * SECS_PER_DAY;
	long long z = days + EPOCH_SHIFT;
	long long era = floor_div(z, DAYS_PER_ERA);
	long long doe = z - era * DAYS_PER_ERA; /* 0..146096 */
	/* Leap days come every 4 years, except every 100, except every 400
	 * (the last day of the era); remove them to count plain years. */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (int)((5 * doy + 2) / 153);
	int mday = (int)(doy - (153 * mp + 2) / 5) + 1;
	int mon = mp < 10 ? mp + 3 : mp - 9;
	long long year = yoe + era * 400 + (mon <= 2);

	if (year - 1900 > INT_MAX || year - 1900 < INT_MIN) {
		errno = EOVERFLOW;
		return NULL;
	}
	tm->tm_year = (int)(year - 1900);
	tm->tm_mon = mon - 1;
	tm->tm_mday = mday;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	tm->tm_yday = (int)(days - days_from_civil(year, 1, 1));
	tm->tm_isdst = 0;
	return tm;
}

struct tm *gmtime(const time_t *t)
{
	static struct tm tm;

	return gmtime_r(t, &tm);
}

time_t timegm(struct tm *tm)
{
	long long mon = tm->tm_mon;
	long long year = (long long)tm->tm_year + 1900 + floor_div(mon, 12);

	mon -= floor_div(mon, 12) * 12;
	long long days = days_from_civil(year, (int)mon + 1, 1) + tm->tm_mday - 1;
	time_t t = (time_t)(days * SECS_PER_DAY + tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec);
	struct tm norm;
	if (!gmtime_r(&t, &norm))
		return (time_t)-1;
	*tm = norm;
	return t;
}
