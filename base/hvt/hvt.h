/* base/hvt/hvt.h: what the hvt base's files share (private to base/hvt): hypercalls, the CPU set-up, the page tables, the clock. */
#ifndef RIAD_BASE_HVT_H
#define RIAD_BASE_HVT_H

#include "../common/base.h"

#include "abi/hvt.h"

/* Hypercall n: a 32-bit OUT of the argument struct's address to port
 * 0x500 + n. The struct lives in guest memory below 4 GiB (all of it is);
 * the tender writes the results back into it before the vCPU resumes. */
static inline void hvt_hypercall(unsigned n, volatile void *arg)
{
	__asm__ volatile("outl %0, %1"
			 :
			 : "a"((uint32_t)(uintptr_t)arg),
			   "d"((uint16_t)(RIAD_HVT_HYPERCALL_PIO_BASE + n))
			 : "memory");
}

/* The HALT hypercall: ends the guest with status; cookie is 0 or at least
 * RIAD_HVT_HALT_COOKIE_MAX bytes for the tender's halt hooks. */
void hvt_halt(int status, void *cookie) __attribute__((noreturn));

/* Called by _start on its own stack; never returns. */
void hvt_boot(const void *boot_info) __attribute__((noreturn));

/* Loads the guest's own GDT (with a TSS whose IST1 stack serves every
 * trap), IDT, turns on write protection in ring 0 and no-execute pages
 * (setting hvt_pte_nx), and clears the FS base. */
void hvt_cpu_init(void);

/* The no-execute bit for page table entries: bit 63, or 0 if the CPU has
 * no NX (then the bit would be reserved and every access would fault). */
extern uint64_t hvt_pte_nx;

/* Builds identity-mapped page tables for [0, mem_size) with the image's
 * permissions (see mmu.c), reserving their memory at the top, and loads
 * them. [0x10000, boot_end) is what the tender wrote below the image (boot
 * info, manifest, command line). Returns the end of the heap (the start of
 * the reserve). */
uintptr_t hvt_mmu_init(uint64_t mem_size, uintptr_t heap_start, uintptr_t boot_end);

/* A page fault at addr with error code ec: if it is the first touch of a
 * heap region whose mapping was deferred, maps it and returns true (the
 * instruction can be run again); else false. Called by the trap handler. */
bool hvt_mmu_fault(uint64_t addr, uint64_t ec);

/* The TSC-based monotonic clock, given the tender's TSC frequency. */
void hvt_clock_init(uint64_t tsc_hz);

static inline uint64_t hvt_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void hvt_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#define HVT_MSR_EFER 0xc0000080u
#define HVT_MSR_FS_BASE 0xc0000100u
#define HVT_EFER_NXE (1ull << 11)
#define HVT_CR0_WP (1ull << 16)

#endif
