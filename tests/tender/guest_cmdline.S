/* tests/tender/guest_cmdline.S: spt test guest: prints its command line from the boot info (RDI), a newline, and exits with 7. */
#include "guest.h"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_CMDLINE(%rdi), %rsi
	xorl %edx, %edx
1:	cmpb $0, (%rsi,%rdx)
	je 2f
	incq %rdx
	jmp 1b
2:	movl $1, %edi
	sys SYS_write
	movl $1, %edi
	leaq nl(%rip), %rsi
	movl $1, %edx
	sys SYS_write
	movl $7, %edi
	sys SYS_exit_group

	.section .rodata
nl:	.ascii "\n"
