/* tests/tender/hvt_macros.S: assembler macros for the hand-made hvt test guests (included, not built alone): Solo5 notes, the fake PT_INTERP, hypercalls. */

/* Hypercall numbers (abi/hvt.h): hypercall n is outl to port 0x500 + n. */
#define HC_WALLTIME 1
#define HC_PUTS 2
#define HC_POLL 3
#define HC_BLOCK_WRITE 4
#define HC_BLOCK_READ 5
#define HC_NET_WRITE 6
#define HC_NET_READ 7
#define HC_HALT 8

/* struct riad_hvt_boot_info */
#define BI_MEM_SIZE 0
#define BI_KERNEL_END 8
#define BI_CPU_FREQ 16
#define BI_CMDLINE 24
#define BI_MFT 32
#define BI_HOST_FEATURES 40
#define BI_GUEST_FEATURES 44
#define BI_NET_RING 48

/* The manifest (abi/mft.h) */
#define MFT_BLOCK_BASIC 1
#define MFT_NET_BASIC 2
#define MFT_RESERVED_FIRST 0x40000000
#define MFT_ENTRY0 8
#define MFT_ENTRY_SIZE 104
#define E_CAPACITY 72
#define E_BLOCK_SIZE 80
#define E_MTU 78
#define E_ATTACHED 96

/* solo5_result_t */
#define R_OK 0
#define R_AGAIN 1
#define R_EINVAL 2

	/* flags: reserved0, the RIAD_ABI1_F_* extensions a riad guest asks
	 * for (abi/elf_note.h). */
	.macro abi1_note target=1, version=2, flags=0
	.pushsection .note.solo5.abi, "a", @note
	.balign 4
	.long 6, 16, 0x31494241
	.ascii "Solo5\0\0\0"
	.long \target, \version, \flags, 0
	.popsection
	.endm

	.macro mft_entry name, type
9:	.ascii "\name"
	.skip 68 - (. - 9b)
	.long \type
	.skip 32
	.endm

	/* mft1_begin N; N x mft_entry; mft1_end */
	.macro mft1_begin ndev
	.pushsection .note.solo5.manifest, "a", @note
	.balign 8
	.long 6, 4 + 8 + (\ndev + 1) * 104, 0x3154464d
	.ascii "Solo5\0\0\0"
	.long 0
	.long 1, \ndev + 1
	mft_entry "", MFT_RESERVED_FIRST
	.endm

	.macro mft1_end
	.popsection
	.endm

	.macro interp
	.pushsection .interp, "a"
	.asciz "/nonexistent/solo5/"
	.popsection
	.endm

	/* Hypercall nr with the struct at the 32-bit address in reg. */
	.macro hypercall nr, reg=%eax
	.ifnc \reg,%eax
	movl \reg, %eax
	.endif
	movw $(0x500 + \nr), %dx
	outl %eax, %dx
	.endm

	/* NET_WRITE or NET_READ: handle, data, len (operands, immediates
	 * with $), through the guest's 32-byte netio; leaves ret in %eax. */
	.macro net nr, handle, data, len
	movq \handle, netio(%rip)
	movq \data, netio+8(%rip)
	movq \len, netio+16(%rip)
	movl $-1, netio+24(%rip)
	leaq netio(%rip), %rax
	hypercall \nr
	movl netio+24(%rip), %eax
	.endm

	/* HALT with status (an immediate or a 32-bit register), no cookie. */
	.macro halt status
	subq $16, %rsp
	movq $0, (%rsp)
	movl \status, 8(%rsp)
	movl %esp, %eax
	hypercall HC_HALT
	.endm

	/* PUTS len bytes at the 64-bit address in %rsi. */
	.macro puts_rsi len
	subq $16, %rsp
	movq %rsi, (%rsp)
	movq \len, 8(%rsp)
	movl %esp, %eax
	hypercall HC_PUTS
	addq $16, %rsp
	.endm

	/* PUTS a constant string. */
	.macro puts label, len
	leaq \label(%rip), %rsi
	puts_rsi $\len
	.endm

	/* Jump to label when %al holds letter (a guest's command-line
	 * switch on its first byte). */
	.macro case letter, label
	cmpb $\letter, %al
	je \label
	.endm
