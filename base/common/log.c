/* base/common/log.c: the bindings' own "Solo5: ..." lines, their level, and aborts with a reason. */
#include "base.h"

#define LINE_MAX_ 256

static enum base_log_level level = BASE_LOG_INFO;

/* Lines held by base_log_hold(true), written in one console write: on hvt
 * each write is an exit (tens of microseconds on a software-virtualised
 * host), and the banner is four lines. */
static struct {
	bool on;
	size_t len;
	char buf[4 * LINE_MAX_];
} held;

void base_log_hold(bool on)
{
	if (held.len > 0)
		solo5_console_write(held.buf, held.len);
	held.on = on;
	held.len = 0;
}

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
	if (held.on && o.pos > sizeof(held.buf) - held.len)
		base_log_hold(true); /* full: what is held goes out first */
	if (!held.on) {
		solo5_console_write(o.buf, o.pos);
		return;
	}
	for (size_t i = 0; i < o.pos; i++)
		held.buf[held.len++] = o.buf[i];
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
	base_log_hold(false);
	base_log(BASE_LOG_ERROR, "ABORT: %s: %s", where, what);
	solo5_abort();
}
