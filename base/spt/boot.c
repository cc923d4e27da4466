/* base/spt/boot.c: spt start-up after _start: the boot info, the FS base, the heap; then the common boot. */
#include "spt.h"
#include "../riad_base.h"

#include "abi/spt.h"

const char riad_base_target[] = "spt";
int spt_epollfd = -1, spt_timerfd = -1;

void spt_boot(const void *boot_info)
{
	const struct riad_spt_boot_info *bi = boot_info;

	/* The tender's thread pointer is still in FS: clear it, so that TLS
	 * used before solo5_set_tls_base() faults instead of reading the
	 * tender's memory. */
	spt_syscall3(SYS_ARCH_PRCTL, SPT_ARCH_SET_FS, 0, 0);
	spt_epollfd = bi->epollfd;
	spt_timerfd = bi->timerfd;

	/* The heap starts after the image: after _end (the initial stack,
	 * which a bss-only segment holds) or kernel_end, whichever is
	 * higher, and runs to the top of memory (the tender's initial stack
	 * there is not used after _start). */
	uintptr_t start = (uintptr_t)_end;
	if (bi->kernel_end > start)
		start = (uintptr_t)bi->kernel_end;
	start = BASE_ALIGN_UP(start, BASE_PAGE_SIZE);
	if (bi->mem_size <= start + BASE_PAGE_SIZE)
		base_abort(__FILE__, "guest memory too small for a heap (use more --mem)");
	base_boot((const char *)(uintptr_t)bi->cmdline, (const struct riad_mft *)(uintptr_t)bi->mft,
		  bi->mem_size, start, (size_t)(bi->mem_size - start));
}
