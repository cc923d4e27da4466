/* tests/tender/hvt_entropy.S: hvt test guest for riad's ENTROPY hypercall (port 0x580, abi/hvt.h): the boot info offers it (host_features bit 31); two requests of 32 bytes are filled, differ from each other and are not all zero; "x" asks for 257 bytes (one too many), "y" for bytes into the read-only boot info: both fatal. Prints "entropy ok" and halts with 0, or with the number of the failed check (30 and up). */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

#define ENTROPY_PORT 0x580
#define FEATURE_ENTROPY 0x80000000

	/* ENTROPY of len bytes into the 64-bit address in %rsi. */
	.macro entropy len
	subq $16, %rsp
	movq %rsi, (%rsp)
	movq \len, 8(%rsp)
	movl %esp, %eax
	movw $ENTROPY_PORT, %dx
	outl %eax, %dx
	addq $16, %rsp
	.endm

	.text
	.globl _start
_start:
	movq %rdi, %r12				/* the boot info */
	movl $30, %ebx				/* 30: offered */
	testl $FEATURE_ENTROPY, BI_HOST_FEATURES(%r12)
	jz fail
	movq (%r12), %rax			/* mem_size: a switch needs memory */
	movq BI_CMDLINE(%r12), %rcx
	movb (%rcx), %al
	case 'x', too_long
	case 'y', read_only
	incl %ebx				/* 31: filled, not all zero */
	leaq a(%rip), %rsi
	entropy $32
	leaq a(%rip), %rsi
	call zero32
	jz fail
	incl %ebx				/* 32: a second request differs */
	leaq b(%rip), %rsi
	entropy $32
	leaq a(%rip), %rsi
	leaq b(%rip), %rdi
	movl $32, %ecx
	repe cmpsb
	je fail
	incl %ebx				/* 33: only the bytes asked for */
	leaq c(%rip), %rsi
	entropy $1
	cmpb $0x5a, c+1(%rip)
	jne fail
	puts ok, 11
	halt $0
too_long:
	leaq a(%rip), %rsi
	entropy $257
	halt $40
read_only:
	movq %r12, %rsi
	entropy $8
	halt $41
fail:
	halt %ebx

/* ZF set if the 32 bytes at %rsi are all zero. */
zero32:
	movq (%rsi), %rax
	orq 8(%rsi), %rax
	orq 16(%rsi), %rax
	orq 24(%rsi), %rax
	ret

	.section .rodata
ok:	.ascii "entropy ok\n"

	.data
	.balign 8
a:	.skip 32
b:	.skip 32
c:	.byte 0, 0x5a
