/* tender/spt/spt_launch.S: the jump into an spt guest: spt_launch(sp, entry, arg) sets RSP and RDI and never returns. */
	.text
	.globl spt_launch
	.type spt_launch, @function
spt_launch:
	movq %rsi, %rax
	movq %rdi, %rsp
	movq %rdx, %rdi
	/* Leave the guest no tender addresses in registers. */
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	jmp *%rax
	.size spt_launch, . - spt_launch

	.section .note.GNU-stack, "", @progbits
