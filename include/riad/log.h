/* riad/log.h: leveled, per-source logging to the console.
 *
 * A message has a source (who logs: "tcp", "dhcp", the application) and a
 * level (how much it matters). Each source has a level set at run time, by
 * the -l command-line option (see riad-args(7)) or riad_log_set_level(); a
 * message is written only if its level is at most its source's level. A
 * source whose level was never set follows the default level, which starts
 * at RIAD_LOG_INFO.
 *
 * Sources are declared where they are used, with one line in a .c file:
 *
 *	RIAD_LOG_SRC(tcp_log, "tcp", "TCP protocol");
 *	...
 *	riad_debug(tcp_log, "retransmit seq=%u", seq);
 *
 * The declaration registers the source in a linker section, so there is no
 * central list to keep and every linked source is known to -l and --help.
 * Several files may declare a source with the same name: they are one source
 * as far as levels go (setting "tcp" sets them all). Passing NULL as the
 * source logs as the built-in source "application".
 *
 * Output: one line per message, written with one riad_console_write() call,
 * in the form MirageOS's console reporter uses:
 *
 *	2026-11-22T10:00:00-00:00: [INFO] [application] hello
 *
 * that is, the wall clock (riad/clock.h) in RFC 3339 form, the level, the
 * source, the text. A message never spans lines: a newline in the text is
 * written as the two characters "\n" (and a carriage return as "\r", other
 * control characters as "\xHH"). A line longer than RIAD_LOG_LINE_MAX bytes
 * (riad/opt.h; the limit counts the prefix and the final newline) is cut,
 * never in the middle of a UTF-8 character, and ends in "...".
 *
 * Logging never blocks the fiber and never allocates. It is usable before the
 * scheduler runs and from device event handlers.
 *
 * Reporters. The console line is one reporter, always linked; other code
 * may add its own with RIAD_LOG_REPORTER (one line in a .c file, like
 * RIAD_LOG_SRC), such as the syslog client of the network library
 * (docs/syslog.md). Every linked reporter receives each message that passes
 * its source's level. The console reporter may be turned off
 * (riad_log_console_set) when another one carries the lines.
 */
#ifndef RIAD_LOG_H
#define RIAD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/section.h>

/* In increasing verbosity. A source at level L shows messages of levels
 * RIAD_LOG_ERROR..L; RIAD_LOG_QUIET shows nothing and is not a level to log
 * a message at. */
enum riad_log_level {
	RIAD_LOG_QUIET = 0,
	RIAD_LOG_ERROR = 1,
	RIAD_LOG_WARNING = 2,
	RIAD_LOG_INFO = 3,
	RIAD_LOG_DEBUG = 4,
};

/* A log source. Declare one with RIAD_LOG_SRC, never by hand; the fields
 * belong to the log code. */
struct riad_log_src {
	const char *name;   /* shown in each line and matched by -l SRC:LEVEL */
	const char *doc;    /* one line, shown by --help */
	int level;          /* -1: follow the default level */
};

/* Define var, a file-local log source with the given name (a string without
 * ':' or ',') and doc line, and register it. var is a
 * struct riad_log_src pointer in expressions. Ends with the caller's ';'.
 * The section holds pointers, not the structs, so that no compiler padding
 * can ever come between two entries. */
#define RIAD_LOG_SRC(var, src_name, src_doc)                                    \
	static struct riad_log_src var[1] = { { (src_name), (src_doc), -1 } }; \
	static struct riad_log_src *const var##_riad_log_reg_                  \
		__attribute__((__used__, RIAD_RETAIN_ __section__("riad_log_srcs"))) = var

/* Write one line for this message if src's level lets it through (src NULL
 * means "application"). fmt is printf's. Never fails; output is best effort
 * like the console's. */
void riad_log(const struct riad_log_src *src, enum riad_log_level level,
              const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void riad_logv(const struct riad_log_src *src, enum riad_log_level level,
               const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* Whether a message of this level from src (NULL: "application") would be
 * written. */
bool riad_log_enabled(const struct riad_log_src *src, enum riad_log_level level);

/* The short forms. They evaluate src once, and the format arguments only when
 * the message will be written, so a filtered riad_debug() costs one call. */
#define RIAD_LOG_AT_(src, lvl, ...)                                            \
	do {                                                                   \
		const struct riad_log_src *riad_log_s_ = (src);                \
		if (riad_log_enabled(riad_log_s_, (lvl)))                      \
			riad_log(riad_log_s_, (lvl), __VA_ARGS__);              \
	} while (0)
#define riad_err(src, ...) RIAD_LOG_AT_(src, RIAD_LOG_ERROR, __VA_ARGS__)
#define riad_warn(src, ...) RIAD_LOG_AT_(src, RIAD_LOG_WARNING, __VA_ARGS__)
#define riad_info(src, ...) RIAD_LOG_AT_(src, RIAD_LOG_INFO, __VA_ARGS__)
#define riad_debug(src, ...) RIAD_LOG_AT_(src, RIAD_LOG_DEBUG, __VA_ARGS__)

/* A message as reporters receive it. text is the message as the console
 * line shows it: escaped (no control characters; see above) and cut the
 * same way, without the time stamp, level and source; it is not
 * NUL-terminated and lives only for the call. */
struct riad_log_msg {
	enum riad_log_level level; /* RIAD_LOG_ERROR..RIAD_LOG_DEBUG */
	const char *src;           /* the source's name */
	int64_t wall_ns;           /* riad_clock_wall_ns() when it was logged */
	const char *text;
	size_t len;
};

/* A reporter: report is called once per message that passes its source's
 * level, right after the console line (whether the console is on or off),
 * in the fiber or event handler that logs, before the scheduler runs too.
 * Like logging it must never park and never allocate; a message it logs
 * itself goes to the console only (even when it is off), never to a
 * reporter. Reporters run in link order.
 *
 * flush, which may be NULL, is for a reporter that holds messages to
 * deliver later (the syslog client's queue): it returns once they are
 * delivered, or at the deadline (absolute riad_time_ns()), whichever comes
 * first; it may park. riad_log_flush calls it. Declare a reporter with
 * RIAD_LOG_REPORTER. */
struct riad_log_reporter {
	const char *name;
	void (*report)(const struct riad_log_msg *m);
	void (*flush)(int64_t deadline);
};

/* Define var, a file-local reporter named rep_name calling report_fn for
 * each message and flush_fn (or NULL) to flush, and register it: every
 * linked reporter receives every message. Ends with the caller's ';'. */
#define RIAD_LOG_REPORTER(var, rep_name, report_fn, flush_fn)                   \
	static const struct riad_log_reporter var[1] = {                       \
		{ (rep_name), (report_fn), (flush_fn) } };                     \
	static const struct riad_log_reporter *const var##_riad_log_rep_        \
		__attribute__((__used__, RIAD_RETAIN_ __section__("riad_log_reporters"))) = var

/* Give every reporter until deadline (absolute riad_time_ns()) to deliver
 * the messages it holds, one after the other. May park: call it from a
 * fiber. Start-up calls it when main() returns, with RIAD_LOG_FLUSH_MS
 * (riad/opt.h), so that the last lines of a unikernel reach a collector
 * that is up; it returns at once when no reporter holds anything. */
void riad_log_flush(int64_t deadline);

/* Turn the console reporter on (the default) or off. Off, a message reaches
 * the registered reporters only (and none at all if there are none). */
void riad_log_console_set(bool on);

/* Set the level of every source named src_name, or with src_name NULL (or
 * "*") the default level, which every source whose level was never set
 * follows. Returns 0, or -1 (changing nothing) if no linked source has that
 * name or level is not one of the enum's values. */
int riad_log_set_level(const char *src_name, enum riad_log_level level);

/* The level named by the len bytes at s ("quiet", "error", "warning" or
 * "warn", "info", "debug"), or -1 if they name none. */
int riad_log_level_parse(const char *s, size_t len);

/* "quiet", "error", "warning", "info" or "debug"; "?" for other values. */
const char *riad_log_level_name(enum riad_log_level level);

/* The linked sources, in link order, for --help and diagnostics: index
 * 0..riad_log_src_count()-1. A name declared in several files appears once
 * per declaration. */
size_t riad_log_src_count(void);
const struct riad_log_src *riad_log_src_at(size_t i);

#endif
