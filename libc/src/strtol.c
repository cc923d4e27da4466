/* libc/src/strtol.c: strings to integers: strtol, strtoul, strtoll,
 * strtoull, strtoimax, strtoumax, all on one parser (C11 7.22.1.4). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

struct parsed {
	unsigned long long mag; /* magnitude, saturated at the limit */
	bool neg;
	bool overflow;
};

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Parse the subject sequence; the magnitude may reach lim_pos for a
 * positive number and lim_neg for a negative one before it overflows. */
static struct parsed parse(const char *nptr, char **endptr, int base,
                           unsigned long long lim_pos, unsigned long long lim_neg)
{
	struct parsed r = { 0, false, false };
	const unsigned char *s = (const unsigned char *)nptr;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		goto none;
	}
	while (isspace(*s))
		s++;
	if (*s == '+' || *s == '-')
		r.neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    isxdigit(s[2])) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	unsigned long long lim = r.neg ? lim_neg : lim_pos;
	const unsigned char *first = s;
	int d;
	for (; (d = digit_value(*s)) < base; s++) {
		if (r.overflow)
			continue;
		if (r.mag > (lim - (unsigned)d) / (unsigned)base) {
			r.overflow = true;
			r.mag = lim;
		} else {
			r.mag = r.mag * (unsigned)base + (unsigned)d;
		}
	}
	if (s == first)
		goto none;
	if (r.overflow)
		errno = ERANGE;
	if (endptr)
		*endptr = (char *)s;
	return r;

none:
	/* No subject sequence: nothing converted, *endptr is nptr itself. */
	if (endptr)
		*endptr = (char *)nptr;
	return (struct parsed){ 0, false, false };
}

long long strtoll(const char *__restrict nptr, char **__restrict endptr, int base)
{
	struct parsed r = parse(nptr, endptr, base, LLONG_MAX, (unsigned long long)LLONG_MAX + 1);

	return r.neg ? (long long)(0ull - r.mag) : (long long)r.mag;
}

unsigned long long strtoull(const char *__restrict nptr, char **__restrict endptr, int base)
{
	struct parsed r = parse(nptr, endptr, base, ULLONG_MAX, ULLONG_MAX);

	if (r.overflow)
		return ULLONG_MAX;
	return r.neg ? 0ull - r.mag : r.mag;
}

long strtol(const char *__restrict nptr, char **__restrict endptr, int base)
{
	struct parsed r = parse(nptr, endptr, base, LONG_MAX, (unsigned long)LONG_MAX + 1);

	return r.neg ? (long)(0ul - r.mag) : (long)r.mag;
}

unsigned long strtoul(const char *__restrict nptr, char **__restrict endptr, int base)
{
	struct parsed r = parse(nptr, endptr, base, ULONG_MAX, ULONG_MAX);

	if (r.overflow)
		return ULONG_MAX;
	return r.neg ? 0ul - r.mag : r.mag;
}

intmax_t strtoimax(const char *__restrict nptr, char **__restrict endptr, int base)
{
	return strtoll(nptr, endptr, base);
}

uintmax_t strtoumax(const char *__restrict nptr, char **__restrict endptr, int base)
{
	return strtoull(nptr, endptr, base);
}
