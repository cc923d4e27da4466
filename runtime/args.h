/* runtime/args.h: the argument parser's entry points below riad/args.h:
 * for start-up (riad_args_boot), the solo5 targets' start code
 * (riad_args_split) and the tests (private; not installed). */
#ifndef RIAD_RUNTIME_ARGS_H
#define RIAD_RUNTIME_ARGS_H

#include <riad/args.h>

/* Parse the command line: the options every linked file declared with
 * riad/args.h, and the runtime's own (-l, --help). Returns 0 and sets
 * app_argc and app_argv to what main() receives (argv[0], then the positional
 * arguments), or the exit status to leave with: 63 after --help, 64 after an
 * ill-formed argument (one line naming it is printed). Defined in args.c. */
int riad_args_boot(int argc, char **argv, int *app_argc, char ***app_argv);

/* The program name start-up saw: argv[0] after its last '/' (on the solo5
 * targets NAME.TARGET, which riad build generates; on unix the file's name,
 * dist/NAME.unix's), or "riad" before start-up or without one. Lives as long
 * as the unikernel. */
const char *riad_args_prog(void);

/* Parse argv[1..argc) against the descriptors begin[0..end-begin) (this is
 * what start-up does with the registered ones). First every variable gets its
 * default back and every seen count is cleared; then arguments are taken left
 * to right, -l levels applied as they come (riad/log.h), until the end, "--"
 * (after which all is positional), --help or the first error.
 *
 * Returns 0 with the positional arguments moved, in order, to argv[1..], so
 * that *app_argc and *app_argv (== argv) are what main() receives and
 * argv[*app_argc] == NULL; argv must therefore hold argc + 1 pointers, as a C
 * main()'s does. The strings themselves are not copied: STRING variables
 * point into them. Returns 63 after printing the usage for --help, 64 after
 * printing one line naming the ill-formed argument; argv is then unchanged
 * and variables may hold parsed values. The program name in messages is
 * argv[0] after its last '/'. Aborts (programmer error) if two descriptors
 * share a long or short name or a name is malformed. */
int riad_args_parse(struct riad_arg *const *begin, struct riad_arg *const *end,
                    int argc, char **argv, int *app_argc, char ***app_argv);

/* Print the usage for these descriptors (the --help output) on the console:
 * the application's options sorted by name, then the runtime's, each with
 * its type, default and doc; then the log sources and exit statuses. prog is
 * the program name shown. */
void riad_args_usage(struct riad_arg *const *begin, struct riad_arg *const *end,
                     const char *prog);

/* Split a boot command line into words in place, as a POSIX shell would
 * without expansions (the solo5 targets receive the command line as one
 * string; riad run quotes each argument as 'it'\''s'):
 *  - words are separated by spaces, tabs, newlines and carriage returns;
 *  - '...' keeps everything up to the next ' literally;
 *  - "..." keeps everything literally except that a backslash escapes
 *    ", \, $, ` and newline (a backslash-newline disappears), and is kept
 *    before any other character;
 *  - outside quotes a backslash makes the next character literal (and a
 *    backslash-newline disappears);
 *  - quotes may join parts of one word (a'b'"c" is abc); '' is an empty word.
 * cmdline is modified (words are NUL-terminated in place; no byte past its
 * terminating NUL is touched); argv must hold max + 1 pointers. Returns the
 * number of words argc <= max, with argv[0..argc) pointing into cmdline and
 * argv[argc] == NULL; or RIAD_ARGS_SPLIT_UNTERMINATED if a quote is not
 * closed or the line ends in a lone backslash, RIAD_ARGS_SPLIT_TOO_MANY if
 * there are more than max words (or max < 0). After an error cmdline and
 * argv hold partial results. A NULL cmdline has no words. */
#define RIAD_ARGS_SPLIT_UNTERMINATED (-1)
#define RIAD_ARGS_SPLIT_TOO_MANY (-2)
int riad_args_split(char *cmdline, char **argv, int max);

#endif
