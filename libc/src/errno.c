/* libc/src/errno.c: the one errno of the unikernel (see <errno.h>). */
#include <errno.h>

int riad_libc_errno;
