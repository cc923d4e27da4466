/* runtime/args_split.c: split a boot command line into words in place, with
 * POSIX-shell quoting (riad/args.h).
 *
 * Invariant: the write position w never passes the read position r, because
 * every byte written consumes at least one byte read (quotes and escapes only
 * ever remove bytes) and a word's terminating NUL is written at w <= r where
 * r stands on the separator or NUL that ended the word. So splitting in place
 * never overwrites input not yet read, and never writes past the string.
 */
#include <stddef.h>

#include <riad/args.h>

#include "args.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters a backslash escapes inside double quotes. */
static int dq_escapable(char c)
{
	return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n';
}

int riad_args_split(char *cmdline, char **argv, int max)
{
	if (max < 0)
		return RIAD_ARGS_SPLIT_TOO_MANY;
	int argc = 0;
	char *r = cmdline, *w = cmdline;
	if (!r) {
		argv[0] = NULL;
		return 0;
	}
	for (;;) {
		/* A backslash-newline between words is a line continuation, as
		 * in the shell, and makes no word. */
		while (is_space(*r) || (r[0] == '\\' && r[1] == '\n'))
			r += *r == '\\' ? 2 : 1;
		if (!*r)
			break;
		if (argc == max)
			return RIAD_ARGS_SPLIT_TOO_MANY;
		char *word = w;
		while (*r && !is_space(*r)) {
			char c = *r++;
			if (c == '\'') {
				while (*r && *r != '\'')
					*w++ = *r++;
				if (!*r)
					return RIAD_ARGS_SPLIT_UNTERMINATED;
				r++;
			} else if (c == '"') {
				while (*r && *r != '"') {
					if (*r == '\\' && dq_escapable(r[1])) {
						r++;
						if (*r == '\n') {
							r++;
							continue;
						}
					}
					*w++ = *r++;
				}
				if (!*r)
					return RIAD_ARGS_SPLIT_UNTERMINATED;
				r++;
			} else if (c == '\\') {
				if (!*r)
					return RIAD_ARGS_SPLIT_UNTERMINATED;
				if (*r == '\n')
					r++;
				else
					*w++ = *r++;
			} else {
				*w++ = c;
			}
		}
		/* r is on a separator or the NUL: the word ends here. */
		int at_end = !*r;
		*w++ = '\0';
		argv[argc++] = word;
		if (at_end)
			break;
		r++;
	}
	argv[argc] = NULL;
	return argc;
}
