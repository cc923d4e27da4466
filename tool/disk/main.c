/* tool/disk/main.c: riad-disk, the host program behind `riad disk`: prepares and inspects storage images with the same storage code the unikernels run. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "disk.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} cmds[] = {
	{ "encrypt", disk_cmd_encrypt, "encrypt an image under the authenticated-encryption overlay" },
	{ "decrypt", disk_cmd_decrypt, "decrypt an overlay image back to plain sectors" },
	{ "format", disk_cmd_format, "write an empty writable store on an image" },
	{ "ls", disk_cmd_ls, "list a dictionary of a writable store" },
	{ "get", disk_cmd_get, "print a value of a writable store" },
	{ "put", disk_cmd_put, "set a value of a writable store from a file" },
};

void disk_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "riad disk %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: riad disk COMMAND [OPTION]... ARG...\n\n"
	           "Prepare and inspect storage images with riad's own storage code.\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\nRun 'riad disk COMMAND --help' for each command; 'man riad-disk' for more.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "riad disk: unknown command '%s' (see 'riad disk --help')\n", argv[1]);
	return 2;
}
