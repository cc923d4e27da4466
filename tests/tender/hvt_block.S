/* tests/tender/hvt_block.S: hvt test guest with block device "storage": prints the first 16 bytes of block 0, writes its last block and reads it back, checks that requests outside the device are refused with EINVAL, prints "block ok" and halts with 0 (or the number of the failed check, 30 and up). With a command line, makes the invalid request it names instead. */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 1
	mft_entry "storage", MFT_BLOCK_BASIC
	mft1_end
	interp

	/* BLOCK_READ or BLOCK_WRITE: handle, offset, data, len (registers or
	 * immediates with $); leaves ret in %eax. */
	.macro blk nr, handle, offset, data, len
	movq \handle, blkio(%rip)
	movq \offset, blkio+8(%rip)
	movq \data, blkio+16(%rip)
	movq \len, blkio+24(%rip)
	movl $-1, blkio+32(%rip)
	leaq blkio(%rip), %rax
	hypercall \nr
	movl blkio+32(%rip), %eax
	.endm

	.text
	.globl _start
_start:
	movq BI_MEM_SIZE(%rdi), %r12
	movq BI_CMDLINE(%rdi), %rax
	movb (%rax), %r15b
	movq BI_MFT(%rdi), %rbx
	addq $(MFT_ENTRY0 + MFT_ENTRY_SIZE), %rbx	/* entry 1 */
	movq E_CAPACITY(%rbx), %r13
	movzwq E_BLOCK_SIZE(%rbx), %r14
	leaq buf0(%rip), %rbp
	cmpb $'x', %r15b
	je into_rodata
	cmpb $'y', %r15b
	je from_beyond_memory

	movl $30, %ebx				/* 30: read block 0 */
	blk HC_BLOCK_READ, $1, $0, %rbp, %r14
	cmpl $R_OK, %eax
	jne fail
	movq %rbp, %rsi
	puts_rsi $16
	incl %ebx				/* 31: write the last block */
	leaq buf1(%rip), %rdi			/* fill buf1 with the pattern */
	xorl %ecx, %ecx
1:	movq %rcx, %rax
	andq $15, %rax
	leaq pattern(%rip), %rsi
	movb (%rsi,%rax), %al
	movb %al, (%rdi,%rcx)
	incq %rcx
	cmpq %r14, %rcx
	jb 1b
	movq %r13, %r8
	subq %r14, %r8				/* offset of the last block */
	leaq buf1(%rip), %r9
	blk HC_BLOCK_WRITE, $1, %r8, %r9, %r14
	cmpl $R_OK, %eax
	jne fail
	incl %ebx				/* 32: read it back, compare */
	leaq buf2(%rip), %r10
	blk HC_BLOCK_READ, $1, %r8, %r10, %r14
	cmpl $R_OK, %eax
	jne fail
	leaq buf1(%rip), %rsi
	leaq buf2(%rip), %rdi
	movq %r14, %rcx
	repe cmpsb
	jne fail
	incl %ebx				/* 33: at the capacity */
	blk HC_BLOCK_READ, $1, %r13, %rbp, %r14
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 34: across the end */
	leaq (%r14,%r14), %rcx
	blk HC_BLOCK_READ, $1, %r8, %rbp, %rcx
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 35: offset + len wraps around to 0 */
	movq %r14, %rdx
	negq %rdx				/* 2^64 - block size */
	leaq (%r14,%r14), %rcx
	blk HC_BLOCK_WRITE, $1, %rdx, %rbp, %rcx
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 36: handle 0 is reserved */
	blk HC_BLOCK_READ, $0, $0, %rbp, %r14
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 37: no handle 2 */
	blk HC_BLOCK_READ, $2, $0, %rbp, %r14
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 38: a handle beyond 32 bits */
	movabsq $0x100000001, %rdx
	blk HC_BLOCK_READ, %rdx, $0, %rbp, %r14
	cmpl $R_EINVAL, %eax
	jne fail
	puts ok, 10
	halt $0
fail:
	halt %ebx

into_rodata:					/* a buffer the guest cannot write */
	leaq ro(%rip), %rdx
	blk HC_BLOCK_READ, $1, $0, %rdx, %r14
	halt $99
from_beyond_memory:				/* data crosses the end of memory */
	leaq -256(%r12), %rdx
	blk HC_BLOCK_WRITE, $1, $0, %rdx, %r14
	halt $99

	.section .rodata
ok:	.ascii "\nblock ok\n"
pattern: .ascii "RIADWROTETHIS!!\n"
	.balign 4096
ro:	.skip 4096

	.data
	.balign 8
blkio:	.skip 40

	.bss
	.balign 4096
buf0:	.skip 8192
buf1:	.skip 8192
buf2:	.skip 8192
