/* tests/tender/hvt_abi1.S: an hvt guest that asks for ABI version 1: riad-hvt must refuse it. */
#include "hvt_macros.S"
	abi1_note 1, 1
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	halt $0
