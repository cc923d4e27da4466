/* tender/hvt/hvt_cpu_x86_64.c: the x86_64 vCPU at boot: GDT, identity-mapped page tables, CPUID, control and segment registers, TSC frequency. */
#include "hvt.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/procfs.h>
#include <sys/user.h>

/* Guest physical layout of the boot structures (SOLO5-ABI.md 4.3). */
#define GDT_BASE 0x1000u
#define PML4_BASE 0x2000u
#define PDPT_BASE 0x3000u
#define PD_BASE 0x4000u /* 4 page directories: 4 GiB of 2 MiB pages */
#define PT0_BASE 0x8000u /* 4 KiB pages for the first 2 MiB */
#define PD_COUNT 4u

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)

#define CR0_PE (1ull << 0)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/* Boot GDT: null, 64-bit code (execute-only, accessed), data (RW,
 * accessed). */
#define GDT_CODE 0x00AF99000000FFFFull
#define GDT_DATA 0x00CF93000000FFFFull
#define SEL_CODE 0x08
#define SEL_DATA 0x10

/* Pages below this are not mapped; from here to the image they are
 * read-only (boot info, manifest, command line). */
#define LOW_UNMAPPED_END RIAD_HVT_BOOT_INFO_BASE

_Static_assert(PT0_BASE + 0x1000 <= RIAD_HVT_BOOT_INFO_BASE, "boot structures below boot info");
_Static_assert(sizeof(uint64_t) * 3 <= 0x1000, "GDT fits its page");

static void put64(struct hvt *h, uint64_t gpa, uint64_t v)
{
	memcpy(guest_ptr(&h->mem, gpa, 8), &v, 8); /* below 0x10000: always in memory */
}

static void write_gdt(struct hvt *h)
{
	put64(h, GDT_BASE + 0, 0);
	put64(h, GDT_BASE + SEL_CODE, GDT_CODE);
	put64(h, GDT_BASE + SEL_DATA, GDT_DATA);
}

/* Identity map of the whole allocation (the ring, if any, included). */
static void write_page_tables(struct hvt *h)
{
	uint64_t alloc = h->mem.size;

	put64(h, PML4_BASE, PDPT_BASE | PTE_P | PTE_RW);
	for (uint64_t i = 0; i < PD_COUNT; i++)
		put64(h, PDPT_BASE + i * 8, (PD_BASE + i * 0x1000) | PTE_P | PTE_RW);
	put64(h, PD_BASE, PT0_BASE | PTE_P | PTE_RW);
	for (uint64_t a = HVT_MEM_ALIGN; a < alloc; a += HVT_MEM_ALIGN)
		put64(h, PD_BASE + (a / HVT_MEM_ALIGN) * 8, a | PTE_P | PTE_RW | PTE_PS);
	for (uint64_t a = LOW_UNMAPPED_END; a < HVT_MEM_ALIGN; a += 0x1000) {
		uint64_t pte = a | PTE_P;

		if (a >= RIAD_HVT_GUEST_MIN_BASE)
			pte |= PTE_RW;
		put64(h, PT0_BASE + (a / 0x1000) * 8, pte);
	}
}

/* Every CPUID leaf KVM supports, passed through; *nx tells whether the
 * guest may set EFER.NXE. */
static int set_cpuid(struct hvt *h, bool *nx, struct tender_error *err)
{
	struct kvm_cpuid2 *c = NULL;
	uint32_t n = 128;

	for (;;) {
		free(c);
		c = calloc(1, sizeof *c + n * sizeof c->entries[0]);
		if (c == NULL)
			return error_set(err, "out of memory for CPUID");
		c->nent = n;
		if (ioctl(h->kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		if (errno != E2BIG || n >= 8192) {
			int e = errno;
			free(c);
			return error_set(err, "KVM_GET_SUPPORTED_CPUID: %s", strerror(e));
		}
		n *= 2;
	}
	*nx = false;
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0x80000001u && (c->entries[i].edx & (1u << 20)))
			*nx = true;
	if (ioctl(h->vcpu, KVM_SET_CPUID2, c) < 0) {
		int e = errno;
		free(c);
		return error_set(err, "KVM_SET_CPUID2: %s", strerror(e));
	}
	free(c);
	return 0;
}

static struct kvm_segment segment(uint16_t selector, uint8_t type, uint8_t l, uint8_t db)
{
	struct kvm_segment s = {
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = db,
		.s = 1,
		.l = l,
		.g = 1,
	};
	return s;
}

/* The memory type stays as KVM resets it (MTRRs disabled, PAT at its
 * power-on value): enabling the MTRRs with write-back as the default type
 * changed nothing on kvm-pvm, where guest memory is cached either way (a
 * ring-3 loop runs at host speed) and what is slow is guest ring 0 itself,
 * which that host emulates in software (0.6 to 5 us an instruction,
 * memory or not) while it runs ring 3 natively
 * (tests/tender/hvt_memspeed.S measures both rings). */
static int set_sregs(struct hvt *h, bool nx, struct tender_error *err)
{
	struct kvm_sregs s;

	if (ioctl(h->vcpu, KVM_GET_SREGS, &s) < 0)
		return error_set(err, "KVM_GET_SREGS: %s", strerror(errno));
	s.cr0 = CR0_PE | CR0_NE | CR0_WP | CR0_PG;
	s.cr3 = PML4_BASE;
	s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	/* NXE on (beyond Solo5) when the CPU has it: our page tables set no NX
	 * bit, but a guest that builds its own may mark data non-executable. */
	s.efer = EFER_LME | EFER_LMA | (nx ? EFER_NXE : 0);
	s.cs = segment(SEL_CODE, 9, 1, 0);
	s.ds = segment(SEL_DATA, 3, 0, 1);
	s.es = s.ds;
	s.fs = s.ds;
	s.gs = s.ds;
	s.ss = s.ds;
	memset(&s.tr, 0, sizeof s.tr);
	s.tr.type = 11;
	s.tr.present = 1;
	memset(&s.ldt, 0, sizeof s.ldt);
	s.ldt.unusable = 1;
	s.gdt.base = GDT_BASE;
	s.gdt.limit = 3 * 8 - 1;
	s.idt.base = 0;
	s.idt.limit = 0;
	if (ioctl(h->vcpu, KVM_SET_SREGS, &s) < 0)
		return error_set(err, "KVM_SET_SREGS: %s", strerror(errno));
	return 0;
}

static int get_tsc(struct hvt *h, struct tender_error *err)
{
	int khz = ioctl(h->vcpu, KVM_GET_TSC_KHZ, 0);

	if (khz < 0 && errno == EIO)
		return error_set(err, "the host's TSC is unstable; the guest's clock needs a "
				      "stable one");
	if (khz <= 0)
		return error_set(err, "KVM_GET_TSC_KHZ: %s", khz < 0 ? strerror(errno) : "0 kHz");
	h->tsc_hz = (uint64_t)khz * 1000;
	return 0;
}

int hvt_cpu_init(struct hvt *h, uint64_t entry, struct tender_error *err)
{
	struct kvm_regs r;
	bool nx = false;

	write_gdt(h);
	write_page_tables(h);
	if (set_cpuid(h, &nx, err) < 0 || set_sregs(h, nx, err) < 0 || get_tsc(h, err) < 0)
		return -1;
	memset(&r, 0, sizeof r);
	r.rip = entry;
	r.rflags = 0x2; /* interrupts off */
	r.rsp = h->mem_size - 8; /* (rsp + 8) 16-aligned, as at a call */
	r.rdi = RIAD_HVT_BOOT_INFO_BASE;
	if (ioctl(h->vcpu, KVM_SET_REGS, &r) < 0)
		return error_set(err, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}

void hvt_cpu_where(const struct hvt *h, char *buf, size_t size)
{
	struct kvm_regs r;

	if (ioctl(h->vcpu, KVM_GET_REGS, &r) < 0) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "rip=0x%llx rsp=0x%llx", (unsigned long long)r.rip,
		 (unsigned long long)r.rsp);
}

/* gdb reads pr_reg as the kernel's user_regs_struct. */
_Static_assert(sizeof(struct user_regs_struct) == sizeof(elf_gregset_t), "user_regs_struct");
_Static_assert(sizeof(struct elf_prstatus) == 336, "x86_64 elf_prstatus");
_Static_assert(offsetof(struct elf_prstatus, pr_reg) == 112, "x86_64 pr_reg");

int hvt_cpu_prstatus(const struct hvt *h, uint64_t cookie, struct elf_prstatus *st)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	struct user_regs_struct u;

	if (ioctl(h->vcpu, KVM_GET_REGS, &r) < 0 || ioctl(h->vcpu, KVM_GET_SREGS, &s) < 0)
		return -1;
	memset(&u, 0, sizeof u);
	u.r15 = r.r15, u.r14 = r.r14, u.r13 = r.r13, u.r12 = r.r12;
	u.rbp = r.rbp, u.rbx = r.rbx, u.r11 = r.r11, u.r10 = r.r10;
	u.r9 = r.r9, u.r8 = r.r8, u.rax = r.rax, u.rcx = r.rcx;
	u.rdx = r.rdx, u.rsi = r.rsi, u.rdi = r.rdi;
	u.orig_rax = ~0ull; /* not in a system call: gdb must not restart one */
	u.rip = r.rip, u.eflags = r.rflags, u.rsp = r.rsp;
	u.cs = s.cs.selector, u.ss = s.ss.selector, u.ds = s.ds.selector;
	u.es = s.es.selector, u.fs = s.fs.selector, u.gs = s.gs.selector;
	u.fs_base = s.fs.base, u.gs_base = s.gs.base;
	if (cookie != 0) {
		/* The guest's trap handler saw the faulting instruction; the
		 * vCPU itself stopped in the handler's HALT. The cookie was
		 * checked (512 readable bytes) when HALT was served. */
		struct riad_hvt_trap_frame f;

		memcpy(&f, hvt_guest_in(h, cookie, sizeof f, "HALT cookie"), sizeof f);
		u.rip = f.rip, u.cs = f.cs, u.eflags = f.rflags, u.rsp = f.rsp, u.ss = f.ss;
	}
	memcpy(&st->pr_reg, &u, sizeof u);
	return 0;
}
