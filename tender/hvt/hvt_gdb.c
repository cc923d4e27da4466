/* tender/hvt/hvt_gdb.c: --gdb[=PORT]: a gdb remote stub in riad-hvt: the guest starts halted, one gdb connects over TCP on 127.0.0.1, and may read and write registers and memory, set breakpoints, step, continue and interrupt it; a fault of the guest stops in gdb instead of ending the tender.
 *
 * The protocol is gdb's remote serial protocol, the small part a
 * single-threaded target needs: ?, g, G, p, P, m, M, c, s, Z0/z0, k, D,
 * qSupported (PacketSize, swbreak, QStartNoAckMode), H and the other
 * queries answered empty, and the 0x03 byte (Ctrl-C) while the guest runs.
 * Addresses are guest-physical: the hvt page tables are an identity map,
 * so they are the guest's virtual addresses too.
 *
 * How the guest is stopped. KVM_SET_GUEST_DEBUG (KVM_GUESTDBG_USE_SW_BP,
 * KVM_GUESTDBG_SINGLESTEP) turns an int3 and a single step into
 * KVM_EXIT_DEBUG on VT-x and AMD-V, in either ring. On kvm-pvm (the
 * software virtualisation of the test hosts) it works only in guest ring
 * 0, which that host emulates: ring 3, where riad's hvt guests run after
 * early boot, runs natively, and an int3 or a trap flag there raises #BP
 * or #DB inside the guest, through its own IDT (probed: a ring-3 int3 with
 * USE_SW_BP set still reaches the guest; an int3 in ring 0 stops it with an
 * emulation error, which is taken as the breakpoint hit it is). So while
 * the guest runs, the stub also hooks the guest's own exception entries,
 * found in its code before it runs (find_hooks): the stubs of vectors 1
 * and 3 of riad's base/hvt/trap.S and trap_common, where every trap the
 * stubs do not handle themselves goes. The first two bytes of
 * each become "outb %al, $0xdb", which in ring 0 stops the vCPU with a
 * plain KVM_EXIT_IO (hlt, tried first, left a halt pending in kvm-pvm that
 * ended the next KVM_RUN after the registers were changed).
 *
 * At the #BP or #DB hook, the stopped context is the one the CPU saved on
 * the trap stack (RIP, CS, RFLAGS, RSP, SS; the general registers are
 * untouched, no guest code ran yet): gdb sees it and may change it. To
 * resume, the stub writes that frame back and points RIP at an iretq of
 * the guest's own trap code (after the #GP stub's fast path), so the vCPU
 * returns exactly as the guest's handler would; a step sets the trap flag
 * in the frame (a KVM step through the emulated iretq ends in a #GP of
 * the guest on kvm-pvm). At trap_common's hook the frame also holds the
 * vector and error code: gdb stops at the faulting instruction with its
 * registers, and whatever it does next the guest's own handler then runs
 * (it reports the trap and halts; a ring-0 page fault, which may be a
 * heap region's first touch, goes straight to it). The hooks are removed
 * whenever the guest stops, so gdb reads the guest's own bytes.
 *
 * Guest code is read-only in the tender's mapping (hvt_mem_protect), and
 * so for KVM; the stub writes breakpoints, hooks and gdb's M packets
 * through a second, writable mapping of the same memfd, which nothing else
 * uses.
 *
 * The socket is accepted before the sandbox; afterwards the stub needs
 * only read, write and recvfrom on it and four more vCPU ioctls
 * (hvt_seccomp.c). Ctrl-C: the socket raises SIGIO in the vCPU thread
 * (F_SETOWN_EX), whose handler sets kvm_run's immediate_exit, so KVM_RUN
 * returns EINTR and the loop looks for the 0x03.
 */
#if defined(RIAD_FUZZING) && defined(__clang__)
/* The fuzzer is built with clang, which names the GNU extension in
 * tender.h's manifest buffer. */
#pragma clang diagnostic ignored "-Wgnu-variable-sized-type-not-at-end"
#endif
#include "hvt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define GDB_DEFAULT_PORT 1234
#define GDB_PACKET_MAX 4096
#define GDB_BP_MAX 64
#define GDB_REGS_BYTES (16 * 8 + 8 + 4 + 6 * 4) /* what 'g' sends */

#define HOOK_OUT 0xe6 /* outb %al, $HOOK_PORT: a clean KVM_EXIT_IO in ring 0 */
#define HOOK_PORT 0xdb
#define HOOK_PUSH 0x6a /* pushq $imm8: the first byte of riad's trap stubs */
#define RFLAGS_TF (1ull << 8)

/* The hooks: the entries of #DB and #BP, and trap_common, where every
 * other trap the guest's stubs do not handle themselves goes. */
enum { HOOK_DB, HOOK_BP, HOOK_TC, HOOK_N };

#ifdef RIAD_FUZZING
/* fuzz/tender_gdb.c feeds the stub gdb's side of the connection and plays
 * the vCPU; replies go nowhere. */
ssize_t hvt_gdb_fuzz_read(void *buf, size_t len);
int hvt_gdb_fuzz_ioctl(unsigned long req, void *arg);
#define conn_read(fd, buf, len) ((void)(fd), hvt_gdb_fuzz_read(buf, len))
#define conn_write(fd, buf, len) ((void)(fd), (void)(buf), (ssize_t)(len))
#define conn_recv(fd, buf, len) ((void)(fd), (void)(buf), (void)(len), (ssize_t)-1)
#define conn_close(fd) ((void)(fd))
#define vcpu_ioctl(h, req, arg) ((void)(h), hvt_gdb_fuzz_ioctl(req, arg))
#else
#define conn_read(fd, buf, len) read(fd, buf, len)
#define conn_write(fd, buf, len) write(fd, buf, len)
#define conn_recv(fd, buf, len) recv(fd, buf, len, MSG_DONTWAIT)
#define conn_close(fd) close(fd)
#define vcpu_ioctl(h, req, arg) ioctl((h)->vcpu, req, arg)
#endif

static struct {
	bool on; /* --gdb given, and not detached */
	int port;
	int lfd, fd;
	struct hvt *h;
	uint8_t *mem; /* writable alias of guest memory */
	bool noack;
	/* Input buffer. */
	uint8_t in[GDB_PACKET_MAX + 16];
	size_t in_len, in_pos;
	/* The stopped context, as gdb sees it. */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	bool dirty;
	/* Stopped in a hook: the trap frame's address, and the vCPU's own
	 * (ring-0) RIP, RSP and RFLAGS there. */
	bool framed;
	uint64_t frame;
	uint64_t real_rflags;
	uint64_t iretq; /* an iretq of the guest's trap code, or 0 */
	struct {
		uint64_t addr; /* 0: none */
		uint8_t orig[2];
		bool armed;
	} hook[HOOK_N];
	struct {
		uint64_t addr;
		uint8_t orig;
	} bp[GDB_BP_MAX];
	unsigned nbp;
	int last_sig; /* of the last stop, for '?' */
	bool searched; /* find_hooks() ran */
	/* Stopped in trap_common: the vCPU's registers there. */
	bool faulted;
	struct kvm_regs fault_regs;
	bool tc_skip; /* trap_common is running: no hook there until the next exit */
	bool fault_reported; /* gdb has seen the guest's fatal trap */
} g = {.port = GDB_DEFAULT_PORT, .lfd = -1, .fd = -1};

static int gdb_port(const char *opt, const char *v, struct tender_error *err)
{
	long port = 0;

	if (*v == '\0')
		return error_set(err, "%s: missing PORT", opt);
	for (const char *p = v; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || port > 65535)
			return error_set(err, "%s: PORT must be a number from 1 to 65535", opt);
		port = port * 10 + (*p - '0');
	}
	if (port < 1 || port > 65535)
		return error_set(err, "%s: PORT must be a number from 1 to 65535", opt);
	g.port = (int)port;
	return 0;
}

static int gdb_parse(struct tender *t, const char *arg, struct tender_error *err)
{
	(void)t;
	if (strcmp(arg, "--gdb") == 0) {
		g.on = true;
		return 1;
	}
	/* --gdb-port=PORT is solo5-hvt's spelling; here it implies --gdb. */
	if (strncmp(arg, "--gdb=", 6) == 0 || strncmp(arg, "--gdb-port=", 11) == 0) {
		const char *eq = strchr(arg, '=');
		char opt[16];

		snprintf(opt, sizeof opt, "%.*s", (int)(eq - arg), arg);
		if (gdb_port(opt, eq + 1, err) < 0)
			return -1;
		g.on = true;
		return 1;
	}
	return 0;
}

/* Listening before the guest is loaded, so that a port in use is an error
 * of the command line, not of a guest that already waits. */
static int gdb_attach(struct tender *t, struct tender_error *err)
{
	struct sockaddr_in a;
	int one = 1;

	(void)t;
	if (!g.on)
		return 0;
	g.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g.lfd < 0)
		return error_set(err, "--gdb: socket: %s", strerror(errno));
	setsockopt(g.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)g.port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(g.lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(g.lfd, 1) < 0)
		return error_set(err, "--gdb: cannot listen on 127.0.0.1:%d: %s", g.port,
				 strerror(errno));
	return 0;
}

TENDER_MODULE(gdb, .name = "gdb",
	      .usage = "  --gdb[=PORT]     start the guest halted and wait for gdb on\n"
		       "                   127.0.0.1:PORT (default 1234; --gdb-port=PORT too)\n",
	      .parse = gdb_parse, .attach = gdb_attach);

bool hvt_gdb_wanted(void)
{
	return g.on;
}

int hvt_gdb_fd(void)
{
	return g.on ? g.fd : -1;
}

static void on_sigio(int sig)
{
	(void)sig;
	if (g.h != NULL)
		g.h->run->immediate_exit = 1;
}

int hvt_gdb_start(struct hvt *h, struct tender_error *err)
{
	struct f_owner_ex owner = {.type = F_OWNER_TID, .pid = gettid()};
	struct sigaction sa;
	int one = 1;

	if (!g.on)
		return 0;
	g.h = h;
	if (h->memfd < 0)
		return error_set(err, "--gdb: guest memory has no memfd");
	g.mem = mmap(NULL, h->mem.size, PROT_READ | PROT_WRITE, MAP_SHARED, h->memfd, 0);
	if (g.mem == MAP_FAILED)
		return error_set(err, "--gdb: cannot map guest memory: %s", strerror(errno));
	fprintf(stderr, "%s: waiting for gdb on 127.0.0.1:%d (target remote :%d)\n", HVT_PROG,
		g.port, g.port);
	do
		g.fd = accept4(g.lfd, NULL, NULL, SOCK_CLOEXEC);
	while (g.fd < 0 && errno == EINTR);
	if (g.fd < 0)
		return error_set(err, "--gdb: accept: %s", strerror(errno));
	close(g.lfd);
	g.lfd = -1;
	setsockopt(g.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigio;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGIO, &sa, NULL) < 0 || fcntl(g.fd, F_SETOWN_EX, &owner) < 0 ||
	    fcntl(g.fd, F_SETFL, O_ASYNC) < 0)
		return error_set(err, "--gdb: cannot set up interrupts: %s", strerror(errno));
	return 0;
}

/* The connection. */

static void gone(void) __attribute__((noreturn));

static void gone(void)
{
	hvt_fatal("gdb disconnected; ending the guest");
}

static void send_raw(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = conn_write(g.fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			gone();
		p += n, len -= (size_t)n;
	}
}

/* A byte, blocking; -1 at the end of the connection. */
static int get_byte(void)
{
	if (g.in_pos == g.in_len) {
		ssize_t n;

		do
			n = conn_read(g.fd, g.in, sizeof g.in);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return -1;
		g.in_len = (size_t)n;
		g.in_pos = 0;
	}
	return g.in[g.in_pos++];
}

static const char hexd[] = "0123456789abcdef";

static void put_packet(const char *data)
{
	static char out[2 * GDB_PACKET_MAX + 8];
	size_t n = strlen(data), k = 0;
	uint8_t sum = 0;

	out[k++] = '$';
	for (size_t i = 0; i < n && k < sizeof out - 4; i++) {
		out[k++] = data[i];
		sum = (uint8_t)(sum + (uint8_t)data[i]);
	}
	out[k++] = '#';
	out[k++] = hexd[sum >> 4];
	out[k++] = hexd[sum & 15];
	for (;;) {
		int c;

		send_raw(out, k);
		if (g.noack)
			return;
		c = get_byte();
		if (c < 0)
			gone();
		if (c == '+')
			return;
		if (c != '-')
			return; /* something else: not worth a resend loop */
	}
}

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The next packet's data, NUL-terminated, into buf; 0x03 outside a packet
 * is returned as the one-byte packet "\003". */
static size_t get_packet(char *buf, size_t size)
{
	for (;;) {
		int c = get_byte();
		size_t n = 0;
		uint8_t sum = 0;
		int h1, h2;

		if (c < 0)
			gone();
		if (c == 0x03) {
			buf[0] = 0x03, buf[1] = '\0';
			return 1;
		}
		if (c != '$')
			continue;
		while ((c = get_byte()) >= 0 && c != '#') {
			if (n + 1 < size)
				buf[n++] = (char)c;
			sum = (uint8_t)(sum + (uint8_t)c);
		}
		if (c < 0)
			gone();
		h1 = unhex(get_byte());
		h2 = unhex(get_byte());
		buf[n] = '\0';
		if (g.noack)
			return n;
		if (h1 < 0 || h2 < 0 || (uint8_t)(h1 << 4 | h2) != sum) {
			send_raw("-", 1);
			continue;
		}
		send_raw("+", 1);
		return n;
	}
}

/* Guest memory through the alias; false if [addr, addr + len) is not all
 * in it. */
static bool in_mem(uint64_t addr, uint64_t len)
{
	return addr < g.h->mem.size && len <= g.h->mem.size - addr;
}

/* The hooks and the iretq they resume through. */

/* Stub n of riad's trap.S (n < 8, no error code): "pushq $0; pushq $n;
 * jmp trap_common", 16-byte aligned, one after the other. */
static bool is_stub(uint64_t a, unsigned n)
{
	const uint8_t *p = g.mem + a;

	return p[0] == HOOK_PUSH && p[1] == 0 && p[2] == HOOK_PUSH && p[3] == n &&
	       (p[4] == 0xeb || p[4] == 0xe9);
}

/* Finds riad's exception entries in the guest's code, before it runs: the
 * stubs of vectors 0 to 3 in a row (a pattern no compiler emits), so that
 * the hooks are in place from the first instruction, before the guest has
 * even written its IDT (the IDT cannot be used to find them: it is filled
 * in by ring-3 boot code, after which a riad guest may run without any
 * exit until the first breakpoint). From stub 0: trap_common (its jmp's
 * target, starting "pushq %rax; pushq %rbx"), and the iretq ("addq $8,
 * %rsp; iretq") of the #GP stub's fast path, 13 stubs on. */
static void find_hooks(void)
{
	static const uint8_t iret_seq[] = {0x48, 0x83, 0xc4, 0x08, 0x48, 0xcf};
	static const uint8_t tc_seq[] = {0x50, 0x53};

	g.searched = true;
	for (unsigned i = 0; i < g.h->nregion; i++) {
		const struct hvt_region *r = &g.h->region[i];

		/* Code is readable and not writable (hvt_mem_protect). */
		if (r->prot != PROT_READ || !in_mem(r->start, r->end - r->start))
			continue;
		for (uint64_t a = (r->start + 15) & ~15ull; a + 4 * 16 <= r->end; a += 16) {
			const uint8_t *j = g.mem + a + 4;
			uint64_t t13 = a + 13 * 16, tc = 0;

			if (!is_stub(a, 0) || !is_stub(a + 16, 1) || !is_stub(a + 32, 2) ||
			    !is_stub(a + 48, 3))
				continue;
			if (j[0] == 0xeb) {
				tc = a + 6 + (uint64_t)(int64_t)(int8_t)j[1];
			} else {
				int32_t rel;

				memcpy(&rel, j + 1, 4);
				tc = a + 9 + (uint64_t)(int64_t)rel;
			}
			if (!in_mem(tc, 2) || memcmp(g.mem + tc, tc_seq, 2) != 0 || !in_mem(t13, 256))
				continue;
			for (uint64_t b = t13; b + sizeof iret_seq <= t13 + 256; b++)
				if (memcmp(g.mem + b, iret_seq, sizeof iret_seq) == 0) {
					g.iretq = b + 4;
					break;
				}
			if (g.iretq == 0)
				continue;
			g.hook[HOOK_DB].addr = a + 16;
			g.hook[HOOK_BP].addr = a + 48;
			g.hook[HOOK_TC].addr = tc;
			return;
		}
	}
}

static void arm_hooks(void)
{
	if (!g.searched)
		find_hooks();
	for (unsigned i = 0; i < HOOK_N; i++) {
		if (g.hook[i].addr == 0 || g.hook[i].armed || (i == HOOK_TC && g.tc_skip))
			continue;
		memcpy(g.hook[i].orig, g.mem + g.hook[i].addr, 2);
		g.mem[g.hook[i].addr] = HOOK_OUT;
		g.mem[g.hook[i].addr + 1] = HOOK_PORT;
		g.hook[i].armed = true;
	}
}

static void disarm_hooks(void)
{
	for (unsigned i = 0; i < HOOK_N; i++)
		if (g.hook[i].armed) {
			memcpy(g.mem + g.hook[i].addr, g.hook[i].orig, 2);
			g.hook[i].armed = false;
		}
}

/* Registers. */

static void load_context(void)
{
	if (vcpu_ioctl(g.h, KVM_GET_REGS, &g.regs) < 0 ||
	    vcpu_ioctl(g.h, KVM_GET_SREGS, &g.sregs) < 0)
		hvt_fatal("gdb: cannot read the guest's registers: %s", strerror(errno));
	g.dirty = false;
	g.framed = false;
}

/* The context the trap frame at rsp holds: what ran before the CPU entered
 * the hooked vector. */
static void load_frame(void)
{
	uint64_t f[5];

	g.frame = g.regs.rsp;
	memcpy(f, g.mem + g.frame, sizeof f);
	g.real_rflags = g.regs.rflags;
	g.regs.rip = f[0];
	g.sregs.cs.selector = (uint16_t)f[1];
	g.sregs.cs.dpl = f[1] & 3;
	g.regs.rflags = f[2] & ~RFLAGS_TF;
	g.regs.rsp = f[3];
	g.sregs.ss.selector = (uint16_t)f[4];
	g.framed = true;
}

static __u64 *gpr(unsigned n)
{
	__u64 *r[] = {&g.regs.rax, &g.regs.rbx, &g.regs.rcx, &g.regs.rdx, &g.regs.rsi,
			 &g.regs.rdi, &g.regs.rbp, &g.regs.rsp, &g.regs.r8, &g.regs.r9,
			 &g.regs.r10, &g.regs.r11, &g.regs.r12, &g.regs.r13, &g.regs.r14,
			 &g.regs.r15, &g.regs.rip};
	return n < 17 ? r[n] : NULL;
}

/* Register n (gdb's amd64 numbering) as little-endian bytes; its size, or
 * 0 if the stub does not have it. */
static unsigned reg_get(unsigned n, uint8_t *out)
{
	uint64_t v;
	unsigned size = 8;

	if (n < 17) {
		v = *gpr(n);
	} else if (n == 17) {
		v = g.regs.rflags, size = 4;
	} else if (n < 24) {
		const struct kvm_segment *s[] = {&g.sregs.cs, &g.sregs.ss, &g.sregs.ds,
						 &g.sregs.es, &g.sregs.fs, &g.sregs.gs};
		v = s[n - 18]->selector, size = 4;
	} else {
		return 0;
	}
	for (unsigned i = 0; i < size; i++)
		out[i] = (uint8_t)(v >> (8 * i));
	return size;
}

static void reg_set(unsigned n, const uint8_t *in)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < (n < 17 ? 8u : 4u); i++)
		v |= (uint64_t)in[i] << (8 * i);
	if (n < 17)
		*gpr(n) = v;
	else if (n == 17)
		g.regs.rflags = v;
	/* Segment selectors are not written: a selector alone is not a
	 * segment. */
	g.dirty = true;
}

/* Resuming. */

static void set_debug(bool step)
{
	struct kvm_guest_debug d;

	memset(&d, 0, sizeof d);
	if (g.on)
		d.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP |
			    (step ? KVM_GUESTDBG_SINGLESTEP : 0);
	if (vcpu_ioctl(g.h, KVM_SET_GUEST_DEBUG, &d) < 0)
		hvt_fatal("gdb: KVM_SET_GUEST_DEBUG: %s", strerror(errno));
}

static void resume(bool step)
{
	if (g.faulted) {
		/* On into the guest's own trap handler, as if gdb had not
		 * stopped it: it reports the trap and halts (or maps a heap
		 * region and returns). */
		struct kvm_regs r = g.fault_regs;

		r.rip = g.hook[HOOK_TC].addr;
		if (vcpu_ioctl(g.h, KVM_SET_REGS, &r) < 0)
			hvt_fatal("gdb: KVM_SET_REGS: %s", strerror(errno));
		set_debug(false);
		g.faulted = false;
		g.tc_skip = true;
	} else if (g.framed) {
		/* Back through the guest's own iretq, with the frame as gdb
		 * left it; a step sets the trap flag there, so that #DB comes
		 * after one instruction of the stopped context. */
		uint64_t f[5];
		struct kvm_regs r = g.regs;

		memcpy(f, g.mem + g.frame, sizeof f);
		f[0] = g.regs.rip;
		f[2] = (g.regs.rflags & ~RFLAGS_TF) | (step ? RFLAGS_TF : 0);
		f[3] = g.regs.rsp;
		memcpy(g.mem + g.frame, f, sizeof f);
		r.rip = g.iretq;
		r.rsp = g.frame;
		r.rflags = g.real_rflags;
		if (vcpu_ioctl(g.h, KVM_SET_REGS, &r) < 0)
			hvt_fatal("gdb: KVM_SET_REGS: %s", strerror(errno));
		/* Not a KVM step: on kvm-pvm one through the emulated iretq
		 * ends in a #GP of the guest. */
		set_debug(false);
	} else {
		if (g.dirty && vcpu_ioctl(g.h, KVM_SET_REGS, &g.regs) < 0)
			hvt_fatal("gdb: KVM_SET_REGS: %s", strerror(errno));
		set_debug(step);
	}
	g.framed = false;
	g.dirty = false;
	if (g.on)
		arm_hooks();
}

/* Breakpoints. */

static int bp_find(uint64_t addr)
{
	for (unsigned i = 0; i < g.nbp; i++)
		if (g.bp[i].addr == addr)
			return (int)i;
	return -1;
}

static const char *bp_insert(uint64_t addr)
{
	if (bp_find(addr) >= 0)
		return "OK";
	if (!in_mem(addr, 1))
		return "E0e";
	if (g.nbp == GDB_BP_MAX)
		return "E1c";
	g.bp[g.nbp].addr = addr;
	g.bp[g.nbp].orig = g.mem[addr];
	g.mem[addr] = 0xcc;
	g.nbp++;
	return "OK";
}

static const char *bp_remove(uint64_t addr)
{
	int i = bp_find(addr);

	if (i < 0)
		return "OK";
	g.mem[addr] = g.bp[i].orig;
	g.bp[i] = g.bp[--g.nbp];
	return "OK";
}

static void bp_remove_all(void)
{
	while (g.nbp > 0)
		bp_remove(g.bp[0].addr);
}

/* Parsing. */

static uint64_t parse_hex(const char **p)
{
	uint64_t v = 0;
	int d;

	while ((d = unhex(**p)) >= 0) {
		v = v << 4 | (uint64_t)d;
		(*p)++;
	}
	return v;
}

static void hex_bytes(char *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool unhex_bytes(uint8_t *out, const char *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int a = unhex(in[2 * i]), b = a < 0 ? -1 : unhex(in[2 * i + 1]);

		if (a < 0 || b < 0)
			return false;
		out[i] = (uint8_t)(a << 4 | b);
	}
	return true;
}

/* The stop reply for sig; a breakpoint hit says so (swbreak), so that gdb
 * takes the PC as it is. */
static void stop_reply(int sig, bool swbreak)
{
	char r[32];

	g.last_sig = sig;
	snprintf(r, sizeof r, "T%02x%s", sig & 0xff, swbreak ? "swbreak:;" : "");
	put_packet(r);
}

/* Serves gdb while the guest is stopped; returns when it is to run
 * again (or, after D, runs on without gdb). */
static void serve(void)
{
	static char pkt[GDB_PACKET_MAX + 8];
	static char out[2 * GDB_PACKET_MAX + 8];
	static uint8_t bytes[GDB_PACKET_MAX];

	for (;;) {
		const char *p;
		size_t n = get_packet(pkt, sizeof pkt);

		(void)n;
		p = pkt + 1;
		switch (pkt[0]) {
		case 0x03:
			continue; /* already stopped */
		case '?': {
			char r[8];

			snprintf(r, sizeof r, "S%02x", g.last_sig & 0xff);
			put_packet(r);
			break;
		}
		case 'q':
			if (strncmp(pkt, "qSupported", 10) == 0)
				put_packet("PacketSize=1000;swbreak+;QStartNoAckMode+");
			else if (strcmp(pkt, "qAttached") == 0)
				put_packet("0");
			else if (strcmp(pkt, "qC") == 0)
				put_packet("QC1");
			else if (strcmp(pkt, "qfThreadInfo") == 0)
				put_packet("m1");
			else if (strcmp(pkt, "qsThreadInfo") == 0)
				put_packet("l");
			else
				put_packet("");
			break;
		case 'Q':
			if (strcmp(pkt, "QStartNoAckMode") == 0) {
				put_packet("OK");
				g.noack = true;
			} else {
				put_packet("");
			}
			break;
		case 'H':
		case 'T':
			put_packet("OK");
			break;
		case 'g': {
			uint8_t regs[GDB_REGS_BYTES];
			unsigned k = 0;

			for (unsigned i = 0; i < 24; i++)
				k += reg_get(i, regs + k);
			hex_bytes(out, regs, k);
			put_packet(out);
			break;
		}
		case 'G': {
			uint8_t regs[GDB_REGS_BYTES];

			if (strlen(p) < 2 * (16 * 8 + 8 + 4) ||
			    !unhex_bytes(regs, p, 16 * 8 + 8 + 4)) {
				put_packet("E16");
				break;
			}
			for (unsigned i = 0, k = 0; i < 18; k += i < 17 ? 8 : 4, i++)
				reg_set(i, regs + k);
			put_packet("OK");
			break;
		}
		case 'p': {
			uint8_t v[8];
			unsigned size = reg_get((unsigned)parse_hex(&p), v);

			if (size == 0) {
				put_packet("E0e");
				break;
			}
			hex_bytes(out, v, size);
			put_packet(out);
			break;
		}
		case 'P': {
			unsigned r = (unsigned)parse_hex(&p);
			uint8_t v[8];

			if (*p != '=' || r > 17 || strlen(p + 1) < (r < 17 ? 16u : 8u) ||
			    !unhex_bytes(v, p + 1, r < 17 ? 8 : 4)) {
				put_packet(r > 17 && r < 24 ? "OK" : "E16");
				break;
			}
			reg_set(r, v);
			put_packet("OK");
			break;
		}
		case 'm': {
			uint64_t addr = parse_hex(&p), len;

			if (*p++ != ',') {
				put_packet("E16");
				break;
			}
			len = parse_hex(&p);
			if (len > sizeof bytes)
				len = sizeof bytes;
			if (!in_mem(addr, len)) {
				put_packet("E0e");
				break;
			}
			hex_bytes(out, g.mem + addr, len);
			put_packet(out);
			break;
		}
		case 'M': {
			uint64_t addr = parse_hex(&p), len;

			if (*p++ != ',') {
				put_packet("E16");
				break;
			}
			len = parse_hex(&p);
			if (*p++ != ':' || len > sizeof bytes || strlen(p) < 2 * len ||
			    !unhex_bytes(bytes, p, len)) {
				put_packet("E16");
				break;
			}
			if (!in_mem(addr, len)) {
				put_packet("E0e");
				break;
			}
			memcpy(g.mem + addr, bytes, len);
			put_packet("OK");
			break;
		}
		case 'Z':
		case 'z': {
			uint64_t addr;

			if (pkt[1] != '0' || pkt[2] != ',') {
				put_packet(""); /* only software breakpoints */
				break;
			}
			p = pkt + 3;
			addr = parse_hex(&p);
			put_packet(pkt[0] == 'Z' ? bp_insert(addr) : bp_remove(addr));
			break;
		}
		case 'C':
		case 'S':
			/* With a signal: there is no way to deliver one to
			 * the guest; it resumes as with c and s. */
			parse_hex(&p);
			if (*p == ';')
				p++;
			/* fall through */
		case 'c':
		case 's':
			if (*p != '\0') {
				g.regs.rip = parse_hex(&p);
				g.dirty = true;
			}
			resume(pkt[0] == 's' || pkt[0] == 'S');
			return;
		case 'D':
			bp_remove_all();
			put_packet("OK");
			g.on = false;
			resume(false);
			conn_close(g.fd);
			g.fd = -1;
			return;
		case 'k':
			hvt_fatal("killed by gdb");
		default:
			put_packet("");
			break;
		}
	}
}

/* Stops with sig and serves gdb until it resumes the guest. */
static void stop(int sig, bool swbreak)
{
	disarm_hooks();
	stop_reply(sig, swbreak);
	serve();
}

void hvt_gdb_begin(struct hvt *h)
{
	if (!g.on)
		return;
	g.h = h;
	g.last_sig = SIGTRAP;
	load_context();
	serve(); /* gdb asks '?' first; the answer is the initial SIGTRAP */
}

void hvt_gdb_interrupted(struct hvt *h)
{
	uint8_t c[64];
	ssize_t n;
	bool intr = false;

	h->run->immediate_exit = 0;
	if (!g.on)
		return;
	while ((n = conn_recv(g.fd, c, sizeof c)) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (c[i] == 0x03)
				intr = true;
	if (n == 0)
		gone();
	if (intr) {
		load_context();
		stop(SIGINT, false);
	}
}

/* The signal a process would get for vector vec. */
static int trap_signal(uint64_t vec)
{
	switch (vec) {
	case 0: case 16: case 19:
		return SIGFPE;
	case 1: case 3:
		return SIGTRAP;
	case 6:
		return SIGILL;
	case 17:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* trap_common's hook: the frame at rsp is vector, error code, RIP, CS,
 * RFLAGS, RSP, SS, and the general registers are still the trapping
 * code's. */
static bool trap_hit(const struct kvm_regs *r)
{
	uint64_t f[7];

	memcpy(f, g.mem + r->rsp, sizeof f);
	if (f[0] == 14 && (f[3] & 3) == 0) {
		/* A page fault in ring 0 may be a heap region's first touch,
		 * which the handler maps and returns from: not gdb's. */
		struct kvm_regs back = *r;

		back.rip = g.hook[HOOK_TC].addr;
		if (vcpu_ioctl(g.h, KVM_SET_REGS, &back) < 0)
			hvt_fatal("gdb: KVM_SET_REGS: %s", strerror(errno));
		disarm_hooks();
		g.tc_skip = true;
		arm_hooks();
		return true;
	}
	load_context();
	g.fault_regs = g.regs;
	g.fault_regs.rip = r->rip;
	g.regs.rip = f[2];
	g.sregs.cs.selector = (uint16_t)f[3];
	g.regs.rflags = f[4];
	g.regs.rsp = f[5];
	g.sregs.ss.selector = (uint16_t)f[6];
	g.faulted = true;
	g.fault_reported = true;
	stop(trap_signal(f[0]), false);
	return true;
}

/* If the vCPU stopped just after one of the hooks (rip = its out + 2),
 * stops gdb at the context the trap frame holds; false otherwise. */
static bool hook_hit(const struct kvm_regs *r)
{
	int which = -1;

	for (unsigned i = 0; i < HOOK_N; i++)
		if (g.hook[i].armed && r->rip == g.hook[i].addr + 2)
			which = (int)i;
	if (which < 0 || !in_mem(r->rsp, 56))
		return false;
	if (which == HOOK_TC)
		return trap_hit(r);
	load_context();
	load_frame();
	if (which == HOOK_BP) {
		uint64_t at = g.regs.rip - 1;
		bool ours = bp_find(at) >= 0;

		/* int3 traps after itself: gdb wants the breakpoint's address. */
		if (ours)
			g.regs.rip = at;
		stop(SIGTRAP, ours);
	} else {
		stop(SIGTRAP, false);
	}
	return true;
}

bool hvt_gdb_debug_exit(struct hvt *h)
{
	const struct kvm_debug_exit_arch *d = &h->run->debug.arch;
	struct kvm_regs r;

	if (!g.on)
		return false;
	/* On kvm-pvm a step asked of KVM in ring 3 becomes the guest's #DB,
	 * and KVM then reports the step after the hook's hlt, in ring 0. */
	if (vcpu_ioctl(h, KVM_GET_REGS, &r) == 0 && hook_hit(&r))
		return true;

	load_context();
	if (d->exception == 3) {
		/* VT-x and AMD-V report the int3's own address. */
		g.regs.rip = d->pc;
		g.dirty = true;
		stop(SIGTRAP, bp_find(d->pc) >= 0);
	} else {
		stop(SIGTRAP, false);
	}
	return true;
}

bool hvt_gdb_internal_error(struct hvt *h)
{
	struct kvm_regs r;

	/* kvm-pvm cannot emulate an int3 in guest ring 0 even with
	 * KVM_GUESTDBG_USE_SW_BP: it stops at it with an emulation error,
	 * the int3 not executed, which is a breakpoint hit if it is ours. */
	if (!g.on || h->run->internal.suberror != KVM_INTERNAL_ERROR_EMULATION ||
	    vcpu_ioctl(h, KVM_GET_REGS, &r) < 0 || bp_find(r.rip) < 0)
		return false;
	load_context();
	stop(SIGTRAP, true);
	return true;
}

bool hvt_gdb_hook(struct hvt *h, uint16_t port)
{
	struct kvm_regs r;

	if (!g.on || port != HOOK_PORT || vcpu_ioctl(h, KVM_GET_REGS, &r) < 0)
		return false;
	return hook_hit(&r);
}

void hvt_gdb_fault(struct hvt *h, int sig, uint64_t cookie)
{
	if (!g.on)
		return;
	g.h = h;
	if (g.fault_reported && cookie != 0)
		goto end; /* gdb stopped at this trap already */
	load_context();
	if (cookie != 0 && in_mem(cookie, sizeof(struct riad_hvt_trap_frame))) {
		/* Where the guest trapped, as its handler recorded it; the
		 * general registers are the handler's own by now. */
		struct riad_hvt_trap_frame f;

		memcpy(&f, g.mem + cookie, sizeof f);
		g.regs.rip = f.rip, g.regs.rflags = f.rflags, g.regs.rsp = f.rsp;
		g.sregs.cs.selector = (uint16_t)f.cs, g.sregs.ss.selector = (uint16_t)f.ss;
	}
	disarm_hooks();
	stop_reply(sig, false);
	/* Whatever gdb does next (continue, step, kill), the guest cannot go
	 * on: serve until it resumes, then report the end. */
	serve();
end:
	if (g.on) {
		char r[8];

		snprintf(r, sizeof r, "X%02x", sig & 0xff);
		put_packet(r);
	}
}

/* trap_common ran without its hook since a fault passed through it
 * (tc_skip): from the next exit on, it is hooked again. */
void hvt_gdb_io(struct hvt *h)
{
	(void)h;
	if (!g.on || !g.tc_skip)
		return;
	g.tc_skip = false;
	arm_hooks();
}

void hvt_gdb_exited(int status)
{
	char r[8];

	if (!g.on)
		return;
	snprintf(r, sizeof r, "W%02x", status & 0xff);
	put_packet(r);
}

#ifdef RIAD_FUZZING
/* A session on h (its memory and run structure set up by the fuzzer):
 * serves packets until the input ends, which ends in hvt_fatal(). */
void hvt_gdb_fuzz_session(struct hvt *h) __attribute__((noreturn));

void hvt_gdb_fuzz_session(struct hvt *h)
{
	memset(&g, 0, sizeof g);
	g.on = true;
	g.h = h;
	g.mem = h->mem.host;
	g.lfd = -1;
	hvt_gdb_begin(h);
	for (;;) {
		if (!g.on)
			hvt_fatal("detached");
		/* As if the guest stopped at once: a step, a breakpoint. */
		stop(SIGTRAP, false);
	}
}
#endif
