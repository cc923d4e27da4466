/* tests/unit/test_log.c: log levels per source, the line format, escaping
 * and truncation of the console reporter; what other reporters receive,
 * and the console turned off. */
#include <stdio.h>
#include <string.h>

#include <riad/log.h>
#include <riad/opt.h>
#include <riad/time.h>

#include "check.h"

RIAD_LOG_SRC(test_src, "testsrc", "A source declared by the test.");
RIAD_LOG_SRC(dup_a, "dup", "Declared twice, in one file here.");
RIAD_LOG_SRC(dup_b, "dup", NULL);

/* The reporter the test registers: the last message, and a count. */
static struct {
	int calls;
	enum riad_log_level level;
	char src[64];
	int64_t wall_ns;
	char text[RIAD_LOG_LINE_MAX + 1];
	size_t len;
	bool log_back; /* log a line from the reporter */
} seen;

static void test_report(const struct riad_log_msg *m)
{
	seen.calls++;
	seen.level = m->level;
	snprintf(seen.src, sizeof(seen.src), "%s", m->src);
	seen.wall_ns = m->wall_ns;
	memcpy(seen.text, m->text, m->len);
	seen.text[m->len] = 0;
	seen.len = m->len;
	/* What a reporter logs goes to the console only, never back here. */
	if (seen.log_back)
		riad_info(NULL, "from the reporter");
}

RIAD_LOG_REPORTER(test_reporter, "test", test_report, NULL);

/* 2026-11-22T10:00:00Z on the fake wall clock. */
#define WALL_2026 ((1795305600LL + 10 * 3600) * RIAD_NS_PER_S)
#define PREFIX "2026-11-22T10:00:00-00:00: [INFO] [application] "

static void set_wall(int64_t ns)
{
	fake_wall_set(ns - FAKE_TIME_START);
}

static void reset(void)
{
	set_wall(WALL_2026);
	riad_log_set_level(NULL, RIAD_LOG_INFO);
	riad_log_set_level("application", RIAD_LOG_INFO);
	fake_console_take();
}

static void test_line_format(void)
{
	reset();
	riad_log(NULL, RIAD_LOG_INFO, "hello %s %d", "world", 42);
	CHECK_STR(fake_console_take(), PREFIX "hello world 42\n");
	riad_log(test_src, RIAD_LOG_ERROR, "bad");
	CHECK_STR(fake_console_take(), "2026-11-22T10:00:00-00:00: [ERROR] [testsrc] bad\n");
	riad_log(test_src, RIAD_LOG_WARNING, "careful");
	CHECK_STR(fake_console_take(), "2026-11-22T10:00:00-00:00: [WARNING] [testsrc] careful\n");
	riad_log(NULL, RIAD_LOG_INFO, "%s", "");
	CHECK_STR(fake_console_take(), PREFIX "\n");
	/* Sub-second parts are not shown; before the epoch works. */
	set_wall(WALL_2026 + 999999999);
	riad_info(NULL, "x");
	CHECK_STR(fake_console_take(), PREFIX "x\n");
	set_wall(-1);
	riad_info(NULL, "x");
	CHECK_STR(fake_console_take(), "1969-12-31T23:59:59-00:00: [INFO] [application] x\n");
}

static void test_default_level(void)
{
	reset();
	riad_debug(NULL, "hidden");
	riad_debug(test_src, "hidden");
	CHECK_STR(fake_console_take(), "");
	riad_info(test_src, "shown");
	riad_warn(test_src, "shown");
	riad_err(test_src, "shown");
	const char *out = fake_console_take();
	CHECK(strstr(out, "[INFO] [testsrc] shown\n") != NULL);
	CHECK(strstr(out, "[WARNING] [testsrc] shown\n") != NULL);
	CHECK(strstr(out, "[ERROR] [testsrc] shown\n") != NULL);
	CHECK(riad_log_enabled(NULL, RIAD_LOG_INFO));
	CHECK(!riad_log_enabled(NULL, RIAD_LOG_DEBUG));
	CHECK(!riad_log_enabled(NULL, RIAD_LOG_QUIET));
	/* Quiet is not a level to log at. */
	riad_log(NULL, RIAD_LOG_QUIET, "never");
	riad_log(NULL, (enum riad_log_level)7, "never");
	riad_log(NULL, (enum riad_log_level)-1, "never");
	CHECK_STR(fake_console_take(), "");
}

static void test_set_level(void)
{
	reset();
	CHECK_INT(riad_log_set_level("testsrc", RIAD_LOG_DEBUG), 0);
	riad_debug(test_src, "now shown");
	CHECK(strstr(fake_console_take(), "[DEBUG] [testsrc] now shown\n") != NULL);
	riad_debug(NULL, "still hidden");
	CHECK_STR(fake_console_take(), "");
	/* An explicit level wins over the default, in both directions. */
	CHECK_INT(riad_log_set_level(NULL, RIAD_LOG_QUIET), 0);
	riad_debug(test_src, "explicit");
	CHECK(strstr(fake_console_take(), "explicit") != NULL);
	CHECK_INT(riad_log_set_level("testsrc", RIAD_LOG_ERROR), 0);
	CHECK(!riad_log_enabled(test_src, RIAD_LOG_WARNING));
	CHECK(riad_log_enabled(test_src, RIAD_LOG_ERROR));
	CHECK_INT(riad_log_set_level("*", RIAD_LOG_DEBUG), 0);
	CHECK(!riad_log_enabled(test_src, RIAD_LOG_WARNING));
	/* Unknown sources and levels change nothing. */
	CHECK_INT(riad_log_set_level("nosuch", RIAD_LOG_DEBUG), -1);
	CHECK_INT(riad_log_set_level("", RIAD_LOG_DEBUG), -1);
	CHECK_INT(riad_log_set_level("testsrc", (enum riad_log_level)5), -1);
	CHECK_INT(riad_log_set_level(NULL, (enum riad_log_level)-1), -1);
	CHECK(riad_log_enabled(test_src, RIAD_LOG_ERROR));
	CHECK(!riad_log_enabled(test_src, RIAD_LOG_WARNING));
	CHECK_INT(riad_log_set_level("testsrc", RIAD_LOG_QUIET), 0);
	riad_err(test_src, "quiet");
	CHECK_STR(fake_console_take(), "");
	CHECK_INT(riad_log_set_level("testsrc", RIAD_LOG_INFO), 0);
}

static void test_default_followed(void)
{
	reset();
	/* The "dup" sources never had a level set, so follow the default. */
	CHECK(!riad_log_enabled(dup_a, RIAD_LOG_DEBUG));
	riad_log_set_level(NULL, RIAD_LOG_DEBUG);
	CHECK(riad_log_enabled(dup_a, RIAD_LOG_DEBUG));
	CHECK(riad_log_enabled(dup_b, RIAD_LOG_DEBUG));
	riad_log_set_level(NULL, RIAD_LOG_ERROR);
	CHECK(!riad_log_enabled(dup_a, RIAD_LOG_WARNING));
	CHECK(riad_log_enabled(dup_a, RIAD_LOG_ERROR));
	riad_log_set_level(NULL, RIAD_LOG_INFO);
}

static void test_same_name_is_one_source(void)
{
	reset();
	CHECK_INT(riad_log_set_level("dup", RIAD_LOG_DEBUG), 0);
	CHECK(riad_log_enabled(dup_a, RIAD_LOG_DEBUG));
	CHECK(riad_log_enabled(dup_b, RIAD_LOG_DEBUG));
	riad_debug(dup_b, "b");
	CHECK(strstr(fake_console_take(), "[DEBUG] [dup] b\n") != NULL);
	CHECK_INT(riad_log_set_level("dup", RIAD_LOG_INFO), 0);
}

static int side_effects;
static int count_call(void)
{
	return ++side_effects;
}

static void test_filtered_not_formatted(void)
{
	reset();
	side_effects = 0;
	riad_debug(NULL, "%d", count_call());
	CHECK_INT(side_effects, 0);
	riad_info(NULL, "%d", count_call());
	CHECK_INT(side_effects, 1);
	/* src is evaluated once. */
	int evals = 0;
	riad_info((evals++, test_src), "once");
	CHECK_INT(evals, 1);
	fake_console_take();
}

static void test_registry(void)
{
	size_t n = riad_log_src_count();
	int app = 0, test = 0, dup = 0;
	CHECK(n >= 4);
	for (size_t i = 0; i < n; i++) {
		const struct riad_log_src *s = riad_log_src_at(i);
		REQUIRE(s != NULL);
		app += strcmp(s->name, "application") == 0;
		test += strcmp(s->name, "testsrc") == 0;
		dup += strcmp(s->name, "dup") == 0;
	}
	CHECK_INT(app, 1);
	CHECK_INT(test, 1);
	CHECK_INT(dup, 2);
	CHECK(riad_log_src_at(n) == NULL);
}

static void test_level_names(void)
{
	CHECK_INT(riad_log_level_parse("quiet", 5), RIAD_LOG_QUIET);
	CHECK_INT(riad_log_level_parse("error", 5), RIAD_LOG_ERROR);
	CHECK_INT(riad_log_level_parse("warning", 7), RIAD_LOG_WARNING);
	CHECK_INT(riad_log_level_parse("warn", 4), RIAD_LOG_WARNING);
	CHECK_INT(riad_log_level_parse("info", 4), RIAD_LOG_INFO);
	CHECK_INT(riad_log_level_parse("debug", 5), RIAD_LOG_DEBUG);
	CHECK_INT(riad_log_level_parse("debugx", 5), RIAD_LOG_DEBUG); /* len counts */
	CHECK_INT(riad_log_level_parse("debugx", 6), -1);
	CHECK_INT(riad_log_level_parse("INFO", 4), -1);
	CHECK_INT(riad_log_level_parse("", 0), -1);
	CHECK_INT(riad_log_level_parse("inf", 3), -1);
	CHECK_STR(riad_log_level_name(RIAD_LOG_WARNING), "warning");
	CHECK_STR(riad_log_level_name(RIAD_LOG_QUIET), "quiet");
	CHECK_STR(riad_log_level_name((enum riad_log_level)9), "?");
}

static void test_escaping(void)
{
	reset();
	riad_info(NULL, "two\nlines\r\nand\ttab \x01\x1b[31m \x7f end");
	CHECK_STR(fake_console_take(), PREFIX "two\\nlines\\r\\nand\ttab \\x01\\x1b[31m \\x7f end\n");
	riad_info(NULL, "caf\xc3\xa9");
	CHECK_STR(fake_console_take(), PREFIX "caf\xc3\xa9\n");
	riad_info(NULL, "\n");
	CHECK_STR(fake_console_take(), PREFIX "\\n\n");
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void test_truncation(void)
{
	static char msg[3 * RIAD_LOG_LINE_MAX];
	reset();
	const size_t room = RIAD_LOG_LINE_MAX - 1 - strlen(PREFIX);

	/* Exactly fits: no "...". */
	memset(msg, 'a', room);
	msg[room] = 0;
	riad_info(NULL, "%s", msg);
	const char *out = fake_console_take();
	CHECK_INT(strlen(out), RIAD_LOG_LINE_MAX);
	CHECK_INT(count_char(out, '\n'), 1);
	CHECK(out[RIAD_LOG_LINE_MAX - 2] == 'a');

	/* One more: cut, ending in "...", still RIAD_LOG_LINE_MAX bytes. */
	memset(msg, 'a', room + 1);
	msg[room + 1] = 0;
	riad_info(NULL, "%s", msg);
	out = fake_console_take();
	CHECK_INT(strlen(out), RIAD_LOG_LINE_MAX);
	CHECK(strcmp(out + RIAD_LOG_LINE_MAX - 4, "...\n") == 0);

	/* Far too long, with newlines: one line. */
	for (size_t i = 0; i < sizeof(msg) - 1; i++)
		msg[i] = i % 10 == 9 ? '\n' : 'b';
	msg[sizeof(msg) - 1] = 0;
	riad_info(NULL, "%s", msg);
	out = fake_console_take();
	CHECK_INT(strlen(out), RIAD_LOG_LINE_MAX);
	CHECK_INT(count_char(out, '\n'), 1);
	CHECK(strcmp(out + RIAD_LOG_LINE_MAX - 4, "...\n") == 0);

	/* An escape that would straddle the limit is not split. */
	memset(msg, 'c', room - 4);
	memcpy(msg + room - 4, "\n\n\n", 4);
	riad_info(NULL, "%s", msg);
	out = fake_console_take();
	CHECK(strlen(out) <= RIAD_LOG_LINE_MAX);
	CHECK(strcmp(out + strlen(out) - 4, "...\n") == 0);
	CHECK(out[strlen(out) - 5] != '\\');
}

/* Whether s is well-formed UTF-8 (enough for 2..4-byte sequences). */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 0;
		if (!n)
			return 0;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

static void test_truncation_utf8(void)
{
	static char msg[2 * RIAD_LOG_LINE_MAX];
	reset();
	/* Shift a run of 3-byte characters by one byte at a time so that the
	 * cut falls at every position inside one. */
	for (int shift = 0; shift < 4; shift++) {
		size_t n = 0;
		for (int i = 0; i < shift; i++)
			msg[n++] = 'x';
		while (n + 3 < sizeof(msg)) {
			memcpy(msg + n, "\xe2\x82\xac", 3); /* the euro sign */
			n += 3;
		}
		msg[n] = 0;
		riad_info(NULL, "%s", msg);
		const char *out = fake_console_take();
		CHECK(strlen(out) <= RIAD_LOG_LINE_MAX);
		CHECK(strlen(out) >= RIAD_LOG_LINE_MAX - 3);
		CHECK(utf8_ok(out));
		CHECK(strcmp(out + strlen(out) - 4, "...\n") == 0);
	}
}

static void test_reporters(void)
{
	reset();
	memset(&seen, 0, sizeof(seen));
	seen.log_back = true;
	riad_log(test_src, RIAD_LOG_WARNING, "a\nb %d", 7);
	CHECK_INT(seen.calls, 1);
	CHECK_INT(seen.level, RIAD_LOG_WARNING);
	CHECK_STR(seen.src, "testsrc");
	CHECK_INT(seen.wall_ns, WALL_2026);
	/* The text escaped as on the console, without the prefix. */
	CHECK_STR(seen.text, "a\\nb 7");
	CHECK_STR(fake_console_take(), "2026-11-22T10:00:00-00:00: [WARNING] [testsrc] a\\nb 7\n"
	                               PREFIX "from the reporter\n");
	/* Filtered messages reach no reporter. */
	riad_debug(test_src, "hidden");
	CHECK_INT(seen.calls, 1);
	/* The console off: reporters still get every message; what a
	 * reporter logs still reaches the console. */
	riad_log_console_set(false);
	riad_info(NULL, "quiet");
	CHECK_INT(seen.calls, 2);
	CHECK_STR(seen.text, "quiet");
	CHECK_STR(fake_console_take(), PREFIX "from the reporter\n");
	riad_log_console_set(true);
	/* A cut message is cut for reporters the same way. */
	char big[RIAD_LOG_LINE_MAX * 2];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	riad_info(NULL, "%s", big);
	const char *out = fake_console_take();
	CHECK_INT(strlen(PREFIX) + seen.len + 1, strlen(out) - strlen(PREFIX "from the reporter\n"));
	CHECK(seen.len >= 3 && memcmp(seen.text + seen.len - 3, "...", 3) == 0);
	seen.log_back = false;
}

int main(void)
{
	RUN(test_reporters);
	RUN(test_line_format);
	RUN(test_default_level);
	RUN(test_set_level);
	RUN(test_default_followed);
	RUN(test_same_name_is_one_source);
	RUN(test_filtered_not_formatted);
	RUN(test_registry);
	RUN(test_level_names);
	RUN(test_escaping);
	RUN(test_truncation);
	RUN(test_truncation_utf8);
	return check_done();
}
