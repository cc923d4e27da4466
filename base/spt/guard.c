/* base/spt/guard.c: spt cannot change page permissions.
 *
 * The seccomp allowlist has no mprotect (nor mmap): guest memory is one
 * read-write, non-executable mapping whose only permission changes are the
 * ones the tender applies to the image's segments before the jump. So
 * fiber stacks allocated at run time get no guard page on spt; the
 * initial stack does (a segment of the image, see solo5_spt.lds). */
#include "spt.h"
#include "../riad_base.h"

int riad_base_guard_pages(uintptr_t addr, size_t len, bool guard)
{
	(void)addr;
	(void)len;
	(void)guard;
	return -1;
}
