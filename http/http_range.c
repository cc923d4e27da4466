/* http_range.c: one byte range from a Range field (RFC 9110 14.1.2, 14.2). */
#include <string.h>

#include <riad/http.h>

/* A decimal number of at most 19 digits at *p. */
static int number(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	while (**p >= '0' && **p <= '9') {
		if (++n > 19)
			return -1;
		v = v * 10 + (uint64_t)(*(*p)++ - '0');
	}
	*out = v;
	return n ? 0 : -1;
}

int riad_http_range_parse(const char *value, uint64_t size, uint64_t *first, uint64_t *last)
{
	const char *p = value;
	if (strncmp(p, "bytes=", 6) != 0)
		return 0; /* another unit, or case: ignore (14.2) */
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strchr(p, ','))
		return 0; /* several ranges: the whole representation (14.2) */
	uint64_t a, b = 0;
	if (*p == '-') {
		p++;
		if (number(&p, &b) < 0)
			return 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return 0;
		if (b == 0 || size == 0)
			return -1; /* suffix of zero bytes, or of an empty value */
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 1;
	}
	if (number(&p, &a) < 0 || *p++ != '-')
		return 0;
	bool open = !(*p >= '0' && *p <= '9');
	if (!open && number(&p, &b) < 0)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || (!open && b < a))
		return 0; /* invalid: ignored (14.1.1) */
	if (a >= size)
		return -1;
	*first = a;
	*last = open || b >= size ? size - 1 : b;
	return 1;
}
