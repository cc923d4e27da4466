/* tests/tender/guest_wtext.S: spt test guest: writes to its own text, which is mapped read+execute (the process dies of SIGSEGV). */
#include "guest.h"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	leaq _start(%rip), %rax
	movb $0x90, (%rax)
	xorl %edi, %edi
	sys SYS_exit_group
