/* ops/syslog_format.c: the syslog client's pure parts: collector URLs,
 * facilities, PRI, RFC 5424 and RFC 3164 messages, RFC 6587 framing
 * (ops/syslog.h). */
#include <stdio.h>
#include <string.h>

#include <riad/clock.h>
#include <riad/net.h>

#include "syslog.h"

void syslog_printable(char *dst, size_t cap, const char *s)
{
	size_t n = 0;
	for (; s[n] && n + 1 < cap; n++)
		dst[n] = (unsigned char)s[n] < 0x20 || (unsigned char)s[n] == 0x7f ? '?' : s[n];
	dst[n] = 0;
}

int syslog_url_parse(const char *s, struct syslog_url *u, char *why, size_t len)
{
	char shown[65];
	static const struct {
		const char *scheme;
		enum syslog_transport t;
		uint16_t port;
	} schemes[] = {
		{ "udp://", SYSLOG_UDP, 514 },
		{ "tcp://", SYSLOG_TCP, 514 },
		{ "tls://", SYSLOG_TLS, 6514 },
	};
	size_t i;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(s, schemes[i].scheme, 6) == 0)
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0])) {
		syslog_printable(shown, sizeof(shown), s);
		snprintf(why, len, "'%s' is not udp://, tcp:// or tls:// and an IPv4 address", shown);
		return -1;
	}
	const char *host = s + 6, *colon = strchr(host, ':');
	size_t hlen = colon ? (size_t)(colon - host) : strlen(host);
	char h[RIAD_IPV4_STRLEN];
	if (hlen == 0 || hlen >= sizeof(h)) {
		syslog_printable(shown, sizeof(shown), s);
		snprintf(why, len, "'%s' has no IPv4 address after %s", shown, schemes[i].scheme);
		return -1;
	}
	memcpy(h, host, hlen);
	h[hlen] = 0;
	if (riad_ipv4_parse(h, &u->addr) < 0) {
		syslog_printable(shown, sizeof(shown), h);
		snprintf(why, len, "'%s' is not an IPv4 address (a name is not resolved)", shown);
		return -1;
	}
	u->transport = schemes[i].t;
	u->port = schemes[i].port;
	if (colon) {
		const char *p = colon + 1;
		unsigned long port = 0;
		size_t n = 0;
		for (; p[n] >= '0' && p[n] <= '9' && n < 6; n++)
			port = port * 10 + (unsigned long)(p[n] - '0');
		if (n == 0 || p[n] || port == 0 || port > 65535 || (p[0] == '0')) {
			syslog_printable(shown, 17, p);
			snprintf(why, len, "'%s' is not a port (1..65535)", shown);
			return -1;
		}
		u->port = (uint16_t)port;
	}
	return 0;
}

/* RFC 5424 table 1, with the names syslog.conf(5) gives them. */
static const char *const facilities[24] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
};

int syslog_facility_parse(const char *s)
{
	for (int i = 0; i < 24; i++)
		if (strcmp(s, facilities[i]) == 0)
			return i;
	if (s[0] >= '0' && s[0] <= '9' && (s[1] == 0 || (s[0] != '0' && s[1] >= '0' && s[1] <= '9' && s[2] == 0))) {
		int n = s[1] ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
		return n < 24 ? n : -1;
	}
	return -1;
}

int syslog_pri(int facility, enum riad_log_level level)
{
	/* RFC 5424 table 2: 3 error, 4 warning, 6 informational, 7 debug. */
	int sev = level == RIAD_LOG_ERROR ? 3 : level == RIAD_LOG_WARNING ? 4 : level == RIAD_LOG_INFO ? 6 : 7;
	return facility * 8 + sev;
}

/* Bounded writing into buf[0..cap): pos may pass cap, nothing is written
 * past it. */
struct out {
	char *buf;
	size_t cap, pos;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->pos < o->cap) {
		size_t k = o->cap - o->pos < n ? o->cap - o->pos : n;
		memcpy(o->buf + o->pos, s, k);
	}
	o->pos += n;
}

static void putc_(struct out *o, char c)
{
	put(o, &c, 1);
}

/* A header field (RFC 5424 6.2: PRINTUSASCII, 33..126, and 1..max of
 * them): bytes outside that range, and in 3164's TAG ':' '[' ']' too,
 * become '_'; nothing at all is the NILVALUE "-". */
static void put_field(struct out *o, const char *s, size_t max, int tag)
{
	size_t n = 0;
	for (; s && s[n] && n < max; n++) {
		unsigned char c = (unsigned char)s[n];
		int bad = c < 33 || c > 126 || (tag && (c == ':' || c == '[' || c == ']'));
		putc_(o, bad ? '_' : (char)c);
	}
	if (n == 0)
		putc_(o, '-');
}

/* MSG: the text as it is but for control characters other than tab. */
static void put_msg(struct out *o, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		putc_(o, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
	}
}

static void put_num(struct out *o, unsigned long v, int width)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%0*lu", width, v);
	put(o, d, n < 0 ? 0 : (size_t)n);
}

size_t syslog_format(char *buf, size_t cap, const struct syslog_fmt *f,
                     const struct riad_log_msg *m)
{
	static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct out o = { buf, cap, 0 };
	putc_(&o, '<');
	put_num(&o, (unsigned long)syslog_pri(f->facility, m->level), 1);
	putc_(&o, '>');
	struct riad_tm tm;
	int have_time = m->wall_ns >= 0;
	riad_clock_to_tm(have_time ? m->wall_ns : 0, &tm);
	const char *app = f->app_name && f->app_name[0] ? f->app_name : m->src;
	if (f->kind == SYSLOG_3164) {
		/* RFC 3164 4.1.2: "Mmm dd hh:mm:ss", the day padded with a
		 * space. */
		put(&o, months[(tm.month - 1) % 12], 3);
		putc_(&o, ' ');
		putc_(&o, tm.day < 10 ? ' ' : (char)('0' + tm.day / 10));
		putc_(&o, (char)('0' + tm.day % 10));
		putc_(&o, ' ');
		put_num(&o, (unsigned long)tm.hour, 2);
		putc_(&o, ':');
		put_num(&o, (unsigned long)tm.min, 2);
		putc_(&o, ':');
		put_num(&o, (unsigned long)tm.sec, 2);
		putc_(&o, ' ');
		put_field(&o, f->hostname, 255, 0);
		putc_(&o, ' ');
		put_field(&o, app, 32, 1);
		put(&o, ": ", 2);
	} else {
		put(&o, "1 ", 2);
		if (have_time) {
			put_num(&o, (unsigned long)tm.year, 4);
			putc_(&o, '-');
			put_num(&o, (unsigned long)tm.month, 2);
			putc_(&o, '-');
			put_num(&o, (unsigned long)tm.day, 2);
			putc_(&o, 'T');
			put_num(&o, (unsigned long)tm.hour, 2);
			putc_(&o, ':');
			put_num(&o, (unsigned long)tm.min, 2);
			putc_(&o, ':');
			put_num(&o, (unsigned long)tm.sec, 2);
			putc_(&o, '.');
			put_num(&o, (unsigned long)(tm.nsec / 1000), 6);
			putc_(&o, 'Z');
		} else {
			putc_(&o, '-');
		}
		putc_(&o, ' ');
		put_field(&o, f->hostname, 255, 0);
		putc_(&o, ' ');
		put_field(&o, app, 48, 0);
		put(&o, " - ", 3); /* PROCID */
		if (f->app_name && f->app_name[0])
			put_field(&o, m->src, 32, 0);
		else
			putc_(&o, '-');
		put(&o, " - ", 3); /* STRUCTURED-DATA, then MSG */
	}
	put_msg(&o, m->text, m->len);
	return o.pos < cap ? o.pos : cap;
}

size_t syslog_frame(char *buf, size_t cap, size_t msg_len)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%zu ", msg_len);
	if (n < 0 || (size_t)n > cap)
		return 0;
	memcpy(buf, d, (size_t)n);
	return (size_t)n;
}
