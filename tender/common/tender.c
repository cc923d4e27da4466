/* tender/common/tender.c: the start-up sequence shared by riad-hvt and riad-spt. */
#include "tender.h"
#include "elf.h"
#include "mft.h"

#include <elf.h>
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

/* What the first page of the file must hold for kernel_extent() to see
 * the program headers; guests put them right after the ELF header. */
#define TENDER_KERNEL_HEAD 4096

/* How many bytes, from the start of the file, the ELF code can read (head
 * holds the first got of them): up to the end of the program headers and of
 * every PT_LOAD and PT_NOTE segment's file data, which is all elf_check(),
 * elf_load() and elf_note_find() look at. The section headers, symbols and
 * debug information after them, most of an unstripped guest, are never
 * read. If the headers do not make sense, or reach beyond the first page or
 * the end of the file, the whole file, so that the checks report on the
 * file as it is. */
static size_t kernel_extent(const uint8_t *head, size_t got, size_t size)
{
	Elf64_Ehdr eh;
	uint64_t end;

	if (got < sizeof eh)
		return size;
	memcpy(&eh, head, sizeof eh);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > got ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > got - eh.e_phoff)
		return size;
	end = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, head + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return size;
		if (ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
	}
	return end < size ? (size_t)end : size;
}

/* Reads [off, off + len) of fd into buf. */
static int read_at(int fd, uint8_t *buf, size_t len, off_t off, const struct tender *t,
		   struct tender_error *err)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_set(err, "%s: read failed: %s", t->kernel,
					 n < 0 ? strerror(errno) : "file shrank");
		done += (size_t)n;
	}
	return 0;
}

int tender_read_kernel(struct tender *t, struct tender_error *err)
{
	uint8_t head[TENDER_KERNEL_HEAD];
	struct stat st;
	size_t size, got, need;
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
	size = (size_t)st.st_size;
	/* The headers first, then only what they say the loader needs: a
	 * fresh page of the buffer costs more than reading into it. */
	got = size < sizeof head ? size : sizeof head;
	if (read_at(fd, head, got, 0, t, err) < 0) {
		close(fd);
		return -1;
	}
	need = kernel_extent(head, got, size);
	t->image = malloc(need > 0 ? need : 1);
	if (t->image == NULL) {
		close(fd);
		return error_set(err, "%s: out of memory", t->kernel);
	}
	memcpy(t->image, head, need < got ? need : got);
	if (need > got && read_at(fd, t->image + got, need - got, (off_t)got, t, err) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	t->image_size = need;
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
	t->abi_flags = elf_note_abi_flags(t->image, t->image_size);
	return 0;
}

int tender_attach(struct tender *t, struct tender_error *err)
{
	TENDER_MODULES_FOREACH(m) {
		if (m->attach != NULL && tender_module_offered(m, t->target) && m->attach(t, err) < 0)
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
