/* tender/spt/spt_seccomp.c: the spt sandbox: a libseccomp allowlist with arguments pinned per device, loaded from exported BPF. */
#include "spt.h"

#include <asm/prctl.h>
#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Largest filter we load: BPF programs are capped at 4096 instructions. */
#define SPT_BPF_MAX 4096

static int allow(scmp_filter_ctx ctx, int nr, const char *what, unsigned n,
		 const struct scmp_arg_cmp *cmp, struct tender_error *err)
{
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp);

	if (rc != 0)
		return error_set(err, "seccomp rule for %s: %s", what, strerror(-rc));
	return 0;
}

static int build(scmp_filter_ctx ctx, const struct spt *s, const struct riad_mft *mft,
		 struct tender_error *err)
{
	struct scmp_arg_cmp a[3];

	a[0] = SCMP_A0(SCMP_CMP_EQ, 1);
	if (allow(ctx, SCMP_SYS(write), "write(1)", 1, a, err) < 0)
		return -1;
	if (allow(ctx, SCMP_SYS(exit_group), "exit_group", 0, NULL, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)s->epollfd);
	if (allow(ctx, SCMP_SYS(epoll_pwait), "epoll_pwait", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)s->timerfd);
	if (allow(ctx, SCMP_SYS(timerfd_settime), "timerfd_settime", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC);
	if (allow(ctx, SCMP_SYS(clock_gettime), "clock_gettime(MONOTONIC)", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, CLOCK_REALTIME);
	if (allow(ctx, SCMP_SYS(clock_gettime), "clock_gettime(REALTIME)", 1, a, err) < 0)
		return -1;
	a[0] = SCMP_A0(SCMP_CMP_EQ, ARCH_SET_FS);
	if (allow(ctx, SCMP_SYS(arch_prctl), "arch_prctl(ARCH_SET_FS)", 1, a, err) < 0)
		return -1;
	for (uint32_t i = 1; i < mft->entries; i++) {
		const struct riad_mft_entry *e = &mft->e[i];
		scmp_datum_t fd = (scmp_datum_t)e->b.hostfd;

		if (!e->attached)
			continue;
		if (e->type == RIAD_MFT_DEV_NET_BASIC) {
			a[0] = SCMP_A0(SCMP_CMP_EQ, fd);
			if (allow(ctx, SCMP_SYS(read), "net read", 1, a, err) < 0 ||
			    allow(ctx, SCMP_SYS(write), "net write", 1, a, err) < 0)
				return -1;
		} else if (e->type == RIAD_MFT_DEV_BLOCK_BASIC) {
			uint64_t bs = e->u.block_basic.block_size;
			uint64_t last = e->u.block_basic.capacity - bs; /* capacity >= bs */

			/* One whole block inside the capacity: the guest cannot grow
			 * the file. */
			a[0] = SCMP_A0(SCMP_CMP_EQ, fd);
			a[1] = SCMP_A2(SCMP_CMP_EQ, bs);
			a[2] = SCMP_A3(SCMP_CMP_LE, last);
			if (allow(ctx, SCMP_SYS(pread64), "block pread64", 3, a, err) < 0 ||
			    allow(ctx, SCMP_SYS(pwrite64), "block pwrite64", 3, a, err) < 0)
				return -1;
		}
	}
	return 0;
}

int spt_seccomp_apply(const struct spt *s, const struct riad_mft *mft, struct tender_error *err)
{
	/* Static, so that nothing is allocated once libseccomp is released. */
	static struct sock_filter prog[SPT_BPF_MAX];
	struct sock_fprog fprog;
	scmp_filter_ctx ctx;
	struct stat st;
	ssize_t n;
	int fd, rc;

	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		return error_set(err, "seccomp_init failed");
	if (build(ctx, s, mft, err) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	/* seccomp_load() could call free() and so brk() after the filter is
	 * in force; export the program and load it ourselves instead. */
	fd = memfd_create("riad-spt-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		seccomp_release(ctx);
		return error_set(err, "memfd_create: %s", strerror(errno));
	}
	rc = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (rc != 0) {
		close(fd);
		return error_set(err, "seccomp_export_bpf: %s", strerror(-rc));
	}
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % sizeof prog[0] != 0 ||
	    (size_t)st.st_size > sizeof prog) {
		close(fd);
		return error_set(err, "seccomp filter has an unexpected size");
	}
	n = pread(fd, prog, (size_t)st.st_size, 0);
	close(fd);
	if (n != st.st_size)
		return error_set(err, "cannot read back the seccomp filter");
	fprog.len = (unsigned short)(st.st_size / sizeof prog[0]);
	fprog.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return error_set(err, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
		return error_set(err, "seccomp(SECCOMP_SET_MODE_FILTER): %s", strerror(errno));
	return 0;
}
