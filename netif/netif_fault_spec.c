/* netif/netif_fault_spec.c: the text form of a fault wrapper's configuration (the --net-faults boot option): parsing it, with one-line errors, and writing it back.
 *
 * The grammar (docs/netif.md, "Fault injection"):
 *
 *	SPEC     := ITEM ("," ITEM)*
 *	ITEM     := "seed=" UINT64 | [DIR ":"] KEY "=" VALUE
 *	DIR      := "rx" | "tx"          (none: both directions)
 *	KEY      := loss | corrupt | dup | reorder               PERCENT
 *	          | corrupt-bits (1..64) | reorder-gap (1..65535)  INTEGER
 *	          | delay | jitter | reorder-max                 DURATION
 *	PERCENT  := DIGITS ["." 1-4 DIGITS] "%" (at most 100%) | DIGITS "ppm"
 *	DURATION := DIGITS ["." DIGITS] ("ns" | "us" | "ms" | "s"), at most 60 s
 *	UINT64   := decimal, or hexadecimal after "0x"
 *
 * No spaces, no signs, no empty items; a setting may be given once per
 * direction ("loss=1%,tx:loss=2%" sets tx loss twice: an error). The
 * parser reads only the spec's bytes and writes only cfg and err: it is
 * pure, so the fuzz target (fuzz/netif_fault_spec.c) links it alone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/netif_fault.h>
#include <riad/time.h>

#define PPM_MAX 1000000u
#define DURATION_MAX (60 * RIAD_NS_PER_S)
#define ITEM_SHOWN 48 /* longest piece of the spec quoted in an error */

enum kind { PERCENT, INTEGER, DURATION };

struct key {
	const char *name;
	enum kind kind;
	uint32_t min, max;  /* INTEGER's range */
	size_t off;         /* in struct riad_netif_fault_dir */
};

#define OFF(f) offsetof(struct riad_netif_fault_dir, f)
static const struct key keys[] = {
	{ "loss", PERCENT, 0, 0, OFF(loss_ppm) },
	{ "corrupt", PERCENT, 0, 0, OFF(corrupt_ppm) },
	{ "corrupt-bits", INTEGER, 1, 64, OFF(corrupt_bits) },
	{ "dup", PERCENT, 0, 0, OFF(duplicate_ppm) },
	{ "reorder", PERCENT, 0, 0, OFF(reorder_ppm) },
	{ "reorder-gap", INTEGER, 1, 65535, OFF(reorder_gap) },
	{ "reorder-max", DURATION, 0, 0, OFF(reorder_max_ns) },
	{ "delay", DURATION, 0, 0, OFF(delay_ns) },
	{ "jitter", DURATION, 0, 0, OFF(jitter_ns) },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
#define KEY_LIST "seed, loss, corrupt, corrupt-bits, dup, reorder, reorder-gap, reorder-max, " \
	"delay, jitter"

/* One parse: the item being read, for messages. */
struct parse {
	const char *item;
	size_t item_len;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parse *p, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->errlen) {
		int shown = p->item_len > ITEM_SHOWN ? ITEM_SHOWN : (int)p->item_len;
		snprintf(p->err, p->errlen, "'%.*s%s': %s", shown, p->item,
		         p->item_len > ITEM_SHOWN ? "..." : "", msg);
		/* No control character may break the one-line message. */
		for (char *c = p->err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return -RIAD_EINVAL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal digits at s[*i..n) into *v; false on overflow. At least one
 * digit must be there (the caller checks is_digit first). */
static bool digits(const char *s, size_t n, size_t *i, uint64_t *v)
{
	uint64_t x = 0;
	bool ok = true;
	for (; *i < n && is_digit(s[*i]); (*i)++) {
		unsigned d = (unsigned)(s[*i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			ok = false;
		else
			x = x * 10 + d;
	}
	*v = x;
	return ok;
}

static int parse_seed(struct parse *p, const char *s, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < n; i++) {
			char c = s[i];
			unsigned d;
			if (is_digit(c))
				d = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				d = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				d = (unsigned)(c - 'A' + 10);
			else
				return fail(p, "not a number (decimal, or hexadecimal after 0x)");
			if (x >> 60)
				return fail(p, "out of range (at most 64 bits)");
			x = x << 4 | d;
		}
		*out = x;
		return 0;
	}
	if (!is_digit(s[0]))
		return fail(p, "not a number (decimal, or hexadecimal after 0x)");
	bool ok = digits(s, n, &i, &x);
	if (i < n)
		return fail(p, "not a number (decimal, or hexadecimal after 0x)");
	if (!ok)
		return fail(p, "out of range (0..18446744073709551615)");
	*out = x;
	return 0;
}

static int parse_percent(struct parse *p, const char *s, size_t n, uint32_t *out)
{
	size_t i = 0;
	uint64_t whole, frac = 0;
	if (s[0] == '-')
		return fail(p, "negative (0%% to 100%%)");
	if (!is_digit(s[0]))
		return fail(p, "not a percentage (as 1%%, 0.25%% or 250ppm)");
	bool ok = digits(s, n, &i, &whole);
	if (n - i == 3 && memcmp(s + i, "ppm", 3) == 0) {
		if (!ok || whole > PPM_MAX)
			return fail(p, "more than 1000000ppm");
		*out = (uint32_t)whole;
		return 0;
	}
	if (i < n && s[i] == '.') {
		size_t start = ++i;
		ok &= digits(s, n, &i, &frac);
		if (i == start)
			return fail(p, "not a percentage (as 1%%, 0.25%% or 250ppm)");
		if (i - start > 4)
			return fail(p, "more than 4 decimals (the resolution is 0.0001%%, 1 ppm)");
		for (size_t k = i - start; k < 4; k++)
			frac *= 10;
	}
	if (i != n - 1 || s[i] != '%')
		return fail(p, i == n ? "no '%%' (as 1%%, 0.25%% or 250ppm)"
		                      : "not a percentage (as 1%%, 0.25%% or 250ppm)");
	if (!ok || whole > 100 || whole * 10000 + frac > PPM_MAX)
		return fail(p, "more than 100%%");
	*out = (uint32_t)(whole * 10000 + frac);
	return 0;
}

static int parse_integer(struct parse *p, const char *s, size_t n, const struct key *k,
                         uint32_t *out)
{
	size_t i = 0;
	uint64_t v;
	if (s[0] == '-')
		return fail(p, "negative (%u to %u)", k->min, k->max);
	if (!is_digit(s[0]))
		return fail(p, "not an integer (%u to %u)", k->min, k->max);
	bool ok = digits(s, n, &i, &v);
	if (i < n)
		return fail(p, "not an integer (%u to %u)", k->min, k->max);
	if (!ok || v < k->min || v > k->max)
		return fail(p, "out of range (%u to %u)", k->min, k->max);
	*out = (uint32_t)v;
	return 0;
}

static int parse_duration(struct parse *p, const char *s, size_t n, int64_t *out)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 } };
	size_t i = 0, fdigits = 0;
	uint64_t whole, frac = 0;
	if (s[0] == '-')
		return fail(p, "negative (0 to 60s)");
	if (!is_digit(s[0]))
		return fail(p, "not a duration (as 10ms, 1.5ms or 200us)");
	bool ok = digits(s, n, &i, &whole);
	if (i < n && s[i] == '.') {
		size_t start = ++i;
		while (i < n && is_digit(s[i]) && i - start < 9)
			frac = frac * 10 + (uint64_t)(s[i++] - '0');
		fdigits = i - start;
		if (fdigits == 0 || (i < n && is_digit(s[i])))
			return fail(p, fdigits ? "more than 9 decimals"
			                       : "not a duration (as 10ms, 1.5ms or 200us)");
	}
	if (i == n)
		return fail(p, "no unit (ns, us, ms or s)");
	uint64_t unit = 0;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (n - i == strlen(units[u].name) && memcmp(s + i, units[u].name, n - i) == 0)
			unit = units[u].ns;
	if (!unit)
		return fail(p, "unknown unit '%.*s' (ns, us, ms or s)", (int)(n - i > 8 ? 8 : n - i),
		            s + i);
	if (!ok || whole > (uint64_t)DURATION_MAX / unit)
		return fail(p, "more than 60s");
	uint64_t scale = 1;
	for (size_t k = 0; k < fdigits; k++)
		scale *= 10;
	/* unit and scale are both powers of ten (scale <= 1e9), so the
	 * fraction's nanoseconds are frac * (unit / scale) or frac / (scale /
	 * unit), in 64 bits (the guest's libc has no 128-bit division). */
	uint64_t f;
	if (scale <= unit) {
		f = frac * (unit / scale);
	} else {
		if (frac % (scale / unit))
			return fail(p, "finer than a nanosecond");
		f = frac / (scale / unit);
	}
	uint64_t v = whole * unit + f;
	if (v > (uint64_t)DURATION_MAX)
		return fail(p, "more than 60s");
	*out = (int64_t)v;
	return 0;
}

int riad_netif_fault_spec_parse(const char *spec, struct riad_netif_fault_config *cfg,
                                bool *seeded, char *err, size_t errlen)
{
	struct riad_netif_fault_config c = { 0 };
	bool seen[2][NKEYS] = { { false } }, seed_seen = false;
	struct parse p = { .item = spec, .item_len = 0, .err = err, .errlen = errlen };
	if (err && errlen)
		err[0] = 0;
	if (!spec || !*spec) {
		if (err && errlen)
			snprintf(err, errlen, "empty (expected KEY=VALUE,..., as seed=42,loss=1%%)");
		return -RIAD_EINVAL;
	}
	for (const char *s = spec;;) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		p.item = s;
		p.item_len = n;
		if (n == 0) {
			p.item = spec;
			p.item_len = strlen(spec);
			return fail(&p, "an empty item (two commas, or one at an end)");
		}
		const char *eq = memchr(s, '=', n);
		if (!eq || eq == s + n - 1)
			return fail(&p, "missing value (expected KEY=VALUE)");
		size_t klen = (size_t)(eq - s), vlen = n - klen - 1;
		const char *k = s, *v = eq + 1;
		int dirs = 3; /* bit RIAD_NETIF_RX, bit RIAD_NETIF_TX */
		const char *colon = memchr(s, ':', klen);
		if (colon) {
			size_t dlen = (size_t)(colon - s);
			if (dlen == 2 && memcmp(s, "rx", 2) == 0)
				dirs = 1 << RIAD_NETIF_RX;
			else if (dlen == 2 && memcmp(s, "tx", 2) == 0)
				dirs = 1 << RIAD_NETIF_TX;
			else
				return fail(&p, "unknown direction '%.*s' (rx: or tx:)", (int)(dlen > 8 ? 8 : dlen), s);
			k = colon + 1;
			klen -= dlen + 1;
		}
		if (klen == 4 && memcmp(k, "seed", 4) == 0) {
			if (colon)
				return fail(&p, "the seed is for both directions (no rx: or tx:)");
			if (seed_seen)
				return fail(&p, "seed given twice");
			int r = parse_seed(&p, v, vlen, &c.seed);
			if (r < 0)
				return r;
			seed_seen = true;
		} else {
			size_t ki = 0;
			while (ki < NKEYS && !(strlen(keys[ki].name) == klen &&
			                       memcmp(keys[ki].name, k, klen) == 0))
				ki++;
			if (ki == NKEYS)
				return fail(&p, "unknown key '%.*s' (one of " KEY_LIST ")",
				            (int)(klen > 16 ? 16 : klen), k);
			const struct key *key = &keys[ki];
			uint32_t u = 0;
			int64_t ns = 0;
			int r = key->kind == PERCENT ? parse_percent(&p, v, vlen, &u)
			        : key->kind == INTEGER ? parse_integer(&p, v, vlen, key, &u)
			                               : parse_duration(&p, v, vlen, &ns);
			if (r < 0)
				return r;
			for (int d = 0; d < 2; d++) {
				if (!(dirs & (1 << d)))
					continue;
				if (seen[d][ki])
					return fail(&p, "%s:%s given twice", d == RIAD_NETIF_TX ? "tx" : "rx",
					            key->name);
				seen[d][ki] = true;
				char *field = (char *)(d == RIAD_NETIF_TX ? &c.tx : &c.rx) + key->off;
				if (key->kind == DURATION)
					memcpy(field, &ns, sizeof(ns));
				else
					memcpy(field, &u, sizeof(u));
			}
		}
		if (!end)
			break;
		s = end + 1;
	}
	*cfg = c;
	if (seeded)
		*seeded = seed_seen;
	return 0;
}

/* Writing it back. */

struct out {
	char *buf;
	size_t len, n;  /* n: what the whole text needs, as snprintf counts */
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(o->n < o->len ? o->buf + o->n : NULL, o->n < o->len ? o->len - o->n : 0,
	                  fmt, ap);
	va_end(ap);
	if (m > 0)
		o->n += (size_t)m;
}

static void put_value(struct out *o, const struct key *k, uint64_t v)
{
	if (k->kind == INTEGER) {
		put(o, "%llu", (unsigned long long)v);
	} else if (k->kind == PERCENT) {
		put(o, "%llu", (unsigned long long)(v / 10000));
		if (v % 10000) {
			unsigned f = (unsigned)(v % 10000), w = 4;
			while (f % 10 == 0) {
				f /= 10;
				w--;
			}
			put(o, ".%0*u", (int)w, f);
		}
		put(o, "%%");
	} else if (v % RIAD_NS_PER_S == 0) {
		put(o, "%llus", (unsigned long long)(v / RIAD_NS_PER_S));
	} else if (v % RIAD_NS_PER_MS == 0) {
		put(o, "%llums", (unsigned long long)(v / RIAD_NS_PER_MS));
	} else if (v % 1000 == 0) {
		put(o, "%lluus", (unsigned long long)(v / 1000));
	} else {
		put(o, "%lluns", (unsigned long long)v);
	}
}

static uint64_t field_of(const struct riad_netif_fault_dir *d, const struct key *k)
{
	const char *f = (const char *)d + k->off;
	if (k->kind == DURATION) {
		int64_t v;
		memcpy(&v, f, sizeof(v));
		return v < 0 ? 0 : (uint64_t)v;
	}
	uint32_t v;
	memcpy(&v, f, sizeof(v));
	return v;
}

size_t riad_netif_fault_spec_format(const struct riad_netif_fault_config *cfg, char *buf,
                                    size_t len)
{
	struct out o = { buf, len, 0 };
	if (buf && len)
		buf[0] = 0;
	put(&o, "seed=%llu", (unsigned long long)cfg->seed);
	for (size_t i = 0; i < NKEYS; i++) {
		uint64_t rx = field_of(&cfg->rx, &keys[i]), tx = field_of(&cfg->tx, &keys[i]);
		if (rx == tx && rx) {
			put(&o, ",%s=", keys[i].name);
			put_value(&o, &keys[i], rx);
			continue;
		}
		if (rx) {
			put(&o, ",rx:%s=", keys[i].name);
			put_value(&o, &keys[i], rx);
		}
		if (tx) {
			put(&o, ",tx:%s=", keys[i].name);
			put_value(&o, &keys[i], tx);
		}
	}
	return o.n;
}
