/* tender/common/tender.c: the start-up sequence shared by riad-hvt and riad-spt. */
#include "tender.h"
#include "elf.h"
#include "mft.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RIAD_VERSION
#define RIAD_VERSION "0.1"
#endif

/* Larger kernels than this cannot fit any guest memory we would map. */
#define TENDER_KERNEL_MAX (1ull << 32)

void tender_die(const struct tender *t, const struct tender_error *err)
{
	fprintf(stderr, "%s: %s\n", t->target ? t->target->prog : "riad-tender", err->msg);
	exit(1);
}

int tender_read_kernel(struct tender *t, struct tender_error *err)
{
	struct stat st;
	size_t got = 0;
	int fd;

	fd = open(t->kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, "%s: cannot open: %s", t->kernel, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_set(err, "%s: not a regular file", t->kernel);
	}
	if ((uint64_t)st.st_size > TENDER_KERNEL_MAX) {
		close(fd);
		return error_set(err, "%s: too large (%lld bytes)", t->kernel, (long long)st.st_size);
	}
	t->image = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (t->image == NULL) {
		close(fd);
		return error_set(err, "%s: out of memory", t->kernel);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, t->image + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return error_set(err, "%s: read failed: %s", t->kernel,
					 n < 0 ? strerror(errno) : "file shrank");
		}
		got += (size_t)n;
	}
	close(fd);
	t->image_size = got;
	return 0;
}

int tender_check_kernel(struct tender *t, struct tender_error *err)
{
	struct tender_error e;

	if (elf_note_abi(t->image, t->image_size, t->target->abi_target, t->target->abi_version,
			 &e) < 0 ||
	    elf_note_mft(t->image, t->image_size, &t->mft_buf.mft, &t->mft_size, &e) < 0)
		return error_set(err, "%s: %s", t->kernel, e.msg);
	t->mft = &t->mft_buf.mft;
	return 0;
}

int tender_attach(struct tender *t, struct tender_error *err)
{
	TENDER_MODULES_FOREACH(m) {
		if (m->attach(t, err) < 0)
			return -1;
	}
	return mft_check_attached(t->mft, err);
}

void tender_setup(struct tender *t, const struct tender_target *target, int argc, char **argv)
{
	struct tender_error err;
	int rc;

	memset(t, 0, sizeof *t);
	t->target = target;
	t->mem_mib = target->default_mem_mib;
	rc = args_scan(t, argc, argv, &err);
	if (rc == ARGS_HELP) {
		args_usage(stdout, target);
		exit(0);
	}
	if (rc == ARGS_VERSION) {
		printf("%s tender, version %s\nABI version %u\n", target->prog, RIAD_VERSION,
		       (unsigned)target->abi_version);
		exit(0);
	}
	if (rc < 0 || tender_read_kernel(t, &err) < 0 || tender_check_kernel(t, &err) < 0 ||
	    args_parse(t, argc, argv, &err) < 0 || tender_attach(t, &err) < 0)
		tender_die(t, &err);
}
