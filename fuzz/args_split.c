/* fuzz/args_split.c: libFuzzer target for riad_args_split, the boot command
 * line splitter (untrusted: it comes from whoever starts the unikernel).
 *
 * Input: one byte choosing max (0..32, or RIAD_ARGS_MAX), then the command
 * line (up to the first NUL). Checks that the split stays inside the string
 * and argv (ASan), respects max, gives disjoint in-order words, agrees with a
 * plain whitespace split when there is no quoting, and that quoting the words
 * the way riad run does ('it'\''s') and splitting again gives them back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/opt.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Exactly max + 1 pointers, so ASan catches a write past argv[max]. */
static char **new_argv(int max)
{
	return malloc(((size_t)max + 1) * sizeof(char *));
}

static void check_plain(const char *orig, size_t len, char **argv, int n)
{
	int i = 0;
	size_t p = 0;
	for (;;) {
		while (p < len && is_space(orig[p]))
			p++;
		if (p == len)
			break;
		size_t start = p;
		while (p < len && !is_space(orig[p]))
			p++;
		if (i >= n || strlen(argv[i]) != p - start || memcmp(argv[i], orig + start, p - start) != 0)
			abort();
		i++;
	}
	if (i != n)
		abort();
}

static void check_roundtrip(char **argv, int n, size_t len)
{
	size_t cap = 4 * len + 3 * (size_t)n + 1;
	char *line = malloc(cap), *w = line;
	for (int i = 0; i < n; i++) {
		*w++ = '\'';
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\'') {
				memcpy(w, "'\\''", 4);
				w += 4;
			} else {
				*w++ = *c;
			}
		}
		*w++ = '\'';
		if (i + 1 < n)
			*w++ = ' ';
	}
	*w = 0;
	if ((size_t)(w - line) >= cap)
		abort();
	char **again = new_argv(n);
	if (riad_args_split(line, again, n) != n)
		abort();
	for (int i = 0; i < n; i++)
		if (strcmp(again[i], argv[i]) != 0)
			abort();
	if (again[n] != NULL)
		abort();
	free(again);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int max = data[0] % 34;
	if (max == 33)
		max = RIAD_ARGS_MAX;
	const char *text = (const char *)data + 1;
	size_t len = strnlen(text, size - 1);
	char *line = malloc(len + 1), *orig = malloc(len + 1);
	memcpy(line, text, len);
	line[len] = 0;
	memcpy(orig, line, len + 1);
	char **argv = new_argv(max);

	int n = riad_args_split(line, argv, max);
	if (n == RIAD_ARGS_SPLIT_UNTERMINATED || n == RIAD_ARGS_SPLIT_TOO_MANY)
		goto out;
	if (n < 0 || n > max || argv[n] != NULL)
		abort();
	/* Words lie in the string, in order, without overlapping; together no
	 * longer than the input. */
	const char *next = line;
	for (int i = 0; i < n; i++) {
		if (argv[i] < next || argv[i] > line + len)
			abort();
		next = argv[i] + strlen(argv[i]) + 1;
		if (next > line + len + 1)
			abort();
	}
	if (!memchr(orig, '\'', len) && !memchr(orig, '"', len) && !memchr(orig, '\\', len))
		check_plain(orig, len, argv, n);
	check_roundtrip(argv, n, len);
out:
	free(argv);
	free(orig);
	free(line);
	return 0;
}
