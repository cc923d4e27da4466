/* tender/hvt/hvt_seccomp.c: the riad-hvt sandbox: an allowlist (a subset of Solo5's, with arguments pinned) written directly as a classic BPF program and loaded into every thread. */
#include "hvt.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The program is built here rather than through libseccomp: the rules are
 * few and fixed in shape, and the library's set-up (probing the kernel's
 * seccomp features, then exporting the program through a memfd to be read
 * back) cost riad-hvt about a tenth of a millisecond per launch.
 *
 * Its shape:
 *
 *   1. arch != this host's audit arch  -> kill the process
 *   2. x86_64: nr >= X32_SYSCALL_BIT    -> kill (no x32 system calls)
 *   3. a binary search on nr over the allowed system calls; a number not
 *      in the list -> kill
 *   4. for each allowed number, its rules in the order given: for each
 *      pinned argument, (arg & mask) == value, compared on all 64 bits (high
 *      and low halves); all hold -> allow, else the next rule; no rule left
 *      -> kill.
 *
 * The search matters: when a filter is installed the kernel runs it for
 * every system call number to find those it allows whatever the arguments
 * (its per-number cache), so the instructions on the way to a decision are
 * paid about 450 times over; a filter whose rules were tried one after the
 * other would take longer to load the longer the list. On kvm-pvm loading
 * this one takes about 40 us, libseccomp's program for the same rules
 * about 60 us, and the library's whole set-up about 180 us. */

#if defined(__x86_64__)
#define HVT_AUDIT_ARCH AUDIT_ARCH_X86_64
#define HVT_X32_BIT 0x40000000u
#elif defined(__aarch64__)
#define HVT_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "riad-hvt's sandbox knows x86_64 and aarch64 hosts"
#endif

#define HVT_BPF_MAX BPF_MAXINSNS
#define HVT_ARGS_MAX 2
/* A few per device (RIAD_MFT_MAX_ENTRIES of them), and a few more. */
#define HVT_RULES_MAX (4 * RIAD_MFT_MAX_ENTRIES + 32)

#define DATA_NR offsetof(struct seccomp_data, nr)
#define DATA_ARCH offsetof(struct seccomp_data, arch)
/* Arguments are 64 bits, stored in the host's (little-endian) order. */
#define DATA_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define DATA_ARG_HI(i) (DATA_ARG_LO(i) + 4)

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "seccomp_data argument halves");

/* One pinned argument: (args[arg] & mask) == value. */
struct hvt_arg {
	unsigned arg;
	uint64_t mask, value;
};

/* System call nr is allowed if its n arguments match. */
struct hvt_rule {
	uint32_t nr;
	unsigned n;
	struct hvt_arg a[HVT_ARGS_MAX];
};

struct hvt_bpf {
	struct hvt_rule rule[HVT_RULES_MAX];
	unsigned nrule;
	uint32_t nr[HVT_RULES_MAX]; /* the distinct numbers, sorted */
	unsigned nnr;
	unsigned block[HVT_RULES_MAX]; /* where each number's rules start */
	unsigned leap[HVT_RULES_MAX]; /* the jump to it */
	struct sock_filter insn[HVT_BPF_MAX];
	unsigned n;
	bool full; /* ran out of room: the program is not to be used */
};

static unsigned emit(struct hvt_bpf *b, uint16_t code, uint32_t k)
{
	if (b->n >= HVT_BPF_MAX) {
		b->full = true;
		return HVT_BPF_MAX - 1;
	}
	b->insn[b->n] = (struct sock_filter)BPF_STMT(code, k);
	return b->n++;
}

/* Points conditional jump at, if true, to insn t and, if false, to f
 * (both after it, at most 255 further). */
static void branch(struct hvt_bpf *b, unsigned at, unsigned t, unsigned f)
{
	if (b->full || t <= at || f <= at || t - at - 1 > 255 || f - at - 1 > 255) {
		b->full = true;
		return;
	}
	b->insn[at].jt = (uint8_t)(t - at - 1);
	b->insn[at].jf = (uint8_t)(f - at - 1);
}

static void rule(struct hvt_bpf *b, long nr, unsigned n, const struct hvt_arg *a)
{
	struct hvt_rule *r;

	if (b->nrule >= HVT_RULES_MAX || n > HVT_ARGS_MAX) {
		b->full = true;
		return;
	}
	r = &b->rule[b->nrule++];
	r->nr = (uint32_t)nr;
	r->n = n;
	for (unsigned i = 0; i < n; i++)
		r->a[i] = a[i];
}

static void allow(struct hvt_bpf *b, long nr)
{
	rule(b, nr, 0, NULL);
}

/* nr with its first argument equal to fd. */
static void allow_fd(struct hvt_bpf *b, long nr, int fd)
{
	struct hvt_arg a = {0, UINT64_MAX, (uint64_t)(int64_t)fd};

	rule(b, nr, 1, &a);
}

/* The search over nr[lo, hi), nr in the accumulator: a leaf compares and
 * leaps to its number's rules (patched once they are placed); an inner
 * node splits on its middle number. */
static void search(struct hvt_bpf *b, unsigned lo, unsigned hi)
{
	unsigned at, mid;

	if (hi - lo == 1) {
		at = emit(b, BPF_JMP | BPF_JEQ | BPF_K, b->nr[lo]);
		branch(b, at, at + 1, at + 2);
		b->leap[lo] = emit(b, BPF_JMP | BPF_JA, 0);
		emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
		return;
	}
	mid = lo + (hi - lo) / 2;
	at = emit(b, BPF_JMP | BPF_JGE | BPF_K, b->nr[mid]);
	search(b, lo, mid);
	branch(b, at, b->n, at + 1);
	search(b, mid, hi);
}

/* One 32-bit half of an argument check: load, mask, compare; the compare's
 * index goes to fails[] for its false branch to be pointed at the next
 * rule. */
static void half(struct hvt_bpf *b, uint32_t off, uint32_t mask, uint32_t value, unsigned *fails,
		 unsigned *nfail)
{
	if (mask == 0 && value == 0)
		return; /* always true */
	emit(b, BPF_LD | BPF_W | BPF_ABS, off);
	if (mask != UINT32_MAX)
		emit(b, BPF_ALU | BPF_AND | BPF_K, mask);
	fails[(*nfail)++] = emit(b, BPF_JMP | BPF_JEQ | BPF_K, value);
}

/* A rule that pins one whole argument (a descriptor, say): such rules of
 * one number pinning the same argument to the same high half share one
 * check of that half and then compare the low half in a chain. */
static bool simple(const struct hvt_rule *r)
{
	return r->n == 1 && r->a[0].mask == UINT64_MAX;
}

static bool same_group(const struct hvt_rule *r, const struct hvt_rule *s)
{
	return simple(s) && s->nr == r->nr && s->a[0].arg == r->a[0].arg &&
	       s->a[0].value >> 32 == r->a[0].value >> 32;
}

/* Longest chain of compares in a group, so that its jumps stay short. */
#define HVT_GROUP_MAX 200

/* The rules of number nr: each group of simple rules (see simple()), then
 * each other rule, in the order they were given. A system call is allowed
 * if any rule holds, so the order changes only the cost. */
static void block(struct hvt_bpf *b, uint32_t nr)
{
	bool done[HVT_RULES_MAX] = {false};

	for (;;) {
		const struct hvt_rule *r = NULL;
		unsigned i, hi, chain[HVT_GROUP_MAX], n = 0, ok;

		for (i = 0; i < b->nrule && r == NULL; i++)
			if (!done[i] && b->rule[i].nr == nr && simple(&b->rule[i]))
				r = &b->rule[i];
		if (r == NULL)
			break;
		emit(b, BPF_LD | BPF_W | BPF_ABS, DATA_ARG_HI(r->a[0].arg));
		hi = emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(r->a[0].value >> 32));
		emit(b, BPF_LD | BPF_W | BPF_ABS, DATA_ARG_LO(r->a[0].arg));
		for (unsigned j = i - 1; j < b->nrule && n < HVT_GROUP_MAX; j++) {
			if (done[j] || !same_group(r, &b->rule[j]))
				continue;
			done[j] = true;
			chain[n++] = emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)b->rule[j].a[0].value);
		}
		ok = emit(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		/* The high half or every low half differs: on past the
		 * group's allow (to the next group if it was cut at
		 * HVT_GROUP_MAX). */
		branch(b, hi, hi + 1, ok + 1);
		for (unsigned j = 0; j < n; j++)
			branch(b, chain[j], ok, j + 1 < n ? chain[j] + 1 : ok + 1);
	}
	for (unsigned i = 0; i < b->nrule; i++) {
		const struct hvt_rule *r = &b->rule[i];
		unsigned fails[2 * HVT_ARGS_MAX], nfail = 0;

		if (r->nr != nr || simple(r))
			continue;
		for (unsigned j = 0; j < r->n; j++) {
			half(b, DATA_ARG_HI(r->a[j].arg), (uint32_t)(r->a[j].mask >> 32),
			     (uint32_t)(r->a[j].value >> 32), fails, &nfail);
			half(b, DATA_ARG_LO(r->a[j].arg), (uint32_t)r->a[j].mask,
			     (uint32_t)r->a[j].value, fails, &nfail);
		}
		emit(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		for (unsigned j = 0; j < nfail; j++)
			branch(b, fails[j], fails[j] + 1, b->n);
	}
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
}

/* The program for the rules given. */
static void compile(struct hvt_bpf *b)
{
	unsigned at;

	b->n = 0;
	emit(b, BPF_LD | BPF_W | BPF_ABS, DATA_ARCH);
	at = emit(b, BPF_JMP | BPF_JEQ | BPF_K, HVT_AUDIT_ARCH);
	branch(b, at, at + 2, at + 1);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	emit(b, BPF_LD | BPF_W | BPF_ABS, DATA_NR);
#ifdef HVT_X32_BIT
	at = emit(b, BPF_JMP | BPF_JGE | BPF_K, HVT_X32_BIT);
	branch(b, at, at + 1, at + 2);
	emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
	/* The distinct numbers, sorted (insertion sort: a few dozen). */
	b->nnr = 0;
	for (unsigned i = 0; i < b->nrule; i++) {
		uint32_t nr = b->rule[i].nr;
		unsigned j = 0;

		while (j < b->nnr && b->nr[j] < nr)
			j++;
		if (j < b->nnr && b->nr[j] == nr)
			continue;
		memmove(&b->nr[j + 1], &b->nr[j], (b->nnr - j) * sizeof b->nr[0]);
		b->nr[j] = nr;
		b->nnr++;
	}
	if (b->nnr == 0) {
		emit(b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
		return;
	}
	search(b, 0, b->nnr);
	for (unsigned i = 0; i < b->nnr && !b->full; i++) {
		b->block[i] = b->n;
		block(b, b->nr[i]);
	}
	if (b->full)
		return;
	for (unsigned i = 0; i < b->nnr; i++)
		b->insn[b->leap[i]].k = b->block[i] - b->leap[i] - 1;
}

/* The allowlist: the system calls of the vCPU loop, the hypercalls, the
 * ring thread and the C library's own needs there; for each number, the
 * most frequent first. */
static void build(struct hvt_bpf *b, const struct hvt *h)
{
	static const long plain[] = {SYS_exit_group, SYS_rt_sigreturn, SYS_munmap, SYS_madvise};
	static const long threads[] = {SYS_futex, SYS_exit, SYS_rt_sigprocmask};
	struct hvt_arg a[2];
	int efd = hvt_ring_eventfd(h);

	/* The vCPU loop, and reading its registers for a fatal message. */
	a[0] = (struct hvt_arg){0, UINT64_MAX, (uint64_t)(int64_t)h->vcpu};
	a[1] = (struct hvt_arg){1, UINT64_MAX, KVM_RUN};
	rule(b, SYS_ioctl, 2, a);
	a[1].value = KVM_GET_REGS;
	rule(b, SYS_ioctl, 2, a);
	/* Console (PUTS) and the tender's own messages. */
	allow_fd(b, SYS_write, 1);
	allow_fd(b, SYS_write, 2);
	/* WALLTIME (usually served by the vDSO without a system call). */
	a[0] = (struct hvt_arg){0, UINT64_MAX, CLOCK_REALTIME};
	rule(b, SYS_clock_gettime, 1, a);
	/* POLL. */
	allow_fd(b, SYS_epoll_pwait, h->epollfd);
	allow_fd(b, SYS_timerfd_settime, h->timerfd);
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		allow(b, plain[i]);
	/* The C library may map memory, never executable memory. */
	a[0] = (struct hvt_arg){2, PROT_EXEC, 0};
	rule(b, SYS_mmap, 1, a);
	rule(b, SYS_mprotect, 1, a);
	for (uint32_t i = 1; i < h->mft->entries; i++) {
		const struct riad_mft_entry *e = &h->mft->e[i];

		if (!e->attached)
			continue;
		if (e->type == RIAD_MFT_DEV_NET_BASIC) {
			allow_fd(b, SYS_read, e->b.hostfd);
			allow_fd(b, SYS_write, e->b.hostfd);
		}
		if (e->type == RIAD_MFT_DEV_BLOCK_BASIC) {
			allow_fd(b, SYS_pread64, e->b.hostfd);
			allow_fd(b, SYS_pwrite64, e->b.hostfd);
		}
	}
	if (efd >= 0) {
		/* The ring thread: its wake-up, and its end at HALT. */
		allow_fd(b, SYS_read, efd);
		allow_fd(b, SYS_write, efd);
		for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++)
			allow(b, threads[i]);
	}
}

int hvt_seccomp_apply(const struct hvt *h, struct tender_error *err)
{
	/* Static: nothing is allocated for it. */
	static struct hvt_bpf b;
	struct sock_fprog fprog;
	unsigned flags = 0;
	int rc;

	b.nrule = 0;
	b.full = false;
	build(&b, h);
	compile(&b);
	if (b.full)
		return error_set(err, "the seccomp filter does not fit in a BPF program");
	fprog.len = (unsigned short)b.n;
	fprog.filter = b.insn;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return error_set(err, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	/* The ring thread already runs: the filter must cover it too. */
	if (hvt_ring_eventfd(h) >= 0)
		flags |= SECCOMP_FILTER_FLAG_TSYNC;
	rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (rc != 0)
		return error_set(err, "seccomp(SECCOMP_SET_MODE_FILTER): %s",
				 rc > 0 ? "another thread could not be synchronised" :
					  strerror(errno));
	return 0;
}
