/* tender/hvt/hvt_seccomp.c: the riad-hvt sandbox: a libseccomp allowlist (a subset of Solo5's, with arguments pinned), loaded from exported BPF into every thread. */
#include "hvt.h"
#include "../common/sandbox.h"

#include <errno.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* BPF programs are capped at 4096 instructions. */
#define HVT_BPF_MAX 4096

static int allow_fd(scmp_filter_ctx ctx, int nr, const char *what, int fd,
		    struct tender_error *err)
{
	struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd);

	return sandbox_allow(ctx, nr, what, 1, &a, err);
}

static int build(scmp_filter_ctx ctx, const struct hvt *h, struct tender_error *err)
{
	static const int plain[] = {SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn),
				    SCMP_SYS(munmap), SCMP_SYS(madvise)};
	static const int threads[] = {SCMP_SYS(futex), SCMP_SYS(exit), SCMP_SYS(rt_sigprocmask)};
	struct scmp_arg_cmp a[2];
	int efd = hvt_ring_eventfd(h), dc_request, dc_reply;

	/* The vCPU loop, and reading its registers for a fatal message. */
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)h->vcpu);
	a[1] = SCMP_A1(SCMP_CMP_EQ, KVM_RUN);
	if (sandbox_allow(ctx, SCMP_SYS(ioctl), "ioctl(KVM_RUN)", 2, a, err) < 0)
		return -1;
	a[1] = SCMP_A1(SCMP_CMP_EQ, KVM_GET_REGS);
	if (sandbox_allow(ctx, SCMP_SYS(ioctl), "ioctl(KVM_GET_REGS)", 2, a, err) < 0)
		return -1;
	/* --dumpcore: the special registers for the core, and the pipes to
	 * the writer process (hvt_dumpcore.c says why no more than that). */
	if (hvt_dumpcore_fds(&dc_request, &dc_reply)) {
		a[1] = SCMP_A1(SCMP_CMP_EQ, KVM_GET_SREGS);
		if (sandbox_allow(ctx, SCMP_SYS(ioctl), "ioctl(KVM_GET_SREGS)", 2, a, err) < 0 ||
		    allow_fd(ctx, SCMP_SYS(write), "core request write", dc_request, err) < 0 ||
		    allow_fd(ctx, SCMP_SYS(read), "core reply read", dc_reply, err) < 0)
			return -1;
	}
	/* --gdb: the connection, and the vCPU's state for it. */
	if (hvt_gdb_fd() >= 0) {
		static const unsigned long ops[] = {KVM_GET_SREGS, KVM_SET_REGS,
						    KVM_SET_GUEST_DEBUG};

		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
			a[1] = SCMP_A1(SCMP_CMP_EQ, ops[i]);
			if (sandbox_allow(ctx, SCMP_SYS(ioctl), "ioctl for gdb", 2, a, err) < 0)
				return -1;
		}
		if (allow_fd(ctx, SCMP_SYS(read), "gdb read", hvt_gdb_fd(), err) < 0 ||
		    allow_fd(ctx, SCMP_SYS(write), "gdb write", hvt_gdb_fd(), err) < 0 ||
		    allow_fd(ctx, SCMP_SYS(recvfrom), "gdb recv", hvt_gdb_fd(), err) < 0 ||
		    allow_fd(ctx, SCMP_SYS(close), "gdb close", hvt_gdb_fd(), err) < 0)
			return -1;
	}
	/* Console (PUTS) and the tender's own messages. */
	if (allow_fd(ctx, SCMP_SYS(write), "write(1)", 1, err) < 0 ||
	    allow_fd(ctx, SCMP_SYS(write), "write(2)", 2, err) < 0)
		return -1;
	/* ENTROPY: getrandom(buf, len, 0). */
	a[0] = SCMP_A2(SCMP_CMP_EQ, 0);
	if (sandbox_allow(ctx, SCMP_SYS(getrandom), "getrandom (ENTROPY)", 1, a, err) < 0)
		return -1;
	/* WALLTIME (usually served by the vDSO without a system call). */
	a[0] = SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME);
	if (sandbox_allow(ctx, SCMP_SYS(clock_gettime), "clock_gettime", 1, a, err) < 0)
		return -1;
	/* POLL. */
	if (allow_fd(ctx, SCMP_SYS(epoll_pwait), "epoll_pwait", h->epollfd, err) < 0 ||
	    allow_fd(ctx, SCMP_SYS(timerfd_settime), "timerfd_settime", h->timerfd, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (sandbox_allow(ctx, plain[i], "exit and memory release", 0, NULL, err) < 0)
			return -1;
	/* The C library may map memory, never executable memory. */
	a[0] = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	if (sandbox_allow(ctx, SCMP_SYS(mmap), "mmap without PROT_EXEC", 1, a, err) < 0 ||
	    sandbox_allow(ctx, SCMP_SYS(mprotect), "mprotect without PROT_EXEC", 1, a, err) < 0)
		return -1;
	for (uint32_t i = 1; i < h->mft->entries; i++) {
		const struct riad_mft_entry *e = &h->mft->e[i];

		if (!e->attached)
			continue;
		if (e->type == RIAD_MFT_DEV_NET_BASIC &&
		    (allow_fd(ctx, SCMP_SYS(read), "net read", e->b.hostfd, err) < 0 ||
		     allow_fd(ctx, SCMP_SYS(write), "net write", e->b.hostfd, err) < 0))
			return -1;
		if (e->type == RIAD_MFT_DEV_BLOCK_BASIC &&
		    (e->u.block_basic.riad_flags & RIAD_MFT_BLOCK_F_FLUSH) &&
		    allow_fd(ctx, SCMP_SYS(fdatasync), "block fdatasync", e->b.hostfd, err) < 0)
			return -1;
		if (e->type == RIAD_MFT_DEV_BLOCK_BASIC &&
		    (allow_fd(ctx, SCMP_SYS(pread64), "block pread64", e->b.hostfd, err) < 0 ||
		     allow_fd(ctx, SCMP_SYS(pwrite64), "block pwrite64", e->b.hostfd, err) < 0))
			return -1;
	}
	if (efd >= 0) {
		/* The ring thread: its wake-up, and its end at HALT. */
		if (allow_fd(ctx, SCMP_SYS(read), "ring eventfd read", efd, err) < 0 ||
		    allow_fd(ctx, SCMP_SYS(write), "ring eventfd write", efd, err) < 0)
			return -1;
		for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++)
			if (sandbox_allow(ctx, threads[i], "thread exit and join", 0, NULL, err) < 0)
				return -1;
	}
	return 0;
}

int hvt_seccomp_apply(const struct hvt *h, struct tender_error *err)
{
	unsigned flags = 0;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (ctx == NULL)
		return error_set(err, "seccomp_init failed");
	if (build(ctx, h, err) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	/* The ring thread already runs: the filter must cover it too. */
	if (hvt_ring_eventfd(h) >= 0)
		flags |= SECCOMP_FILTER_FLAG_TSYNC;
	return sandbox_load(ctx, "riad-hvt-bpf", flags, err);
}
