/* base/hvt/trap.S: the entry points of the 32 CPU exception vectors, in ring 0, and ring 3's privileged operations.
 *
 * The IDT (cpu.c) sends every vector to its stub here, on the IST1 stack,
 * so that a trap caused by a bad stack pointer (a stack overflow into a
 * guard page) still has a stack to run on. Each stub makes the frame
 * uniform (a 0 error code where the CPU pushes none, then the vector),
 * trap_common saves the general registers and calls hvt_trap(frame).
 * That reports the trap and halts, except for the one fault that is
 * expected: the first touch of a heap region whose mapping mmu.c defers;
 * then it returns and the faulting instruction runs again.
 *
 * The #GP stub first handles, in a few instructions (every one counts
 * where ring 0 is emulated), the #GPs that ring 3 causes on purpose
 * (error code 0, from ring 3, the instruction's bytes at RIP, which the
 * CPU has just fetched from a ring-3 page):
 *
 *   wrmsr with ECX = the FS base's MSR and a canonical EDX:EAX
 *     (solo5_set_tls_base): performed with ring 3's registers as they
 *     are, and resumed after it;
 *   hlt with RAX = a privileged call (hvt_privcall, ring.h): calls
 *     hvt_priv_run(RDI, RSI, RDX, RAX), whose result goes back in RAX,
 *     and resumes after it. The caller lets the other caller-saved
 *     registers change, so none is saved.
 *
 * The #PF stub likewise maps a heap region on ring 3's first touch.
 */
#include "ring.h"

	.macro stub n, has_ec
	.balign 16
trap_stub_\n:
	.if \has_ec == 0
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
	.endm

	.text
	stub 0, 0
	stub 1, 0
	stub 2, 0
	stub 3, 0
	stub 4, 0
	stub 5, 0
	stub 6, 0
	stub 7, 0
	stub 8, 1
	stub 9, 0
	stub 10, 1
	stub 11, 1
	stub 12, 1

	.balign 16
trap_stub_13:
	testb $3, 16(%rsp)           /* CS (after the error code and RIP) */
	jz 9f
	cmpq $0, (%rsp)              /* the error code */
	jne 9f
	pushq %rax
	movq 16(%rsp), %rax          /* RIP */
	cmpb $0xf4, (%rax)
	je 2f
	cmpw $0x300f, (%rax)         /* wrmsr: 0f 30 */
	jne 8f
	cmpl $HVT_MSR_FS_BASE, %ecx
	jne 8f
	movl %edx, %eax              /* bits 63..47 of EDX:EAX all equal: */
	sarl $15, %eax               /* EAX = 0 or -1 */
	incl %eax                    /* 1 or 0 */
	cmpl $1, %eax
	ja 8f
	popq %rax
	wrmsr
	addq $2, 8(%rsp)             /* RIP, after the error code */
	addq $8, %rsp
	iretq
2:	cmpq $HVT_PRIV_LAST, (%rsp)  /* the op: 1 .. HVT_PRIV_LAST */
	ja 8f
	cmpq $0, (%rsp)
	je 8f
	popq %rcx                    /* the op, as the fourth argument */
	incq 8(%rsp)                 /* RIP: past the hlt */
	pushq %rbx
	movq %rsp, %rbx
	andq $-16, %rsp
	cld
	call hvt_priv_run
	movq %rbx, %rsp
	popq %rbx
	addq $8, %rsp                /* the error code */
	iretq
8:	popq %rax
9:	pushq $13
	jmp trap_common

/* #PF from ring 3 on a heap region's first touch (not present, in
 * [lazy_lo, lazy_hi), its page-directory entry still 0): map the region
 * with a 2 MiB page, as mmu.c's hvt_mmu_fault does, and resume. */
	.balign 16
trap_stub_14:
	testb $3, 16(%rsp)           /* CS (after the error code and RIP) */
	jz 9f
	testb $1, (%rsp)             /* the error code: present? */
	jnz 9f
	pushq %rax
	pushq %rdx
	movq %cr2, %rax
	shrq $21, %rax               /* the region */
	cmpq hvt_mmu_lazy_lo(%rip), %rax
	jb 8f
	cmpq hvt_mmu_lazy_hi(%rip), %rax
	jae 8f
	movq hvt_mmu_pds(%rip), %rdx
	leaq (%rdx,%rax,8), %rdx
	cmpq $0, (%rdx)
	jne 8f
	shlq $21, %rax
	orq $0x87, %rax              /* present, read-write, ring 3, 2 MiB */
	orq hvt_pte_nx(%rip), %rax
	movq %rax, (%rdx)
	popq %rdx
	popq %rax
	addq $8, %rsp                /* the error code */
	iretq
8:	popq %rdx
	popq %rax
9:	pushq $14
	jmp trap_common

	stub 15, 0
	stub 16, 0
	stub 17, 1
	stub 18, 0
	stub 19, 0
	stub 20, 0
	stub 21, 1
	stub 22, 0
	stub 23, 0
	stub 24, 0
	stub 25, 0
	stub 26, 0
	stub 27, 0
	stub 28, 0
	stub 29, 1
	stub 30, 1
	stub 31, 0

	.type trap_common, @function
trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %rsp, %rbx              /* callee-saved: the frame, for the return */
	cld
	andq $-16, %rsp
	call hvt_trap
	/* hvt_trap returned: the fault was a heap region's first touch and is
	 * now mapped (mmu.c); resume the faulting instruction. */
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp               /* vector and error code */
	iretq
	.size trap_common, . - trap_common

	/* The stubs' addresses, for the IDT. */
	.section .rodata
	.balign 8
	.globl hvt_trap_stubs
	.type hvt_trap_stubs, @object
hvt_trap_stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\n
	.endr
	.size hvt_trap_stubs, . - hvt_trap_stubs

	.section .note.GNU-stack, "", @progbits
