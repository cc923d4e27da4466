/* libc/src/getenv.c: a unikernel has no environment (see <stdlib.h>). */
#include <stdlib.h>

char *getenv(const char *name)
{
	(void)name;
	return NULL;
}
