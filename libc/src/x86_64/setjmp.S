/* libc/src/x86_64/setjmp.S: setjmp and longjmp for x86_64 (System V ABI).
 *
 * jmp_buf layout (8 longs): rbx, rbp, r12, r13, r14, r15, then the stack
 * pointer as it will be after setjmp returns, then the return address.
 * These are all the registers a callee must preserve; everything else is
 * dead across the call to setjmp anyway.
 */
	.text
	.globl setjmp
	.type setjmp, @function
setjmp:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rdx
	movq %rdx, 48(%rdi)
	movq (%rsp), %rdx
	movq %rdx, 56(%rdi)
	xorl %eax, %eax
	ret
	.size setjmp, .-setjmp

	.globl longjmp
	.type longjmp, @function
longjmp:
	/* setjmp must not appear to return 0 the second time. */
	movl %esi, %eax
	testl %eax, %eax
	jnz 1f
	incl %eax
1:	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	jmpq *56(%rdi)
	.size longjmp, .-longjmp

	.section .note.GNU-stack,"",@progbits
