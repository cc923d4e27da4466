/* tests/tender/hvt_ring.S: hvt test guest with net device "service", using the net ring: a frame written and read back through it (printed), a read on a bad handle refused, then 1200 more round trips (past index wrap-around); prints "ring ok" and halts with 0 (or the number of the failed check, 60 and up). With a command line, corrupts the ring as it names instead. */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 1
	mft_entry "service", MFT_NET_BASIC
	mft1_end
	interp

/* struct riad_hvt_ring (abi/hvt.h) */
#define R_ENT_TAIL 0
#define R_COM_HEAD 4
#define R_ENT_HEAD 64
#define R_COM_TAIL 68
#define R_NEEDS_KICK 72
#define R_ENTRIES 128
#define R_COMMITS 32896
#define OP_WRITE 1
#define OP_READ 2

	/* Queue one entry on the ring at %r13 and kick if asked to;
	 * clobbers %rax, %rcx, %rdx. */
	.macro submit op, handle, data, len, id
	movl R_ENT_TAIL(%r13), %ecx
	movl %ecx, %eax
	andl $1023, %eax
	shll $5, %eax
	leaq R_ENTRIES(%r13,%rax), %rax
	movl $\op, (%rax)
	movl $\handle, 4(%rax)
	movq \data, %rdx
	movq %rdx, 8(%rax)
	movl \len, 16(%rax)
	movl \id, 20(%rax)
	incl %ecx
	movl %ecx, R_ENT_TAIL(%r13)
	mfence
	cmpl $0, R_NEEDS_KICK(%r13)
	je 8f
	xorl %eax, %eax
	movw $0x600, %dx
	outl %eax, %dx
8:
	.endm

	/* Wait for the next commit; leaves id, ret, len in %ecx, %eax, %edx. */
	.macro take
7:	movl R_COM_TAIL(%r13), %eax
	cmpl R_COM_HEAD(%r13), %eax
	jne 6f
	pause
	jmp 7b
6:	movl R_COM_HEAD(%r13), %esi
	movl %esi, %eax
	andl $1023, %eax
	shll $4, %eax
	leaq R_COMMITS(%r13,%rax), %rax
	movl (%rax), %ecx
	movl 8(%rax), %edx
	movl 4(%rax), %eax
	incl %esi
	movl %esi, R_COM_HEAD(%r13)
	.endm

	.text
	.globl _start
_start:
	movq BI_CMDLINE(%rdi), %rax
	movb (%rax), %r15b
	movl $60, %ebx				/* 60: the tender offers the ring */
	testl $1, BI_HOST_FEATURES(%rdi)
	jz fail
	incl %ebx				/* 61: right above the guest's memory */
	movq BI_NET_RING(%rdi), %r13
	cmpq BI_MEM_SIZE(%rdi), %r13
	jne fail
	leaq frame(%rip), %r12
	leaq buf(%rip), %r14
	cmpb $'x', %r15b
	je bad_data
	cmpb $'y', %r15b
	je bad_tail
	incl %ebx				/* 62: a frame there and back */
	submit OP_WRITE, 1, %r12, $16, $1
	submit OP_READ, 1, %r14, $2048, $2
	take
	cmpl $2, %ecx
	jne fail
	cmpl $R_OK, %eax
	jne fail
	cmpl $16, %edx
	jne fail
	movq %r14, %rsi
	puts_rsi $16
	incl %ebx				/* 63: a read on handle 5 */
	submit OP_READ, 5, %r14, $2048, $3
	take
	cmpl $3, %ecx
	jne fail
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 64: many more round trips */
	movl $1200, %r8d
1:	submit OP_WRITE, 1, %r12, $16, $4
	submit OP_READ, 1, %r14, $2048, $5
	take
	cmpl $R_OK, %eax
	jne fail
	cmpl $16, %edx
	jne fail
	decl %r8d
	jnz 1b
	puts ok, 9
	halt $0
fail:
	halt %ebx

bad_data:					/* a frame at the top of the address space */
	submit OP_WRITE, 1, $-8, $16, $1
	jmp wait
bad_tail:					/* 5000 entries queued at once */
	addl $5000, R_ENT_TAIL(%r13)
	mfence
	xorl %eax, %eax
	movw $0x600, %dx
	outl %eax, %dx
wait:						/* until the tender ends the guest */
	subq $24, %rsp
	movq $5000000000, %rax
	movq %rax, (%rsp)
	movl %esp, %eax
	hypercall HC_POLL
	halt $99

	.section .rodata
frame:	.ascii "RINGFRAMEDATA123"
ok:	.ascii "\nring ok\n"

	.bss
buf:	.skip 2048
