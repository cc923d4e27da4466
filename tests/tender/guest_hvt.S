/* tests/tender/guest_hvt.S: a guest whose ABI1 note says hvt: riad-spt must refuse it. */
#include "guest.h"
	abi1_note 1, 2
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	xorl %edi, %edi
	sys SYS_exit_group
