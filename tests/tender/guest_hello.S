/* tests/tender/guest_hello.S: spt test guest: writes "hello\n" to fd 1 and exits with 0. */
#include "guest.h"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movl $1, %edi
	leaq msg(%rip), %rsi
	movl $6, %edx
	sys SYS_write
	xorl %edi, %edi
	sys SYS_exit_group

	.section .rodata
msg:	.ascii "hello\n"
