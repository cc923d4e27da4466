/* tests/tender/hvt_spt.S: a guest whose ABI1 note says spt: riad-hvt must refuse it. */
#include "hvt_macros.S"
	abi1_note 2, 2
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	halt $0
