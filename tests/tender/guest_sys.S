/* tests/tender/guest_sys.S: spt test guest probing the seccomp allowlist: the first character of its command line picks one system call; it exits with 0 if the call returned. */
#include "guest.h"
#define SYS_arch_prctl 158
#define SYS_clock_gettime 228
#define SYS_epoll_pwait 281
#define SYS_timerfd_settime 286
#define BI_EPOLLFD 32
#define BI_TIMERFD 36

	abi1_note
	mft1_begin 0
	mft1_end
	interp

	.text
	.globl _start
_start:
	movq %rdi, %rbx			/* boot info */
	movq BI_CMDLINE(%rbx), %rax
	movzbl (%rax), %eax
	cmpb $'0', %al
	je write_fd2
	cmpb $'1', %al
	je clock_mono
	cmpb $'2', %al
	je clock_real
	cmpb $'3', %al
	je clock_cpu
	cmpb $'4', %al
	je set_fs
	cmpb $'5', %al
	je get_fs
	cmpb $'6', %al
	je epoll_ok
	cmpb $'7', %al
	je epoll_bad
	cmpb $'8', %al
	je timer_ok
	cmpb $'9', %al
	je timer_bad
	cmpb $'r', %al
	je read_stdin
	movl $2, %edi			/* unknown choice */
	jmp out

write_fd2:
	movl $2, %edi
	leaq msg(%rip), %rsi
	movl $1, %edx
	sys SYS_write
	jmp ok
clock_mono:
	movl $1, %edi
	jmp clock
clock_real:
	xorl %edi, %edi
	jmp clock
clock_cpu:
	movl $2, %edi
clock:	leaq ts(%rip), %rsi
	sys SYS_clock_gettime
	jmp ok
set_fs:
	movl $0x1002, %edi
	leaq ts(%rip), %rsi
	sys SYS_arch_prctl
	jmp ok
get_fs:
	movl $0x1003, %edi
	leaq ts(%rip), %rsi
	sys SYS_arch_prctl
	jmp ok
epoll_ok:
	movl BI_EPOLLFD(%rbx), %edi
	jmp epoll
epoll_bad:
	xorl %edi, %edi
epoll:	leaq ev(%rip), %rsi
	movl $1, %edx
	xorl %r10d, %r10d		/* timeout 0 */
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	sys SYS_epoll_pwait
	jmp ok
timer_ok:
	movl BI_TIMERFD(%rbx), %edi
	jmp timer
timer_bad:
	movl BI_EPOLLFD(%rbx), %edi
timer:	xorl %esi, %esi
	leaq its(%rip), %rdx
	xorl %r10d, %r10d
	sys SYS_timerfd_settime
	jmp ok
read_stdin:
	xorl %edi, %edi
	leaq ts(%rip), %rsi
	movl $1, %edx
	sys SYS_read
ok:	xorl %edi, %edi
out:	sys SYS_exit_group

	.section .rodata
msg:	.ascii "!"

	.bss
	.balign 16
ts:	.skip 16
its:	.skip 32
ev:	.skip 16
