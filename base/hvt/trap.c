/* base/hvt/trap.c: what a CPU exception does: one line describing it, "ABORT", and HALT with status 255 and the trap frame as the cookie (for the tender's core dump); except a heap region's first touch, which mmu.c maps; and the privileged calls.
 *
 * This runs in ring 0 on the IST1 stack, with interrupts off, whichever
 * ring trapped. Everything it keeps is in the ring-0 pages. The #GPs
 * that ring 3's privileged operations cause (a wrmsr of the FS base, a
 * privileged call) are performed by trap.S, which comes here only for
 * the others.
 */
#include "hvt.h"

/* The stack trap.S builds: general registers, vector, error code, then
 * what the CPU pushed. */
struct trap_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, ec;
	uint64_t rip, cs, rflags, rsp, ss;
};

void hvt_trap(struct trap_regs *r);

#define VEC_PF 14

static const char *const names[32] = {
	"#DE", "#DB", "#NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
	"#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	"#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

/* At least RIAD_HVT_HALT_COOKIE_MAX bytes, as the HALT hypercall wants. */
static uint64_t cookie[RIAD_HVT_HALT_COOKIE_MAX / sizeof(uint64_t)] HVT_KERNEL;
static int in_trap HVT_KERNEL;

long hvt_priv_run(uint64_t a, uint64_t b, uint64_t c, uint64_t op)
{
	switch (op) {
	case HVT_PRIV_MMU_ACTIVATE:
		hvt_mmu_activate();
		return 0;
	case HVT_PRIV_GUARD_PAGES:
		return hvt_mmu_guard_pages((uintptr_t)a, (size_t)b, c != 0);
	default:
		return -1;
	}
}

void hvt_trap(struct trap_regs *r)
{
	uint64_t cr2;
	__asm__ volatile("movq %%cr2, %0" : "=r"(cr2));
	if (r->vector == VEC_PF && !in_trap && hvt_mmu_fault(cr2, r->ec))
		return;
	if (in_trap++)
		hvt_halt(SOLO5_EXIT_ABORT, 0); /* a trap while reporting one */

	const char *name = r->vector < 32 ? names[r->vector] : "?";
	if (r->vector == VEC_PF)
		base_log(BASE_LOG_ERROR, "trap: type=%s ec=0x%lx rip=0x%lx rsp=0x%lx rflags=0x%lx cr2=0x%lx",
			 name, (unsigned long)r->ec, (unsigned long)r->rip, (unsigned long)r->rsp,
			 (unsigned long)r->rflags, (unsigned long)cr2);
	else
		base_log(BASE_LOG_ERROR, "trap: type=%s ec=0x%lx rip=0x%lx rsp=0x%lx rflags=0x%lx",
			 name, (unsigned long)r->ec, (unsigned long)r->rip, (unsigned long)r->rsp,
			 (unsigned long)r->rflags);
	base_log(BASE_LOG_ERROR, "ABORT: %s: Fatal trap", __FILE__);

	struct riad_hvt_trap_frame *f = (struct riad_hvt_trap_frame *)cookie;
	f->cr2 = cr2;
	f->ec = r->ec;
	f->rip = r->rip;
	f->cs = r->cs;
	f->rflags = r->rflags;
	f->rsp = r->rsp;
	f->ss = r->ss;
	hvt_halt(SOLO5_EXIT_ABORT, cookie);
}
