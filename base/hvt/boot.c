/* base/hvt/boot.c: hvt start-up after _start: descriptor tables, page tables, clock, heap; then the common boot. */
#include "hvt.h"
#include "../riad_base.h"

const char riad_base_target[] = "hvt";

void hvt_boot(const void *boot_info)
{
	const struct riad_hvt_boot_info *bi = boot_info;

	hvt_cpu_init();
	/* The heap starts after the image: after _end (the initial stack,
	 * which a bss-only segment holds) or kernel_end, whichever is
	 * higher; it ends where the page tables' reserve starts. */
	uintptr_t start = (uintptr_t)_end;
	if (bi->kernel_end > start)
		start = (uintptr_t)bi->kernel_end;
	start = BASE_ALIGN_UP(start, BASE_PAGE_SIZE);
	uintptr_t end = hvt_mmu_init(bi->mem_size, start);
	hvt_clock_init(bi->cpu_cycle_freq);
	base_boot((const char *)(uintptr_t)bi->cmdline, (const struct riad_mft *)(uintptr_t)bi->mft,
		  bi->mem_size, start, end - start);
}
