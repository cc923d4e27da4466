/* tests/tender/hvt_net.S: hvt test guest with net device "service", using the hypercalls: writes a 16-byte frame, waits for input with POLL, reads a frame back and prints it, checks the refusals, prints "net ok" and halts with its MTU mod 256 (or the number of the failed check, 50 and up); with "r", on a real tap, a runt frame is the guest's EINVAL (60 and up). */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 1
	mft_entry "service", MFT_NET_BASIC
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq %rdi, %r15
	movq BI_MFT(%rdi), %rbx
	addq $(MFT_ENTRY0 + MFT_ENTRY_SIZE), %rbx	/* entry 1 */
	movzwq E_MTU(%rbx), %r14
	leaq frame(%rip), %r12
	leaq buf(%rip), %r13
	movq BI_CMDLINE(%r15), %rcx
	movb (%rcx), %al
	case 'r', runt
	movl $50, %ebx				/* 50: write a frame */
	net HC_NET_WRITE, $1, %r12, $16
	cmpl $R_OK, %eax
	jne fail
	incl %ebx				/* 51: POLL sees device 1 ready */
	movq $1000000000, pollio(%rip)
	leaq pollio(%rip), %rax
	hypercall HC_POLL
	cmpl $1, pollio+16(%rip)
	jne fail
	cmpq $2, pollio+8(%rip)
	jne fail
	incl %ebx				/* 52: read it back */
	net HC_NET_READ, $1, %r13, $2048
	cmpl $R_OK, %eax
	jne fail
	cmpq $16, netio+16(%rip)
	jne fail
	movq %r13, %rsi
	puts_rsi $16
	incl %ebx				/* 53: nothing more: AGAIN */
	net HC_NET_READ, $1, %r13, $2048
	cmpl $R_AGAIN, %eax
	jne fail
	incl %ebx				/* 54: handle 0 */
	net HC_NET_WRITE, $0, %r12, $16
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 55: a frame larger than MTU + 14 */
	leaq 15(%r14), %rcx
	net HC_NET_WRITE, $1, %r13, %rcx
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 56: no handle 2 */
	net HC_NET_READ, $2, %r13, $2048
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 57: a ring, if offered, lies right above mem_size */
	testl $1, BI_HOST_FEATURES(%r15)
	jz 1f
	movq BI_NET_RING(%r15), %rax
	cmpq BI_MEM_SIZE(%r15), %rax
	jne fail
1:	puts ok, 8
	andl $0xff, %r14d
	halt %r14d
fail:
	halt %ebx

/* "r", on a real tap: a 10-byte frame, shorter than an Ethernet header,
 * which the tap refuses (EINVAL), is the guest's EINVAL, not the end of
 * the tender; a whole frame after it still goes out. */
runt:
	movl $60, %ebx				/* 60: the runt refused */
	net HC_NET_WRITE, $1, %r12, $10
	cmpl $R_EINVAL, %eax
	jne fail
	incl %ebx				/* 61: then a frame written */
	net HC_NET_WRITE, $1, %r12, $16
	cmpl $R_OK, %eax
	jne fail
	puts runt_ok, 13
	halt $0

	.section .rodata
frame:	.ascii "NETFRAMEDATA1234"
ok:	.ascii "\nnet ok\n"
runt_ok:	.ascii "runt refused\n"

	.data
	.balign 8
netio:	.skip 32
pollio:	.skip 24

	.bss
buf:	.skip 2048
