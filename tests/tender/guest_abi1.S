/* tests/tender/guest_abi1.S: an spt guest asking for ABI version 1: riad-spt must refuse it. */
#include "guest.h"
	abi1_note 2, 1
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	xorl %edi, %edi
	sys SYS_exit_group
