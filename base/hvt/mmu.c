/* base/hvt/mmu.c: the guest's own page tables: an identity map of guest memory with per-page permissions, and guard pages on request.
 *
 * The tender's page tables map everything read-write and executable; these
 * enforce, in the guest itself (KVM's host-side permissions are not
 * reliable on every host, see SOLO5-ABI.md):
 *
 *   0 - 0xffff            not present (page 0, the tender's tables)
 *   0x10000 - 0xfffff     read-only, no-execute (boot info, manifest,
 *                         command line)
 *   text                  read-only, executable
 *   rodata, TLS template  read-only, no-execute
 *   data, bss             read-write, no-execute
 *   guard                 not present (below the initial stack)
 *   stack, heap           read-write, no-execute
 *   page-table reserve    read-write, no-execute (at the top of memory)
 *
 * The 2 MiB regions that hold the image (and the start of the heap) are
 * mapped with 4 KiB pages; the rest of memory with 2 MiB pages. Every
 * 2 MiB region owns one page-table page in the reserve, used when it must
 * be split because a guard page is asked for inside it
 * (riad_base_guard_pages: fiber stacks). The reserve costs 1/512 of memory
 * and its pages are only touched when used.
 */
#include "hvt.h"
#include "../riad_base.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define PTE_NX (1ull << 63)
#define ENTRIES 512u
#define SIZE_4K 0x1000ull
#define SIZE_2M 0x200000ull

static uint64_t *pds;  /* all page directories, contiguous: pds[r] maps region r */
static uint64_t *pts;  /* one page table per region: pts + r * ENTRIES */
static uintptr_t heap_lo, heap_hi;

/* The leaf permissions of the 4 KiB page at a in the image's regions. */
static uint64_t page_flags(uintptr_t a)
{
	if (a < 0x10000)
		return 0;
	if (a < 0x100000 || (a >= (uintptr_t)_srodata && a < (uintptr_t)_sdata) ||
	    (a >= (uintptr_t)_stdata && a < (uintptr_t)_sbss))
		return PTE_P | PTE_NX;
	if (a < (uintptr_t)_srodata)
		return PTE_P; /* text */
	if (a >= (uintptr_t)_sguard && a < (uintptr_t)_eguard)
		return 0;
	return PTE_P | PTE_RW | PTE_NX;
}

static void zero_page(uint64_t *p)
{
	volatile uint64_t *v = p;
	for (unsigned i = 0; i < ENTRIES; i++)
		v[i] = 0;
}

uintptr_t hvt_mmu_init(uint64_t mem_size, uintptr_t heap_start)
{
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

	zero_page(pml4);
	zero_page(pdpt);
	pml4[0] = (uintptr_t)pdpt | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < npd; i++) {
		zero_page(pds + i * ENTRIES);
		pdpt[i] = (uintptr_t)(pds + i * ENTRIES) | PTE_P | PTE_RW;
	}
	for (uint64_t r = 0; r < regions; r++) {
		if (r < low) {
			uint64_t *pt = pts + r * ENTRIES;
			for (unsigned i = 0; i < ENTRIES; i++) {
				uintptr_t a = (uintptr_t)(r * SIZE_2M + i * SIZE_4K);
				uint64_t f = page_flags(a);
				pt[i] = f ? a | f : 0;
			}
			pds[r] = (uintptr_t)pt | PTE_P | PTE_RW;
		} else {
			pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_PS | PTE_NX;
		}
	}
	__asm__ volatile("movq %0, %%cr3" : : "r"(pml4) : "memory");
	heap_lo = heap_start;
	heap_hi = reserve;
	return reserve;
}

int riad_base_guard_pages(uintptr_t addr, size_t len, bool guard)
{
	if ((addr | len) & (SIZE_4K - 1) || addr < heap_lo || len > heap_hi - addr)
		base_abort(__FILE__, "guard pages asked for outside the heap");
	bool split = false;
	for (uintptr_t a = addr; a < addr + len; a += SIZE_4K) {
		uint64_t r = a / SIZE_2M;
		uint64_t *pt = pts + r * ENTRIES;
		if (pds[r] & PTE_PS) {
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
