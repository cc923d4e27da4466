/* base/hvt/cpu.c: the guest's own descriptor tables: a GDT with a 64-bit TSS, an IDT whose every exception runs on the TSS's IST1 stack; no-execute pages; FS base 0.
 *
 * The tender's GDT (at 0x1000) lies in memory the guest's page tables do
 * not map, so the guest loads its own before switching to them. There
 * are never interrupts (RFLAGS.IF stays 0), so only the 32 exception
 * vectors have gates; anything else would hit the IDT limit and become a
 * #GP, which is handled like every trap.
 */
#include "hvt.h"
#include "../common/cpu_x86_64.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18
#define TRAP_VECTORS 32
#define IST_STACK_SIZE 16384

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS size");

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

uint64_t hvt_pte_nx;

static uint64_t gdt[5] __attribute__((aligned(16))) = {
	0,
	0x00af9b000000ffffull, /* 0x08: code, 64-bit, present, DPL 0 */
	0x00cf93000000ffffull, /* 0x10: data, read-write, present, DPL 0 */
	0, 0,                  /* 0x18: the TSS, 16 bytes, filled in below */
};
static struct tss64 tss __attribute__((aligned(16)));
static struct gate idt[TRAP_VECTORS] __attribute__((aligned(16)));
static uint8_t ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

static void set_tss_descriptor(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	tss.ist[0] = (uintptr_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap */
	gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		 0x89ull << 40 | /* present, 64-bit TSS (available) */
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[4] = base >> 32;
}

static void set_gates(void)
{
	for (unsigned i = 0; i < TRAP_VECTORS; i++) {
		uint64_t a = hvt_trap_stubs[i];
		idt[i] = (struct gate){
			.offset0 = (uint16_t)a,
			.selector = SEL_CODE,
			.ist = 1,
			.type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
			.offset1 = (uint16_t)(a >> 16),
			.offset2 = (uint32_t)(a >> 32),
		};
	}
}

void hvt_cpu_init(void)
{
	set_tss_descriptor();
	set_gates();

	struct table_ptr gdtr = { sizeof(gdt) - 1, (uintptr_t)gdt };
	struct table_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };
	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	/* Reload CS with a far return, then the data segments. */
	__asm__ volatile("pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[ds], %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs"
			 :
			 : [cs] "i"(SEL_CODE), [ds] "i"(SEL_DATA)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");

	/* Read-only pages bind ring 0 too (the tender sets it; be sure). */
	uint64_t cr0;
	__asm__ volatile("movq %%cr0, %0" : "=r"(cr0));
	if (!(cr0 & HVT_CR0_WP))
		__asm__ volatile("movq %0, %%cr0" : : "r"(cr0 | HVT_CR0_WP) : "memory");
	uint32_t r[4];
	cpu_cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000001u) {
		cpu_cpuid(0x80000001u, 0, r);
		if (r[3] & (1u << 20)) {
			hvt_wrmsr(HVT_MSR_EFER, hvt_rdmsr(HVT_MSR_EFER) | HVT_EFER_NXE);
			hvt_pte_nx = 1ull << 63;
		}
	}
	/* TLS used before solo5_set_tls_base() faults on the unmapped page 0. */
	hvt_wrmsr(HVT_MSR_FS_BASE, 0);
}

solo5_result_t solo5_set_tls_base(uintptr_t base)
{
	hvt_wrmsr(HVT_MSR_FS_BASE, base);
	return SOLO5_R_OK;
}
