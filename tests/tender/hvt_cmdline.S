/* tests/tender/hvt_cmdline.S: hvt test guest: prints its command line from the boot info (RDI) and a newline, and halts with 7. */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_CMDLINE(%rdi), %rsi
	xorl %ecx, %ecx
1:	cmpb $0, (%rsi,%rcx)
	je 2f
	incq %rcx
	jmp 1b
2:	puts_rsi %rcx
	puts nl, 1
	halt $7

	.section .rodata
nl:	.ascii "\n"
