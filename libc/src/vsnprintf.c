/* libc/src/vsnprintf.c: the formatter behind the whole printf family, and
 * vsnprintf on top of it. See <stdio.h> for the conversions it supports and
 * what it does with the ones it does not (no floating point). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum {
	F_LEFT = 1,  /* '-' */
	F_PLUS = 2,  /* '+' */
	F_SPACE = 4, /* ' ' */
	F_ALT = 8,   /* '#' */
	F_ZERO = 16, /* '0' */
};

enum length { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T };

struct spec {
	int flags;
	int width;     /* 0 if none */
	int prec;      /* -1 if none */
	enum length len;
	char conv;
};

void riad_libc_out(struct fmt_out *o, const char *s, size_t n)
{
	o->total += n;
	while (n > 0) {
		if (o->pos == o->cap) {
			if (!o->flush)
				return;
			o->flush(o);
		}
		size_t k = o->cap - o->pos;
		if (k > n)
			k = n;
		memcpy(o->buf + o->pos, s, k);
		o->pos += k;
		s += k;
		n -= k;
	}
}

static void out_repeat(struct fmt_out *o, char c, size_t n)
{
	char chunk[32];

	memset(chunk, c, n < sizeof(chunk) ? n : sizeof(chunk));
	while (n > 0) {
		if (o->pos == o->cap && !o->flush) {
			o->total += n; /* nothing more fits: just count */
			return;
		}
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
		riad_libc_out(o, chunk, k);
		n -= k;
	}
}

static size_t pad_for(const struct spec *sp, size_t len)
{
	return (size_t)sp->width > len ? (size_t)sp->width - len : 0;
}

/* A string of len bytes, padded with spaces to the field width. */
static void fmt_bytes(struct fmt_out *o, const struct spec *sp, const char *s, size_t len)
{
	size_t pad = pad_for(sp, len);

	if (!(sp->flags & F_LEFT))
		out_repeat(o, ' ', pad);
	riad_libc_out(o, s, len);
	if (sp->flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

/* An integer: [sign or 0x prefix][zeros][digits], padded to the width. */
static void fmt_int(struct fmt_out *o, const struct spec *sp, unsigned long long v, bool neg)
{
	char digits[24]; /* 22 octal digits hold 2^64 - 1 */
	size_t nd = 0;
	unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') ? 16 : 10;
	const char *xdigits = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";

	if (v != 0 || sp->prec != 0) {
		do {
			digits[sizeof(digits) - ++nd] = xdigits[v % base];
			v /= base;
		} while (v != 0);
	}
	const char *first = digits + sizeof(digits) - nd;

	char prefix[2];
	size_t np = 0;
	if (sp->conv == 'd' || sp->conv == 'i') {
		if (neg)
			prefix[np++] = '-';
		else if (sp->flags & F_PLUS)
			prefix[np++] = '+';
		else if (sp->flags & F_SPACE)
			prefix[np++] = ' ';
	} else if ((sp->flags & F_ALT) && (base == 16) && nd > 0 && !(nd == 1 && first[0] == '0')) {
		prefix[np++] = '0';
		prefix[np++] = sp->conv == 'X' ? 'X' : 'x';
	}

	size_t zeros = sp->prec > 0 && (size_t)sp->prec > nd ? (size_t)sp->prec - nd : 0;
	/* '#' with 'o' makes the first digit a zero, raising the precision if
	 * needed. */
	if ((sp->flags & F_ALT) && base == 8 && zeros == 0 && (nd == 0 || first[0] != '0'))
		zeros = 1;
	size_t len = np + zeros + nd;
	size_t pad = pad_for(sp, len);
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & F_LEFT))
		out_repeat(o, ' ', pad);
	riad_libc_out(o, prefix, np);
	out_repeat(o, '0', zeros);
	riad_libc_out(o, first, nd);
	if (sp->flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

/* Parse a decimal field (width or precision); false if it exceeds INT_MAX. */
static bool parse_num(const char **p, int *out)
{
	long long v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		v = v * 10 + (**p - '0');
		if (v > INT_MAX)
			return false;
	}
	*out = (int)v;
	return true;
}

int riad_libc_format(struct fmt_out *o, const char *fmt, va_list ap)
{
	for (;;) {
		const char *lit = fmt;
		while (*fmt != '\0' && *fmt != '%')
			fmt++;
		riad_libc_out(o, lit, (size_t)(fmt - lit));
		if (*fmt == '\0')
			break;

		const char *start = fmt++;
		struct spec sp = { .flags = 0, .width = 0, .prec = -1, .len = L_NONE };

		for (;; fmt++) {
			if (*fmt == '-')
				sp.flags |= F_LEFT;
			else if (*fmt == '+')
				sp.flags |= F_PLUS;
			else if (*fmt == ' ')
				sp.flags |= F_SPACE;
			else if (*fmt == '#')
				sp.flags |= F_ALT;
			else if (*fmt == '0')
				sp.flags |= F_ZERO;
			else
				break;
		}
		if (*fmt == '*') {
			fmt++;
			int w = va_arg(ap, int);
			if (w < 0) {
				sp.flags |= F_LEFT;
				if (w == INT_MIN)
					goto overflow;
				w = -w;
			}
			sp.width = w;
		} else if (!parse_num(&fmt, &sp.width)) {
			goto overflow;
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				fmt++;
				int p = va_arg(ap, int);
				sp.prec = p < 0 ? -1 : p;
			} else if (!parse_num(&fmt, &sp.prec)) {
				goto overflow;
			}
		}
		switch (*fmt) {
		case 'h':
			fmt++;
			sp.len = L_H;
			if (*fmt == 'h') {
				fmt++;
				sp.len = L_HH;
			}
			break;
		case 'l':
			fmt++;
			sp.len = L_L;
			if (*fmt == 'l') {
				fmt++;
				sp.len = L_LL;
			}
			break;
		case 'L':
		case 'q':
			fmt++;
			sp.len = L_LL;
			break;
		case 'z':
			fmt++;
			sp.len = L_Z;
			break;
		case 'j':
			fmt++;
			sp.len = L_J;
			break;
		case 't':
			fmt++;
			sp.len = L_T;
			break;
		default:
			break;
		}
		sp.conv = *fmt;
		if (sp.conv == '\0') {
			/* A lone '%' (or an unfinished specification) at the
			 * end: copied verbatim like any unsupported one. */
			riad_libc_out(o, start, (size_t)(fmt - start));
			break;
		}
		fmt++;

		switch (sp.conv) {
		case '%':
			riad_libc_out(o, "%", 1);
			break;
		case 'c': {
			if (sp.len != L_NONE)
				goto unsupported;
			char c = (char)(unsigned char)va_arg(ap, int);
			fmt_bytes(o, &sp, &c, 1);
			break;
		}
		case 's': {
			if (sp.len != L_NONE)
				goto unsupported;
			const char *s = va_arg(ap, const char *);
			if (s == NULL)
				s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
			size_t len = sp.prec < 0 ? strlen(s) : strnlen(s, (size_t)sp.prec);
			fmt_bytes(o, &sp, s, len);
			break;
		}
		case 'd':
		case 'i': {
			long long v;
			switch (sp.len) {
			case L_HH: v = (signed char)va_arg(ap, int); break;
			case L_H: v = (short)va_arg(ap, int); break;
			case L_L: v = va_arg(ap, long); break;
			case L_LL: v = va_arg(ap, long long); break;
			case L_Z: v = va_arg(ap, long); break; /* the signed size_t */
			case L_J: v = va_arg(ap, intmax_t); break;
			case L_T: v = va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, int); break;
			}
			fmt_int(o, &sp, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0);
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X': {
			unsigned long long v;
			switch (sp.len) {
			case L_HH: v = (unsigned char)va_arg(ap, unsigned); break;
			case L_H: v = (unsigned short)va_arg(ap, unsigned); break;
			case L_L: v = va_arg(ap, unsigned long); break;
			case L_LL: v = va_arg(ap, unsigned long long); break;
			case L_Z: v = va_arg(ap, size_t); break;
			case L_J: v = va_arg(ap, uintmax_t); break;
			case L_T: v = (unsigned long)va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, unsigned); break;
			}
			fmt_int(o, &sp, v, false);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			if (v == 0) {
				sp.prec = -1;
				fmt_bytes(o, &sp, "(nil)", 5);
			} else {
				sp.flags |= F_ALT;
				fmt_int(o, &sp, v, false);
			}
			break;
		}
		default:
		unsupported:
			/* Floating point, %n, wide characters, unknown: show the
			 * specification itself, consume no argument. */
			riad_libc_out(o, start, (size_t)(fmt - start));
			break;
		}
	}
	if (o->total > INT_MAX)
		goto overflow;
	return (int)o->total;

overflow:
	errno = EOVERFLOW;
	return -1;
}

int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .cap = size > 0 ? size - 1 : 0 };
	int n = riad_libc_format(&o, fmt, ap);

	if (size > 0)
		buf[o.pos] = '\0';
	return n;
}
