/* base/common/cmdline.c: the leading --solo5:* words of the guest command line, which set the bindings' log level. */
#include "base.h"

static const struct {
	const char *word;
	enum base_log_level level;
} options[] = {
	{ "--solo5:quiet", BASE_LOG_ERROR },
	{ "--solo5:error", BASE_LOG_ERROR },
	{ "--solo5:warn", BASE_LOG_WARN },
	{ "--solo5:info", BASE_LOG_INFO },
	{ "--solo5:debug", BASE_LOG_DEBUG },
};

/* If the word at s is w (followed by a space or the end), its length. */
static size_t word_is(const char *s, const char *w)
{
	size_t n = 0;
	while (w[n] && s[n] == w[n])
		n++;
	return !w[n] && (s[n] == ' ' || s[n] == '\0') ? n : 0;
}

const char *base_cmdline_options(const char *cmdline)
{
	const char *s = cmdline;
	for (;;) {
		size_t n = 0;
		for (size_t i = 0; i < sizeof(options) / sizeof(options[0]) && !n; i++) {
			n = word_is(s, options[i].word);
			if (n)
				base_log_set_level(options[i].level);
		}
		if (!n)
			return s; /* anything else, an unknown --solo5: word included, is the app's */
		s += n;
		while (*s == ' ')
			s++;
	}
}
