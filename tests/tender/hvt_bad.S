/* tests/tender/hvt_bad.S: hvt test guest: the hypercall or port access named by the first letter of its command line, each of which the tender must refuse by ending the guest (the guest halts with 99 if it is still running afterwards). */
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq BI_MEM_SIZE(%rdi), %r12
	movq BI_CMDLINE(%rdi), %rax
	movb (%rax), %al
	case 'a', puts_last_byte_plus_one
	case 'b', puts_huge_len
	case 'c', puts_wrapping
	case 'd', struct_across_end
	case 'e', struct_beyond_end
	case 'f', halt_bad_cookie
	case 'g', walltime_into_rodata
	case 'h', walltime_into_boot_info
	case 'i', hypercall_zero
	case 'j', port_past_hypercalls
	case 'k', port_in
	case 'l', port_outb
	case 'm', puts_at_end_len_zero
	case 'n', puts_top_bytes
	case 'o', walltime_into_text
	case 'p', halt_good_cookie
	halt $98

puts_last_byte_plus_one:			/* [mem - 1, mem + 1) */
	leaq -1(%r12), %rsi
	puts_rsi $2
	jmp survived
puts_huge_len:					/* len = 2^64 - 1 */
	leaq buf(%rip), %rsi
	puts_rsi $-1
	jmp survived
puts_wrapping:					/* data + len wraps to 16 */
	movq $-16, %rsi
	puts_rsi $32
	jmp survived
struct_across_end:				/* the 16-byte PUTS struct at mem - 8 */
	leaq -8(%r12), %rax
	hypercall HC_PUTS
	jmp survived
struct_beyond_end:				/* the struct at 4 GiB - 16 */
	movl $0xfffffff0, %eax
	hypercall HC_PUTS
	jmp survived
halt_bad_cookie:				/* cookie needs 512 bytes, has 100 */
	subq $16, %rsp
	leaq -100(%r12), %rax
	movq %rax, (%rsp)
	movl $0, 8(%rsp)
	movl %esp, %eax
	hypercall HC_HALT
	jmp survived
walltime_into_rodata:				/* the guest cannot write there */
	leaq ro(%rip), %rax
	hypercall HC_WALLTIME
	jmp survived
walltime_into_boot_info:			/* read-only in the guest's page tables */
	movl $0x10000, %eax
	hypercall HC_WALLTIME
	jmp survived
walltime_into_text:
	leaq _start(%rip), %rax
	hypercall HC_WALLTIME
	jmp survived
hypercall_zero:					/* port 0x500: reserved */
	leaq buf(%rip), %rax
	hypercall 0
	jmp survived
port_past_hypercalls:				/* port 0x509 */
	leaq buf(%rip), %rax
	hypercall 9
	jmp survived
port_in:					/* inl from a hypercall port */
	movw $0x502, %dx
	inl %dx, %eax
	jmp survived
port_outb:					/* a byte, not 32 bits */
	movw $0x502, %dx
	outb %al, %dx
	jmp survived
puts_at_end_len_zero:				/* starts outside memory, even if empty */
	movq %r12, %rsi
	puts_rsi $0
	jmp survived
puts_top_bytes:					/* the very last bytes are fine */
	leaq -6(%r12), %rsi
	movl $0x65676465, (%rsi)		/* "edge" */
	movw $0x0a21, 4(%rsi)			/* "!\n" */
	puts_rsi $6
	halt $0
halt_good_cookie:				/* exactly 512 bytes at the top */
	subq $16, %rsp
	leaq -512(%r12), %rax
	movq %rax, (%rsp)
	movl $255, 8(%rsp)
	movl %esp, %eax
	hypercall HC_HALT
	jmp survived

survived:
	halt $99

	.section .rodata
ro:	.quad 0

	.bss
buf:	.skip 64
