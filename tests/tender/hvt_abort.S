/* tests/tender/hvt_abort.S: hvt test guest for --dumpcore: with known values in rbx and r15 and a known pattern in .rodata, it aborts (HALT 255, no cookie: 'a'), aborts with a trap frame as the cookie whose rip is trap_site ('c'), triple-faults ('t'), waits a second in POLL and then aborts ('w'), or exits normally ('x'). */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movabsq $0x1122334455667788, %rbx
	movabsq $0x0ddba11cafef00d5, %r15
	movq BI_CMDLINE(%rdi), %rax
	movb (%rax), %al
	case 'a', do_abort
	case 'c', abort_with_cookie
	case 't', triple_fault
	case 'w', wait_then_abort
	case 'x', exit_normally
	halt $98

	.globl do_abort
do_abort:
	halt $255

	/* The trap frame a Solo5 trap handler would pass: cr2, ec, rip, cs,
	 * rflags, rsp, ss (then up to 512 bytes the tender may read). */
abort_with_cookie:
	leaq frame(%rip), %rcx
	movabsq $0x400000000, %rax
	movq %rax, 0(%rcx)			/* cr2 */
	movq $2, 8(%rcx)			/* ec */
	leaq trap_site(%rip), %rax
	movq %rax, 16(%rcx)			/* rip */
	movq $8, 24(%rcx)			/* cs */
	movq $0x2, 32(%rcx)			/* rflags */
	movq %rsp, 40(%rcx)			/* rsp */
	movq $0x10, 48(%rcx)			/* ss */
	subq $16, %rsp
	movq %rcx, (%rsp)
	movl $255, 8(%rsp)
	movl %esp, %eax
	hypercall HC_HALT
	halt $99

	.globl trap_site
trap_site:					/* never executed */
	nop
	halt $99

triple_fault:					/* read-only page, no IDT */
	movl $0x10000, %eax
	movq $1, (%rax)
	halt $99

wait_then_abort:
	puts running, 8
	subq $24, %rsp
	movq $1000000000, (%rsp)		/* 1 s */
	movl %esp, %eax
	hypercall HC_POLL
	addq $24, %rsp
	halt $255

exit_normally:
	halt $0

	.section .rodata
	.globl pattern
pattern:
	.ascii "riad-hvt --dumpcore test pattern: the core must hold these bytes.\n"
running: .ascii "running\n"

	.bss
	.balign 4096
frame:	.skip 512
