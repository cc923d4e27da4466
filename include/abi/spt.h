/* abi/spt.h: the spt ABI (version 2): how riad-spt (or solo5-spt) hands over to a guest.
 *
 * The guest runs inside the tender process, in a seccomp sandbox. Guest
 * memory is mapped at host virtual address RIAD_SPT_HOST_MEM_BASE up to
 * mem_size, and a guest address is the same number as the host address
 * (page 0 to 0xffff stays unmapped: Linux forbids mapping it). The ELF image
 * is loaded at RIAD_SPT_GUEST_MIN_BASE and up, with its segments' permissions.
 *
 * At RIAD_SPT_BOOT_INFO_BASE the tender writes struct riad_spt_boot_info,
 * then a copy of the filled-in manifest (abi/mft.h), then the command line
 * (the tender's arguments after KERNEL joined with single spaces, NUL-
 * terminated, at most RIAD_SPT_CMDLINE_SIZE - 1 characters). It then jumps to
 * e_entry with RSP = mem_size - 8 and RDI = RIAD_SPT_BOOT_INFO_BASE.
 *
 * The guest talks to the host with raw Linux system calls only, within the
 * tender's seccomp allowlist: write(1, ...); exit_group; epoll_pwait on
 * epollfd; timerfd_settime on timerfd; clock_gettime(CLOCK_MONOTONIC or
 * CLOCK_REALTIME); arch_prctl(ARCH_SET_FS); read and write on each attached
 * net device's hostfd; pread64 and pwrite64 on each attached block device's
 * hostfd with count == block_size and offset <= capacity - block_size. Any
 * other call kills the process with SIGSYS. epollfd carries each net
 * device's fd with its manifest index as event data, and the internal timer
 * with RIAD_SPT_INTERNAL_TIMERFD.
 *
 * Self-contained C99 (plus _Static_assert).
 */
#ifndef RIAD_ABI_SPT_H
#define RIAD_ABI_SPT_H

#include <stddef.h>
#include <stdint.h>

#define RIAD_SPT_ABI_TARGET 2u
#define RIAD_SPT_ABI_VERSION_CURRENT 2u

#define RIAD_SPT_HOST_MEM_BASE 0x10000u
#define RIAD_SPT_BOOT_INFO_BASE (RIAD_SPT_HOST_MEM_BASE + 0x1000u)
#define RIAD_SPT_GUEST_MIN_BASE 0x100000u
#define RIAD_SPT_CMDLINE_SIZE 8192u

/* epoll event data of the tender's timerfd (a 32-bit ~1, zero-extended). */
#define RIAD_SPT_INTERNAL_TIMERFD ((uint64_t)(uint32_t)~1u)

/* Pointers are plain addresses, valid in both views (guest == host). */
struct riad_spt_boot_info {
	uint64_t mem_size; /* bytes; the top of memory and of the initial stack */
	uint64_t kernel_end; /* highest page-aligned end of a loaded segment */
	uint64_t cmdline; /* address of the NUL-terminated command line */
	uint64_t mft; /* address of the manifest copy (struct riad_mft) */
	int32_t epollfd; /* the epoll set solo5_yield waits on */
	int32_t timerfd; /* the CLOCK_MONOTONIC timerfd solo5_yield arms */
};

_Static_assert(sizeof(struct riad_spt_boot_info) == 40, "spt boot info size");
_Static_assert(offsetof(struct riad_spt_boot_info, mem_size) == 0, "mem_size");
_Static_assert(offsetof(struct riad_spt_boot_info, kernel_end) == 8, "kernel_end");
_Static_assert(offsetof(struct riad_spt_boot_info, cmdline) == 16, "cmdline");
_Static_assert(offsetof(struct riad_spt_boot_info, mft) == 24, "mft");
_Static_assert(offsetof(struct riad_spt_boot_info, epollfd) == 32, "epollfd");
_Static_assert(offsetof(struct riad_spt_boot_info, timerfd) == 36, "timerfd");
_Static_assert(RIAD_SPT_BOOT_INFO_BASE == 0x11000, "spt boot info address");
_Static_assert(RIAD_SPT_INTERNAL_TIMERFD == 0xfffffffeu, "spt timer event data");

#endif
