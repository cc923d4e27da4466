/* runtime/x86_64/switch.S: fiber context switch for x86_64 (System V ABI).
 *
 * void riad_ctx_switch(void **save_sp, void *load_sp)
 *
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in *save_sp, loads load_sp and pops the registers saved there. A new
 * fiber's stack is laid out by riad_ctx_init() so that the first switch to it
 * "returns" into its entry function. Caller-saved registers, flags and the
 * vector registers need no saving: the switch is an ordinary call. The
 * System V ABI makes two more things callee-saved, the control bits of
 * MXCSR (SSE rounding, exception masks) and the x87 control word: where
 * the compiler may use SSE (__SSE__: unix, spt), they are saved in one
 * more 8-byte slot below the registers (MXCSR in its low half, the x87
 * control word above), so that a fiber that changes the rounding mode does
 * not change it for the others. The nosse build (hvt) has neither
 * instruction, which under kvm-pvm would kill the guest.
 */
	.text
	.globl riad_ctx_switch
	.type riad_ctx_switch, @function
	.hidden riad_ctx_switch
riad_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
#ifdef __SSE__
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
#endif
	movq %rsp, (%rdi)
	movq %rsi, %rsp
#ifdef __SSE__
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
#endif
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size riad_ctx_switch, .-riad_ctx_switch

	.section .note.GNU-stack,"",@progbits
