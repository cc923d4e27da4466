/* runtime/solo5/console.c: the console is solo5_console_write(), the tender's standard output. */
#include <riad/console.h>

#include <solo5.h>

void riad_console_write(const char *buf, size_t len)
{
	solo5_console_write(buf, len);
}
