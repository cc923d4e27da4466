/* base/common/log.c: the bindings' own "Solo5: ..." lines, their level, and aborts with a reason. */
#include "base.h"

#define LINE_MAX_ 256

static enum base_log_level level = BASE_LOG_INFO;

void base_log_set_level(enum base_log_level l)
{
	level = l;
}

struct out {
	char buf[LINE_MAX_];
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos < sizeof(o->buf) - 1) /* room for the newline */
		o->buf[o->pos++] = c;
}

static void put_str(struct out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put(o, *s++);
}

static void put_num(struct out *o, uint64_t v, unsigned base, int width, char pad)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		char pad = ' ';
		int width = 0, longs = 0;
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		uint64_t u;
		int64_t s;
		switch (*fmt) {
		case 's':
			put_str(o, va_arg(ap, const char *));
			break;
		case 'c':
			put(o, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			s = longs ? va_arg(ap, long) : va_arg(ap, int);
			if (s < 0) {
				put(o, '-');
				u = 0 - (uint64_t)s;
			} else {
				u = (uint64_t)s;
			}
			put_num(o, u, 10, width, pad);
			break;
		case 'u':
		case 'x':
			u = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			put_num(o, u, *fmt == 'u' ? 10 : 16, width, pad);
			break;
		case 'p':
			put_str(o, "0x");
			put_num(o, (uintptr_t)va_arg(ap, void *), 16, width, pad);
			break;
		case '%':
			put(o, '%');
			break;
		case '\0':
			return;
		default:
			put(o, '%');
			put(o, *fmt);
			break;
		}
	}
}

void base_logv(enum base_log_level l, const char *fmt, va_list ap)
{
	if (l > level)
		return;
	struct out o = { .pos = 0 };
	put_str(&o, "Solo5: ");
	format(&o, fmt, ap);
	o.buf[o.pos++] = '\n';
	solo5_console_write(o.buf, o.pos);
}

void base_log(enum base_log_level l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	base_logv(l, fmt, ap);
	va_end(ap);
}

void base_abort(const char *where, const char *what)
{
	base_log(BASE_LOG_ERROR, "ABORT: %s: %s", where, what);
	solo5_abort();
}
