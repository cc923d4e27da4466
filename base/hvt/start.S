/* base/hvt/start.S: the hvt guest's entry point.
 *
 * The vCPU starts here in long mode, interrupts off, on the tender's GDT
 * and page tables, with RDI = the boot info's address and RSP at the top
 * of guest memory. We move to our own stack (in the image, above a guard
 * page that base/hvt/mmu.c leaves unmapped), randomise the stack
 * protector's guard before any C function with a canary runs, and call
 * hvt_boot(boot_info), which does not return.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	movq %rdi, %r12              /* callee-saved: survives the call */
	leaq _estack(%rip), %rsp     /* 16-byte aligned by the linker script */
	xorl %ebp, %ebp              /* ends backtraces */
	call base_ssp_init
	movq %r12, %rdi
	call hvt_boot
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
