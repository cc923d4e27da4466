/* tests/solo5/heapall: every page of the heap the bindings hand over can be written and read back, its last byte included (hvt: the regions mapped on first touch, and the end of the heap, which shares a 2 MiB region with the page tables' reserve). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	volatile uint8_t *p = (volatile uint8_t *)si->heap_start;
	for (size_t i = 0; i < si->heap_size; i += 4096)
		p[i] = (uint8_t)(i >> 12);
	p[si->heap_size - 1] = 0xa5;
	for (size_t i = 0; i < si->heap_size; i += 4096)
		if (p[i] != (uint8_t)(i >> 12))
			return T_FAILURE("a heap page lost its value");
	if (p[si->heap_size - 1] != 0xa5)
		return T_FAILURE("the heap's last byte lost its value");
	t_puts("wrote ");
	t_putdec(si->heap_size >> 12);
	t_puts(" pages of heap\n");
	return T_SUCCESS();
}
