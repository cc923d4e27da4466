/* tests/tender/guest_block.S: spt test guest with block device "storage": prints the first 16 bytes of its last block, then reads one block past the end (the seccomp filter kills it). */
#include "guest.h"
	abi1_note
	mft1_begin 1
	mft_entry "storage", MFT_BLOCK_BASIC
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_MFT(%rdi), %rbx
	addq $(MFT_ENTRY0 + MFT_ENTRY_SIZE), %rbx	/* entry 1 */
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	movzwl E_BLOCK_SIZE(%rbx), %edx
	movq E_CAPACITY(%rbx), %r10
	subq %rdx, %r10				/* the last block */
	sys SYS_pread64
	cmpq $0, %rax
	jl fail
	movl $1, %edi
	leaq buf(%rip), %rsi
	movl $16, %edx
	sys SYS_write
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	movzwl E_BLOCK_SIZE(%rbx), %edx
	movq E_CAPACITY(%rbx), %r10		/* one past the end */
	sys SYS_pread64
fail:
	movl $3, %edi
	sys SYS_exit_group

	.bss
	.balign 4096
buf:	.skip 32768
