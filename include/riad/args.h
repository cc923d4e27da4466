/* riad/args.h: typed command-line options, declared where they are used.
 *
 * A unikernel declares each option it takes with one line in the file that
 * uses it, with a default and a doc line:
 *
 *	RIAD_ARG_STRING(name, "name", "World", "Who to greet.");
 *	RIAD_ARG_INT(count, "count", 2, "How many times to greet.");
 *	RIAD_ARG_BOOL(shout, "shout", false, "Greet in capitals.");
 *	RIAD_ARG_IPV4(addr, "addr", "10.0.0.2/24", "Our address.");
 *
 * Each line defines a file-local variable holding the default
 * (static const char *name = "World"; static int64_t count = 2;
 * static bool shout = false;) and registers the option in a linker section,
 * so there is no central list and no set-up code. Before main() runs,
 * start-up parses the command line into these variables; main() receives
 * argv[0] and the positional arguments only. The runtime's own options, -l
 * (log levels) and --help, are declared the same way. riad-args(7) is the
 * user's side of this: syntax, exit statuses, quoting.
 *
 * Syntax: "--NAME=VALUE" or "--NAME VALUE" (the next argument is the value,
 * whatever it starts with); a bool is "--NAME" (true) or "--NAME=VALUE" with
 * VALUE one of true, false, yes, no, 1, 0, never a separate argument. "--"
 * ends the options; "-" and every argument not starting with '-' is
 * positional, wherever it stands. An int is decimal or 0x-prefixed hex with
 * an optional sign, in int64_t's range. Names match exactly (no prefixes).
 * Each option may be given once, except -l.
 *
 * A STRING option may carry a check (RIAD_ARG_STRING_CHECKED): a function
 * that says whether a value is well-formed, so that a value main() cannot
 * use is rejected here, before main(), like an ill-typed integer. The
 * storage stack's --store and --crypt-key (riad/store.h) are declared so.
 *
 * Errors: an ill-formed command line (unknown option, missing, empty or
 * ill-typed value, out-of-range integer, repeated option, unknown log source
 * or level) prints exactly one line naming the argument, such as
 *	hello: option '--count': 'x' is not an integer
 * on the console, and the unikernel exits with status 64 before main(). --help
 * prints the usage (every option with its type, default and doc) and exits
 * with status 63. Declaring two options with the same name, or a malformed
 * name, is a programmer error: start-up aborts with a message.
 */
#ifndef RIAD_ARGS_H
#define RIAD_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/section.h>

/* The value types. The variable behind each is: STRING const char *, INT
 * int64_t, BOOL bool, IPV4 struct riad_arg_ipv4; LOGS and HELP are the
 * runtime's -l and --help and have no variable. */
enum riad_arg_type {
	RIAD_ARG_TYPE_STRING,
	RIAD_ARG_TYPE_INT,
	RIAD_ARG_TYPE_BOOL,
	RIAD_ARG_TYPE_LOGS,
	RIAD_ARG_TYPE_HELP,
	RIAD_ARG_TYPE_IPV4,
	RIAD_ARG_TYPE_COUNT_
};

/* Flags of a descriptor. */
#define RIAD_ARG_RUNTIME 1u    /* the runtime's own: listed after the app's */
#define RIAD_ARG_REPEATABLE 2u /* may be given more than once */

/* The check of a STRING option: returns 0 if value is well-formed, or
 * non-zero after writing into why[0..len) (len >= 1; truncated, always
 * NUL-terminated) one line without the option's name saying what is wrong,
 * e.g. "'foo' is not a store kind (tar, store, baked)". A check must not
 * copy a secret value into why. It is called from start-up, before main(),
 * and must not block. */
typedef int (*riad_arg_check_fn)(const char *value, char *why, size_t len);

/* An option descriptor. Declare options with the macros below; a descriptor
 * written by hand is for tests of riad_args_parse() (runtime/args.h). */
struct riad_arg {
	const char *name;          /* long name without "--": [A-Za-z0-9_-]+ */
	char short_name;           /* a one-letter alias ("-l"), or 0 */
	enum riad_arg_type type;
	unsigned flags;            /* RIAD_ARG_* */
	void *var;                 /* the variable, as the type says */
	union {
		const char *s;
		int64_t i;
		bool b;
	} def;                     /* default, restored before each parse */
	const char *doc;           /* one line for --help */
	riad_arg_check_fn check;   /* STRING only: the value's check, or NULL */
	unsigned seen;             /* the parser's: times given in this parse */
};

/* Register descriptor d (a static struct riad_arg) in the section that
 * start-up reads. The section holds pointers, not descriptors, so that no
 * compiler padding can come between entries. */
#define RIAD_ARG_REGISTER(d)                                                  \
	static struct riad_arg *const d##_riad_arg_reg_                      \
		__attribute__((__used__, RIAD_RETAIN_ __section__("riad_args"))) = &d

#define RIAD_ARG_DEFINE_(v, arg_name, arg_type, def_init, arg_doc)            \
	static struct riad_arg v##_riad_arg_ = {                              \
		.name = (arg_name), .type = (arg_type),                       \
		.var = (void *)&v, def_init, .doc = (arg_doc) };              \
	RIAD_ARG_REGISTER(v##_riad_arg_)

/* The declarations. v is the C variable to define, arg_name the option's
 * name without "--", dflt a constant expression, doc a one-line string. Each
 * ends with the caller's ';'. */
#define RIAD_ARG_STRING(v, arg_name, dflt, doc)                               \
	static const char *v = (dflt);                                        \
	RIAD_ARG_DEFINE_(v, arg_name, RIAD_ARG_TYPE_STRING, .def.s = (dflt), doc)
#define RIAD_ARG_INT(v, arg_name, dflt, doc)                                  \
	static int64_t v = (dflt);                                            \
	RIAD_ARG_DEFINE_(v, arg_name, RIAD_ARG_TYPE_INT, .def.i = (dflt), doc)
#define RIAD_ARG_BOOL(v, arg_name, dflt, doc)                                 \
	static bool v = (dflt);                                               \
	RIAD_ARG_DEFINE_(v, arg_name, RIAD_ARG_TYPE_BOOL, .def.b = (dflt), doc)

/* A STRING option whose values check_fn (a riad_arg_check_fn) must accept;
 * a value it rejects is an ill-formed argument: one line, "PROG: option
 * '--NAME': WHY", and status 64 before main(). dflt may be NULL (no
 * default); a non-NULL default the check rejects is a programmer error
 * (start-up aborts). */
#define RIAD_ARG_STRING_CHECKED(v, arg_name, dflt, check_fn, arg_doc)         \
	static const char *v = (dflt);                                        \
	static struct riad_arg v##_riad_arg_ = {                              \
		.name = (arg_name), .type = RIAD_ARG_TYPE_STRING,             \
		.var = (void *)&v, .def.s = (dflt), .doc = (arg_doc),         \
		.check = (check_fn) };                                        \
	RIAD_ARG_REGISTER(v##_riad_arg_)

/* An IPv4 address, with an optional prefix length: "A.B.C.D" or
 * "A.B.C.D/N" (four decimal numbers 0..255 without leading zeros beyond a
 * lone 0, N 0..32). dflt is such a string, or NULL for no default (set is
 * then false until the option is given); a malformed default is a
 * programmer error (start-up aborts). The network stack's --ipv4 and
 * --ipv4-gateway are declared with it. */
struct riad_arg_ipv4 {
	bool set;        /* a value was given, or the default is not NULL */
	uint32_t addr;   /* the address, host byte order (10.0.0.2 is 0x0a000002) */
	int prefix;      /* the /N, or -1 when none was written */
};
#define RIAD_ARG_IPV4(v, arg_name, dflt, doc)                                 \
	static struct riad_arg_ipv4 v;                                        \
	RIAD_ARG_DEFINE_(v, arg_name, RIAD_ARG_TYPE_IPV4, .def.s = (dflt), doc)

#endif
