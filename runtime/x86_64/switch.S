/* runtime/x86_64/switch.S: fiber context switch for x86_64 (System V ABI).
 *
 * void riad_ctx_switch(void **save_sp, void *load_sp)
 *
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in *save_sp, loads load_sp and pops the registers saved there. A new
 * fiber's stack is laid out by riad_ctx_init() so that the first switch to it
 * "returns" into its entry function. Caller-saved registers, flags and the
 * SSE/x87 state need no saving: the switch is an ordinary call.
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
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size riad_ctx_switch, .-riad_ctx_switch

	.section .note.GNU-stack,"",@progbits
