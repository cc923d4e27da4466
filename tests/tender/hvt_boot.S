/* tests/tender/hvt_boot.S: hvt test guest: checks the initial registers and the boot info (a failed check halts with its number, 10 and up), prints "boot ok" and halts with its memory size in MiB mod 256. */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movl $10, %ebx
	cmpq $0x10000, %rdi			/* RDI = boot info */
	jne fail
	movq BI_MEM_SIZE(%rdi), %r12
	incl %ebx				/* 11: RSP = mem_size - 8 */
	leaq -8(%r12), %rax
	cmpq %rax, %rsp
	jne fail
	incl %ebx				/* 12: mem_size a multiple of 2 MiB */
	testq $0x1fffff, %r12
	jnz fail
	incl %ebx				/* 13: kernel_end page aligned, past the loaded image (a
						   segment of bss alone is not loaded), in memory */
	movq BI_KERNEL_END(%rdi), %rax
	testq $0xfff, %rax
	jnz fail
	leaq ok(%rip), %rcx
	cmpq %rcx, %rax
	jbe fail
	cmpq %r12, %rax
	ja fail
	incl %ebx				/* 14: a TSC frequency */
	cmpq $0, BI_CPU_FREQ(%rdi)
	je fail
	incl %ebx				/* 15: command line and manifest in low memory */
	movq BI_CMDLINE(%rdi), %rax
	cmpq $0x10038, %rax
	jb fail
	cmpq $0x100000, %rax
	jae fail
	movq BI_MFT(%rdi), %rax
	cmpq $0x10038, %rax			/* right after the 56-byte boot info */
	jne fail
	incl %ebx				/* 16: the manifest copy: version 1, 1 entry */
	cmpl $1, (%rax)
	jne fail
	cmpl $1, 4(%rax)
	jne fail
	incl %ebx				/* 17: without a net device no ring: only ENTROPY */
	cmpl $0x80000000, BI_HOST_FEATURES(%rdi)
	jne fail
	cmpl $0, BI_GUEST_FEATURES(%rdi)
	jne fail
	cmpq $0, BI_NET_RING(%rdi)
	jne fail
	incl %ebx				/* 18: all other registers zero */
	movq %rsi, %rax
	orq %rdx, %rax
	orq %rbp, %rax
	orq %r8, %rax
	orq %r9, %rax
	orq %r10, %rax
	orq %r11, %rax
	orq %r13, %rax
	orq %r14, %rax
	orq %r15, %rax
	jnz fail
	incl %ebx				/* 19: bss is zero and writable */
	cmpq $0, scratch(%rip)
	jne fail
	movq $0x1234, scratch(%rip)
	cmpq $0x1234, scratch(%rip)
	jne fail
	incl %ebx				/* 20: write protect, long mode */
	movq %cr0, %rax
	btq $16, %rax
	jnc fail
	movl $0xc0000080, %ecx			/* EFER */
	rdmsr
	btl $10, %eax				/* LMA */
	jnc fail
	incl %ebx				/* 21: EFER.NXE set if the CPU has NX */
	movl %eax, %r13d
	movl $0x80000001, %eax
	cpuid
	btl $20, %edx
	jnc 1f
	btl $11, %r13d
	jnc fail
1:
	puts ok, 8
	shrq $20, %r12
	andl $0xff, %r12d
	halt %r12d
fail:
	halt %ebx

	.section .rodata
ok:	.ascii "boot ok\n"

	.bss
	.balign 8
scratch: .skip 8
