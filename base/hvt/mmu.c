/* base/hvt/mmu.c: the guest's own page tables: an identity map of guest memory with per-page permissions, and guard pages on request.
 *
 * The tender's page tables map everything read-write and executable; these
 * enforce, in the guest itself (KVM's host-side permissions are not
 * reliable on every host, see SOLO5-ABI.md):
 *
 *   0 - 0xffff            not present (page 0, the tender's tables)
 *   0x10000 - low_end     read-only, no-execute (boot info, manifest,
 *                         command line); not present above, to 0xfffff
 *   text                  read-only, executable
 *   rodata, TLS template  read-only, no-execute
 *   data, bss             read-write, no-execute
 *   guard                 not present (below the initial stack)
 *   stack, heap           read-write, no-execute
 *   page-table reserve    read-write, no-execute (at the top of memory)
 *
 * The 2 MiB regions that hold the image (and the start of the heap) are
 * mapped with 4 KiB pages at boot; the rest of memory with 2 MiB pages,
 * and those lazily: a region's entry is written on the first page fault
 * in it (hvt_mmu_fault), so boot writes a few dozen entries whatever the
 * memory size (every guest memory access is costly under shadow paging).
 * Every 2 MiB region owns one page-table page in the reserve, used when
 * it must be split because a guard page is asked for inside it
 * (riad_base_guard_pages: fiber stacks). The reserve costs 1/512 of
 * memory and its pages are only touched when used.
 */
#include "hvt.h"
#include "../riad_base.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define PTE_NX hvt_pte_nx /* 1 << 63, or 0 on a CPU without NX (cpu.c) */
#define ENTRIES 512u
#define SIZE_4K 0x1000ull
#define SIZE_2M 0x200000ull

static uint64_t *pds;  /* all page directories, contiguous: pds[r] maps region r */
static uint64_t *pts;  /* one page table per region: pts + r * ENTRIES */
static uintptr_t heap_lo, heap_hi, low_end;
static uint64_t lazy_lo, lazy_hi; /* regions [lazy_lo, lazy_hi) are mapped on first touch */

/* Map [start, end) with 4 KiB pages and these permissions, in the regions
 * mapped at boot (whose page tables are contiguous in pts). */
static void map_4k(uintptr_t start, uintptr_t end, uint64_t flags)
{
	for (uintptr_t a = start; a < end; a += SIZE_4K)
		pts[a / SIZE_4K] = a | flags;
}

uintptr_t hvt_mmu_init(uint64_t mem_size, uintptr_t heap_start, uintptr_t boot_end)
{
	low_end = BASE_ALIGN_UP(boot_end, SIZE_4K);
	uint64_t mem = mem_size & ~(SIZE_2M - 1);
	uint64_t regions = mem / SIZE_2M;
	uint64_t low = BASE_ALIGN_UP(heap_start, SIZE_2M) / SIZE_2M;
	uint64_t npd = (regions + ENTRIES - 1) / ENTRIES;
	uint64_t pages = 2 + npd + regions;
	if (regions == 0 || pages * SIZE_4K >= mem || mem - pages * SIZE_4K <= heap_start + SIZE_4K)
		base_abort(__FILE__, "guest memory too small for the page tables and a heap");
	uintptr_t reserve = (uintptr_t)(mem - pages * SIZE_4K);
	uint64_t *pml4 = (uint64_t *)reserve;
	uint64_t *pdpt = pml4 + ENTRIES;
	pds = pdpt + ENTRIES;
	pts = pds + npd * ENTRIES;

	/* Guest memory starts zeroed (the ABI promises it, and nothing has
	 * used the top of memory yet: the tender's initial stack pointer
	 * there was never pushed to), so only the entries that map something
	 * are written. That matters where every guest memory access is
	 * expensive (shadow paging). */
	uintptr_t low_top = (uintptr_t)(low * SIZE_2M);
	if (low_end > 0x100000 || (uintptr_t)_eguard > low_top)
		base_abort(__FILE__, "the boot information or the image is out of place");
	pml4[0] = (uintptr_t)pdpt | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < npd; i++)
		pdpt[i] = (uintptr_t)(pds + i * ENTRIES) | PTE_P | PTE_RW;
	/* The regions up to the heap's first: 4 KiB pages (the rest of each
	 * page table is 0, not present: page 0, the tender's area, the guard
	 * page). One loop per range, not a test per page: on a host that
	 * emulates guest instructions, every one counts at boot. */
	map_4k(0x10000, low_end, PTE_P | PTE_NX);
	map_4k(0x100000, (uintptr_t)_srodata, PTE_P);
	map_4k((uintptr_t)_srodata, (uintptr_t)_sdata, PTE_P | PTE_NX);
	map_4k((uintptr_t)_sdata, (uintptr_t)_stdata, PTE_P | PTE_RW | PTE_NX);
	map_4k((uintptr_t)_stdata, (uintptr_t)_sbss, PTE_P | PTE_NX);
	map_4k((uintptr_t)_sbss, (uintptr_t)_sguard, PTE_P | PTE_RW | PTE_NX);
	map_4k((uintptr_t)_eguard, low_top, PTE_P | PTE_RW | PTE_NX);
	for (uint64_t r = 0; r < low; r++)
		pds[r] = (uintptr_t)(pts + r * ENTRIES) | PTE_P | PTE_RW;
	/* The reserve's regions are mapped now (riad_base_guard_pages writes
	 * there); the heap's other regions on first touch (hvt_mmu_fault). */
	for (uint64_t r = reserve / SIZE_2M < low ? low : reserve / SIZE_2M; r < regions; r++)
		pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_PS | PTE_NX;
	lazy_lo = low;
	lazy_hi = reserve / SIZE_2M;
	__asm__ volatile("movq %0, %%cr3" : : "r"(pml4) : "memory");
	heap_lo = heap_start;
	heap_hi = reserve;
	return reserve;
}

bool hvt_mmu_fault(uint64_t addr, uint64_t ec)
{
	uint64_t r = addr / SIZE_2M;
	if ((ec & PTE_P) || r < lazy_lo || r >= lazy_hi || pds[r] != 0)
		return false;
	pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_PS | PTE_NX;
	return true;
}

int riad_base_guard_pages(uintptr_t addr, size_t len, bool guard)
{
	if ((addr | len) & (SIZE_4K - 1) || addr < heap_lo || len > heap_hi - addr)
		base_abort(__FILE__, "guard pages asked for outside the heap");
	bool split = false;
	for (uintptr_t a = addr; a < addr + len; a += SIZE_4K) {
		uint64_t r = a / SIZE_2M;
		uint64_t *pt = pts + r * ENTRIES;
		if (pds[r] == 0 || (pds[r] & PTE_PS)) { /* not mapped yet, or 2 MiB */
			for (unsigned i = 0; i < ENTRIES; i++)
				pt[i] = (r * SIZE_2M + i * SIZE_4K) | PTE_P | PTE_RW | PTE_NX;
			pds[r] = (uintptr_t)pt | PTE_P | PTE_RW;
			split = true;
		}
		pt[(a / SIZE_4K) % ENTRIES] = guard ? 0 : (a | PTE_P | PTE_RW | PTE_NX);
		if (!split)
			__asm__ volatile("invlpg (%0)" : : "r"(a) : "memory");
	}
	if (split) {
		/* A 2 MiB mapping became a table: flush everything. */
		uint64_t cr3;
		__asm__ volatile("movq %%cr3, %0" : "=r"(cr3));
		__asm__ volatile("movq %0, %%cr3" : : "r"(cr3) : "memory");
	}
	return 0;
}
