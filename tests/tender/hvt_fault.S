/* tests/tender/hvt_fault.S: hvt test guest: the fault named by the first letter of its command line (hlt, writes to read-only memory, unmapped accesses), or a guest that never ends (spins, or waits in POLL) for the signal and sandbox tests; halts with 99 if it survives. */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_MEM_SIZE(%rdi), %r12
	movq BI_CMDLINE(%rdi), %rax
	movb (%rax), %al
	case 'h', do_hlt
	case 'r', write_rodata
	case 't', write_text
	case 'b', write_boot_info
	case 'z', read_zero_page
	case 'u', read_beyond_memory
	case 's', spin
	case 'p', long_poll
	halt $98

do_hlt:
	hlt
	jmp survived
write_rodata:					/* host read-only: stops the vCPU */
	movq $1, ro(%rip)
	jmp survived
write_text:					/* text is only readable on the host */
	leaq _start(%rip), %rax
	movb $0x90, (%rax)
	jmp survived
write_boot_info:				/* read-only page table entry: #PF, no IDT */
	movl $0x10000, %eax
	movq $1, (%rax)
	jmp survived
read_zero_page:					/* not mapped at all */
	movq 8, %rax
	jmp survived
read_beyond_memory:
	movq (%r12), %rax
	jmp survived
spin:
	puts running, 8
1:	jmp 1b
long_poll:					/* one hour */
	puts running, 8
	subq $24, %rsp
	movabsq $3600000000000, %rax
	movq %rax, (%rsp)
	movl %esp, %eax
	hypercall HC_POLL
	jmp survived

survived:
	halt $99

	.section .rodata
ro:	.quad 0
running: .ascii "running\n"
