/* tests/solo5/kernelpage: the pages that hold the ring-0 part's state (descriptor tables, trap stack) are out of the application's reach: a read faults (hvt: a protection fault, error code present + user; spt has no such pages in the guest, and reading where the symbol would be, page 0, dies of SIGSEGV). */
#include "../common.h"

extern char _skernel[] __attribute__((weak));

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	t_puts("reading the ring-0 pages at ");
	t_puthex((uintptr_t)_skernel);
	t_puts("\n");
	(void)*(volatile char *)_skernel;
	return T_FAILURE("the ring-0 pages are readable");
}
