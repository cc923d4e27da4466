/* tool/disk/store.c: riad disk format, ls, get and put on riad's writable store. UNFINISHED: the store is not written yet. */
#include "disk.h"

#define UNFINISHED(fn)                                          \
	int fn(int argc, char **argv)                           \
	{                                                       \
		(void)argc;                                     \
		disk_fail(argv[0], "not implemented yet");      \
		return 1;                                       \
	}
UNFINISHED(disk_cmd_format)
UNFINISHED(disk_cmd_ls)
UNFINISHED(disk_cmd_get)
UNFINISHED(disk_cmd_put)
