/* tests/solo5/heapnox: the heap is not executable. */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	volatile uint8_t *p = (volatile uint8_t *)(si->heap_start + si->heap_size / 2);
	p[0] = 0xc3;
	t_puts("calling the heap at ");
	t_puthex((uintptr_t)p);
	t_puts("\n");
	((void (*)(void))(uintptr_t)p)();
	return T_FAILURE("the heap is executable");
}
