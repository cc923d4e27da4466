/* base/hvt/mmu.c: the guest's own page tables: an identity map of guest memory with per-page permissions, ring 3's and ring 0's, and guard pages on request.
 *
 * The tender's page tables map everything read-write and executable, for
 * ring 0 only; these enforce, in the guest itself (KVM's host-side
 * permissions are not reliable on every host, see SOLO5-ABI.md):
 *
 *   0 - 0xffff            not present (page 0, the tender's tables)
 *   0x10000 - low_end     read-only, no-execute (boot info, manifest,
 *                         command line); not present above, to 0xfffff
 *   text                  read-only, executable
 *   rodata, TLS template  read-only, no-execute
 *   data, bss             read-write, no-execute
 *   ring-0 pages          read-write, no-execute, ring 0 only (_skernel..)
 *   guard                 not present (below the initial stack)
 *   stack, heap           read-write, no-execute
 *   page-table reserve    read-write, no-execute, ring 0 only (at the top
 *                         of memory)
 *   net ring              read-write, no-execute (above memory, if the
 *                         tender offers one: its 2 MiB regions)
 *
 * Everything but the ring-0 pages and the reserve is also ring 3's (the
 * U/S bit at every level), and ring 3 is where everything but boot and
 * the trap handler runs (hvt.h), so its page tables are out of its reach.
 *
 * The 2 MiB regions that hold the image (and the start of the heap) are
 * mapped with 4 KiB pages, and so is the region where the reserve starts
 * if it does not start one (its heap part is ring 3's, the rest ring 0's);
 * the rest of memory with 2 MiB pages, the heap's lazily: a region's entry
 * is written on the first page fault in it (hvt_mmu_fault), so boot
 * writes a few dozen entries whatever the memory size (every guest memory
 * access is costly under shadow paging). Every 2 MiB region owns one
 * page-table page in the reserve, used when it must be split because a
 * guard page is asked for inside it (riad_base_guard_pages: fiber stacks).
 * The reserve costs 1/512 of memory and its pages are only touched when
 * used.
 *
 * Boot (hvt.h) writes those tables in three steps, so that ring 0, which
 * some hosts emulate one instruction at a time, writes only a few dozen
 * entries: step A (ring 0) loads the final PML4 and PDPT with bootstrap
 * page-directory entries that map the image's regions and the reserve's
 * with 2 MiB pages ring 3 may use for everything; step B (ring 3) writes
 * the 4 KiB entries into page tables not yet in use; step C (ring 0) links
 * them in, makes the reserve ring 0's and reloads CR3.
 */
#include "hvt.h"
#include "../riad_base.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PS 0x80ull
#define PTE_NX hvt_pte_nx /* 1 << 63, or 0 on a CPU without NX (cpu.c) */
#define ENTRIES 512u
#define SIZE_4K 0x1000ull
#define SIZE_2M 0x200000ull

/* The layout, set in step A. pds, lazy_lo and lazy_hi are also read by
 * trap.S, which maps heap regions on ring 3's first touch. */
#define pds hvt_mmu_pds
#define lazy_lo hvt_mmu_lazy_lo
#define lazy_hi hvt_mmu_lazy_hi
uint64_t *pds HVT_KERNEL; /* all page directories, contiguous: pds[r] maps region r */
static uint64_t *pts HVT_KERNEL; /* one page table per region: pts + r * ENTRIES */
static uintptr_t heap_lo HVT_KERNEL, heap_hi HVT_KERNEL, low_end HVT_KERNEL;
static uint64_t regions HVT_KERNEL;
static uint64_t low HVT_KERNEL;      /* regions [0, low) hold the image: 4 KiB pages */
static uint64_t split HVT_KERNEL;    /* the region where the reserve starts, if 4 KiB pages; or 0 */
static uint64_t ring_lo HVT_KERNEL, ring_hi HVT_KERNEL; /* the net ring's regions, or 0, 0 */
uint64_t lazy_lo HVT_KERNEL, lazy_hi HVT_KERNEL; /* regions mapped on first touch */
static bool activated HVT_KERNEL;

/* Map [start, end) with 4 KiB pages and these permissions, in the regions
 * that have them (whose page tables are contiguous in pts). */
static void map_4k(uintptr_t start, uintptr_t end, uint64_t flags)
{
	for (uintptr_t a = start; a < end; a += SIZE_4K)
		pts[a / SIZE_4K] = a | flags;
}

__attribute__((no_stack_protector)) uintptr_t hvt_mmu_init(uint64_t mem_size, uintptr_t heap_start,
							    uintptr_t boot_end, uintptr_t ring)
{
	low_end = BASE_ALIGN_UP(boot_end, SIZE_4K);
	uint64_t mem = mem_size & ~(SIZE_2M - 1);
	regions = mem / SIZE_2M;
	low = BASE_ALIGN_UP(heap_start, SIZE_2M) / SIZE_2M;
	if (ring) { /* at or above mem_size: its regions come after memory's */
		ring_lo = ring / SIZE_2M;
		ring_hi = (ring + sizeof(struct riad_hvt_ring) + SIZE_2M - 1) / SIZE_2M;
	}
	uint64_t npd = ((ring_hi > regions ? ring_hi : regions) + ENTRIES - 1) / ENTRIES;
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
	if (low_end > 0x100000 || (uintptr_t)_eguard > low * SIZE_2M)
		base_abort(__FILE__, "the boot information or the image is out of place");
	pml4[0] = (uintptr_t)pdpt | PTE_P | PTE_RW | PTE_US;
	for (uint64_t i = 0; i < npd; i++)
		pdpt[i] = (uintptr_t)(pds + i * ENTRIES) | PTE_P | PTE_RW | PTE_US;
	/* Bootstrap entries (no NX: EFER.NXE may be off until step C). */
	uint64_t r0 = reserve / SIZE_2M;
	for (uint64_t r = 0; r < low; r++)
		pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_US | PTE_PS;
	for (uint64_t r = r0 < low ? low : r0; r < regions; r++)
		pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_US | PTE_PS;
	for (uint64_t r = ring_lo; r < ring_hi; r++)
		pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_US | PTE_PS;
	split = (reserve % SIZE_2M) && r0 >= low ? r0 : 0;
	lazy_lo = low;
	lazy_hi = r0;
	heap_lo = heap_start;
	heap_hi = reserve;
	__asm__ volatile("movq %0, %%cr3" : : "r"(pml4) : "memory");
	return reserve;
}

/* Step B: one loop per range, not a test per page. The rest of each page
 * table is 0, not present: page 0, the tender's area, the guard page. */
void hvt_mmu_build(void)
{
	const uint64_t user = PTE_P | PTE_US, kernel = PTE_P;
	uintptr_t low_top = (uintptr_t)(low * SIZE_2M);
	map_4k(0x10000, low_end, user | PTE_NX);
	map_4k(0x100000, (uintptr_t)_srodata, user);
	map_4k((uintptr_t)_srodata, (uintptr_t)_sdata, user | PTE_NX);
	map_4k((uintptr_t)_sdata, (uintptr_t)_stdata, user | PTE_RW | PTE_NX);
	map_4k((uintptr_t)_stdata, (uintptr_t)_skernel, user | PTE_NX);
	map_4k((uintptr_t)_skernel, (uintptr_t)_ekernel, kernel | PTE_RW | PTE_NX);
	map_4k((uintptr_t)_sbss, (uintptr_t)_sguard, user | PTE_RW | PTE_NX);
	if (heap_hi < low_top) { /* the reserve starts in the image's regions */
		map_4k((uintptr_t)_eguard, heap_hi, user | PTE_RW | PTE_NX);
		map_4k(heap_hi, low_top, kernel | PTE_RW | PTE_NX);
	} else {
		map_4k((uintptr_t)_eguard, low_top, user | PTE_RW | PTE_NX);
	}
	if (split) {
		map_4k((uintptr_t)(split * SIZE_2M), heap_hi, user | PTE_RW | PTE_NX);
		map_4k(heap_hi, (uintptr_t)((split + 1) * SIZE_2M), kernel | PTE_RW | PTE_NX);
	}
}

void hvt_mmu_activate(void)
{
	if (activated)
		return;
	activated = true;
	hvt_cpu_enable_nx();
	for (uint64_t r = 0; r < low; r++)
		pds[r] = (uintptr_t)(pts + r * ENTRIES) | PTE_P | PTE_RW | PTE_US;
	uint64_t r = heap_hi / SIZE_2M < low ? low : heap_hi / SIZE_2M;
	if (split) {
		pds[split] = (uintptr_t)(pts + split * ENTRIES) | PTE_P | PTE_RW | PTE_US;
		r = split + 1;
	}
	for (; r < regions; r++) /* the reserve's other regions: ring 0's */
		pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_PS | PTE_NX;
	for (r = ring_lo; r < ring_hi; r++)
		pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_US | PTE_PS | PTE_NX;
	uint64_t cr3;
	__asm__ volatile("movq %%cr3, %0" : "=r"(cr3));
	__asm__ volatile("movq %0, %%cr3" : : "r"(cr3) : "memory");
}

/* trap.S does the same for faults in ring 3, without coming here. */
bool hvt_mmu_fault(uint64_t addr, uint64_t ec)
{
	uint64_t r = addr / SIZE_2M;
	if ((ec & PTE_P) || r < lazy_lo || r >= lazy_hi || pds[r] != 0)
		return false;
	pds[r] = r * SIZE_2M | PTE_P | PTE_RW | PTE_US | PTE_PS | PTE_NX;
	return true;
}

/* pt[i] = first + i * 4 KiB for the whole page table: two instructions an
 * entry, against six for the compiler's loop (ring 0 may be emulated one
 * instruction at a time). */
_Static_assert(ENTRIES % 8 == 0, "fill_pt writes 8 entries a turn");

static void fill_pt(uint64_t *pt, uint64_t first)
{
	uint64_t *end = pt + ENTRIES;
	__asm__ volatile("1:\n\t"
			 "movq %[v], 0(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 8(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 16(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 24(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 32(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 40(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 48(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "movq %[v], 56(%[p])\n\t"
			 "addq %[step], %[v]\n\t"
			 "addq $64, %[p]\n\t"
			 "cmpq %[end], %[p]\n\t"
			 "jne 1b"
			 : [p] "+r"(pt), [v] "+r"(first)
			 : [step] "r"(SIZE_4K), [end] "r"(end)
			 : "cc", "memory");
}

int hvt_mmu_guard_pages(uintptr_t addr, size_t len, bool guard)
{
	if ((addr | len) & (SIZE_4K - 1) || addr < heap_lo || len > heap_hi - addr)
		base_abort(__FILE__, "guard pages asked for outside the heap");
	const uint64_t rw = PTE_P | PTE_RW | PTE_US | PTE_NX;
	bool flush = false;
	for (uintptr_t a = addr; a < addr + len; a += SIZE_4K) {
		uint64_t r = a / SIZE_2M;
		uint64_t *pt = pts + r * ENTRIES;
		if (pds[r] == 0 || (pds[r] & PTE_PS)) { /* not mapped yet, or 2 MiB */
			fill_pt(pt, r * SIZE_2M | rw); /* the flags' bits stay as they are */
			pds[r] = (uintptr_t)pt | PTE_P | PTE_RW | PTE_US;
			flush = true;
		}
		pt[(a / SIZE_4K) % ENTRIES] = guard ? 0 : (a | rw);
		if (!flush)
			__asm__ volatile("invlpg (%0)" : : "r"(a) : "memory");
	}
	if (flush) {
		/* A 2 MiB mapping became a table: flush everything. */
		uint64_t cr3;
		__asm__ volatile("movq %%cr3, %0" : "=r"(cr3));
		__asm__ volatile("movq %0, %%cr3" : : "r"(cr3) : "memory");
	}
	return 0;
}

int riad_base_guard_pages(uintptr_t addr, size_t len, bool guard)
{
	return (int)hvt_privcall(HVT_PRIV_GUARD_PAGES, addr, len, guard);
}
