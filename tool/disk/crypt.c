/* tool/disk/crypt.c: riad disk encrypt and decrypt. UNFINISHED: the overlay is not written yet. */
#include "disk.h"

int disk_cmd_encrypt(int argc, char **argv)
{
	(void)argc;
	disk_fail(argv[0], "not implemented yet");
	return 1;
}

int disk_cmd_decrypt(int argc, char **argv)
{
	(void)argc;
	disk_fail(argv[0], "not implemented yet");
	return 1;
}
