/* tender/spt/spt_seccomp.c: the spt sandbox: a libseccomp allowlist with arguments pinned per device, loaded from exported BPF. */
#include "spt.h"
#include "../common/sandbox.h"

#include <asm/prctl.h>
#include <errno.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <string.h>
#include <time.h>

static int build(scmp_filter_ctx ctx, const struct spt *s, const struct riad_mft *mft,
		 struct tender_error *err)
{
	struct scmp_arg_cmp a[3];

	a[0] = SCMP_A0(SCMP_CMP_EQ, 1);
	if (sandbox_allow(ctx, SCMP_SYS(write), "write(1)", 1, a, err) < 0)
		return -1;
	if (sandbox_allow(ctx, SCMP_SYS(exit_group), "exit_group", 0, NULL, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)s->epollfd);
	if (sandbox_allow(ctx, SCMP_SYS(epoll_pwait), "epoll_pwait", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)s->timerfd);
	if (sandbox_allow(ctx, SCMP_SYS(timerfd_settime), "timerfd_settime", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC);
	if (sandbox_allow(ctx, SCMP_SYS(clock_gettime), "clock_gettime(MONOTONIC)", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME);
	if (sandbox_allow(ctx, SCMP_SYS(clock_gettime), "clock_gettime(REALTIME)", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS);
	if (sandbox_allow(ctx, SCMP_SYS(arch_prctl), "arch_prctl(ARCH_SET_FS)", 1, a, err) < 0)
		return -1;
	for (uint32_t i = 1; i < mft->entries; i++) {
		const struct riad_mft_entry *e = &mft->e[i];
		scmp_datum_t fd = (scmp_datum_t)e->b.hostfd;

		if (!e->attached)
			continue;
		if (e->type == RIAD_MFT_DEV_NET_BASIC) {
			a[0] = SCMP_A0(SCMP_CMP_EQ, fd);
			if (sandbox_allow(ctx, SCMP_SYS(read), "net read", 1, a, err) < 0 ||
			    sandbox_allow(ctx, SCMP_SYS(write), "net write", 1, a, err) < 0)
				return -1;
		} else if (e->type == RIAD_MFT_DEV_BLOCK_BASIC) {
			uint64_t bs = e->u.block_basic.block_size, cap = e->u.block_basic.capacity;

			/* One whole block inside the capacity: the guest cannot grow
			 * the file. With riad's block extension (abi/mft.h), also
			 * 2^k whole blocks up to riad_max_blocks, each count with
			 * its own bound on the offset. */
			uint64_t max = e->u.block_basic.riad_max_blocks;

			for (uint64_t n = 1; (n == 1 || n <= max) && n * bs <= cap; n *= 2) {
				a[0] = SCMP_A0(SCMP_CMP_EQ, fd);
				a[1] = SCMP_A2(SCMP_CMP_EQ, n * bs);
				a[2] = SCMP_A3(SCMP_CMP_LE, cap - n * bs); /* capacity >= bs */
				if (sandbox_allow(ctx, SCMP_SYS(pread64), "block pread64", 3, a, err) < 0 ||
				    sandbox_allow(ctx, SCMP_SYS(pwrite64), "block pwrite64", 3, a, err) < 0)
					return -1;
			}
			a[0] = SCMP_A0(SCMP_CMP_EQ, fd);
			if ((e->u.block_basic.riad_flags & RIAD_MFT_BLOCK_F_FLUSH) &&
			    sandbox_allow(ctx, SCMP_SYS(fdatasync), "block fdatasync", 1, a, err) < 0)
				return -1;
		}
	}
	return 0;
}

int spt_seccomp_apply(const struct spt *s, const struct riad_mft *mft, struct tender_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (ctx == NULL)
		return error_set(err, "seccomp_init failed");
	if (build(ctx, s, mft, err) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	return sandbox_load(ctx, "riad-spt-bpf", 0, err);
}
