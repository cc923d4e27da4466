/* storage/store_spec.c: the pure parsers behind --store and --crypt-key (riad/store.h): SPEC text to struct riad_store_spec, hex to key bytes, and their one-line error texts. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <riad/store.h>

#include <riad/random.h>

/* How much of an offending piece of the input an error line shows. */
#define SHOW_MAX 40

/* Write one line into why (if any): printf, then every control byte made
 * '?', so that no input can break the line. Returns -RIAD_EINVAL. */
__attribute__((format(printf, 3, 4)))
static int bad(char *why, size_t len, const char *fmt, ...)
{
	if (!why || len == 0)
		return -RIAD_EINVAL;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(why, len, fmt, ap);
	va_end(ap);
	if (n < 0)
		why[0] = 0;
	for (char *c = why; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return -RIAD_EINVAL;
}

/* The length to show of a piece of n bytes, and the ellipsis after it. */
#define SHOWN(n) (int)((n) > SHOW_MAX ? SHOW_MAX : (n))
#define ELLIPSIS(n) ((n) > SHOW_MAX ? "..." : "")

static const char *const kind_names[] = {
	[RIAD_STORE_TAR] = "tar",
	[RIAD_STORE_STORE] = "store",
	[RIAD_STORE_BAKED] = "baked",
};

const char *riad_store_kind_name(enum riad_store_kind kind)
{
	if (kind < RIAD_STORE_TAR || kind > RIAD_STORE_BAKED)
		return "?";
	return kind_names[kind];
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* "type:" and 8-4-4-4-12 hex digits. */
static bool is_type_guid(const char *s, size_t n)
{
	if (n != 5 + 36 || memcmp(s, "type:", 5) != 0)
		return false;
	s += 5;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* A GPT name: well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * past U+10FFFF), no C0 or C1 control character, at most 36 UTF-16 code
 * units. Returns 0 or an error with why filled. */
static int check_name(const unsigned char *s, size_t n, char *why, size_t len)
{
	size_t units = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i], need, cp;
		if (c < 0x80) {
			need = 0, cp = c;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07;
		} else {
			goto not_utf8;
		}
		if (n - i - 1 < need)
			goto not_utf8;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto not_utf8;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto not_utf8;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return bad(why, len, "partition name contains a control character");
		units += cp > 0xffff ? 2 : 1;
		i += 1 + need;
	}
	if (units > 36)
		return bad(why, len, "partition name '%.*s%s' is longer than a GPT name "
		           "(36 UTF-16 code units)", SHOWN(n), (const char *)s, ELLIPSIS(n));
	return 0;
not_utf8:
	return bad(why, len, "partition name is not valid UTF-8");
}

/* PARTITION: an index, type:GUID or a name. */
static int check_part(const char *p, size_t n, char *why, size_t len)
{
	if (n == 0)
		return bad(why, len, "nothing after '@' (expected a partition: a GPT name, an "
		           "index from 1, or type:GUID)");
	size_t digits = strspn(p, "0123456789");
	if (digits == n) {
		if (p[0] == '0' && n == 1)
			return bad(why, len, "partition index 0: partitions are counted from 1");
		if (p[0] == '0')
			return bad(why, len, "partition index '%.*s%s' has a leading zero",
			           SHOWN(n), p, ELLIPSIS(n));
		unsigned long v = 0;
		for (size_t i = 0; i < n && v <= RIAD_STORE_PART_INDEX_MAX; i++)
			v = v * 10 + (unsigned long)(p[i] - '0');
		if (v > RIAD_STORE_PART_INDEX_MAX)
			return bad(why, len, "partition index '%.*s%s' is larger than %d", SHOWN(n), p,
			           ELLIPSIS(n), RIAD_STORE_PART_INDEX_MAX);
		return 0;
	}
	if (n >= 5 && memcmp(p, "type:", 5) == 0) {
		if (!is_type_guid(p, n))
			return bad(why, len, "'%.*s%s' is not type:GUID (GUID as 8-4-4-4-12 hex "
			           "digits)", SHOWN(n), p, ELLIPSIS(n));
		return 0;
	}
	return check_name((const unsigned char *)p, n, why, len);
}

int riad_store_spec_parse(const char *text, struct riad_store_spec *out, char *why, size_t len)
{
	if (why && len)
		why[0] = 0;
	size_t n = strnlen(text, RIAD_STORE_SPEC_MAX + 1);
	if (n == 0)
		return bad(why, len, "empty store (expected KIND:DEVICE[@PARTITION] with KIND tar "
		           "or store, or baked)");
	if (n > RIAD_STORE_SPEC_MAX)
		return bad(why, len, "longer than %d bytes", RIAD_STORE_SPEC_MAX);
	const char *colon = memchr(text, ':', n);
	size_t klen = colon ? (size_t)(colon - text) : n;
	enum riad_store_kind kind = 0;
	for (int k = RIAD_STORE_TAR; k <= RIAD_STORE_BAKED; k++)
		if (strlen(kind_names[k]) == klen && memcmp(kind_names[k], text, klen) == 0)
			kind = (enum riad_store_kind)k;
	if (!kind)
		return bad(why, len, "'%.*s%s' is not a store kind (tar, store, baked)",
		           SHOWN(klen), text, ELLIPSIS(klen));
	struct riad_store_spec s;
	memset(&s, 0, sizeof(s));
	s.kind = kind;
	if (kind == RIAD_STORE_BAKED) {
		if (colon && colon[1])
			return bad(why, len, "baked takes no device or partition (write 'baked')");
		goto done;
	}
	if (!colon)
		return bad(why, len, "%s needs a device: %s:DEVICE[@PARTITION]", kind_names[kind],
		           kind_names[kind]);
	const char *dev = colon + 1, *end = text + n;
	const char *at = memchr(dev, '@', (size_t)(end - dev));
	size_t dlen = (size_t)((at ? at : end) - dev);
	if (dlen == 0)
		return bad(why, len, "no device after '%s:' (expected %s:DEVICE[@PARTITION])",
		           kind_names[kind], kind_names[kind]);
	bool alnum = dlen <= RIAD_STORE_DEVICE_MAX;
	for (size_t i = 0; alnum && i < dlen; i++)
		alnum = is_alnum((unsigned char)dev[i]);
	if (!alnum)
		return bad(why, len, "device '%.*s%s' is not 1 to %d letters and digits",
		           SHOWN(dlen), dev, ELLIPSIS(dlen), RIAD_STORE_DEVICE_MAX);
	memcpy(s.device, dev, dlen);
	if (at) {
		size_t plen = (size_t)(end - at - 1);
		int r = check_part(at + 1, plen, why, len);
		if (r < 0)
			return r;
		memcpy(s.part, at + 1, plen);
	}
done:
	*out = s;
	return 0;
}

size_t riad_store_spec_format(const struct riad_store_spec *spec, char *buf, size_t len)
{
	int n;
	if (spec->kind == RIAD_STORE_BAKED)
		n = snprintf(buf, len, "baked");
	else
		n = snprintf(buf, len, "%s:%s%s%s", riad_store_kind_name(spec->kind), spec->device,
		             spec->part[0] ? "@" : "", spec->part);
	return n < 0 ? 0 : (size_t)n;
}

int riad_store_spec_check(const char *value, char *why, size_t len)
{
	struct riad_store_spec s;
	return riad_store_spec_parse(value, &s, why, len);
}

/* The value of hex digit c, or -1; without a branch on c, since c is key
 * material. */
static int hexval(unsigned char c)
{
	int d = (int)c - '0', l = (int)(c | 0x20) - 'a';
	int is_d = (unsigned)d <= 9, is_l = (unsigned)l <= 5;
	return is_d * d + is_l * (l + 10) - !(is_d | is_l);
}

/* The checks of a key text, without looking at which digits it holds
 * beyond whether they are hex. Returns the number of digits or an error. */
static int key_text_check(const char *hex, char *why, size_t len)
{
	size_t n = strnlen(hex, 2 * RIAD_STORE_KEY_MAX + 1);
	int badhex = 0;
	for (size_t i = 0; i < n; i++)
		badhex |= hexval((unsigned char)hex[i]) < 0;
	if (n == 0)
		return bad(why, len, "empty key (expected %d to %d hex digits)",
		           2 * RIAD_STORE_KEY_MIN, 2 * RIAD_STORE_KEY_MAX);
	if (badhex)
		return bad(why, len, "the key is not hexadecimal (only 0-9, a-f, A-F)");
	if (n > 2 * RIAD_STORE_KEY_MAX)
		return bad(why, len, "the key is longer than %d hex digits (%d bytes)",
		           2 * RIAD_STORE_KEY_MAX, RIAD_STORE_KEY_MAX);
	if (n % 2)
		return bad(why, len, "the key has an odd number of hex digits (%zu)", n);
	if (n < 2 * RIAD_STORE_KEY_MIN)
		return bad(why, len, "the key has %zu hex digits, fewer than %d (%d bytes)", n,
		           2 * RIAD_STORE_KEY_MIN, RIAD_STORE_KEY_MIN);
	return (int)n;
}

int riad_store_key_check(const char *value, char *why, size_t len)
{
	int r = key_text_check(value, why, len);
	return r < 0 ? r : 0;
}

int riad_store_key_decode(const char *hex, uint8_t key[RIAD_STORE_KEY_MAX], size_t *keylen)
{
	int n = key_text_check(hex, NULL, 0);
	if (n < 0)
		return n;
	for (int i = 0; i < n / 2; i++)
		key[i] = (uint8_t)(hexval((unsigned char)hex[2 * i]) << 4 |
		                   hexval((unsigned char)hex[2 * i + 1]));
	*keylen = (size_t)n / 2;
	return 0;
}
