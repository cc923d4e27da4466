/* tests/tender/guest_dup.S: spt test guest: calls dup(0), which the seccomp filter forbids (the process dies of SIGSYS). */
#include "guest.h"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	xorl %edi, %edi
	sys SYS_dup
	/* Not reached; exit 0 would make the test fail. */
	xorl %edi, %edi
	sys SYS_exit_group
