/* base/spt/sys.h: raw Linux system calls (x86_64), the spt guest's only way to the host (private to base/spt).
 *
 * Only the calls of the tender's seccomp allowlist (abi/spt.h) are here;
 * any other kills the unikernel with SIGSYS. Each returns the kernel's
 * result: a value >= 0, or -errno.
 */
#ifndef RIAD_BASE_SPT_SYS_H
#define RIAD_BASE_SPT_SYS_H

#include <stddef.h>
#include <stdint.h>

#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_PREAD64 17
#define SYS_PWRITE64 18
#define SYS_FDATASYNC 75
#define SYS_ARCH_PRCTL 158
#define SYS_CLOCK_GETTIME 228
#define SYS_EXIT_GROUP 231
#define SYS_EPOLL_PWAIT 281
#define SYS_TIMERFD_SETTIME 286

#define SPT_EAGAIN 11
#define SPT_EINTR 4
#define SPT_CLOCK_REALTIME 0
#define SPT_CLOCK_MONOTONIC 1
#define SPT_TFD_TIMER_ABSTIME 1
#define SPT_ARCH_SET_FS 0x1002

struct spt_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct spt_itimerspec {
	struct spt_timespec it_interval;
	struct spt_timespec it_value;
};

/* struct epoll_event is packed on x86_64. */
struct spt_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

static inline long spt_syscall3(long n, long a1, long a2, long a3)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long spt_syscall4(long n, long a1, long a2, long a3, long a4)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long spt_syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((noreturn)) void spt_exit_group(int status)
{
	for (;;)
		spt_syscall3(SYS_EXIT_GROUP, status, 0, 0);
}

#endif
