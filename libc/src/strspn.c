/* libc/src/strspn.c: spans of bytes in or out of a set: strspn, strcspn,
 * strpbrk. The set is a 256-bit table built once per call. */
#include <stdint.h>
#include <string.h>

struct byteset {
	uint64_t bits[4];
};

static void set_build(struct byteset *set, const char *chars)
{
	set->bits[0] = set->bits[1] = set->bits[2] = set->bits[3] = 0;
	for (const unsigned char *p = (const unsigned char *)chars; *p; p++)
		set->bits[*p >> 6] |= 1ull << (*p & 63);
}

static int set_has(const struct byteset *set, unsigned char c)
{
	return (set->bits[c >> 6] >> (c & 63)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
	struct byteset set;
	const unsigned char *p = (const unsigned char *)s;

	set_build(&set, accept);
	while (*p && set_has(&set, *p))
		p++;
	return (size_t)(p - (const unsigned char *)s);
}

size_t strcspn(const char *s, const char *reject)
{
	struct byteset set;
	const unsigned char *p = (const unsigned char *)s;

	set_build(&set, reject);
	while (*p && !set_has(&set, *p))
		p++;
	return (size_t)(p - (const unsigned char *)s);
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}
