/* tests/solo5/seccomp: spt only: a system call outside the allowlist (dup) kills the guest with SIGSYS (Solo5's test_seccomp). */
#include "../common.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	long ret;
	t_puts("calling dup(1)\n");
	__asm__ volatile("syscall" : "=a"(ret) : "a"(32L), "D"(1L) : "rcx", "r11", "memory");
	(void)ret;
	return T_FAILURE("dup was allowed");
}
