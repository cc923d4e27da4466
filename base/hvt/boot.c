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
	/* What the tender wrote below the image must stay readable. */
	const struct riad_mft *mft = (const struct riad_mft *)(uintptr_t)bi->mft;
	uintptr_t boot_end = (uintptr_t)bi->cmdline + RIAD_HVT_CMDLINE_SIZE;
	if ((uintptr_t)bi->mft + RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES) > boot_end)
		boot_end = (uintptr_t)bi->mft + RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES);
	if (boot_end > RIAD_HVT_GUEST_MIN_BASE || bi->cmdline < RIAD_HVT_BOOT_INFO_BASE ||
	    bi->mft < RIAD_HVT_BOOT_INFO_BASE)
		boot_end = RIAD_HVT_GUEST_MIN_BASE; /* an unusual tender: keep all low memory */
	uintptr_t end = hvt_mmu_init(bi->mem_size, start, boot_end);
	hvt_clock_init(bi->cpu_cycle_freq);
	base_boot((const char *)(uintptr_t)bi->cmdline, mft, bi->mem_size, start, end - start);
}
