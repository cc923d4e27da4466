/* base/hvt/console.c: the console is the PUTS hypercall (the tender writes to its standard output). */
#include "hvt.h"

void solo5_console_write(const char *buf, size_t size)
{
	volatile struct riad_hvt_hc_puts p = { .data = (uintptr_t)buf, .len = size };
	hvt_hypercall(RIAD_HVT_HYPERCALL_PUTS, &p);
}
