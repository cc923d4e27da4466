/* tests/tender/guest.h: assembler macros for the hand-made test guests: the Solo5 ABI1 and MFT1 notes, the fake PT_INTERP, system calls.
 *
 * Each note goes in its own section; guest.lds puts each section in its own
 * PT_NOTE, as the tenders require.
 */
#define SYS_read 0
#define SYS_write 1
#define SYS_pread64 17
#define SYS_dup 32
#define SYS_exit_group 231

/* mft_type values (abi/mft.h) */
#define MFT_BLOCK_BASIC 1
#define MFT_NET_BASIC 2
#define MFT_RESERVED_FIRST 0x40000000

/* Offsets in the spt boot info and the manifest (abi/spt.h, abi/mft.h). */
#define BI_MEM_SIZE 0
#define BI_CMDLINE 16
#define BI_MFT 24
#define MFT_ENTRY0 8
#define MFT_ENTRY_SIZE 104
#define E_CAPACITY 72
#define E_BLOCK_SIZE 80
#define E_MTU 78
#define E_HOSTFD 88

	/* flags: reserved0, the RIAD_ABI1_F_* extensions a riad guest asks
	 * for (abi/elf_note.h). */
	.macro abi1_note target=2, version=2, flags=0
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

	.macro sys nr
	movl $\nr, %eax
	syscall
	.endm
