/* base/hvt/hvt.h: what the hvt base's files share (private to base/hvt): hypercalls, the two rings, the CPU set-up, the page tables, the clock.
 *
 * Rings. Only boot, the trap handler and a few privileged operations run
 * in ring 0; everything else (the rest of the bindings, the runtime, the
 * libc, the application) runs in ring 3, because some hosts (kvm-pvm)
 * emulate every guest ring-0 instruction in software while they run ring
 * 3 natively. Start-up (boot.c) has three steps:
 *
 *   A, ring 0 (_start, hvt_boot): the descriptor tables (hvt_cpu_init)
 *      and a bootstrap page table (hvt_mmu_init), a few dozen stores;
 *      then down to ring 3 (hvt_enter_user).
 *   B, ring 3 (hvt_user_entry, hvt_boot_user): the IDT's gates and the
 *      TSS's I/O bitmap (hvt_cpu_user_init), the stack protector, the
 *      page tables' entries (hvt_mmu_build), at native speed.
 *   C, ring 0 (hvt_privcall HVT_PRIV_MMU_ACTIVATE): switch to the final
 *      page tables, in which the ring-0 state and the page tables are
 *      out of ring 3's reach; then back in ring 3: the clock, base_boot.
 *
 * Ring 3 reaches ring 0 only through traps on the IDT (cpu.c, trap.S,
 * trap.c): a hypercall's outl needs nothing (the TSS's I/O bitmap allows
 * the hypercall ports); a page fault may map a heap region; a #GP on
 * wrmsr of the FS base or on hlt (the privileged call below) is performed
 * in ring 0 and returns; every other trap is reported and halts.
 */
#ifndef RIAD_BASE_HVT_H
#define RIAD_BASE_HVT_H

#include "../common/base.h"

#include "abi/hvt.h"
#include "ring.h"

/* Ring-0 state: in the pages _skernel.._ekernel (solo5_hvt.lds), which
 * the final page tables map for ring 0 only. Never give such a variable
 * an initialiser (the section holds no file contents). */
#define HVT_KERNEL __attribute__((section(".bss.riad_hvt_kernel")))
extern char _skernel[], _ekernel[];

/* Whether this code runs in ring 3 (the current privilege level is the
 * low two bits of CS). */
static inline bool hvt_ring3(void)
{
	uint16_t cs;
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	return (cs & 3) != 0;
}

/* Performs privileged call op with its arguments, in ring 0; returns its
 * result, or -1 for an unknown op. Ring 3's calls reach it from the #GP
 * handler (trap.S); ring 0 calls it directly. */
long hvt_priv_run(uint64_t a, uint64_t b, uint64_t c, uint64_t op);

/* A privileged call (HVT_PRIV_*, ring.h) from either ring. From ring 3 it
 * is a hlt, which faults (#GP) there on every x86 CPU and hypervisor
 * before any VM exit; the #GP handler performs the call (op in RAX,
 * arguments in RDI, RSI, RDX), puts the result in RAX and resumes after
 * the hlt. Like a function call, it may change the other caller-saved
 * registers, which spares the handler saving them. */
static inline long hvt_privcall(uint64_t op, uint64_t a, uint64_t b, uint64_t c)
{
	if (!hvt_ring3())
		return hvt_priv_run(a, b, c, op);
	long r;
	__asm__ volatile("hlt"
			 : "=a"(r), "+D"(a), "+S"(b), "+d"(c)
			 : "0"(op)
			 : "rcx", "r8", "r9", "r10", "r11", "cc", "memory");
	return r;
}

/* Hypercall n: a 32-bit OUT of the argument struct's address to port
 * 0x500 + n (riad's own, such as ENTROPY, to their port: hvt_port_call).
 * The struct lives in guest memory below 4 GiB (all of it is); the tender
 * writes the results back into it before the vCPU resumes. It works
 * unchanged in ring 3: the TSS's I/O bitmap allows Solo5's ports 0x500 -
 * 0x50b and riad's (cpu.c). */
static inline void hvt_port_call(uint16_t port, volatile void *arg)
{
	__asm__ volatile("outl %0, %1"
			 :
			 : "a"((uint32_t)(uintptr_t)arg), "d"(port)
			 : "memory");
}

static inline void hvt_hypercall(unsigned n, volatile void *arg)
{
	hvt_port_call((uint16_t)(RIAD_HVT_HYPERCALL_PIO_BASE + n), arg);
}

/* The HALT hypercall: ends the guest with status; cookie is 0 or at least
 * RIAD_HVT_HALT_COOKIE_MAX bytes for the tender's halt hooks. */
void hvt_halt(int status, void *cookie) __attribute__((noreturn));

/* Step A: called by _start in ring 0 on the image's stack; ends with
 * hvt_enter_user(). */
void hvt_boot(const void *boot_info) __attribute__((noreturn));

/* Leaves step A: moves to the top of the image's stack and runs
 * hvt_user_entry(boot_info) (start.S) there, in ring 3 with the ring-3
 * segments, or, if ring0 is true, in ring 0 (a build that keeps the
 * whole guest in ring 0, for comparisons only: see boot.c). */
void hvt_enter_user(const void *boot_info, bool ring0) __attribute__((noreturn));

/* Step B, on the image's stack after hvt_user_entry has set up the IDT
 * and the stack protector; never returns. */
void hvt_boot_user(const void *boot_info) __attribute__((noreturn));

/* Step A: loads the guest's own GDT (ring-0 and ring-3 segments and a TSS
 * whose IST1 stack serves every trap) and IDT (its gates are written in
 * step B), turns on write protection in ring 0, turns off whatever would
 * stop ring 3 from reading the TSC or ring 0 from reading ring 3's pages
 * (CR4.TSD, SMEP, SMAP), and clears the FS base. */
void hvt_cpu_init(void);

/* Step B, first thing in ring 3: the IDT's gates and the TSS's I/O
 * permission bitmap; whether the CPU has no-execute pages (hvt_pte_nx). */
void hvt_cpu_user_init(void);

/* Step C: turns on no-execute pages (EFER.NXE) if hvt_pte_nx says so. */
void hvt_cpu_enable_nx(void);

/* The no-execute bit for page table entries: bit 63, or 0 if the CPU has
 * no NX (then the bit would be reserved and every access would fault). */
extern uint64_t hvt_pte_nx;

/* Step A: lays out identity-mapped page tables for [0, mem_size),
 * reserving their memory at the top, and loads a bootstrap version of
 * them in which ring 3 may read, write and execute the image, the boot
 * information and the reserve. [0x10000, boot_end) is what the tender
 * wrote below the image (boot info, manifest, command line). ring is 0,
 * or the address of the tender's net ring, at or above mem_size (boot.c
 * checks it), whose 2 MiB regions are mapped too: for ring 3, read-write
 * and, once step C has run, no-execute. Returns the end of the heap (the
 * start of the reserve). */
uintptr_t hvt_mmu_init(uint64_t mem_size, uintptr_t heap_start, uintptr_t boot_end,
		       uintptr_t ring);

/* Step B: writes the final page tables' 4 KiB entries (the image with its
 * permissions, see mmu.c), which are not in use yet. */
void hvt_mmu_build(void);

/* Step C (HVT_PRIV_MMU_ACTIVATE, ring 0): links them in and loads them.
 * Later calls do nothing. */
void hvt_mmu_activate(void);

/* A page fault at addr with error code ec: if it is the first touch of a
 * heap region whose mapping was deferred, maps it and returns true (the
 * instruction can be run again); else false. Called by the trap handler
 * for faults in ring 0 (trap.S handles ring 3's itself). */
bool hvt_mmu_fault(uint64_t addr, uint64_t ec);

/* For trap.S: the page directories and the regions [lazy_lo, lazy_hi) that
 * are mapped on first touch. */
extern uint64_t *hvt_mmu_pds;
extern uint64_t hvt_mmu_lazy_lo, hvt_mmu_lazy_hi;

/* riad_base_guard_pages() in ring 0 (HVT_PRIV_GUARD_PAGES). */
int hvt_mmu_guard_pages(uintptr_t addr, size_t len, bool guard);

/* The net ring (net.c), in step B: ring is the tender's struct
 * riad_hvt_ring, mapped for ring 3 (hvt_mmu_init), and bufs
 * HVT_NET_RING_BUFS bytes of guest memory that the frames written through
 * it are copied to; with either 0 every frame is a hypercall. */
#define HVT_NET_RING_BUFS ((uintptr_t)RIAD_HVT_RING_SIZE * RIAD_HVT_RING_BUF_SIZE)
void hvt_net_init(uintptr_t ring, uintptr_t bufs);

/* The TSC-based monotonic clock, given the tender's TSC frequency. */
void hvt_clock_init(uint64_t tsc_hz);

static inline uint64_t hvt_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

/* In ring 3 only for HVT_MSR_FS_BASE (the trap handler performs it). */
static inline void hvt_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* An address the CPU accepts as a segment base: bits 63..47 all equal. */
static inline bool hvt_canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

#define HVT_EFER_NXE (1ull << 11)
#define HVT_CR0_WP (1ull << 16)
#define HVT_CR4_TSD (1ull << 2)
#define HVT_CR4_SMEP (1ull << 20)
#define HVT_CR4_SMAP (1ull << 21)

#endif
