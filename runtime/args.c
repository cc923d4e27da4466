/* runtime/args.c: the command-line parser for the options declared with
 * riad/args.h, the runtime's own options (-l, --help), and the usage text. */
#include <riad/args.h>
#include <riad/console.h>
#include <riad/log.h>
#include <riad/opt.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "runtime.h"

#define EXIT_HELP 63
#define EXIT_USAGE 64

/* The runtime's own options, declared like any other. */
static struct riad_arg logs_arg = {
	.name = "logs",
	.short_name = 'l',
	.type = RIAD_ARG_TYPE_LOGS,
	.flags = RIAD_ARG_RUNTIME | RIAD_ARG_REPEATABLE,
	.def.s = "info",
	.doc = "Log levels: LEVEL sets the default, SRC:LEVEL one source (quiet, error, warning, info, debug).",
};
RIAD_ARG_REGISTER(logs_arg);

static struct riad_arg help_arg = {
	.name = "help",
	.type = RIAD_ARG_TYPE_HELP,
	.flags = RIAD_ARG_RUNTIME,
	.doc = "Show this help and exit with status 63.",
};
RIAD_ARG_REGISTER(help_arg);

/* Defined by the linker around the section the declarations fill; never
 * empty, since the runtime's options are in it. */
extern struct riad_arg *const __start_riad_args[] __attribute__((visibility("hidden")));
extern struct riad_arg *const __stop_riad_args[] __attribute__((visibility("hidden")));

/* One parse: what error messages need to name. */
struct parse {
	const char *prog;
	const char *spell;   /* the option as written: "--count" or "-l" */
	int spell_len;
};

/* Print "PROG: MESSAGE" as one line (control characters in it become '?',
 * so that no argument can break the line) and return the usage status. */
__attribute__((format(printf, 2, 3)))
static int fail(const struct parse *p, const char *fmt, ...)
{
	char msg[RIAD_LOG_LINE_MAX], line[RIAD_LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int m = snprintf(line, sizeof(line), "%s: %s", p->prog, n < 0 ? "" : msg);
	size_t len = m < 0 ? 0 : (size_t)m;
	if (len > sizeof(line) - 5 || (n >= 0 && (size_t)n >= sizeof(msg))) {
		len = sizeof(line) - 5;
		memcpy(line + len, "...", 3);
		len += 3;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[len++] = '\n';
	riad_console_write(line, len);
	return EXIT_USAGE;
}

/* The value types. Adding one (say an IPv4 address) is an enum value in
 * riad/args.h, a macro there, and a row here. */

enum value_use { VALUE_REQUIRED, VALUE_OPTIONAL, VALUE_NONE };

struct type_ops {
	const char *metavar;
	enum value_use value;
	/* Set the option from value (NULL: given without one, for
	 * VALUE_OPTIONAL). Returns 0 or, having printed the error, 64. */
	int (*parse)(const struct parse *p, struct riad_arg *a, const char *value);
	/* Restore the default into the variable. */
	void (*reset)(struct riad_arg *a);
	/* The default as --help shows it; "" for none. */
	void (*show)(const struct riad_arg *a, char *buf, size_t len);
};

/* Run a's check on value: 0, or non-zero with why filled. */
static int check_string(const struct riad_arg *a, const char *value, char *why, size_t len)
{
	why[0] = 0;
	if (!a->check || a->check(value, why, len) == 0)
		return 0;
	why[len - 1] = 0;
	if (!why[0])
		snprintf(why, len, "ill-formed value");
	return 1;
}

static int parse_string(const struct parse *p, struct riad_arg *a, const char *value)
{
	char why[RIAD_LOG_LINE_MAX / 2];
	if (check_string(a, value, why, sizeof(why)))
		return fail(p, "option '%.*s': %s", p->spell_len, p->spell, why);
	*(const char **)a->var = value;
	return 0;
}

static void reset_string(struct riad_arg *a)
{
	char why[RIAD_LOG_LINE_MAX / 2];
	if (a->def.s && check_string(a, a->def.s, why, sizeof(why)))
		riad_panic("option '--%s' has a malformed default: %s", a->name, why);
	*(const char **)a->var = a->def.s;
}

static void show_string(const struct riad_arg *a, char *buf, size_t len)
{
	if (a->def.s)
		snprintf(buf, len, "\"%s\"", a->def.s);
	else
		snprintf(buf, len, "none");
}

/* Decimal or 0x-hex with an optional sign. Returns 0, -1 if s is not such a
 * number, -2 if it is one outside int64_t. */
static int parse_i64(const char *s, int64_t *out)
{
	int neg = 0;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t v = 0;
	int over = 0;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		/* Keep scanning after an overflow: "99999999999999999999x" is
		 * not a number rather than too large a one. */
		if (v > (limit - d) / base)
			over = 1;
		else
			v = v * base + d;
	}
	if (over)
		return -2;
	if (!neg)
		*out = (int64_t)v;
	else
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	return 0;
}

static int parse_int(const struct parse *p, struct riad_arg *a, const char *value)
{
	int64_t v;
	if (!*value)
		return fail(p, "option '%.*s': empty value, expected an integer",
		            p->spell_len, p->spell);
	switch (parse_i64(value, &v)) {
	case -1:
		return fail(p, "option '%.*s': '%s' is not an integer",
		            p->spell_len, p->spell, value);
	case -2:
		return fail(p, "option '%.*s': '%s' is out of range (%" PRId64 "..%" PRId64 ")",
		            p->spell_len, p->spell, value, INT64_MIN, INT64_MAX);
	}
	*(int64_t *)a->var = v;
	return 0;
}

static void reset_int(struct riad_arg *a)
{
	*(int64_t *)a->var = a->def.i;
}

static void show_int(const struct riad_arg *a, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRId64, a->def.i);
}

static int parse_bool(const struct parse *p, struct riad_arg *a, const char *value)
{
	static const char *const yes[] = { "true", "yes", "1" };
	static const char *const no[] = { "false", "no", "0" };
	if (!value) {
		*(bool *)a->var = true;
		return 0;
	}
	if (!*value)
		return fail(p, "option '%.*s': empty value, expected a boolean",
		            p->spell_len, p->spell);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(value, yes[i]) == 0) {
			*(bool *)a->var = true;
			return 0;
		}
		if (strcmp(value, no[i]) == 0) {
			*(bool *)a->var = false;
			return 0;
		}
	}
	return fail(p, "option '%.*s': '%s' is not a boolean (true, false, yes, no, 1, 0)",
	            p->spell_len, p->spell, value);
}

static void reset_bool(struct riad_arg *a)
{
	*(bool *)a->var = a->def.b;
}

static void show_bool(const struct riad_arg *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s", a->def.b ? "true" : "false");
}

/* "A.B.C.D" or "A.B.C.D/N". Returns 0, or -1 if s is not such a string. */
static int parse_ipv4_text(const char *s, struct riad_arg_ipv4 *out)
{
	uint32_t addr = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255)
			return -1;
		addr = addr << 8 | v;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	int prefix = -1;
	if (*s == '/') {
		s++;
		if (!(*s >= '0' && *s <= '9') || (s[0] == '0' && s[1]))
			return -1;
		prefix = 0;
		while (*s >= '0' && *s <= '9' && prefix <= 32)
			prefix = prefix * 10 + (*s++ - '0');
		if (prefix > 32)
			return -1;
	}
	if (*s)
		return -1;
	*out = (struct riad_arg_ipv4){ .set = true, .addr = addr, .prefix = prefix };
	return 0;
}

static int parse_ipv4(const struct parse *p, struct riad_arg *a, const char *value)
{
	if (!*value)
		return fail(p, "option '%.*s': empty value, expected an IPv4 address",
		            p->spell_len, p->spell);
	if (parse_ipv4_text(value, a->var) != 0)
		return fail(p, "option '%.*s': '%s' is not an IPv4 address (A.B.C.D or A.B.C.D/N)",
		            p->spell_len, p->spell, value);
	return 0;
}

static void reset_ipv4(struct riad_arg *a)
{
	struct riad_arg_ipv4 *v = a->var;
	*v = (struct riad_arg_ipv4){ .set = false, .addr = 0, .prefix = -1 };
	if (a->def.s && parse_ipv4_text(a->def.s, v) != 0)
		riad_panic("option '--%s' has a malformed default '%s'", a->name, a->def.s);
}

static void show_ipv4(const struct riad_arg *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s", a->def.s ? a->def.s : "none");
}

static int log_src_known(const char *name, size_t len)
{
	for (size_t i = 0; i < riad_log_src_count(); i++) {
		const char *n = riad_log_src_at(i)->name;
		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return 1;
	}
	return 0;
}

/* A comma-separated list of LEVEL, SRC:LEVEL or *:LEVEL. Checked whole
 * before anything is applied, so an error leaves the levels as they were. */
static int parse_logs(const struct parse *p, struct riad_arg *a, const char *value)
{
	(void)a;
	char name[256];
	for (int apply = 0; apply < 2; apply++) {
		const char *item = value;
		for (;;) {
			const char *comma = strchr(item, ',');
			size_t len = comma ? (size_t)(comma - item) : strlen(item);
			const char *colon = memchr(item, ':', len);
			const char *lvl = colon ? colon + 1 : item;
			size_t lvl_len = len - (size_t)(lvl - item);
			size_t name_len = colon ? (size_t)(colon - item) : 0;
			if (len == 0)
				return fail(p, "option '%.*s': empty log level in '%s'",
				            p->spell_len, p->spell, value);
			if (colon && !(name_len == 1 && *item == '*') &&
			    (name_len >= sizeof(name) || !log_src_known(item, name_len)))
				return fail(p, "option '%.*s': unknown log source '%.*s'",
				            p->spell_len, p->spell, (int)name_len, item);
			int level = riad_log_level_parse(lvl, lvl_len);
			if (level < 0)
				return fail(p, "option '%.*s': '%.*s' is not a log level "
				            "(quiet, error, warning, info, debug)",
				            p->spell_len, p->spell, (int)lvl_len, lvl);
			if (apply) {
				memcpy(name, item, name_len);
				name[name_len] = 0;
				riad_log_set_level(colon ? name : NULL, (enum riad_log_level)level);
			}
			if (!comma)
				break;
			item = comma + 1;
		}
	}
	return 0;
}

static void show_logs(const struct riad_arg *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s", a->def.s ? a->def.s : "");
}

static void show_nothing(const struct riad_arg *a, char *buf, size_t len)
{
	(void)a;
	(void)len;
	buf[0] = 0;
}

static const struct type_ops types[RIAD_ARG_TYPE_COUNT_] = {
	[RIAD_ARG_TYPE_STRING] = { "STRING", VALUE_REQUIRED, parse_string, reset_string, show_string },
	[RIAD_ARG_TYPE_INT] = { "INT", VALUE_REQUIRED, parse_int, reset_int, show_int },
	[RIAD_ARG_TYPE_BOOL] = { "BOOL", VALUE_OPTIONAL, parse_bool, reset_bool, show_bool },
	[RIAD_ARG_TYPE_LOGS] = { "[SRC:]LEVEL[,...]", VALUE_REQUIRED, parse_logs, NULL, show_logs },
	[RIAD_ARG_TYPE_HELP] = { NULL, VALUE_NONE, NULL, NULL, show_nothing },
	[RIAD_ARG_TYPE_IPV4] = { "A.B.C.D[/N]", VALUE_REQUIRED, parse_ipv4, reset_ipv4, show_ipv4 },
};

/* The descriptor table. */

static int valid_name(const char *name)
{
	if (!name || !*name || *name == '-')
		return 0;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return 0;
	return 1;
}

static void check_table(struct riad_arg *const *begin, struct riad_arg *const *end)
{
	for (struct riad_arg *const *p = begin; p < end; p++) {
		const struct riad_arg *a = *p;
		if (!valid_name(a->name))
			riad_panic("option name '%s' is not [A-Za-z0-9_-]+", a->name ? a->name : "(null)");
		if ((unsigned)a->type >= RIAD_ARG_TYPE_COUNT_)
			riad_panic("option '--%s' has an unknown type %d", a->name, (int)a->type);
		if ((a->type <= RIAD_ARG_TYPE_BOOL || a->type == RIAD_ARG_TYPE_IPV4) && !a->var)
			riad_panic("option '--%s' has no variable", a->name);
		if (a->check && a->type != RIAD_ARG_TYPE_STRING)
			riad_panic("option '--%s' has a check but is not a string", a->name);
		if (a->short_name == '-' || (a->short_name && (unsigned char)a->short_name <= ' '))
			riad_panic("option '--%s' has a bad short name", a->name);
		for (struct riad_arg *const *q = begin; q < p; q++) {
			if (strcmp((*q)->name, a->name) == 0)
				riad_panic("option '--%s' is declared twice", a->name);
			if (a->short_name && (*q)->short_name == a->short_name)
				riad_panic("option '-%c' is declared twice", a->short_name);
		}
	}
}

static struct riad_arg *find_long(struct riad_arg *const *begin, struct riad_arg *const *end,
                                  const char *name, size_t len)
{
	for (struct riad_arg *const *p = begin; p < end; p++)
		if (strlen((*p)->name) == len && memcmp((*p)->name, name, len) == 0)
			return *p;
	return NULL;
}

static struct riad_arg *find_short(struct riad_arg *const *begin, struct riad_arg *const *end,
                                   char c)
{
	for (struct riad_arg *const *p = begin; p < end; p++)
		if ((*p)->short_name && (*p)->short_name == c)
			return *p;
	return NULL;
}

static const char *prog_name(int argc, char **argv)
{
	if (argc < 1 || !argv[0] || !argv[0][0])
		return "riad";
	const char *slash = strrchr(argv[0], '/');
	return slash && slash[1] ? slash + 1 : argv[0];
}

int riad_args_parse(struct riad_arg *const *begin, struct riad_arg *const *end,
                    int argc, char **argv, int *app_argc, char ***app_argv)
{
	check_table(begin, end);
	for (struct riad_arg *const *q = begin; q < end; q++) {
		(*q)->seen = 0;
		if (types[(*q)->type].reset)
			types[(*q)->type].reset(*q);
	}
	struct parse p = { .prog = prog_name(argc, argv) };
	*app_argv = argv;
	if (argc < 1) {
		*app_argc = 0;
		return 0;
	}
	/* Positionals move down to argv[npos]; npos <= i, so nothing not yet
	 * read is overwritten. */
	int npos = 1, only_positional = 0;
	for (int i = 1; i < argc; i++) {
		char *t = argv[i];
		if (only_positional || t[0] != '-' || t[1] == 0) {
			argv[npos++] = t;
			continue;
		}
		if (t[1] == '-' && t[2] == 0) {
			only_positional = 1;
			continue;
		}
		struct riad_arg *a;
		const char *value = NULL;
		p.spell = t;
		if (t[1] == '-') {
			const char *eq = strchr(t + 2, '=');
			size_t len = eq ? (size_t)(eq - t - 2) : strlen(t + 2);
			p.spell_len = (int)(len + 2);
			a = find_long(begin, end, t + 2, len);
			if (!a)
				return fail(&p, "unknown option '%.*s'", len ? p.spell_len : (int)strlen(t), t);
			if (eq)
				value = eq + 1;
		} else {
			p.spell_len = 2;
			a = find_short(begin, end, t[1]);
			if (!a)
				return fail(&p, "unknown option '%s'", t);
			if (t[2])
				value = t + 2;
		}
		if (a->seen && !(a->flags & RIAD_ARG_REPEATABLE))
			return fail(&p, "option '%.*s' cannot be repeated", p.spell_len, p.spell);
		a->seen++;
		const struct type_ops *ty = &types[a->type];
		if (ty->value == VALUE_NONE && value)
			return fail(&p, "option '%.*s' takes no value", p.spell_len, p.spell);
		if (ty->value == VALUE_REQUIRED && !value) {
			if (i + 1 >= argc)
				return fail(&p, "option '%.*s' needs a value", p.spell_len, p.spell);
			value = argv[++i];
		}
		if (a->type == RIAD_ARG_TYPE_HELP) {
			riad_args_usage(begin, end, p.prog);
			return EXIT_HELP;
		}
		int status = ty->parse(&p, a, value);
		if (status)
			return status;
	}
	argv[npos] = NULL;
	*app_argc = npos;
	return 0;
}

static const char *boot_prog = "riad";

const char *riad_args_prog(void)
{
	return boot_prog;
}

int riad_args_boot(int argc, char **argv, int *app_argc, char ***app_argv)
{
	boot_prog = prog_name(argc, argv);
	return riad_args_parse(__start_riad_args, __stop_riad_args, argc, argv, app_argc, app_argv);
}

/* --help. */

static void usage_option(const struct riad_arg *a)
{
	const struct type_ops *ty = &types[a->type];
	char head[RIAD_LOG_LINE_MAX], def[RIAD_LOG_LINE_MAX];
	int n = 0;
	if (a->short_name)
		n = snprintf(head, sizeof(head), "-%c, ", a->short_name);
	const char *open = ty->value == VALUE_OPTIONAL ? "[=" : "=";
	const char *close = ty->value == VALUE_OPTIONAL ? "]" : "";
	if (ty->value == VALUE_NONE)
		snprintf(head + n, sizeof(head) - (size_t)n, "--%s", a->name);
	else
		snprintf(head + n, sizeof(head) - (size_t)n, "--%s%s%s%s", a->name, open, ty->metavar, close);
	ty->show(a, def, sizeof(def));
	if (def[0])
		riad_console_printf("  %s (default: %s)\n", head, def);
	else
		riad_console_printf("  %s\n", head);
	if (a->doc && a->doc[0])
		riad_console_printf("      %s\n", a->doc);
}

/* Print the options of one group (runtime or not) sorted by name, by
 * repeated selection of the next larger name: no allocation, and option
 * tables are short. */
static void usage_group(struct riad_arg *const *begin, struct riad_arg *const *end, unsigned runtime)
{
	const struct riad_arg *prev = NULL;
	for (;;) {
		const struct riad_arg *next = NULL;
		for (struct riad_arg *const *p = begin; p < end; p++) {
			const struct riad_arg *a = *p;
			if ((a->flags & RIAD_ARG_RUNTIME) != runtime)
				continue;
			if (prev && strcmp(a->name, prev->name) <= 0)
				continue;
			if (!next || strcmp(a->name, next->name) < 0)
				next = a;
		}
		if (!next)
			return;
		usage_option(next);
		prev = next;
	}
}

static void usage_log_srcs(void)
{
	const char *prev = NULL;
	size_t count = riad_log_src_count();
	riad_console_printf("\nLog sources (for -l SRC:LEVEL):\n");
	for (;;) {
		const struct riad_log_src *next = NULL;
		for (size_t i = 0; i < count; i++) {
			const struct riad_log_src *s = riad_log_src_at(i);
			if (prev && strcmp(s->name, prev) <= 0)
				continue;
			if (!next || strcmp(s->name, next->name) < 0 ||
			    (strcmp(s->name, next->name) == 0 && !(next->doc && next->doc[0])))
				next = s;
		}
		if (!next)
			return;
		riad_console_printf("  %s\n", next->name);
		if (next->doc && next->doc[0])
			riad_console_printf("      %s\n", next->doc);
		prev = next->name;
	}
}

void riad_args_usage(struct riad_arg *const *begin, struct riad_arg *const *end,
                     const char *prog)
{
	int app = 0, runtime = 0, logs = 0;
	for (struct riad_arg *const *p = begin; p < end; p++) {
		if ((*p)->flags & RIAD_ARG_RUNTIME)
			runtime = 1;
		else
			app = 1;
		if ((*p)->type == RIAD_ARG_TYPE_LOGS)
			logs = 1;
	}
	riad_console_printf("Usage: %s [OPTION]... [--] [ARGUMENT]...\n", prog);
	if (app) {
		riad_console_printf("\nOptions:\n");
		usage_group(begin, end, 0);
	}
	if (runtime) {
		riad_console_printf("\nRuntime options:\n");
		usage_group(begin, end, RIAD_ARG_RUNTIME);
	}
	if (logs)
		usage_log_srcs();
	riad_console_printf("\nExit status: 63 after --help, 64 for an ill-formed argument,\n"
	                    "otherwise what main() returns.\n");
}
