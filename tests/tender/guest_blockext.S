/* tests/tender/guest_blockext.S: spt test guest with block device "storage" that asks for riad's block extension (ABI1 reserved0 bit 0, unless ASK is 0); the first character of its command line picks a test of what the tender allows (tests/storage/blockext.t). */
#include "guest.h"
#define SYS_pwrite64 18
#define SYS_fdatasync 75
#define E_MAX_BLOCKS 82
#define E_FLAGS 84
#ifndef ASK
#define ASK 1
#endif

	abi1_note 2, 2, ASK
	mft1_begin 1
	mft_entry "storage", MFT_BLOCK_BASIC
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_CMDLINE(%rdi), %rax
	movzbl (%rax), %r12d			/* the test */
	movq BI_MFT(%rdi), %rbx
	addq $(MFT_ENTRY0 + MFT_ENTRY_SIZE), %rbx	/* entry 1 */
	movzwl E_BLOCK_SIZE(%rbx), %r13d	/* block size */
	movq E_CAPACITY(%rbx), %r14		/* capacity */
	movzwl E_MAX_BLOCKS(%rbx), %r15d	/* riad_max_blocks */
	cmpb $'m', %r12b
	je max
	cmpb $'f', %r12b
	je flags
	cmpb $'a', %r12b
	je two_last
	cmpb $'b', %r12b
	je grow
	cmpb $'c', %r12b
	je three
	cmpb $'d', %r12b
	je sync
	cmpb $'e', %r12b
	je biggest
	movl $2, %edi				/* unknown choice */
	jmp out

max:	/* exit status: riad_max_blocks, at most 255 */
	movl %r15d, %edi
	cmpl $255, %edi
	jbe out
	movl $255, %edi
	jmp out

flags:	/* exit status: riad_flags */
	movzbl E_FLAGS(%rbx), %edi
	jmp out

two_last: /* read the last two blocks in one call; print 16 bytes of the last */
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	leaq (%r13,%r13), %rdx
	movq %r14, %r10
	subq %rdx, %r10
	sys SYS_pread64
	leaq (%r13,%r13), %rdx
	cmpq %rdx, %rax
	jne fail
	movl $1, %edi
	leaq buf(%rip), %rsi
	addq %r13, %rsi
	movl $16, %edx
	sys SYS_write
	jmp ok

grow:	/* write two blocks at the last block: would grow the file */
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	leaq (%r13,%r13), %rdx
	movq %r14, %r10
	subq %r13, %r10
	sys SYS_pwrite64
	jmp fail

three:	/* read three blocks at 0: not a power of two */
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	leaq (%r13,%r13,2), %rdx
	xorl %r10d, %r10d
	sys SYS_pread64
	jmp fail

sync:	/* fdatasync on the device */
	movl E_HOSTFD(%rbx), %edi
	sys SYS_fdatasync
	testq %rax, %rax
	jne fail
	jmp ok

biggest: /* read riad_max_blocks blocks at 0, print "ok", then twice as many */
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	movq %r13, %rdx
	imulq %r15, %rdx
	xorl %r10d, %r10d
	sys SYS_pread64
	movq %r13, %rdx
	imulq %r15, %rdx
	cmpq %rdx, %rax
	jne fail
	movl $1, %edi
	leaq okmsg(%rip), %rsi
	movl $2, %edx
	sys SYS_write
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	movq %r13, %rdx
	imulq %r15, %rdx
	shlq $1, %rdx
	xorl %r10d, %r10d
	sys SYS_pread64
	jmp fail

ok:	xorl %edi, %edi
	jmp out
fail:	movl $3, %edi
out:	sys SYS_exit_group

	.section .rodata
okmsg:	.ascii "ok"

	.bss
	.balign 4096
buf:	.skip 1048576
