/* base/hvt/cpu.c: the guest's own descriptor tables: a GDT with ring-0 and ring-3 segments and a 64-bit TSS (whose I/O bitmap lets ring 3 make hypercalls), an IDT whose every exception runs in ring 0 on the TSS's IST1 stack; no-execute pages; the FS base.
 *
 * The tender's GDT (at 0x1000) lies in memory the guest's page tables do
 * not map, so the guest loads its own before switching to them. There
 * are never interrupts (RFLAGS.IF stays 0), so only the 32 exception
 * vectors have gates, all DPL 0 (an int instruction in ring 3 is a #GP);
 * anything else would hit the IDT limit and become a #GP, which is
 * handled like every trap.
 *
 * All of it lives in the ring-0 pages (HVT_KERNEL). Step A (ring 0)
 * writes only what loading the tables needs; the 32 gates and the I/O
 * bitmap's 194 bytes are written in step B by ring 3, at native speed,
 * through the bootstrap page tables (hvt.h); until then a trap would find
 * no gate and reset the guest, so step B writes them first.
 */
#include "hvt.h"
#include "../common/cpu_x86_64.h"

#define TRAP_VECTORS 32
#define IST_STACK_SIZE 16384
/* Ports with a bit in the I/O permission bitmap: 0 to 0x607. Every port
 * above lies beyond the TSS's limit, which refuses it too. */
#define IOMAP_PORTS 0x608

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
	/* One bit per port, 0 = allowed; then a byte of ones, which the CPU
	 * may read past the last port's byte. */
	uint8_t iomap[IOMAP_PORTS / 8 + 1];
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct tss64, iomap) == 104, "TSS size");

struct gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
};
_Static_assert(sizeof(struct gate) == 16, "IDT gate size");

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t hvt_trap_stubs[TRAP_VECTORS];

uint64_t hvt_pte_nx HVT_KERNEL;
static bool nxe_on HVT_KERNEL; /* EFER.NXE already set, by the tender */

static uint64_t gdt[7] HVT_KERNEL __attribute__((aligned(16)));
static struct tss64 tss HVT_KERNEL __attribute__((aligned(16)));
static struct gate idt[TRAP_VECTORS] HVT_KERNEL __attribute__((aligned(16)));
static uint8_t ist_stack[IST_STACK_SIZE] HVT_KERNEL __attribute__((aligned(16)));

__attribute__((no_stack_protector)) void hvt_cpu_init(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	gdt[HVT_SEL_KCODE >> 3] = 0x00af9b000000ffffull; /* code, 64-bit, DPL 0 */
	gdt[HVT_SEL_KDATA >> 3] = 0x00cf93000000ffffull; /* data, read-write, DPL 0 */
	gdt[HVT_SEL_TSS >> 3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
				0x89ull << 40 | /* present, 64-bit TSS (available) */
				((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[(HVT_SEL_TSS >> 3) + 1] = base >> 32;
	gdt[HVT_SEL_UDATA >> 3] = 0x00cff3000000ffffull; /* data, read-write, DPL 3 */
	gdt[HVT_SEL_UCODE >> 3] = 0x00affb000000ffffull; /* code, 64-bit, DPL 3 */
	/* Every trap, from either ring, on IST1 (RSP0 too, should a gate
	 * ever lack an IST). */
	tss.ist[0] = tss.rsp[0] = (uintptr_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = __builtin_offsetof(struct tss64, iomap);

	struct table_ptr gdtr = { sizeof(gdt) - 1, (uintptr_t)gdt };
	struct table_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };
	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	/* Reload CS with a far return, then the data segments: the ring-3
	 * selector, which the return to ring 3 keeps (loading FS also sets
	 * its base to 0, so TLS used before solo5_set_tls_base() faults on
	 * the unmapped page 0); SS must match ring 0. */
	__asm__ volatile("pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[ds], %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "movl %[ss], %%eax\n\t"
			 "movl %%eax, %%ss"
			 :
			 : [cs] "i"(HVT_SEL_KCODE), [ds] "i"(HVT_SEL_UDATA), [ss] "i"(HVT_SEL_KDATA)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(HVT_SEL_TSS));
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");

	/* A tender that turned on no-execute pages (riad-hvt does where the
	 * CPU has them) spares step B two CPUID exits (about 40 us on a
	 * software-virtualised host) and step C an MSR read. */
	if (hvt_rdmsr(HVT_MSR_EFER) & HVT_EFER_NXE) {
		nxe_on = true;
		hvt_pte_nx = 1ull << 63;
	}
	/* Read-only pages bind ring 0 too (the tender sets it; be sure). */
	uint64_t cr;
	__asm__ volatile("movq %%cr0, %0" : "=r"(cr));
	if (!(cr & HVT_CR0_WP))
		__asm__ volatile("movq %0, %%cr0" : : "r"(cr | HVT_CR0_WP) : "memory");
	/* Ring 3 reads the TSC (the clock), ring 0 reads ring 3's memory
	 * (trap reports, privileged calls): neither tender sets these. */
	__asm__ volatile("movq %%cr4, %0" : "=r"(cr));
	if (cr & (HVT_CR4_TSD | HVT_CR4_SMEP | HVT_CR4_SMAP))
		__asm__ volatile("movq %0, %%cr4"
				 :
				 : "r"(cr & ~(HVT_CR4_TSD | HVT_CR4_SMEP | HVT_CR4_SMAP))
				 : "memory");
}

__attribute__((no_stack_protector)) void hvt_cpu_user_init(void)
{
	for (unsigned i = 0; i < TRAP_VECTORS; i++) {
		uint64_t a = hvt_trap_stubs[i];
		idt[i] = (struct gate){
			.offset0 = (uint16_t)a,
			.selector = HVT_SEL_KCODE,
			.ist = 1,
			.type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
			.offset1 = (uint16_t)(a >> 16),
			.offset2 = (uint32_t)(a >> 32),
		};
	}
	/* Ring 3 may use the hypercall ports (an outl to 0x508, the last,
	 * covers 0x508 - 0x50b), riad's ENTROPY port and the net ring's kick
	 * port; nothing else. */
	base_memset(tss.iomap, 0xff, sizeof(tss.iomap));
	for (unsigned p = RIAD_HVT_HYPERCALL_PIO_BASE; p < RIAD_HVT_HYPERCALL_PIO_BASE + 12; p++)
		tss.iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
	for (unsigned p = RIAD_HVT_ENTROPY_PIO; p < RIAD_HVT_ENTROPY_PIO + 4; p++)
		tss.iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
	for (unsigned p = RIAD_HVT_RING_KICK_PIO_BASE; p < RIAD_HVT_RING_KICK_PIO_BASE + 4; p++)
		tss.iomap[p / 8] &= (uint8_t)~(1u << (p % 8));

	uint32_t r[4];
	if (hvt_pte_nx)
		return; /* known from EFER in step A */
	cpu_cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000001u) {
		cpu_cpuid(0x80000001u, 0, r);
		if (r[3] & (1u << 20))
			hvt_pte_nx = 1ull << 63;
	}
}

void hvt_cpu_enable_nx(void)
{
	if (hvt_pte_nx && !nxe_on && !(hvt_rdmsr(HVT_MSR_EFER) & HVT_EFER_NXE))
		hvt_wrmsr(HVT_MSR_EFER, hvt_rdmsr(HVT_MSR_EFER) | HVT_EFER_NXE);
}

/* In ring 3 the wrmsr faults and the trap handler performs it (trap.c). */
solo5_result_t solo5_set_tls_base(uintptr_t base)
{
	if (!hvt_canonical(base))
		return SOLO5_R_EINVAL;
	hvt_wrmsr(HVT_MSR_FS_BASE, base);
	return SOLO5_R_OK;
}
