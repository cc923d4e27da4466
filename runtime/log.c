/* runtime/log.c: log sources and their levels, the console reporter that
 * turns a message into one stamped line, and the call of the other
 * reporters registered with RIAD_LOG_REPORTER (riad/log.h). */
#include <riad/clock.h>
#include <riad/console.h>
#include <riad/log.h>
#include <riad/opt.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(RIAD_LOG_LINE_MAX >= 64, "RIAD_LOG_LINE_MAX must fit a time stamp and a few words");

#define ELLIPSIS "..."
#define ELLIPSIS_LEN 3

RIAD_LOG_SRC(app_src, "application", "Messages the application logs with a NULL source.");

/* Defined by the linker around the section RIAD_LOG_SRC fills; never empty,
 * since app_src is in it. */
extern struct riad_log_src *const __start_riad_log_srcs[] __attribute__((visibility("hidden")));
extern struct riad_log_src *const __stop_riad_log_srcs[] __attribute__((visibility("hidden")));

/* The reporters RIAD_LOG_REPORTER registered; the section may be empty. */
extern const struct riad_log_reporter *const __start_riad_log_reporters[]
	__attribute__((weak, visibility("hidden")));
extern const struct riad_log_reporter *const __stop_riad_log_reporters[]
	__attribute__((weak, visibility("hidden")));

static int default_level = RIAD_LOG_INFO;
static bool console_on = true;
/* Set while the reporters run, so that what one of them logs goes to the
 * console only and cannot recurse. */
static bool reporting;

void riad_log_console_set(bool on)
{
	console_on = on;
}

static const char *const level_names[] = { "quiet", "error", "warning", "info", "debug" };
static const char *const level_tags[] = { "QUIET", "ERROR", "WARNING", "INFO", "DEBUG" };

static int valid_level(int level)
{
	return level >= RIAD_LOG_QUIET && level <= RIAD_LOG_DEBUG;
}

static int level_of(const struct riad_log_src *src)
{
	return src->level >= 0 ? src->level : default_level;
}

bool riad_log_enabled(const struct riad_log_src *src, enum riad_log_level level)
{
	return (int)level > RIAD_LOG_QUIET && (int)level <= level_of(src ? src : app_src);
}

int riad_log_set_level(const char *src_name, enum riad_log_level level)
{
	if (!valid_level((int)level))
		return -1;
	if (!src_name || strcmp(src_name, "*") == 0) {
		default_level = (int)level;
		return 0;
	}
	int found = 0;
	for (struct riad_log_src *const *p = __start_riad_log_srcs; p < __stop_riad_log_srcs; p++) {
		if (strcmp((*p)->name, src_name) == 0) {
			(*p)->level = (int)level;
			found = 1;
		}
	}
	return found ? 0 : -1;
}

int riad_log_level_parse(const char *s, size_t len)
{
	for (int l = RIAD_LOG_QUIET; l <= RIAD_LOG_DEBUG; l++)
		if (strlen(level_names[l]) == len && memcmp(s, level_names[l], len) == 0)
			return l;
	if (len == 4 && memcmp(s, "warn", 4) == 0)
		return RIAD_LOG_WARNING;
	return -1;
}

const char *riad_log_level_name(enum riad_log_level level)
{
	return valid_level((int)level) ? level_names[level] : "?";
}

size_t riad_log_src_count(void)
{
	return (size_t)(__stop_riad_log_srcs - __start_riad_log_srcs);
}

const struct riad_log_src *riad_log_src_at(size_t i)
{
	return i < riad_log_src_count() ? __start_riad_log_srcs[i] : NULL;
}

/* The reporter. */

/* How byte c appears in a line: itself, or an escape that keeps the message
 * on one line and control characters away from the terminal. */
static size_t escape(unsigned char c, char out[4])
{
	static const char hex[] = "0123456789abcdef";
	if (c >= 0x20 && c != 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	if (c == '\t') {
		out[0] = '\t';
		return 1;
	}
	out[0] = '\\';
	if (c == '\n' || c == '\r') {
		out[1] = c == '\n' ? 'n' : 'r';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

/* Length of line[start..pos) without a UTF-8 sequence cut short at its end. */
static size_t utf8_trim(const char *line, size_t start, size_t pos)
{
	size_t k = pos;
	while (k > start && pos - k < 3 && ((unsigned char)line[k - 1] & 0xc0) == 0x80)
		k--;
	if (k == start)
		return pos;
	unsigned char lead = (unsigned char)line[k - 1];
	size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return pos - (k - 1) < need ? k - 1 : pos;
}

/* Append text[0..len) escaped to line at pos, keeping within limit bytes; if
 * it does not all fit, or more text was lost before (cut), end in "...".
 * Returns the new length. limit - pos >= ELLIPSIS_LEN on entry. */
static size_t append_text(char *line, size_t pos, size_t limit,
                          const char *text, size_t len, int cut)
{
	size_t start = pos, i;
	char esc[4];
	for (i = 0; i < len; i++) {
		size_t n = escape((unsigned char)text[i], esc);
		if (pos + n > limit - ELLIPSIS_LEN)
			break;
		memcpy(line + pos, esc, n);
		pos += n;
	}
	if (i == len && !cut)
		return pos;
	if (!cut) {
		/* The last few bytes may fit where the "..." would go. */
		size_t rest = 0;
		for (size_t j = i; j < len; j++)
			rest += escape((unsigned char)text[j], esc);
		if (pos + rest <= limit) {
			for (; i < len; i++) {
				size_t n = escape((unsigned char)text[i], esc);
				memcpy(line + pos, esc, n);
				pos += n;
			}
			return pos;
		}
	}
	pos = utf8_trim(line, start, pos);
	memcpy(line + pos, ELLIPSIS, ELLIPSIS_LEN);
	return pos + ELLIPSIS_LEN;
}

void riad_logv(const struct riad_log_src *src, enum riad_log_level level,
               const char *fmt, va_list ap)
{
	if (!src)
		src = app_src;
	if (!riad_log_enabled(src, level) || !valid_level((int)level))
		return;
	char line[RIAD_LOG_LINE_MAX];
	char text[RIAD_LOG_LINE_MAX];
	const size_t limit = sizeof(line) - 1; /* room for the newline */

	struct riad_tm tm;
	int64_t wall = riad_clock_wall_ns();
	riad_clock_to_tm(wall, &tm);
	int n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d-00:00: [%s] [%s] ",
	                 tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec,
	                 level_tags[level], src->name);
	size_t pos = n < 0 ? 0 : (size_t)n;

	int tn = vsnprintf(text, sizeof(text), fmt, ap);
	size_t tlen = tn < 0 ? 0 : (size_t)tn;
	int cut = tlen >= sizeof(text);
	if (cut)
		tlen = sizeof(text) - 1;

	if (pos > limit - ELLIPSIS_LEN) {
		/* Only a source name this long could get here. */
		pos = utf8_trim(line, 0, limit - ELLIPSIS_LEN);
		memcpy(line + pos, ELLIPSIS, ELLIPSIS_LEN);
		pos += ELLIPSIS_LEN;
	} else {
		pos = append_text(line, pos, limit, text, tlen, cut);
	}
	size_t len = pos;
	if (console_on || reporting) {
		line[pos] = '\n';
		riad_console_write(line, pos + 1);
	}
	/* Through pointers: with no reporter linked the section's bounds are
	 * null, and &bound[0] would be arithmetic on a null pointer. */
	const struct riad_log_reporter *const *first = __start_riad_log_reporters;
	const struct riad_log_reporter *const *end = __stop_riad_log_reporters;
	if (!reporting && first != end) {
		/* The text as the line shows it, after the prefix (empty if
		 * the prefix itself had to be cut). */
		size_t prefix = n < 0 || (size_t)n > len ? len : (size_t)n;
		struct riad_log_msg m = { .level = level, .src = src->name, .wall_ns = wall,
		                          .text = line + prefix, .len = len - prefix };
		reporting = true;
		for (const struct riad_log_reporter *const *r = first; r < end; r++)
			(*r)->report(&m);
		reporting = false;
	}
}

void riad_log_flush(int64_t deadline)
{
	for (const struct riad_log_reporter *const *r = __start_riad_log_reporters;
	     r < __stop_riad_log_reporters; r++)
		if ((*r)->flush)
			(*r)->flush(deadline);
}

void riad_log(const struct riad_log_src *src, enum riad_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	riad_logv(src, level, fmt, ap);
	va_end(ap);
}
