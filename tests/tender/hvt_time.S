/* tests/tender/hvt_time.S: hvt test guest: WALLTIME is after 2017, POLL with a 50 ms timeout and no device returns nothing after at least 50 ms of wall time; prints "time ok" and halts with 0, or with the number of the failed check (20 and up). */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movl $20, %ebx				/* 20: wall clock after 2017-01-01 */
	leaq wt(%rip), %rax
	hypercall HC_WALLTIME
	movq wt(%rip), %r12
	movabsq $1483228800000000000, %rax
	cmpq %rax, %r12
	jb fail
	incl %ebx				/* 21: POLL: timer only, no ready device */
	movq $50000000, poll(%rip)		/* timeout_nsecs */
	movq $-1, poll+8(%rip)			/* ready_set, overwritten */
	movl $-1, poll+16(%rip)			/* ret, overwritten */
	leaq poll(%rip), %rax
	hypercall HC_POLL
	cmpq $0, poll+8(%rip)
	jne fail
	cmpl $0, poll+16(%rip)
	jne fail
	incl %ebx				/* 22: at least 50 ms later */
	leaq wt(%rip), %rax
	hypercall HC_WALLTIME
	movq wt(%rip), %rax
	subq %r12, %rax
	cmpq $50000000, %rax
	jb fail
	incl %ebx				/* 23: but not 5 s later */
	movabsq $5000000000, %rcx
	cmpq %rcx, %rax
	ja fail
	incl %ebx				/* 24: a zero timeout returns */
	movq $0, poll(%rip)
	leaq poll(%rip), %rax
	hypercall HC_POLL
	cmpl $0, poll+16(%rip)
	jne fail
	puts ok, 8
	halt $0
fail:
	halt %ebx

	.section .rodata
ok:	.ascii "time ok\n"

	.data
	.balign 8
wt:	.quad 0
poll:	.quad 0, 0, 0
