/* tests/unit/test_clock.c: riad_clock_to_tm against known dates and against
 * glibc's gmtime_r. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <riad/clock.h>
#include <riad/time.h>

#include "check.h"

static void check_date(int64_t ns, int year, int month, int day, int hour, int min, int sec, int nsec)
{
	struct riad_tm tm;
	riad_clock_to_tm(ns, &tm);
	if (tm.year != year || tm.month != month || tm.day != day || tm.hour != hour ||
	    tm.min != min || tm.sec != sec || tm.nsec != nsec) {
		char msg[200];
		snprintf(msg, sizeof(msg),
		         "%lld ns: got %04d-%02d-%02dT%02d:%02d:%02d.%09d, want %04d-%02d-%02dT%02d:%02d:%02d.%09d",
		         (long long)ns, tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec, tm.nsec,
		         year, month, day, hour, min, sec, nsec);
		check_fail(__FILE__, __LINE__, msg);
	}
}

#define S RIAD_NS_PER_S
#define DAY (86400 * S)

static void test_known_dates(void)
{
	check_date(0, 1970, 1, 1, 0, 0, 0, 0);
	check_date(1, 1970, 1, 1, 0, 0, 0, 1);
	check_date(S - 1, 1970, 1, 1, 0, 0, 0, 999999999);
	check_date(DAY - 1, 1970, 1, 1, 23, 59, 59, 999999999);
	check_date(31 * DAY, 1970, 2, 1, 0, 0, 0, 0);
	check_date(59 * DAY, 1970, 3, 1, 0, 0, 0, 0);  /* 1970 is not a leap year */
	check_date(951782400LL * S, 2000, 2, 29, 0, 0, 0, 0);  /* 400-year leap day */
	check_date(951868800LL * S - 1, 2000, 2, 29, 23, 59, 59, 999999999);
	check_date(951868800LL * S, 2000, 3, 1, 0, 0, 0, 0);
	check_date(1078012800LL * S, 2004, 2, 29, 0, 0, 0, 0);
	check_date(4107542400LL * S, 2100, 3, 1, 0, 0, 0, 0);  /* 2100: no leap day */
	check_date(4107456000LL * S, 2100, 2, 28, 0, 0, 0, 0);
	check_date(1234567890LL * S, 2009, 2, 13, 23, 31, 30, 0);
	check_date(2147483647LL * S, 2038, 1, 19, 3, 14, 7, 0);
	check_date(2147483648LL * S, 2038, 1, 19, 3, 14, 8, 0);
	check_date(1795305600LL * S, 2026, 11, 22, 0, 0, 0, 0);
	check_date(946684799LL * S, 1999, 12, 31, 23, 59, 59, 0);
	check_date(946684800LL * S, 2000, 1, 1, 0, 0, 0, 0);
}

static void test_negative(void)
{
	check_date(-1, 1969, 12, 31, 23, 59, 59, 999999999);
	check_date(-S, 1969, 12, 31, 23, 59, 59, 0);
	check_date(-S - 1, 1969, 12, 31, 23, 59, 58, 999999999);
	check_date(-DAY, 1969, 12, 31, 0, 0, 0, 0);
	check_date(-DAY - 1, 1969, 12, 30, 23, 59, 59, 999999999);
	check_date(-2208988800LL * S, 1900, 1, 1, 0, 0, 0, 0);
	check_date(-2203891200LL * S, 1900, 3, 1, 0, 0, 0, 0);  /* 1900: no leap day */
	check_date(-2203977600LL * S, 1900, 2, 28, 0, 0, 0, 0);
	check_date(-5364662400LL * S, 1800, 1, 1, 0, 0, 0, 0);
	check_date(-8777030400LL * S, 1691, 11, 13, 0, 0, 0, 0);
}

static void test_extremes(void)
{
	/* The int64_t range: 1677-09-21T00:12:43.145224192Z to
	 * 2262-04-11T23:47:16.854775807Z. */
	check_date(INT64_MIN, 1677, 9, 21, 0, 12, 43, 145224192);
	check_date(INT64_MAX, 2262, 4, 11, 23, 47, 16, 854775807);
	check_date(INT64_MIN + 1, 1677, 9, 21, 0, 12, 43, 145224193);
}

/* splitmix64: a reproducible spread of 64-bit values. */
static uint64_t rng_state = 0x243f6a8885a308d3ULL;
static uint64_t next_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int matches_gmtime(int64_t ns)
{
	struct riad_tm tm;
	riad_clock_to_tm(ns, &tm);
	int64_t secs = ns / S, rem = ns % S;
	if (rem < 0) {
		secs--;
		rem += S;
	}
	time_t t = (time_t)secs;
	struct tm g;
	if (!gmtime_r(&t, &g))
		return 0;
	int ok = tm.year == g.tm_year + 1900 && tm.month == g.tm_mon + 1 && tm.day == g.tm_mday &&
	         tm.hour == g.tm_hour && tm.min == g.tm_min && tm.sec == g.tm_sec && tm.nsec == rem;
	if (!ok)
		printf("  %lld ns: riad %04d-%02d-%02dT%02d:%02d:%02d, gmtime %04d-%02d-%02dT%02d:%02d:%02d\n",
		       (long long)ns, tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec,
		       g.tm_year + 1900, g.tm_mon + 1, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec);
	return ok;
}

static void test_against_gmtime(void)
{
	int bad = 0;
	/* Anywhere in the int64_t range. */
	for (int i = 0; i < 200000 && bad < 5; i++)
		bad += !matches_gmtime((int64_t)next_random());
	/* Near the epoch, where sign mistakes show, with second granularity. */
	for (int i = 0; i < 200000 && bad < 5; i++)
		bad += !matches_gmtime((int64_t)(next_random() % (200LL * 365 * 86400)) * S -
		                       100LL * 365 * DAY);
	/* Every midnight (and the nanosecond before it) that int64_t
	 * nanoseconds can hold: 1677..2262. */
	for (int64_t d = INT64_MIN / DAY + 1; d <= INT64_MAX / DAY && bad < 5; d++) {
		bad += !matches_gmtime(d * DAY);
		bad += !matches_gmtime(d * DAY - 1);
	}
	CHECK_INT(bad, 0);
}

int main(void)
{
	RUN(test_known_dates);
	RUN(test_negative);
	RUN(test_extremes);
	RUN(test_against_gmtime);
	return check_done();
}
