/* base/hvt/start.S: the hvt guest's entry point, and the way down to ring 3.
 *
 * The vCPU starts at _start in ring 0, long mode, interrupts off, on the
 * tender's GDT and page tables, with RDI = the boot info's address and
 * RSP at the top of guest memory. We move to our own stack (in the image,
 * above a guard page that base/hvt/mmu.c leaves unmapped) and call
 * hvt_boot(boot_info), step A of start-up (hvt.h), which ends with
 * hvt_enter_user: on the same stack, from its top again, ring 3 runs
 * hvt_user_entry, which writes the IDT's gates (until then a trap could
 * not be handled), randomises the stack protector's guard before any C
 * function with a canary runs (the ring-0 functions before it have none;
 * only base_abort's, should step A find guest memory unusable, would run
 * with the guard still 0), and calls hvt_boot_user(boot_info), which does
 * not return.
 */
#include "ring.h"

	.text
	.globl _start
	.type _start, @function
_start:
	leaq _estack(%rip), %rsp     /* 16-byte aligned by the linker script */
	xorl %ebp, %ebp              /* ends backtraces */
	call hvt_boot                /* RDI: the boot info */
	ud2
	.size _start, . - _start

/* hvt_enter_user(boot_info, ring0): iretq to hvt_user_entry in ring 3,
 * interrupts off, I/O privilege level 0 (the TSS's bitmap decides), on
 * the ring-3 segments; or, with ring0 true, a plain jump in ring 0. */
	.globl hvt_enter_user
	.type hvt_enter_user, @function
hvt_enter_user:
	leaq _estack(%rip), %rax
	testb %sil, %sil
	jnz 1f
	pushq $HVT_SEL_UDATA         /* SS */
	pushq %rax                   /* RSP */
	pushq $0x2                   /* RFLAGS */
	pushq $HVT_SEL_UCODE         /* CS */
	leaq hvt_user_entry(%rip), %rax
	pushq %rax                   /* RIP */
	iretq
1:	movq %rax, %rsp
	jmp hvt_user_entry
	.size hvt_enter_user, . - hvt_enter_user

	.type hvt_user_entry, @function
hvt_user_entry:
	movq %rdi, %r12              /* callee-saved: survives the calls */
	xorl %ebp, %ebp
	call hvt_cpu_user_init
	call base_ssp_init
	movq %r12, %rdi
	call hvt_boot_user
	ud2
	.size hvt_user_entry, . - hvt_user_entry

	.section .note.GNU-stack, "", @progbits
