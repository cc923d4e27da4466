/* tests/tender/hvt_hello.S: hvt test guest: prints "hello\n" through PUTS and halts with 0. */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	puts msg, 6
	halt $0

	.section .rodata
msg:	.ascii "hello\n"
