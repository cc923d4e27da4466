/* runtime/unix/dev_args.c: the --net:NAME=TAP and --block:NAME=FILE words a unix unikernel takes as its own tender (riad_unix_dev_scan, riad_unix_dev_find). */
#include <string.h>

#include "unix.h"

unsigned riad_unix_dev_scan(int argc, char **argv, const char *kind, const char **specs,
                            unsigned max)
{
	size_t k = strlen(kind);
	unsigned n = 0;
	if (argc < 1 || !argv)
		return 0;
	for (int i = 1; i < argc && argv[i]; i++) {
		char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, kind, k) != 0)
			continue;
		char *rest = a + 2 + k;
		if (*rest == ':' || *rest == '=') {
			*rest = '=';
			if (n < max)
				specs[n++] = rest + 1;
		} else if (*rest == '\0' && i + 1 < argc && argv[i + 1]) {
			if (n < max)
				specs[n++] = argv[i + 1];
			i++;
		}
	}
	return n;
}

const char *riad_unix_dev_find(const char *const *specs, unsigned n, const char *name)
{
	size_t len = strlen(name);
	const char *src = NULL;
	for (unsigned i = 0; i < n; i++)
		if (strncmp(specs[i], name, len) == 0 && specs[i][len] == '=')
			src = specs[i] + len + 1;
	return src && *src ? src : NULL;
}
