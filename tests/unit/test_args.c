/* tests/unit/test_args.c: the command-line parser on its own tables and on
 * the registered ones, --help, -l, and riad_args_split. */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/log.h>
#include <riad/opt.h>

#include "args.h"
#include "check.h"
#include "runtime.h"

RIAD_LOG_SRC(args_src, "argstest", "A source declared by the test.");

/* A table of the test's own, in no particular order. */
static const char *s_name;
static int64_t s_count;
static bool s_shout;
static struct riad_arg a_name = {
	.name = "name", .type = RIAD_ARG_TYPE_STRING, .var = &s_name,
	.def.s = "World", .doc = "Who to greet.",
};
static struct riad_arg a_count = {
	.name = "count", .type = RIAD_ARG_TYPE_INT, .var = &s_count,
	.def.i = 2, .doc = "How many times to greet.",
};
static struct riad_arg a_shout = {
	.name = "shout", .type = RIAD_ARG_TYPE_BOOL, .var = &s_shout,
	.def.b = false, .doc = "Greet in capitals.",
};
static struct riad_arg a_logs = {
	.name = "logs", .short_name = 'l', .type = RIAD_ARG_TYPE_LOGS,
	.flags = RIAD_ARG_RUNTIME | RIAD_ARG_REPEATABLE, .def.s = "info",
	.doc = "Log levels.",
};
static struct riad_arg a_help = {
	.name = "help", .type = RIAD_ARG_TYPE_HELP, .flags = RIAD_ARG_RUNTIME,
	.doc = "Show this help.",
};
static struct riad_arg *table[] = { &a_help, &a_shout, &a_logs, &a_name, &a_count };
#define TABLE table, table + sizeof(table) / sizeof(table[0])

/* Options registered like an application's, for riad_args_boot(). */
RIAD_ARG_INT(boot_n, "boot-n", 7, "A registered integer.");
RIAD_ARG_STRING(boot_s, "boot-s", NULL, "A registered string without default.");
RIAD_ARG_BOOL(boot_b, "boot-b", true, "A registered bool.");

static char *argv_buf[64];
static int app_argc;
static char **app_argv;
static const char *out; /* what the last parse printed */

static int parse_args(int (*parse)(int, char **, int *, char ***), const char *const *args)
{
	int argc = 0;
	while (args[argc]) {
		argv_buf[argc] = (char *)args[argc];
		argc++;
	}
	argv_buf[argc] = NULL;
	fake_console_take();
	app_argc = -1;
	app_argv = NULL;
	int status = parse(argc, argv_buf, &app_argc, &app_argv);
	out = fake_console_take();
	return status;
}

static int table_parse(int argc, char **argv, int *ac, char ***av)
{
	return riad_args_parse(TABLE, argc, argv, ac, av);
}

#define PARSE(...) parse_args(table_parse, (const char *const[]){ "hello", __VA_ARGS__, NULL })
#define PARSE0() parse_args(table_parse, (const char *const[]){ "hello", NULL })
#define BOOT(...) parse_args(riad_args_boot, (const char *const[]){ "/bin/booted", __VA_ARGS__, NULL })

static void reset_logs(void)
{
	riad_log_set_level(NULL, RIAD_LOG_INFO);
	riad_log_set_level("argstest", RIAD_LOG_INFO);
}

static void test_defaults(void)
{
	CHECK_INT(PARSE0(), 0);
	CHECK_STR(out, "");
	CHECK_INT(app_argc, 1);
	REQUIRE(app_argv == argv_buf);
	CHECK_STR(app_argv[0], "hello");
	CHECK(app_argv[1] == NULL);
	CHECK_STR(s_name, "World");
	CHECK_INT(s_count, 2);
	CHECK(!s_shout);
}

static void test_values(void)
{
	CHECK_INT(PARSE("--name=Alice", "--count", "5", "--shout"), 0);
	CHECK_STR(s_name, "Alice");
	CHECK_INT(s_count, 5);
	CHECK(s_shout);
	CHECK_INT(app_argc, 1);
	CHECK(app_argv[1] == NULL);
	CHECK_STR(out, "");

	/* Variables go back to their defaults at each parse. */
	CHECK_INT(PARSE0(), 0);
	CHECK_STR(s_name, "World");
	CHECK_INT(s_count, 2);
	CHECK(!s_shout);

	CHECK_INT(PARSE("--name", "Bob"), 0);
	CHECK_STR(s_name, "Bob");
	CHECK_INT(PARSE("--name="), 0);
	CHECK_STR(s_name, "");
	CHECK_INT(PARSE("--name", ""), 0);
	CHECK_STR(s_name, "");
	CHECK_INT(PARSE("--name=a=b"), 0);
	CHECK_STR(s_name, "a=b");
	/* The next argument is the value, whatever it looks like. */
	CHECK_INT(PARSE("--name", "--count"), 0);
	CHECK_STR(s_name, "--count");
	CHECK_INT(s_count, 2);
	CHECK_INT(PARSE("--name", "it's \"quoted\" \n"), 0);
	CHECK_STR(s_name, "it's \"quoted\" \n");
}

static void check_int(const char *arg, int64_t want)
{
	char opt[128];
	snprintf(opt, sizeof(opt), "--count=%s", arg);
	int status = PARSE(opt);
	if (status != 0 || s_count != want) {
		printf("  --count=%s: status %d, value %lld, want %lld\n", arg, status,
		       (long long)s_count, (long long)want);
		CHECK(0);
	}
	status = PARSE("--count", arg);
	CHECK_INT(status, 0);
	CHECK_INT(s_count, want);
}

static void test_ints(void)
{
	check_int("0", 0);
	check_int("-0", 0);
	check_int("+7", 7);
	check_int("-5", -5);
	check_int("010", 10);
	check_int("0x10", 16);
	check_int("0XfF", 255);
	check_int("-0x10", -16);
	check_int("9223372036854775807", INT64_MAX);
	check_int("-9223372036854775808", INT64_MIN);
	check_int("0x7fffffffffffffff", INT64_MAX);
	check_int("-0x8000000000000000", INT64_MIN);
	check_int("00000000000000000000000000042", 42);
}

static void check_bool(const char *arg, bool want)
{
	char opt[64];
	snprintf(opt, sizeof(opt), "--shout=%s", arg);
	CHECK_INT(PARSE(opt), 0);
	CHECK_INT(s_shout, want);
}

static void test_bools(void)
{
	check_bool("true", true);
	check_bool("yes", true);
	check_bool("1", true);
	check_bool("false", false);
	check_bool("no", false);
	check_bool("0", false);
	/* A bool never takes the next argument: "false" is positional. */
	CHECK_INT(PARSE("--shout", "false"), 0);
	CHECK(s_shout);
	CHECK_INT(app_argc, 2);
	CHECK_STR(app_argv[1], "false");
}

static void test_positionals(void)
{
	CHECK_INT(PARSE("a", "--name=x", "b", "-", "--", "--count=5", "--", "-l", "c"), 0);
	CHECK_STR(s_name, "x");
	CHECK_INT(s_count, 2);
	REQUIRE(app_argc == 8);
	CHECK_STR(app_argv[0], "hello");
	CHECK_STR(app_argv[1], "a");
	CHECK_STR(app_argv[2], "b");
	CHECK_STR(app_argv[3], "-");
	CHECK_STR(app_argv[4], "--count=5");
	CHECK_STR(app_argv[5], "--");
	CHECK_STR(app_argv[6], "-l");
	CHECK_STR(app_argv[7], "c");
	CHECK(app_argv[8] == NULL);

	CHECK_INT(PARSE("--"), 0);
	CHECK_INT(app_argc, 1);
	CHECK(app_argv[1] == NULL);

	CHECK_INT(PARSE("only", "--shout"), 0);
	CHECK_INT(app_argc, 2);
	CHECK_STR(app_argv[1], "only");
	CHECK(app_argv[2] == NULL);
}

/* Each bad command line: status 64 and exactly this one line. */
static void check_bad(const char *line, int status)
{
	CHECK_INT(status, 64);
	CHECK_STR(out, line);
}

static void test_unknown(void)
{
	check_bad("hello: unknown option '--nope'\n", PARSE("--nope"));
	check_bad("hello: unknown option '--nope'\n", PARSE("--nope=3"));
	check_bad("hello: unknown option '--Name'\n", PARSE("--Name=x"));
	check_bad("hello: unknown option '--nam'\n", PARSE("--nam=x"));  /* no prefixes */
	check_bad("hello: unknown option '-x'\n", PARSE("-x"));
	check_bad("hello: unknown option '-5'\n", PARSE("-5"));
	check_bad("hello: unknown option '--=x'\n", PARSE("--=x"));
	check_bad("hello: unknown option '---name'\n", PARSE("---name=x"));
	check_bad("hello: unknown option '--nope'\n", PARSE("pos", "--name=x", "--nope"));
}

static void test_missing_value(void)
{
	check_bad("hello: option '--name' needs a value\n", PARSE("--name"));
	check_bad("hello: option '--count' needs a value\n", PARSE("--count"));
	check_bad("hello: option '-l' needs a value\n", PARSE("-l"));
	check_bad("hello: option '--logs' needs a value\n", PARSE("--logs"));
	check_bad("hello: option '--help' takes no value\n", PARSE("--help=yes"));
}

static void test_ill_typed(void)
{
	check_bad("hello: option '--count': 'x' is not an integer\n", PARSE("--count=x"));
	check_bad("hello: option '--count': 'x' is not an integer\n", PARSE("--count", "x"));
	static const char *const bad[] = {
		"12a", "0x", "0xg", "1.5", " 1", "1 ", "--1", "+", "-", "+-1", "0b1", "1e3",
		"99999999999999999999x", "0x-1", "١",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char opt[64], line[128];
		snprintf(opt, sizeof(opt), "--count=%s", bad[i]);
		snprintf(line, sizeof(line), "hello: option '--count': '%s' is not an integer\n", bad[i]);
		check_bad(line, PARSE(opt));
	}
	check_bad("hello: option '--shout': 'maybe' is not a boolean (true, false, yes, no, 1, 0)\n",
	          PARSE("--shout=maybe"));
	check_bad("hello: option '--shout': 'TRUE' is not a boolean (true, false, yes, no, 1, 0)\n",
	          PARSE("--shout=TRUE"));
}

static void test_overflow(void)
{
#define RANGE " is out of range (-9223372036854775808..9223372036854775807)\n"
	check_bad("hello: option '--count': '9223372036854775808'" RANGE,
	          PARSE("--count=9223372036854775808"));
	check_bad("hello: option '--count': '-9223372036854775809'" RANGE,
	          PARSE("--count=-9223372036854775809"));
	check_bad("hello: option '--count': '0x8000000000000000'" RANGE,
	          PARSE("--count=0x8000000000000000"));
	check_bad("hello: option '--count': '-0x8000000000000001'" RANGE,
	          PARSE("--count=-0x8000000000000001"));
	check_bad("hello: option '--count': '18446744073709551616'" RANGE,
	          PARSE("--count", "18446744073709551616"));
	check_bad("hello: option '--count': '99999999999999999999999999999'" RANGE,
	          PARSE("--count=99999999999999999999999999999"));
#undef RANGE
}

static void test_empty(void)
{
	check_bad("hello: option '--count': empty value, expected an integer\n", PARSE("--count="));
	check_bad("hello: option '--count': empty value, expected an integer\n", PARSE("--count", ""));
	check_bad("hello: option '--shout': empty value, expected a boolean\n", PARSE("--shout="));
	check_bad("hello: option '-l': empty log level in ''\n", PARSE("-l", ""));
	/* but an empty string is a string */
	CHECK_INT(PARSE("--name="), 0);
}

static void test_repeated(void)
{
	check_bad("hello: option '--name' cannot be repeated\n", PARSE("--name=a", "--name=b"));
	check_bad("hello: option '--name' cannot be repeated\n", PARSE("--name=a", "--name", "a"));
	check_bad("hello: option '--shout' cannot be repeated\n", PARSE("--shout", "--shout"));
	check_bad("hello: option '--count' cannot be repeated\n", PARSE("--count=1", "x", "--count=1"));
	/* -l is repeatable, in both spellings. */
	CHECK_INT(PARSE("-l", "info", "--logs=info", "-linfo"), 0);
	reset_logs();
}

static void test_one_line(void)
{
	/* Control characters in an argument cannot break the line. */
	check_bad("hello: unknown option '--a?b?c'\n", PARSE("--a\nb\rc"));
	check_bad("hello: option '--count': 'x?y' is not an integer\n", PARSE("--count=x\ny"));
	/* Nor can a huge one make it longer than a log line. */
	static char big[3 * RIAD_LOG_LINE_MAX];
	memcpy(big, "--count=", 8);
	memset(big + 8, '7', sizeof(big) - 9);
	big[20] = 'z';
	CHECK_INT(PARSE(big), 64);
	CHECK(strlen(out) <= RIAD_LOG_LINE_MAX);
	CHECK(strncmp(out, "hello: option '--count': '7777", 30) == 0);
	CHECK(strcmp(out + strlen(out) - 4, "...\n") == 0);
	CHECK(strchr(out, '\n') == out + strlen(out) - 1);
}

static void test_prog_name(void)
{
	static const char *const path[] = { "/usr/local/bin/greeter", "--x", NULL };
	static const char *const none[] = { "", "--x", NULL };
	static const char *const slash[] = { "dir/", "--x", NULL };
	CHECK_INT(parse_args(table_parse, path), 64);
	CHECK_STR(out, "greeter: unknown option '--x'\n");
	CHECK_INT(parse_args(table_parse, none), 64);
	CHECK_STR(out, "riad: unknown option '--x'\n");
	CHECK_INT(parse_args(table_parse, slash), 64);
	CHECK_STR(out, "dir/: unknown option '--x'\n");
	/* No arguments at all (no argv[0]). */
	static const char *const empty[] = { NULL };
	CHECK_INT(parse_args(table_parse, empty), 0);
	CHECK_INT(app_argc, 0);
}

static void test_logs(void)
{
	reset_logs();
	/* "application" follows the default level: no level of its own is
	 * ever set in this program. */
	CHECK_INT(PARSE("-l", "debug"), 0);
	CHECK(riad_log_enabled(NULL, RIAD_LOG_DEBUG));
	CHECK(!riad_log_enabled(args_src, RIAD_LOG_DEBUG));
	reset_logs();
	CHECK(!riad_log_enabled(NULL, RIAD_LOG_DEBUG));

	/* A source's own level wins over the default, whatever the order. */
	CHECK_INT(PARSE("-l", "argstest:error,debug"), 0);
	CHECK(riad_log_enabled(NULL, RIAD_LOG_DEBUG));
	CHECK(!riad_log_enabled(args_src, RIAD_LOG_WARNING));
	CHECK(riad_log_enabled(args_src, RIAD_LOG_ERROR));
	reset_logs();

	CHECK_INT(PARSE("-largstest:warning"), 0);
	CHECK(riad_log_enabled(args_src, RIAD_LOG_WARNING));
	CHECK(!riad_log_enabled(args_src, RIAD_LOG_INFO));
	reset_logs();

	CHECK_INT(PARSE("--logs=argstest:debug", "-l", "*:quiet", "pos"), 0);
	CHECK(riad_log_enabled(args_src, RIAD_LOG_DEBUG));
	CHECK(!riad_log_enabled(NULL, RIAD_LOG_ERROR));
	CHECK_INT(app_argc, 2);
	reset_logs();

	CHECK_INT(PARSE("-l", "warn"), 0);
	reset_logs();

	check_bad("hello: option '-l': 'loud' is not a log level (quiet, error, warning, info, debug)\n",
	          PARSE("-l", "loud"));
	check_bad("hello: option '--logs': unknown log source 'nosuch'\n",
	          PARSE("--logs=nosuch:debug"));
	check_bad("hello: option '-l': unknown log source ''\n", PARSE("-l", ":debug"));
	check_bad("hello: option '-l': 'debug:' is not a log level (quiet, error, warning, info, debug)\n",
	          PARSE("-l", "argstest:debug:"));
	check_bad("hello: option '-l': '' is not a log level (quiet, error, warning, info, debug)\n",
	          PARSE("-l", "argstest:"));
	check_bad("hello: option '-l': empty log level in 'info,'\n", PARSE("-l", "info,"));
	check_bad("hello: option '-l': empty log level in ',info'\n", PARSE("-l", ",info"));
	/* An error anywhere in the list applies none of it. */
	check_bad("hello: option '-l': unknown log source 'bogus'\n",
	          PARSE("-l", "argstest:debug,bogus:info"));
	CHECK(!riad_log_enabled(args_src, RIAD_LOG_DEBUG));
	reset_logs();
}

/* Where needle is in out, or a large value if absent. */
static size_t pos(const char *needle)
{
	const char *p = strstr(out, needle);
	if (!p)
		printf("  missing from the help: \"%s\"\n", needle);
	return p ? (size_t)(p - out) : (size_t)-1;
}

static void test_help(void)
{
	CHECK_INT(PARSE("--count=5", "--help", "--nope"), 63);
	CHECK(strncmp(out, "Usage: hello [OPTION]... [--] [ARGUMENT]...\n", 44) == 0);
	size_t count = pos("  --count=INT (default: 2)\n      How many times to greet.\n");
	size_t name = pos("  --name=STRING (default: \"World\")\n      Who to greet.\n");
	size_t shout = pos("  --shout[=BOOL] (default: false)\n      Greet in capitals.\n");
	size_t runtime = pos("\nRuntime options:\n");
	size_t help = pos("  --help\n      Show this help.\n");
	size_t logs = pos("  -l, --logs=[SRC:]LEVEL[,...] (default: info)\n      Log levels.\n");
	size_t srcs = pos("\nLog sources (for -l SRC:LEVEL):\n");
	size_t argstest = pos("  argstest\n      A source declared by the test.\n");
	size_t exits = pos("63");
	CHECK(pos("\nOptions:\n") < count);
	CHECK(count < name && name < shout && shout < runtime);
	CHECK(runtime < help && help < logs && logs < srcs && srcs < argstest);
	CHECK(pos("  application\n") < argstest);
	CHECK(exits != (size_t)-1);
	/* The status line says 64 too. */
	pos("64");

	/* An error before --help wins, one after does not. */
	check_bad("hello: unknown option '--nope'\n", PARSE("--nope", "--help"));
	CHECK_INT(PARSE("--help", "--nope"), 63);
}

static void test_help_without_app_options(void)
{
	struct riad_arg *runtime_only[] = { &a_help };
	riad_args_usage(runtime_only, runtime_only + 1, "x");
	out = fake_console_take();
	CHECK(strstr(out, "\nOptions:") == NULL);
	CHECK(strstr(out, "Log sources") == NULL);
	CHECK(strstr(out, "Runtime options:\n  --help\n") != NULL);
}

static struct riad_arg *bad_table[2];
static void parse_bad_table(void)
{
	char *argv[] = { "x", NULL };
	int ac;
	char **av;
	riad_args_parse(bad_table, bad_table + 2, 1, argv, &ac, &av);
}

static void check_rejected(struct riad_arg *a, struct riad_arg *b, const char *why)
{
	bad_table[0] = a;
	bad_table[1] = b;
	fake_console_take();
	CHECK(expect_abort(parse_bad_table));
	const char *msg = fake_console_take();
	if (!strstr(msg, why)) {
		printf("  expected \"%s\" in \"%s\"\n", why, msg);
		CHECK(0);
	}
}

static void test_programmer_errors(void)
{
	static int64_t v;
	static struct riad_arg count2 = { .name = "count", .type = RIAD_ARG_TYPE_INT, .var = &v };
	static struct riad_arg short2 = { .name = "other", .short_name = 'l', .type = RIAD_ARG_TYPE_LOGS };
	static struct riad_arg spaced = { .name = "has space", .type = RIAD_ARG_TYPE_INT, .var = &v };
	static struct riad_arg dashed = { .name = "-x", .type = RIAD_ARG_TYPE_INT, .var = &v };
	static struct riad_arg empty = { .name = "", .type = RIAD_ARG_TYPE_INT, .var = &v };
	static struct riad_arg eq = { .name = "a=b", .type = RIAD_ARG_TYPE_INT, .var = &v };
	static struct riad_arg novar = { .name = "novar", .type = RIAD_ARG_TYPE_INT };
	static struct riad_arg badtype = { .name = "t", .type = RIAD_ARG_TYPE_COUNT_, .var = &v };
	check_rejected(&a_count, &count2, "'--count' is declared twice");
	check_rejected(&a_logs, &short2, "'-l' is declared twice");
	check_rejected(&a_count, &spaced, "'has space'");
	check_rejected(&dashed, &a_count, "'-x'");
	check_rejected(&a_count, &empty, "option name ''");
	check_rejected(&a_count, &eq, "'a=b'");
	check_rejected(&a_count, &novar, "no variable");
	check_rejected(&a_count, &badtype, "unknown type");
}

static void test_boot(void)
{
	reset_logs();
	CHECK_INT(BOOT("--boot-n=9", "pos", "-l", "argstest:debug", "--boot-b=no", "--boot-s", "s"), 0);
	CHECK_INT(boot_n, 9);
	CHECK_STR(boot_s, "s");
	CHECK(!boot_b);
	CHECK_INT(app_argc, 2);
	CHECK_STR(app_argv[0], "/bin/booted");
	CHECK_STR(app_argv[1], "pos");
	CHECK(app_argv[2] == NULL);
	CHECK(riad_log_enabled(args_src, RIAD_LOG_DEBUG));
	reset_logs();

	CHECK_INT(BOOT("x"), 0);
	CHECK_INT(boot_n, 7);
	CHECK(boot_s == NULL);
	CHECK(boot_b);

	/* The test's own table is not registered. */
	check_bad("booted: unknown option '--count'\n", BOOT("--count=1"));
	check_bad("booted: option '--boot-n': 'x' is not an integer\n", BOOT("--boot-n", "x"));

	CHECK_INT(BOOT("--help"), 63);
	CHECK(strncmp(out, "Usage: booted ", 14) == 0);
	size_t b = pos("  --boot-b[=BOOL] (default: true)\n      A registered bool.\n");
	size_t n = pos("  --boot-n=INT (default: 7)\n");
	size_t s = pos("  --boot-s=STRING (default: none)\n");
	size_t rt = pos("\nRuntime options:\n  --help\n");
	size_t l = pos("  -l, --logs=[SRC:]LEVEL[,...] (default: info)\n");
	CHECK(b < n && n < s && s < rt && rt < l);
	pos("  application\n");
	pos("  argstest\n");
}

/* riad_args_split. */

static char line_buf[4096];
static char *words[RIAD_ARGS_MAX + 1];

static int split(const char *line, int max)
{
	snprintf(line_buf, sizeof(line_buf), "%s", line);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		words[i] = (char *)"unset";
	return riad_args_split(line_buf, words, max);
}

/* Split line and compare with the NULL-terminated list want. */
static void check_split(const char *line, const char *const *want)
{
	int n = split(line, RIAD_ARGS_MAX);
	int w = 0;
	while (want[w])
		w++;
	if (n != w) {
		printf("  split [%s]: %d words, want %d\n", line, n, w);
		CHECK(0);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(words[i], want[i]) != 0) {
			printf("  split [%s]: word %d is [%s], want [%s]\n", line, i, words[i], want[i]);
			CHECK(0);
		}
		CHECK(words[i] >= line_buf && words[i] < line_buf + sizeof(line_buf));
	}
	CHECK(words[n] == NULL);
}

#define SPLIT(line, ...) check_split(line, (const char *const[]){ __VA_ARGS__, NULL })
#define SPLIT0(line) check_split(line, (const char *const[]){ NULL })

static void test_split_plain(void)
{
	SPLIT0("");
	SPLIT0("   ");
	SPLIT0(" \t\r\n ");
	SPLIT("a", "a");
	SPLIT("hello --name=x --count 3", "hello", "--name=x", "--count", "3");
	SPLIT("  lead  and   trail  ", "lead", "and", "trail");
	SPLIT("tab\tnew\nline\rcr", "tab", "new", "line", "cr");
	SPLIT("caf\xc3\xa9 \xff", "caf\xc3\xa9", "\xff");
}

static void test_split_single(void)
{
	SPLIT("'a b'", "a b");
	SPLIT("''", "");
	SPLIT("'' ''", "", "");
	SPLIT("x '' y", "x", "", "y");
	SPLIT("'it'\\''s'", "it's");
	SPLIT("'a\"b\\c$d`e'", "a\"b\\c$d`e");
	SPLIT("'new\nline'", "new\nline");
	SPLIT("a'b'c", "abc");
	SPLIT("'--name=hello world' pos", "--name=hello world", "pos");
}

static void test_split_double(void)
{
	SPLIT("\"a b\"", "a b");
	SPLIT("\"\"", "");
	SPLIT("\"a\\\"b\"", "a\"b");
	SPLIT("\"a\\\\b\"", "a\\b");
	SPLIT("\"\\$x \\`y\\`\"", "$x `y`");
	SPLIT("\"a\\nb\"", "a\\nb");   /* other escapes keep the backslash */
	SPLIT("\"a\\'b\"", "a\\'b");
	SPLIT("\"it's\"", "it's");
	SPLIT("\"line\\\ncont\"", "linecont");
	SPLIT("\"x\"'y'z", "xyz");
	SPLIT("\"a\nb\"", "a\nb");
}

static void test_split_backslash(void)
{
	SPLIT("a\\ b", "a b");
	SPLIT("\\'", "'");
	SPLIT("\\\"", "\"");
	SPLIT("\\\\", "\\");
	SPLIT("\\n", "n");
	SPLIT("a\\\nb", "ab");
	SPLIT("a \\\n b", "a", "b");
	SPLIT0("\\\n");
	SPLIT("x\\  y", "x ", "y");
}

static void test_split_errors(void)
{
	CHECK_INT(split("'open", 8), RIAD_ARGS_SPLIT_UNTERMINATED);
	CHECK_INT(split("a \"open", 8), RIAD_ARGS_SPLIT_UNTERMINATED);
	CHECK_INT(split("\"a\\\"", 8), RIAD_ARGS_SPLIT_UNTERMINATED);
	CHECK_INT(split("trailing\\", 8), RIAD_ARGS_SPLIT_UNTERMINATED);
	CHECK_INT(split("'", 8), RIAD_ARGS_SPLIT_UNTERMINATED);
	CHECK_INT(split("\"", 8), RIAD_ARGS_SPLIT_UNTERMINATED);

	CHECK_INT(split("a b c", 3), 3);
	CHECK(words[3] == NULL);
	CHECK_INT(split("a b c ", 3), 3);
	CHECK_INT(split("a b c d", 3), RIAD_ARGS_SPLIT_TOO_MANY);
	CHECK_INT(split("a", 0), RIAD_ARGS_SPLIT_TOO_MANY);
	CHECK_INT(split("  ", 0), 0);
	CHECK(words[0] == NULL);
	CHECK_INT(split("a", -1), RIAD_ARGS_SPLIT_TOO_MANY);
	CHECK_STR(words[0], "unset");
	char *none[1];
	CHECK_INT(riad_args_split(NULL, none, 0), 0);
	CHECK(none[0] == NULL);
}

static void test_split_max(void)
{
	/* RIAD_ARGS_MAX words fit, one more does not. */
	char *p = line_buf;
	for (int i = 0; i < RIAD_ARGS_MAX; i++)
		p += sprintf(p, "w%d ", i);
	CHECK_INT(riad_args_split(line_buf, words, RIAD_ARGS_MAX), RIAD_ARGS_MAX);
	CHECK_STR(words[RIAD_ARGS_MAX - 1], "w255");
	CHECK(words[RIAD_ARGS_MAX] == NULL);
	p = line_buf;
	for (int i = 0; i <= RIAD_ARGS_MAX; i++)
		p += sprintf(p, "'w %d' ", i);
	CHECK_INT(riad_args_split(line_buf, words, RIAD_ARGS_MAX), RIAD_ARGS_SPLIT_TOO_MANY);
}

/* What riad run does: each argument in single quotes, ' as '\'' , joined by
 * spaces. Splitting must give the arguments back. */
static void test_split_roundtrip(void)
{
	static const char *const args[] = {
		"unikernel", "--name=it's a test", "", " ", "'", "''", "\"", "\\", "a\nb",
		"$HOME", "`x`", "--", "-l", "tcp:debug,info", "\t", "'\\''",
	};
	const size_t n = sizeof(args) / sizeof(args[0]);
	char *p = line_buf;
	for (size_t i = 0; i < n; i++) {
		*p++ = '\'';
		for (const char *c = args[i]; *c; c++) {
			if (*c == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *c;
			}
		}
		*p++ = '\'';
		*p++ = ' ';
	}
	*p = 0;
	REQUIRE(riad_args_split(line_buf, words, RIAD_ARGS_MAX) == (int)n);
	for (size_t i = 0; i < n; i++)
		CHECK_STR(words[i], args[i]);
	CHECK(words[n] == NULL);
}

/* Nothing past the terminating NUL is touched. */
static void test_split_in_bounds(void)
{
	static const char *const lines[] = { "a 'b c' \"d\\\"e\" f\\ g", "''", "x\\", "'", "a b c d" };
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char buf[64];
		memset(buf, '#', sizeof(buf));
		size_t len = strlen(lines[i]);
		memcpy(buf, lines[i], len + 1);
		char *w[4];
		riad_args_split(buf, w, 3);
		for (size_t j = len + 1; j < sizeof(buf); j++)
			CHECK(buf[j] == '#');
	}
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_values);
	RUN(test_ints);
	RUN(test_bools);
	RUN(test_positionals);
	RUN(test_unknown);
	RUN(test_missing_value);
	RUN(test_ill_typed);
	RUN(test_overflow);
	RUN(test_empty);
	RUN(test_repeated);
	RUN(test_one_line);
	RUN(test_prog_name);
	RUN(test_logs);
	RUN(test_help);
	RUN(test_help_without_app_options);
	RUN(test_programmer_errors);
	RUN(test_boot);
	RUN(test_split_plain);
	RUN(test_split_single);
	RUN(test_split_double);
	RUN(test_split_backslash);
	RUN(test_split_errors);
	RUN(test_split_max);
	RUN(test_split_roundtrip);
	RUN(test_split_in_bounds);
	return check_done();
}
