/* base/hvt/boot.c: hvt start-up after _start: step A in ring 0 (descriptor tables, bootstrap page tables), step B in ring 3 (the page tables' entries, then step C: their activation in ring 0), the clock, the heap; then the common boot, in ring 3 (see hvt.h). */
#include "hvt.h"
#include "../riad_base.h"

const char riad_base_target[] = "hvt";

/* Not defined, except in a guest linked with --defsym=riad_hvt_ring0=1
 * (bench/hvt_ring3.sh), which keeps running in ring 0 after step A, as
 * riad's hvt guests did before they used ring 3: for comparisons only. */
extern const char riad_hvt_ring0[] __attribute__((weak));

/* The heap, as step A lays it out (ring 3 reads it in step B), and the
 * net ring with its write buffers, or 0. */
static uintptr_t heap_start, heap_end, net_ring, net_bufs;
static uint32_t host_features;

/* The net ring the tender offers, if it is where the ABI puts it: at or
 * above the guest's memory, page-aligned, below the 4 GiB cap. */
__attribute__((no_stack_protector)) static uintptr_t offered_ring(const struct riad_hvt_boot_info *bi)
{
	uint64_t r = bi->net_ring;
	if (!(bi->host_features & RIAD_HVT_FEATURE_RING_IO) || r == 0 || r < bi->mem_size ||
	    r % BASE_PAGE_SIZE || r > (1ull << 32) - sizeof(struct riad_hvt_ring))
		return 0;
	return (uintptr_t)r;
}

__attribute__((no_stack_protector)) void hvt_boot(const void *boot_info)
{
	const struct riad_hvt_boot_info *bi = boot_info;

	hvt_cpu_init();
	host_features = bi->host_features;
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
	uintptr_t ring = offered_ring(bi);
	heap_end = hvt_mmu_init(bi->mem_size, start, boot_end, ring);
	/* The ring's write buffers take the start of the heap (2 MiB, only
	 * with a ring, touched one slot at a time), if the heap is at least
	 * twice that; else the ring stays unused. */
	if (ring && heap_end - start >= 2 * HVT_NET_RING_BUFS) {
		net_ring = ring;
		net_bufs = start;
		start += HVT_NET_RING_BUFS;
	}
	heap_start = start;
	hvt_enter_user(boot_info, riad_hvt_ring0 != 0);
}

bool riad_base_host_entropy(void *buf, size_t len)
{
	if (!(host_features & RIAD_HVT_FEATURE_ENTROPY) || len > RIAD_HVT_ENTROPY_MAX)
		return false;
	volatile struct riad_hvt_hc_entropy a = { .data = (uintptr_t)buf, .len = len };
	hvt_port_call(RIAD_HVT_ENTROPY_PIO, &a);
	return true;
}

void hvt_boot_user(const void *boot_info)
{
	const struct riad_hvt_boot_info *bi = boot_info;

	hvt_mmu_build();
	hvt_privcall(HVT_PRIV_MMU_ACTIVATE, 0, 0, 0);
	hvt_clock_init(bi->cpu_cycle_freq);
	hvt_net_init(net_ring, net_bufs);
	base_boot((const char *)(uintptr_t)bi->cmdline,
		  (const struct riad_mft *)(uintptr_t)bi->mft, bi->mem_size, heap_start,
		  heap_end - heap_start);
}
