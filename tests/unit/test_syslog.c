/* tests/unit/test_syslog.c: the syslog client's pure parts
 * (ops/syslog_format.c): collector URLs, facilities, PRI, the RFC 5424 and
 * RFC 3164 formats with their field rules, RFC 6587 octet counting. */
#include <stdio.h>
#include <string.h>

#include <riad/log.h>
#include <riad/time.h>

#include "../../ops/syslog.h"
#include "check.h"

/* 2026-11-22T10:00:00.123456789Z. */
#define WALL ((1795305600LL + 10 * 3600) * RIAD_NS_PER_S + 123456789)

static char out[SYSLOG_MSG_MAX + 1];

static const char *fmt(const struct syslog_fmt *f, enum riad_log_level level, const char *src,
                       const char *text)
{
	struct riad_log_msg m = { .level = level, .src = src, .wall_ns = WALL, .text = text,
		                  .len = strlen(text) };
	size_t n = syslog_format(out, sizeof(out) - 1, f, &m);
	out[n] = 0;
	return out;
}

static void test_url(void)
{
	struct syslog_url u;
	char why[128];
	REQUIRE(syslog_url_parse("udp://10.0.0.1", &u, why, sizeof(why)) == 0);
	CHECK_INT(u.transport, SYSLOG_UDP);
	CHECK_INT(u.addr, 0x0a000001);
	CHECK_INT(u.port, 514);
	REQUIRE(syslog_url_parse("tcp://10.0.0.1:1514", &u, why, sizeof(why)) == 0);
	CHECK_INT(u.transport, SYSLOG_TCP);
	CHECK_INT(u.port, 1514);
	REQUIRE(syslog_url_parse("tls://192.168.1.2", &u, why, sizeof(why)) == 0);
	CHECK_INT(u.transport, SYSLOG_TLS);
	CHECK_INT(u.port, 6514);
	REQUIRE(syslog_url_parse("tcp://10.0.0.1:65535", &u, why, sizeof(why)) == 0);
	CHECK_INT(u.port, 65535);
	static const char *const bad[] = {
		"", "udp:/10.0.0.1", "http://10.0.0.1", "udp://", "udp://:514", "udp://host",
		"udp://10.0.0.256", "udp://10.0.0.1:", "udp://10.0.0.1:0", "udp://10.0.0.1:65536",
		"udp://10.0.0.1:0514", "udp://10.0.0.1:51x", "udp://10.0.0.1:-1", "udp://10.0.0.1:1:2",
		"UDP://10.0.0.1", "udp://10.0.0.1/24", "udp://10.0.0.1:9999999", "x\ny", "udp://1\n2",
		"udp://10.0.0.1:5\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		CHECK(syslog_url_parse(bad[i], &u, why, sizeof(why)) < 0);
		CHECK(why[0] != 0 && strchr(why, '\n') == NULL);
	}
	CHECK(syslog_url_parse("udp://host", &u, why, sizeof(why)) < 0);
	CHECK_STR(why, "'host' is not an IPv4 address (a name is not resolved)");
}

static void test_facility_and_pri(void)
{
	CHECK_INT(syslog_facility_parse("kern"), 0);
	CHECK_INT(syslog_facility_parse("user"), 1);
	CHECK_INT(syslog_facility_parse("daemon"), 3);
	CHECK_INT(syslog_facility_parse("authpriv"), 10);
	CHECK_INT(syslog_facility_parse("local0"), 16);
	CHECK_INT(syslog_facility_parse("local7"), 23);
	CHECK_INT(syslog_facility_parse("0"), 0);
	CHECK_INT(syslog_facility_parse("23"), 23);
	CHECK_INT(syslog_facility_parse("24"), -1);
	CHECK_INT(syslog_facility_parse("03"), -1);
	CHECK_INT(syslog_facility_parse("local8"), -1);
	CHECK_INT(syslog_facility_parse(""), -1);
	CHECK_INT(syslog_facility_parse("Daemon"), -1);
	/* RFC 5424 6.2.1: facility * 8 + severity. */
	CHECK_INT(syslog_pri(0, RIAD_LOG_ERROR), 3);
	CHECK_INT(syslog_pri(3, RIAD_LOG_WARNING), 28);
	CHECK_INT(syslog_pri(16, RIAD_LOG_INFO), 134);
	CHECK_INT(syslog_pri(23, RIAD_LOG_DEBUG), 191);
}

static void test_5424(void)
{
	struct syslog_fmt f = { .kind = SYSLOG_5424, .facility = 3, .hostname = "web1" };
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "tcp", "hello"),
	          "<30>1 2026-11-22T10:00:00.123456Z web1 tcp - - - hello");
	/* A fixed APP-NAME moves the source to MSGID. */
	f.app_name = "shop";
	CHECK_STR(fmt(&f, RIAD_LOG_ERROR, "application", "x"),
	          "<27>1 2026-11-22T10:00:00.123456Z web1 shop - application - x");
	/* No wall clock: the NILVALUE. */
	struct riad_log_msg m = { .level = RIAD_LOG_INFO, .src = "s", .wall_ns = -1, .text = "t", .len = 1 };
	size_t n = syslog_format(out, sizeof(out) - 1, &f, &m);
	out[n] = 0;
	CHECK_STR(out, "<30>1 - web1 shop - s - t");
	/* An empty text: the header alone. */
	f.app_name = NULL;
	CHECK_STR(fmt(&f, RIAD_LOG_DEBUG, "s", ""), "<31>1 2026-11-22T10:00:00.123456Z web1 s - - - ");
}

static void test_5424_fields(void)
{
	/* Header fields hold PRINTUSASCII only (RFC 5424 6.2, 6): spaces,
	 * controls and non-ASCII become '_'; empty is "-"; each is cut to
	 * its length (HOSTNAME 255, APP-NAME 48, MSGID 32). */
	struct syslog_fmt f = { .kind = SYSLOG_5424, .facility = 1, .hostname = "my host\x01\xc3\xa9" };
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "a b", "m"),
	          "<14>1 2026-11-22T10:00:00.123456Z my_host___ a_b - - - m");
	f.hostname = "";
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "", "m"), "<14>1 2026-11-22T10:00:00.123456Z - - - - - m");
	f.hostname = NULL;
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "s", "m"), "<14>1 2026-11-22T10:00:00.123456Z - s - - - m");
	char host[300], app[60], src[40], want[600];
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = 0;
	memset(app, 'a', sizeof(app) - 1);
	app[sizeof(app) - 1] = 0;
	memset(src, 's', sizeof(src) - 1);
	src[sizeof(src) - 1] = 0;
	f.hostname = host;
	f.app_name = app;
	snprintf(want, sizeof(want), "<14>1 2026-11-22T10:00:00.123456Z %.255s %.48s - %.32s - m", host, app, src);
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, src, "m"), want);
}

static void test_5424_msg(void)
{
	/* MSG is the text as it is (MSG-ANY, no BOM): brackets, quotes and
	 * backslashes need no escaping outside STRUCTURED-DATA, which is nil;
	 * UTF-8 stays; control characters but tab become '?', so that a
	 * message is one line whatever the framing. */
	struct syslog_fmt f = { .kind = SYSLOG_5424, .facility = 3, .hostname = "h" };
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "s", "[sd@1 a=\"b\\\"]\"] caf\xc3\xa9"),
	          "<30>1 2026-11-22T10:00:00.123456Z h s - - - [sd@1 a=\"b\\\"]\"] caf\xc3\xa9");
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "s", "a\nb\rc\td\x7f" "e\x1b"),
	          "<30>1 2026-11-22T10:00:00.123456Z h s - - - a?b?c\td?e?");
	/* A message that starts like structured data or a nil value still
	 * follows the nil STRUCTURED-DATA and its space. */
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "s", "- x"), "<30>1 2026-11-22T10:00:00.123456Z h s - - - - x");
}

static void test_3164(void)
{
	struct syslog_fmt f = { .kind = SYSLOG_3164, .facility = 1, .hostname = "web1" };
	CHECK_STR(fmt(&f, RIAD_LOG_WARNING, "tcp", "hello"), "<12>Nov 22 10:00:00 web1 tcp: hello");
	/* TAG: 32 characters at most, no ':' '[' ']'. */
	f.app_name = "a:b[c]d0123456789012345678901234567890";
	CHECK_STR(fmt(&f, RIAD_LOG_INFO, "tcp", "x"),
	          "<14>Nov 22 10:00:00 web1 a_b_c_d0123456789012345678901234: x");
	/* The day is padded with a space. */
	struct riad_log_msg m = { .level = RIAD_LOG_INFO, .src = "s", .text = "t", .len = 1,
		                  .wall_ns = (1767225600LL + 5 * 86400 + 3661) * RIAD_NS_PER_S };
	f.app_name = NULL;
	size_t n = syslog_format(out, sizeof(out) - 1, &f, &m);
	out[n] = 0;
	CHECK_STR(out, "<14>Jan  6 01:01:01 web1 s: t");
}

static void test_cut_and_max(void)
{
	/* The longest header with a whole RIAD_LOG_LINE_MAX text fits in
	 * SYSLOG_MSG_MAX; a small buffer cuts without overflowing. */
	static char host[300], app[60], src[200], text[RIAD_LOG_LINE_MAX];
	memset(host, 'h', sizeof(host) - 1);
	memset(app, 'a', sizeof(app) - 1);
	memset(src, 's', sizeof(src) - 1);
	memset(text, 't', sizeof(text) - 1);
	struct syslog_fmt f = { .kind = SYSLOG_5424, .facility = 23, .hostname = host, .app_name = app };
	struct riad_log_msg m = { .level = RIAD_LOG_DEBUG, .src = src, .wall_ns = WALL, .text = text,
		                  .len = sizeof(text) - 1 };
	static char big[SYSLOG_MSG_MAX + 64];
	memset(big, 0x55, sizeof(big));
	size_t n = syslog_format(big, SYSLOG_MSG_MAX, &f, &m);
	CHECK(n < SYSLOG_MSG_MAX);
	CHECK(n > sizeof(text) - 1);
	CHECK(big[n - 1] == 't');
	char small[40];
	memset(small, 0x55, sizeof(small));
	n = syslog_format(small, 20, &f, &m);
	CHECK_INT(n, 20);
	CHECK_MEM(small, "<191>1 2026-11-22T1", 19);
	CHECK(small[20] == 0x55);
}

static void test_octet_counting(void)
{
	/* RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG. */
	char b[16];
	size_t n = syslog_frame(b, sizeof(b), 57);
	b[n] = 0;
	CHECK_STR(b, "57 ");
	n = syslog_frame(b, sizeof(b), 0);
	b[n] = 0;
	CHECK_STR(b, "0 ");
	n = syslog_frame(b, sizeof(b), 2048);
	b[n] = 0;
	CHECK_STR(b, "2048 ");
	CHECK_INT(syslog_frame(b, 3, 2048), 0);
	/* A framed message is its length, a space and its bytes. */
	struct syslog_fmt f = { .kind = SYSLOG_5424, .facility = 3, .hostname = "h" };
	const char *msg = fmt(&f, RIAD_LOG_INFO, "s", "framed");
	char frame[200];
	size_t len = strlen(msg);
	n = syslog_frame(frame, sizeof(frame), len);
	memcpy(frame + n, msg, len);
	frame[n + len] = 0;
	char want[200];
	snprintf(want, sizeof(want), "%zu %s", len, msg);
	CHECK_STR(frame, want);
}

int main(void)
{
	RUN(test_url);
	RUN(test_facility_and_pri);
	RUN(test_5424);
	RUN(test_5424_fields);
	RUN(test_5424_msg);
	RUN(test_3164);
	RUN(test_cut_and_max);
	RUN(test_octet_counting);
	return check_done();
}
