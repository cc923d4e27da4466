/* http_date.c: HTTP-dates (RFC 9110 5.6.7): writing IMF-fixdate, reading it and the two obsolete forms. */
#include <string.h>

#include <riad/clock.h>
#include <riad/http.h>

static const char wdays[7][4] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

size_t riad_http_date_format(int64_t t, char buf[RIAD_HTTP_DATE_LEN])
{
	struct riad_tm tm;
	riad_clock_to_tm(t, &tm);
	int64_t days = t / 1000000000 / 86400;
	if (t < 0 && (t / 1000000000) % 86400 != 0)
		days--;
	int wd = (int)(((days % 7) + 7) % 7); /* 1970-01-01 was a Thursday */
	memcpy(buf, wdays[wd], 3);
	memcpy(buf + 3, ", ", 2);
	put2(buf + 5, tm.day);
	buf[7] = ' ';
	memcpy(buf + 8, months[tm.month - 1], 3);
	buf[11] = ' ';
	int y = tm.year < 0 ? 0 : tm.year > 9999 ? 9999 : tm.year;
	put2(buf + 12, y / 100);
	put2(buf + 14, y % 100);
	buf[16] = ' ';
	put2(buf + 17, tm.hour);
	buf[19] = ':';
	put2(buf + 20, tm.min);
	buf[22] = ':';
	put2(buf + 23, tm.sec);
	memcpy(buf + 25, " GMT", 5);
	return 29;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int num(const char **p, int digits, int *out)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += digits;
	*out = v;
	return 0;
}

static int month(const char **p, int *m)
{
	for (int i = 0; i < 12; i++)
		if (strncmp(*p, months[i], 3) == 0) {
			*p += 3;
			*m = i + 1;
			return 0;
		}
	return -1;
}

static int lit(const char **p, const char *s)
{
	size_t n = strlen(s);
	if (strncmp(*p, s, n) != 0)
		return -1;
	*p += n;
	return 0;
}

/* "HH:MM:SS" */
static int hms(const char **p, int *h, int *mi, int *s)
{
	return num(p, 2, h) || lit(p, ":") || num(p, 2, mi) || lit(p, ":") || num(p, 2, s) ? -1 : 0;
}

int riad_http_date_parse(const char *s, int64_t *secs)
{
	int y, m, d, h, mi, sec;
	const char *p = s;
	const char *comma = strchr(s, ',');
	if (comma && comma - s == 3) {
		/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
		p = comma + 1;
		if (lit(&p, " ") || num(&p, 2, &d) || lit(&p, " ") || month(&p, &m) || lit(&p, " ") ||
		    num(&p, 4, &y) || lit(&p, " ") || hms(&p, &h, &mi, &sec) || lit(&p, " GMT") || *p)
			return -RIAD_EINVAL;
	} else if (comma) {
		/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year
		 * more than 50 years ahead is in the past century (RFC 9110
		 * 5.6.7): taken as 19xx for 70..99, 20xx otherwise. */
		p = comma + 1;
		if (lit(&p, " ") || num(&p, 2, &d) || lit(&p, "-") || month(&p, &m) || lit(&p, "-") ||
		    num(&p, 2, &y) || lit(&p, " ") || hms(&p, &h, &mi, &sec) || lit(&p, " GMT") || *p)
			return -RIAD_EINVAL;
		y += y >= 70 ? 1900 : 2000;
	} else {
		/* asctime: "Sun Nov  6 08:49:37 1994" */
		for (int i = 0; i < 3; i++)
			if (!*p++)
				return -RIAD_EINVAL;
		if (lit(&p, " ") || month(&p, &m) || lit(&p, " "))
			return -RIAD_EINVAL;
		if (*p == ' ') {
			p++;
			if (num(&p, 1, &d))
				return -RIAD_EINVAL;
		} else if (num(&p, 2, &d)) {
			return -RIAD_EINVAL;
		}
		if (lit(&p, " ") || hms(&p, &h, &mi, &sec) || lit(&p, " ") || num(&p, 4, &y) || *p)
			return -RIAD_EINVAL;
	}
	if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -RIAD_EINVAL;
	*secs = days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}
