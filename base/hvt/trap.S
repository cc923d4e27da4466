/* base/hvt/trap.S: the entry points of the 32 CPU exception vectors.
 *
 * The IDT (cpu.c) sends every vector to its stub here, on the IST1 stack,
 * so that a trap caused by a bad stack pointer (a stack overflow into a
 * guard page) still has a stack to run on. Each stub makes the frame
 * uniform (a 0 error code where the CPU pushes none, then the vector),
 * trap_common saves the general registers and calls hvt_trap(frame).
 * That reports the trap and halts, except for the one fault that is
 * expected: the first touch of a heap region whose mapping mmu.c defers;
 * then it returns and the faulting instruction runs again.
 */
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
	stub 13, 1
	stub 14, 1
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
