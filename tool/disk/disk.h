/* tool/disk/disk.h: riad-disk, the host side of `riad disk`: one function per subcommand, each in its own file. */
#ifndef RIAD_TOOL_DISK_H
#define RIAD_TOOL_DISK_H

/* Each takes the subcommand's own arguments (argv[0] is the subcommand's
 * name) and returns the exit status: 0 done, 1 bad input or a failure (one
 * line on stderr naming what was wrong, prefixed "riad disk CMD: "), 2 a
 * usage error. --help prints the usage on stdout and returns 0. */
int disk_cmd_encrypt(int argc, char **argv);  /* tool/disk/crypt.c */
int disk_cmd_decrypt(int argc, char **argv);  /* tool/disk/crypt.c */
int disk_cmd_format(int argc, char **argv);   /* tool/disk/store.c */
int disk_cmd_ls(int argc, char **argv);       /* tool/disk/store.c */
int disk_cmd_get(int argc, char **argv);      /* tool/disk/store.c */
int disk_cmd_put(int argc, char **argv);      /* tool/disk/store.c */

/* Print "riad disk CMD: " and the message on stderr. */
void disk_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
