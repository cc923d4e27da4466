/* base/hvt/boot.c: hvt start-up after _start: step A in ring 0 (descriptor tables, bootstrap page tables), step B in ring 3 (the page tables' entries, then step C: their activation in ring 0), the clock, the heap; then the common boot, in ring 3 (see hvt.h). */
#include "hvt.h"
#include "../riad_base.h"

const char riad_base_target[] = "hvt";

/* Not defined, except in a guest linked with --defsym=riad_hvt_ring0=1
 * (bench/hvt_ring3.sh), which keeps running in ring 0 after step A, as
 * riad's hvt guests did before they used ring 3: for comparisons only. */
extern const char riad_hvt_ring0[] __attribute__((weak));

/* The heap, as step A lays it out (ring 3 reads it in step B). */
static uintptr_t heap_start, heap_end;

__attribute__((no_stack_protector)) void hvt_boot(const void *boot_info)
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
	/* What the tender wrote below the image must stay readable. */
	uintptr_t boot_end = (uintptr_t)bi->cmdline + RIAD_HVT_CMDLINE_SIZE;
	if ((uintptr_t)bi->mft + RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES) > boot_end)
		boot_end = (uintptr_t)bi->mft + RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES);
	if (boot_end > RIAD_HVT_GUEST_MIN_BASE || bi->cmdline < RIAD_HVT_BOOT_INFO_BASE ||
	    bi->mft < RIAD_HVT_BOOT_INFO_BASE)
		boot_end = RIAD_HVT_GUEST_MIN_BASE; /* an unusual tender: keep all low memory */
	heap_start = start;
	heap_end = hvt_mmu_init(bi->mem_size, start, boot_end);
	hvt_enter_user(boot_info, riad_hvt_ring0 != 0);
}

void hvt_boot_user(const void *boot_info)
{
	const struct riad_hvt_boot_info *bi = boot_info;

	hvt_mmu_build();
	hvt_privcall(HVT_PRIV_MMU_ACTIVATE, 0, 0, 0);
	hvt_clock_init(bi->cpu_cycle_freq);
	base_boot((const char *)(uintptr_t)bi->cmdline,
		  (const struct riad_mft *)(uintptr_t)bi->mft, bi->mem_size, heap_start,
		  heap_end - heap_start);
}
