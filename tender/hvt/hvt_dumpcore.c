/* tender/hvt/hvt_dumpcore.c: --dumpcore[=DIR]: an ELF core file of a guest that aborted or faulted (its registers as NT_PRSTATUS, all of guest memory as one PT_LOAD at guest address 0), written by a process forked before the sandbox.
 *
 * Why a separate writer process. Once the guest runs, riad-hvt is in its
 * seccomp sandbox, and creating a file from there would need a system call
 * that takes a path: openat() (or linkat() of an O_TMPFILE file). seccomp
 * can pin the directory descriptor and the flags but cannot look at the
 * path, and an absolute or "../" path ignores the descriptor, so a tender
 * taken over by its guest could create files anywhere it may write. The
 * writer instead is forked before the sandbox (after guest memory is
 * mapped: the mapping is shared, so it sees the guest's memory as it is at
 * the end) and waits on a pipe. The sandboxed tender gets no new way to
 * reach the file system at all: --dumpcore adds only ioctl(vcpu,
 * KVM_GET_SREGS), write() on the request pipe and read() on the reply pipe
 * to its filter (hvt_seccomp.c). The request is a fixed-size record of
 * register values, copied into the core as they are; the writer parses
 * nothing else from the tender, picks the file name itself
 * (core.riad-hvt.PID), creates it O_EXCL (never overwriting) with mode
 * 0600, and has closed every descriptor but the pipes, the directory and
 * the guest's memfd. If the tender ends without a request (a normal exit,
 * a signal, an error of the tender), the writer reads end-of-file and exits
 * without writing anything.
 *
 * The core is sparse: pages the guest never touched (holes of the memfd)
 * and pages of zeros are not written, so a 512 MiB guest's core takes the
 * disk space of the memory it used.
 */
#include "hvt.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/procfs.h>
#include <sys/stat.h>
#include <unistd.h>

#define DC_MAGIC 0x43445652u /* "RVDC" */
#define DC_PAGE 4096u
#define DC_NOTE_OFF (sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr))
#define DC_NOTE_NAME "CORE"
#define DC_NOTE_NAMESZ 8u /* "CORE\0", padded to a multiple of 4 */
#define DC_NOTE_SIZE (sizeof(Elf64_Nhdr) + DC_NOTE_NAMESZ + sizeof(struct elf_prstatus))
#define DC_LOAD_OFF DC_PAGE

_Static_assert(DC_NOTE_OFF + DC_NOTE_SIZE <= DC_LOAD_OFF, "headers fit the first page");

struct dc_request {
	uint32_t magic;
	uint32_t reserved;
	struct elf_prstatus st;
};

struct dc_reply {
	int32_t err; /* 0, or the errno of the step that failed */
	char what[60]; /* that step */
};

_Static_assert(sizeof(struct dc_request) < PIPE_BUF, "one atomic pipe write");

static struct {
	const char *dir; /* NULL without --dumpcore */
	int dirfd;
	pid_t pid; /* the tender's */
	char name[48]; /* core.riad-hvt.PID */
	char path[4096 + 48]; /* DIR/name, for messages */
	int request, reply; /* the tender's ends of the pipes */
} dc = {.dirfd = -1, .request = -1, .reply = -1};

static int dumpcore_parse(struct tender *t, const char *arg, struct tender_error *err)
{
	(void)t;
	if (strcmp(arg, "--dumpcore") == 0) {
		dc.dir = ".";
		return 1;
	}
	if (strncmp(arg, "--dumpcore=", 11) != 0)
		return 0;
	if (arg[11] == '\0')
		return error_set(err, "--dumpcore=: missing DIR");
	if (strlen(arg + 11) >= 4096)
		return error_set(err, "--dumpcore=DIR: DIR is too long");
	dc.dir = arg + 11;
	return 1;
}

/* The directory must be there and writable before the guest runs: a crash
 * an hour later is the wrong time to find out. */
static int dumpcore_attach(struct tender *t, struct tender_error *err)
{
	(void)t;
	if (dc.dir == NULL)
		return 0;
	dc.dirfd = open(dc.dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dc.dirfd < 0)
		return error_set(err, "--dumpcore=%s: cannot open the directory: %s", dc.dir,
				 strerror(errno));
	if (faccessat(dc.dirfd, ".", W_OK | X_OK, AT_EACCESS) < 0)
		return error_set(err, "--dumpcore=%s: cannot create files there: %s", dc.dir,
				 strerror(errno));
	return 0;
}

TENDER_MODULE(dumpcore, .name = "dumpcore",
	      .usage = "  --dumpcore[=DIR] if the guest aborts or faults, write an ELF core file\n"
		       "                   DIR/core.riad-hvt.PID (DIR: default the current one)\n",
	      .parse = dumpcore_parse, .attach = dumpcore_attach);

bool hvt_dumpcore_wanted(void)
{
	return dc.dir != NULL;
}

bool hvt_dumpcore_fds(int *request, int *reply)
{
	*request = dc.request;
	*reply = dc.reply;
	return dc.dir != NULL;
}

/* The writer process. */

static void close_all_but(int *keep, unsigned n)
{
	unsigned lo = 0;

	for (unsigned i = 1; i < n; i++) /* sort: n is tiny */
		for (unsigned j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int k = keep[j];
			keep[j] = keep[j - 1];
			keep[j - 1] = k;
		}
	for (unsigned i = 0; i < n; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < lo)
			continue;
		if ((unsigned)keep[i] > lo)
			close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	close_range(lo, ~0u, 0);
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n, off += (uint64_t)n, len -= (size_t)n;
	}
	return 0;
}

static bool page_is_zero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)(const void *)p;

	for (unsigned i = 0; i < DC_PAGE / 8; i++)
		if (w[i] != 0)
			return false;
	return true;
}

/* Writes the non-zero pages of guest memory [start, end) at their place
 * in the PT_LOAD. */
static int write_range(int fd, const uint8_t *mem, uint64_t start, uint64_t end)
{
	uint64_t run = start;

	for (uint64_t a = start; a <= end; a += DC_PAGE) {
		if (a < end && !page_is_zero(mem + a))
			continue;
		if (a > run && write_all(fd, mem + run, a - run, DC_LOAD_OFF + run) < 0)
			return -1;
		run = a + DC_PAGE;
	}
	return 0;
}

static void headers(uint8_t *buf, uint64_t mem_size, const struct elf_prstatus *st)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	Elf64_Nhdr nh;

	memset(&eh, 0, sizeof eh);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof eh;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof ph[0];
	eh.e_phnum = 2;
	memset(ph, 0, sizeof ph);
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = DC_NOTE_OFF;
	ph[0].p_filesz = DC_NOTE_SIZE;
	ph[0].p_align = 4;
	/* Guest physical = guest virtual: the hvt page tables are an identity
	 * map, so gdb finds every address of the guest at itself. */
	ph[1].p_type = PT_LOAD;
	ph[1].p_flags = PF_R | PF_W | PF_X;
	ph[1].p_offset = DC_LOAD_OFF;
	ph[1].p_filesz = ph[1].p_memsz = mem_size;
	ph[1].p_align = DC_PAGE;
	nh.n_namesz = sizeof DC_NOTE_NAME;
	nh.n_descsz = sizeof *st;
	nh.n_type = NT_PRSTATUS;
	memcpy(buf, &eh, sizeof eh);
	memcpy(buf + sizeof eh, ph, sizeof ph);
	memcpy(buf + DC_NOTE_OFF, &nh, sizeof nh);
	memcpy(buf + DC_NOTE_OFF + sizeof nh, DC_NOTE_NAME, sizeof DC_NOTE_NAME);
	memcpy(buf + DC_NOTE_OFF + sizeof nh + DC_NOTE_NAMESZ, st, sizeof *st);
}

static int write_core(const struct hvt *h, int memfd, const struct elf_prstatus *st,
		      struct dc_reply *a)
{
	static uint8_t head[DC_LOAD_OFF];
	uint64_t size = h->mem.size, pos = 0;
	int fd;

	/* The writer's own view: a segment the guest may not read is
	 * PROT_NONE here too. */
	if (mprotect(h->mem.host, size, PROT_READ) < 0) {
		a->err = errno;
		snprintf(a->what, sizeof a->what, "mprotect");
		return -1;
	}
	fd = openat(dc.dirfd, dc.name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		a->err = errno;
		snprintf(a->what, sizeof a->what, "create");
		return -1;
	}
	headers(head, size, st);
	snprintf(a->what, sizeof a->what, "write");
	if (write_all(fd, head, sizeof head, 0) < 0)
		goto fail;
	while (pos < size) {
		/* Only what the guest touched: the memfd's data, or all. */
		off_t data = memfd < 0 ? (off_t)pos : lseek(memfd, (off_t)pos, SEEK_DATA);
		off_t hole = memfd < 0 ? (off_t)size : lseek(memfd, data, SEEK_HOLE);

		if (data < 0 && errno == ENXIO)
			break;
		if (data < 0 || hole < 0) {
			snprintf(a->what, sizeof a->what, "lseek on guest memory");
			goto fail;
		}
		if ((uint64_t)hole > size)
			hole = (off_t)size;
		if (write_range(fd, h->mem.host, (uint64_t)data & ~(uint64_t)(DC_PAGE - 1),
				((uint64_t)hole + DC_PAGE - 1) & ~(uint64_t)(DC_PAGE - 1)) < 0)
			goto fail;
		pos = (uint64_t)hole;
	}
	if (ftruncate(fd, (off_t)(DC_LOAD_OFF + size)) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	a->err = errno;
	if (fd >= 0)
		close(fd);
	/* A truncated core would mislead whoever opens it. */
	unlinkat(dc.dirfd, dc.name, 0);
	return -1;
}

static void writer(const struct hvt *h, int in, int out) __attribute__((noreturn));

static void writer(const struct hvt *h, int in, int out)
{
	int keep[4] = {in, out, dc.dirfd, h->memfd};
	struct dc_request q;
	struct dc_reply a;
	size_t got = 0;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != dc.pid)
		_exit(0);
	/* Nothing of the tender's: not its console (a shell waiting for the
	 * end of riad-hvt's output must not wait for us), not KVM. */
	close_all_but(keep, 4);
	while (got < sizeof q) {
		ssize_t n = read(in, (uint8_t *)&q + got, sizeof q - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0); /* the tender ended without asking for a core */
		got += (size_t)n;
	}
	if (q.magic != DC_MAGIC)
		_exit(0);
	memset(&a, 0, sizeof a);
	write_core(h, h->memfd, &q.st, &a);
	if (write(out, &a, sizeof a) < 0) {
		/* The tender is gone. */
	}
	_exit(0);
}

int hvt_dumpcore_start(struct hvt *h, struct tender_error *err)
{
	int req[2], rep[2];
	size_t n;
	pid_t pid;

	if (dc.dir == NULL)
		return 0;
	dc.pid = getpid();
	snprintf(dc.name, sizeof dc.name, "core.%s.%ld", HVT_PROG, (long)dc.pid);
	n = strlen(dc.dir);
	snprintf(dc.path, sizeof dc.path, "%s%s%s", dc.dir, n > 0 && dc.dir[n - 1] == '/' ? "" : "/",
		 dc.name);
	if (pipe2(req, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0)
		return error_set(err, "--dumpcore: pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return error_set(err, "--dumpcore: cannot start the core writer: %s", strerror(errno));
	if (pid == 0)
		writer(h, req[0], rep[1]);
	close(req[0]);
	close(rep[1]);
	dc.request = req[1];
	dc.reply = rep[0];
	return 0;
}

void hvt_dumpcore(const struct hvt *h, int sig, uint64_t cookie)
{
	struct dc_request q;
	struct dc_reply a;
	size_t got = 0;
	ssize_t n;

	if (dc.dir == NULL)
		return;
	memset(&q, 0, sizeof q);
	q.magic = DC_MAGIC;
	q.st.pr_info.si_signo = sig;
	q.st.pr_cursig = (short)sig;
	q.st.pr_pid = dc.pid;
	if (hvt_cpu_prstatus(h, cookie, &q.st) < 0) {
		hvt_say("cannot write a core to %s: cannot read the guest's registers: %s", dc.path,
			strerror(errno));
		return;
	}
	do
		n = write(dc.request, &q, sizeof q);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof q) {
		hvt_say("cannot write a core to %s: the core writer is gone", dc.path);
		return;
	}
	while (got < sizeof a) {
		n = read(dc.reply, (uint8_t *)&a + got, sizeof a - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			hvt_say("cannot write a core to %s: the core writer failed", dc.path);
			return;
		}
		got += (size_t)n;
	}
	a.what[sizeof a.what - 1] = '\0';
	if (a.err != 0)
		hvt_say("cannot write a core to %s: %s: %s", dc.path, a.what, strerror(a.err));
	else
		hvt_say("core dumped to %s", dc.path);
}
