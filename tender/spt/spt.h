/* tender/spt/spt.h: the parts of riad-spt: guest memory in the tender's own address space, boot info, the seccomp sandbox, the jump.
 *
 * The guest runs inside this process: its memory is mapped at the host
 * address equal to its guest address (from RIAD_SPT_HOST_MEM_BASE), so the
 * tender must live above it (it is a PIE, loaded high, and checks). Once the
 * seccomp filter is loaded the process can make only the guest's system
 * calls, so everything the guest needs is set up before it.
 */
#ifndef RIAD_TENDER_SPT_H
#define RIAD_TENDER_SPT_H

#include <seccomp.h>
#include <stdint.h>

#include "../common/error.h"
#include "../common/guest.h"
#include "../common/tender.h"

struct spt {
	struct guest_mem mem; /* base RIAD_SPT_HOST_MEM_BASE, host == base */
	int epollfd; /* the epoll set solo5_yield waits on */
	int timerfd; /* its timer */
};

/* Maps mem_size - RIAD_SPT_HOST_MEM_BASE bytes at RIAD_SPT_HOST_MEM_BASE,
 * read-write, after checking that the tender lies above it and that the
 * process does not have the READ_IMPLIES_EXEC personality. */
int spt_mem_map(struct spt *s, uint64_t mem_size, struct tender_error *err);

/* elf_protect_fn for spt: mprotect() of the guest range. */
int spt_mem_protect(void *arg, uint64_t start, uint64_t end, int prot);

/* Creates the epoll set and timer and adds every attached net device. */
int spt_poll_init(struct spt *s, const struct riad_mft *mft, struct tender_error *err);

/* Writes the boot info, the manifest copy and the command line at
 * RIAD_SPT_BOOT_INFO_BASE. */
int spt_boot_write(struct spt *s, const struct tender *t, uint64_t kernel_end,
		   struct tender_error *err);

/* Builds the allowlist (see abi/spt.h) and loads it into the kernel: after
 * this only the guest's system calls are possible. */
int spt_seccomp_apply(const struct spt *s, const struct riad_mft *mft, struct tender_error *err);

/* Sets RSP = sp and RDI = arg and jumps to entry; never returns
 * (tender/spt/spt_launch.S). */
void spt_launch(uint64_t sp, uint64_t entry, uint64_t arg) __attribute__((noreturn));

#endif
