/* tests/tender/guest_net.S: spt test guest with net device "service": writes a 16-byte frame to it, reads one back and prints it, exits with its MTU mod 256. */
#include "guest.h"
	abi1_note
	mft1_begin 1
	mft_entry "service", MFT_NET_BASIC
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_MFT(%rdi), %rbx
	addq $(MFT_ENTRY0 + MFT_ENTRY_SIZE), %rbx	/* entry 1 */
	movl E_HOSTFD(%rbx), %edi
	leaq frame(%rip), %rsi
	movl $16, %edx
	sys SYS_write
	movl E_HOSTFD(%rbx), %edi
	leaq buf(%rip), %rsi
	movl $2048, %edx
	sys SYS_read
	cmpq $0, %rax
	jle 1f
	movq %rax, %rdx
	movl $1, %edi
	leaq buf(%rip), %rsi
	sys SYS_write
1:	movzwl E_MTU(%rbx), %edi
	andl $0xff, %edi
	sys SYS_exit_group

	.section .rodata
frame:	.ascii "NETFRAMEDATA1234"

	.bss
buf:	.skip 2048
