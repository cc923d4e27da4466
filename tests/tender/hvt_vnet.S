/* tests/tender/hvt_vnet.S: hvt test guest that asks for riad's net extension (RIAD_ABI1_F_NET_OFFLOAD in its ABI1 note) and, on a real tap, checks that riad-hvt granted it (riad_flags has VNET), that a frame behind a header the tap refuses (an unknown gso_type) is the guest's EINVAL with the tender running on, and that a frame behind a plain header goes out; prints "vnet ok" and halts with 0, or with the number of the failed check (70 and up). */
#include "hvt_macros.S"
	abi1_note 1, 2, 2			/* reserved0: NET_OFFLOAD */
	mft1_begin 1
	mft_entry "service", MFT_NET_BASIC
	mft1_end
	interp

#define E_NET_RIAD_FLAGS 80
#define NET_F_VNET 1

	.text
	.globl _start
_start:
	movq BI_MFT(%rdi), %rbx
	addq $(MFT_ENTRY0 + MFT_ENTRY_SIZE), %rbx	/* entry 1 */
	movl $70, %r12d				/* 70: granted */
	testb $NET_F_VNET, E_NET_RIAD_FLAGS(%rbx)
	jz fail
	incl %r12d				/* 71: a header the tap refuses */
	leaq bad(%rip), %r13
	net HC_NET_WRITE, $1, %r13, $26
	cmpl $R_EINVAL, %eax
	jne fail
	incl %r12d				/* 72: a plain header and frame */
	leaq good(%rip), %r13
	net HC_NET_WRITE, $1, %r13, $26
	cmpl $R_OK, %eax
	jne fail
	puts ok, 8
	halt $0
fail:
	halt %r12d

	.section .rodata
ok:	.ascii "vnet ok\n"
	/* struct virtio_net_hdr (10 bytes), then a 16-byte frame. */
bad:	.byte 0, 0x7f				/* flags, gso_type: none such */
	.short 0, 0, 0, 0
	.ascii "VNETFRAMEDATA123"
good:	.byte 0, 0				/* no offload */
	.short 0, 0, 0, 0
	.ascii "VNETFRAMEDATA123"

	.data
	.balign 8
netio:	.skip 32
