/* tender/common/sandbox.c: adding rules to and loading a tender's seccomp filter. */
#include "sandbox.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Largest filter we load: BPF programs are capped at 4096 instructions. */
#define SANDBOX_BPF_MAX 4096

int sandbox_allow(scmp_filter_ctx ctx, int nr, const char *what, unsigned n,
		  const struct scmp_arg_cmp *cmp, struct tender_error *err)
{
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp);

	if (rc != 0)
		return error_set(err, "seccomp rule for %s: %s", what, strerror(-rc));
	return 0;
}

int sandbox_load(scmp_filter_ctx ctx, const char *name, unsigned flags,
		 struct tender_error *err)
{
	/* Static, so that nothing is allocated once libseccomp is released. */
	static struct sock_filter prog[SANDBOX_BPF_MAX];
	struct sock_fprog fprog;
	struct stat st;
	ssize_t n;
	int fd, rc;

	fd = memfd_create(name, MFD_CLOEXEC);
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
	rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (rc != 0)
		return error_set(err, "seccomp(SECCOMP_SET_MODE_FILTER): %s",
				 rc > 0 ? "another thread could not be synchronised" :
					  strerror(errno));
	return 0;
}
