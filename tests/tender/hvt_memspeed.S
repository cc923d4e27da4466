/* tests/tender/hvt_memspeed.S: hvt test guest that times a memory loop and a register-only loop, first in ring 0 (where every Solo5 guest runs) and then in ring 3, and prints one line per loop; built with -DHOST_BASELINE it is a static host program running the same loops (tests/tender/hvt_memspeed.t and bench/hvt_memspeed.sh build it in their own run).
 *
 * Command line (guest): K0 K3, the KiB of memory each ring-0 and ring-3
 * loop covers (defaults 64 and 65536; 0 skips that ring). Host program:
 * K, the same for its one set of loops (default 65536).
 *
 * The memory loop goes over a 1 MiB buffer in passes of at most 1 MiB until
 * it has covered K KiB; a pass stores every qword of its part of the buffer
 * and then loads and sums every qword. The register loop runs the same
 * number of iterations without touching memory. Before they are timed, one
 * untimed memory pass over the part of the buffer they use takes the
 * first-touch costs (page faults, shadow page tables). Each loop is timed by
 * the wall clock read just before and just after it (WALLTIME in the guest,
 * clock_gettime(CLOCK_REALTIME) on the host; a guest reads no TSC). Then
 * 100 clock reads in a row are timed: the cost of a hypercall (a system
 * call on the host). Output, one line each:
 *
 *   cpl0 mem KIB NS   cpl0 alu KIB NS   cpl0 hcall 100 NS   (ring 0, as started)
 *   cpl3 mem KIB NS   cpl3 alu KIB NS   cpl3 hcall 100 NS   (ring 3)
 *   host mem KIB NS   host alu KIB NS   host hcall 100 NS   (the host program)
 *
 * then HALT (exit) with 0. The guest halts with 3 on a trap in ring 3.
 *
 * Ring 3: the guest builds its own identity map of its memory with user
 * pages (2 MiB, U/S set; the tender's tables have no user pages), a GDT
 * with user segments and a TSS, and an IDT, then enters ring 3 with iretq.
 * The TSS's I/O permission bitmap allows the hypercall ports, so that a
 * hypercall's outl works unchanged in ring 3 (kvm-pvm honours the bitmap,
 * though not IOPL 3). Should a host refuse it anyway, the #GP handler
 * performs the outl in ring 0 and returns past it. Every other trap halts
 * the guest with 3.
 */
#ifdef HOST_BASELINE
#define SYS_write 1
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#else
#include "hvt_macros.S"
	abi1_note
	mft1_begin 0
	mft1_end
	interp
#endif

#define BUF_SIZE (1 << 20)
#define HCALLS 100

/* The ring-3 set-up (guest only) */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x18
#define SEL_UCODE 0x20
#define SEL_TSS 0x28
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_US 0x4
#define PTE_PS 0x80
#define TRAP_VECTORS 32
#define VEC_GP 13
#define HALT_TRAP 3

	.text
	.globl _start
_start:
#ifdef HOST_BASELINE
	movl $65536, %r15d
	cmpq $2, (%rsp)				/* argc */
	jb 1f
	movq 16(%rsp), %rsi			/* argv[1] */
	call parse_u64
	movq %rax, %r15
1:	leaq n_host(%rip), %r13
	movq %r15, %rdi
	call measure
	xorl %edi, %edi
	movl $SYS_exit_group, %eax
	syscall
#else
	movq BI_MEM_SIZE(%rdi), %rax
	movq %rax, mem_size(%rip)
	movl $64, %r14d
	movl $65536, %r15d
	movq BI_CMDLINE(%rdi), %rsi
	call skip_spaces
	cmpb $0, (%rsi)
	je 1f
	call parse_u64
	movq %rax, %r14
	call skip_spaces
	cmpb $0, (%rsi)
	je 1f
	call parse_u64
	movq %rax, %r15
1:	leaq n_cpl0(%rip), %r13
	movq %r14, %rdi
	call measure
	testq %r15, %r15
	jz 2f
	call enter_ring3
	leaq n_cpl3(%rip), %r13
	movq %r15, %rdi
	call measure
2:	halt $0
#endif

/* measure: warms up, then times the memory loop and the register loop over
 * %rdi KiB (nothing for 0), then HCALLS clock reads, and prints their lines
 * with the prefix at %r13. Clobbers everything but %r13, %r14, %r15. */
measure:
	testq %rdi, %rdi
	jz 9f
	pushq %r12
	pushq %rbx
	movq %rdi, %r12				/* KiB */
	movq %rdi, %rax				/* warm-up: min(KiB, buffer) */
	cmpq $BUF_SIZE >> 10, %rax
	jbe 1f
	movl $BUF_SIZE >> 10, %eax
1:	movq %rax, %rdi
	call mem_loop
	call now
	movq %rax, %rbx
	movq %r12, %rdi
	call mem_loop
	call now
	subq %rbx, %rax
	leaq n_mem(%rip), %rsi
	movq %rax, %rdx
	movq %r12, %rdi
	call print_line
	call now
	movq %rax, %rbx
	movq %r12, %rdi
	call alu_loop
	call now
	subq %rbx, %rax
	leaq n_alu(%rip), %rsi
	movq %rax, %rdx
	movq %r12, %rdi
	call print_line
	movl $HCALLS, %r12d
	call now
	movq %rax, %rbx
2:	call now
	decl %r12d
	jnz 2b
	subq %rbx, %rax
	leaq n_hcall(%rip), %rsi
	movq %rax, %rdx
	movl $HCALLS, %edi
	call print_line
	popq %rbx
	popq %r12
9:	ret

/* mem_loop: %rdi KiB (> 0) of memory passes over buf. Clobbers rax, rcx,
 * rdx, rsi, rdi. */
mem_loop:
	shlq $10, %rdi				/* bytes left */
	xorl %eax, %eax
1:	movq %rdi, %rdx
	cmpq $BUF_SIZE, %rdx
	jbe 2f
	movl $BUF_SIZE, %edx
2:	subq %rdx, %rdi
	shrq $3, %rdx				/* qwords in this pass */
	leaq buf(%rip), %rsi
	movq %rdx, %rcx
3:	movq %rcx, (%rsi)
	addq $8, %rsi
	decq %rcx
	jnz 3b
	leaq buf(%rip), %rsi
	movq %rdx, %rcx
4:	addq (%rsi), %rax
	addq $8, %rsi
	decq %rcx
	jnz 4b
	testq %rdi, %rdi
	jnz 1b
	movq %rax, sink(%rip)
	ret

/* alu_loop: as many iterations as mem_loop (two per qword), no memory. */
alu_loop:
	shlq $8, %rdi				/* qwords x 2 */
	xorl %eax, %eax
1:	addq %rdi, %rax
	xorq $0x55, %rax
	decq %rdi
	jnz 1b
	movq %rax, sink(%rip)
	ret

/* print_line: writes "PREFIX NAME KIB NS\n" (prefix at %r13, name at
 * %rsi, KiB in %rdi, nanoseconds in %rdx). */
print_line:
	pushq %rdx
	pushq %rdi
	pushq %rsi
	movq %r13, %rsi
	call write_str
	popq %rsi
	call write_str
	popq %rax
	call write_u64
	popq %rax
	call write_u64
	leaq nl(%rip), %rsi
	jmp write_str

/* write_u64: writes " " and %rax in decimal. */
write_u64:
	leaq numbuf_end(%rip), %rdi
	movl $10, %ecx
1:	xorl %edx, %edx
	divq %rcx
	addb $'0', %dl
	decq %rdi
	movb %dl, (%rdi)
	testq %rax, %rax
	jnz 1b
	decq %rdi
	movb $' ', (%rdi)
	movq %rdi, %rsi
	leaq numbuf_end(%rip), %rcx
	subq %rdi, %rcx
	jmp write

/* write_str: writes the NUL-terminated string at %rsi. */
write_str:
	xorl %ecx, %ecx
1:	cmpb $0, (%rsi,%rcx)
	je write
	incq %rcx
	jmp 1b

/* write: %rcx bytes at %rsi to the console (PUTS) or standard output. */
write:
#ifdef HOST_BASELINE
	movq %rcx, %rdx
	movl $1, %edi
	movl $SYS_write, %eax
	syscall
	ret
#else
	leaq puts_args(%rip), %rax
	movq %rsi, (%rax)
	movq %rcx, 8(%rax)
	hypercall HC_PUTS
	ret
#endif

/* now: %rax = the wall clock in nanoseconds. */
now:
#ifdef HOST_BASELINE
	subq $16, %rsp
	xorl %edi, %edi				/* CLOCK_REALTIME, as WALLTIME */
	movq %rsp, %rsi
	movl $SYS_clock_gettime, %eax
	syscall
	imulq $1000000000, (%rsp), %rax
	addq 8(%rsp), %rax
	addq $16, %rsp
	ret
#else
	leaq wt(%rip), %rax
	hypercall HC_WALLTIME
	movq wt(%rip), %rax
	ret
#endif

/* parse_u64: %rax = the decimal number at %rsi; %rsi ends past it. */
parse_u64:
	xorl %eax, %eax
1:	movzbl (%rsi), %ecx
	subl $'0', %ecx
	cmpl $9, %ecx
	ja 2f
	imulq $10, %rax
	addq %rcx, %rax
	incq %rsi
	jmp 1b
2:	ret

#ifndef HOST_BASELINE
skip_spaces:
1:	cmpb $' ', (%rsi)
	jne 2f
	incq %rsi
	jmp 1b
2:	ret

/* gate: IDT entry %ecx -> handler %rax (ring-0 interrupt gate). */
gate:
	shlq $4, %rcx
	leaq idt(%rip), %rdx
	addq %rcx, %rdx
	movw %ax, (%rdx)
	movw $SEL_KCODE, 2(%rdx)
	movw $0x8e00, 4(%rdx)			/* present, DPL 0, 64-bit interrupt gate */
	shrq $16, %rax
	movw %ax, 6(%rdx)
	shrq $16, %rax
	movl %eax, 8(%rdx)
	movl $0, 12(%rdx)
	ret

/* enter_ring3: the user-page identity map of [0, mem_size), the GDT, TSS
 * and IDT; returns in ring 3. */
enter_ring3:
	leaq pd(%rip), %rdi			/* 4 page directories, 2 MiB pages */
	movq mem_size(%rip), %r8
	xorl %eax, %eax
1:	cmpq %r8, %rax
	jae 2f
	movq %rax, %rdx
	orq $PTE_P | PTE_RW | PTE_US | PTE_PS, %rdx
	movq %rdx, (%rdi)
	addq $8, %rdi
	addq $0x200000, %rax
	jmp 1b
2:	leaq pdpt(%rip), %rdi
	leaq pd(%rip), %rax
	orq $PTE_P | PTE_RW | PTE_US, %rax
	movl $4, %ecx
3:	movq %rax, (%rdi)
	addq $8, %rdi
	addq $0x1000, %rax
	decl %ecx
	jnz 3b
	leaq pdpt(%rip), %rax
	orq $PTE_P | PTE_RW | PTE_US, %rax
	movq %rax, pml4(%rip)
	leaq pml4(%rip), %rax
	movq %rax, %cr3
	leaq kstack_top(%rip), %rax		/* TSS.RSP0 */
	movq %rax, tss + 4(%rip)
	leaq tss(%rip), %rax			/* its descriptor: base, limit, type 9, P */
	movq %rax, %rdx
	andq $0xffffff, %rdx
	shlq $16, %rdx
	orq $tss_end - tss - 1, %rdx
	movq %rax, %rcx
	shrq $24, %rcx
	andq $0xff, %rcx
	shlq $56, %rcx
	orq %rcx, %rdx
	movabsq $0x0000890000000000, %rcx
	orq %rcx, %rdx
	movq %rdx, gdt + SEL_TSS(%rip)
	shrq $32, %rax
	movq %rax, gdt + SEL_TSS + 8(%rip)
	lgdt gdtr(%rip)
	movw $SEL_TSS, %ax
	ltr %ax
	xorl %ebx, %ebx
4:	leaq trap_entry(%rip), %rax
	cmpl $VEC_GP, %ebx
	jne 5f
	leaq gp_entry(%rip), %rax
5:	movl %ebx, %ecx
	call gate
	incl %ebx
	cmpl $TRAP_VECTORS, %ebx
	jb 4b
	lidt idtr(%rip)
	popq %rax				/* return address */
	movq %rsp, %rcx
	pushq $SEL_UDATA | 3
	pushq %rcx
	pushq $0x2				/* RFLAGS: IF clear */
	pushq $SEL_UCODE | 3
	pushq %rax
	iretq

/* #GP: an outl %eax, (%dx) from ring 3 is a hypercall: do it, step over
 * it (one byte, 0xef). Anything else halts the guest. */
gp_entry:
	addq $8, %rsp				/* the error code */
	pushq %rsi
	movq 8(%rsp), %rsi			/* the faulting RIP */
	cmpb $0xef, (%rsi)
	popq %rsi
	jne trap_entry
	outl %eax, %dx
	incq (%rsp)
	iretq

trap_entry:
	leaq trap_halt(%rip), %rax
	hypercall HC_HALT
#endif

	.section .rodata
#ifdef HOST_BASELINE
n_host:	.asciz "host"
#else
n_cpl0:	.asciz "cpl0"
n_cpl3:	.asciz "cpl3"
#endif
n_mem:	.asciz " mem"
n_alu:	.asciz " alu"
n_hcall: .asciz " hcall"
nl:	.asciz "\n"

	.data
	.balign 8
sink:	.quad 0
numbuf:	.skip 23
numbuf_end:
#ifndef HOST_BASELINE
	.balign 8
wt:	.quad 0
puts_args: .quad 0, 0
trap_halt: .quad 0, HALT_TRAP
mem_size: .quad 0
gdtr:	.word gdt_end - gdt - 1
	.quad gdt
idtr:	.word TRAP_VECTORS * 16 - 1
	.quad idt
	.balign 8
gdt:	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08 ring-0 code, 64-bit */
	.quad 0x00cf92000000ffff		/* 0x10 ring-0 data */
	.quad 0x00cff2000000ffff		/* 0x18 ring-3 data */
	.quad 0x00affa000000ffff		/* 0x20 ring-3 code, 64-bit */
	.quad 0, 0				/* 0x28 TSS, written at run time */
gdt_end:
	.balign 16
tss:	.skip 102				/* RSP0 at 4, written at run time */
	.word iomap - tss
iomap:	.fill 0x500 / 8, 1, 0xff		/* ports 0 - 0x4ff: refused */
	.byte 0, 0				/* 0x500 - 0x50f: the hypercalls */
	.byte 0xff				/* the bitmap's terminating byte */
tss_end:
#endif

	.bss
	.balign 4096
buf:	.skip BUF_SIZE
#ifndef HOST_BASELINE
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4 * 4096
idt:	.skip TRAP_VECTORS * 16
	.balign 16
kstack:	.skip 4096
kstack_top:
#endif
