/* tender/hvt/hvt.h: the parts of riad-hvt: KVM set-up, guest memory and its checked access, vCPU state, hypercalls, the net ring, the sandbox.
 *
 * Guest memory is one anonymous shared mapping installed at guest address 0
 * (struct hvt.mem, base 0). Its top may hold the net ring; the guest sees
 * mem_size bytes below it. A guest address stays an integer until
 * hvt_guest_in() or hvt_guest_out() has checked it against the whole mapping
 * and against the host permissions of the pages it covers; an invalid one
 * ends the tender ("Invalid guest access: ...", status 1), so nothing ever
 * reads or writes outside guest memory or into memory the guest itself may
 * not write.
 *
 * Errors before the guest runs are reported through struct tender_error;
 * once it runs, every failure goes through hvt_fatal(), which prints one line
 * and exits with status 1. Only the vCPU loop's thread and the ring thread
 * exist; both may call hvt_fatal().
 */
#ifndef RIAD_TENDER_HVT_H
#define RIAD_TENDER_HVT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"
#include "../common/guest.h"
#include "../common/tender.h"
#include "abi/hvt.h"

#define HVT_PROG "riad-hvt"

/* Memory size rules (SOLO5-ABI.md 4.1 step 5). */
#define HVT_MEM_ALIGN (2ull << 20)
#define HVT_MEM_MIN (2ull << 20)
#define HVT_MEM_MAX (4ull << 30)

/* Host permissions of part of guest memory, as the tender enforces them on
 * its own accesses: the ELF segments (their mprotect) and the low MiB,
 * which the guest's page tables make read-only. */
struct hvt_region {
	uint64_t start, end;
	int prot; /* PROT_READ | PROT_WRITE */
};

#define HVT_REGIONS_MAX 64

struct hvt_ring_state; /* hvt_ring.c */

struct hvt {
	int kvm, vm, vcpu; /* descriptors */
	struct kvm_run *run;
	size_t run_size;
	bool has_ioeventfd;
	struct guest_mem mem; /* the whole mapping: base 0, size = mem_alloc */
	bool mem_memfd; /* back it with a memfd (set before hvt_mem_map) */
	int memfd; /* that memfd, if mem_memfd */
	uint64_t mem_size; /* what the guest may use: below the ring */
	struct hvt_region region[HVT_REGIONS_MAX];
	unsigned nregion;
	uint64_t tsc_hz;
	const struct riad_mft *mft; /* the tender's filled-in manifest */
	int epollfd, timerfd; /* POLL */
	struct hvt_ring_state *ring; /* NULL without a ring */
	uint64_t ring_gpa;
};

/* One line "riad-hvt: MSG" on standard error and exit status 1; safe in
 * any thread once the guest runs. */
void hvt_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* The same line as hvt_fatal() without the exit: for what is printed
 * between a fatal event and the exit (the core dump's line). */
void hvt_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Guest memory (hvt_mem.c). */

/* The mem_size the guest gets for --mem=mib: 2 MiB to 4 GiB, rounded down
 * to 2 MiB (*rounded set if it was). */
int hvt_mem_size(uint64_t mib, uint64_t *bytes, bool *rounded, struct tender_error *err);

/* Maps alloc bytes of zeroed, shared memory for the guest: anonymous, or
 * with h->mem_memfd a memfd (h->memfd), whose holes the core dump skips. */
int hvt_mem_map(struct hvt *h, uint64_t alloc, struct tender_error *err);

/* elf_protect_fn: host permissions of an ELF segment. Executable becomes
 * readable (the guest's code must never be executable in the tender);
 * records the region for hvt_guest_in/out. */
int hvt_mem_protect(void *arg, uint64_t start, uint64_t end, int prot);

/* Records that the tender must treat [start, end) as having prot. */
int hvt_mem_region(struct hvt *h, uint64_t start, uint64_t end, int prot);

/* The host pointer for guest range [gpa, gpa + len) that the tender reads
 * (hvt_guest_in) or writes (hvt_guest_out) for the guest; ends the tender
 * with "Invalid guest access" if any of it is outside guest memory or not
 * readable (writable) by the guest. what names the field for the message. */
void *hvt_guest_in(const struct hvt *h, uint64_t gpa, uint64_t len, const char *what);
void *hvt_guest_out(const struct hvt *h, uint64_t gpa, uint64_t len, const char *what);

/* KVM (hvt_kvm.c). */

/* Opens /dev/kvm (API 12), creates the VM and its vCPU, maps kvm_run,
 * requires the capabilities riad-hvt relies on, probes ioeventfd. */
int hvt_kvm_open(struct hvt *h, struct tender_error *err);

/* Installs h->mem as memory slot 0 at guest address 0. */
int hvt_kvm_set_memory(struct hvt *h, struct tender_error *err);

/* Runs the vCPU until the guest halts; never returns. */
void hvt_kvm_run(struct hvt *h) __attribute__((noreturn));

/* vCPU state, architecture-specific (hvt_cpu_x86_64.c). */

/* Writes the boot GDT and page tables into guest memory and sets CPUID,
 * the special registers, the TSC frequency (h->tsc_hz) and the general
 * registers: entry at entry, RSP = h->mem_size - 8, RDI = boot info. */
int hvt_cpu_init(struct hvt *h, uint64_t entry, struct tender_error *err);

struct elf_prstatus; /* <sys/procfs.h> */

/* The guest's registers as a core file's NT_PRSTATUS (KVM_GET_REGS and
 * KVM_GET_SREGS; with a non-zero cookie, the trap frame it points at
 * replaces rip, cs, rflags, rsp and ss). 0, or -1 with errno set. */
int hvt_cpu_prstatus(const struct hvt *h, uint64_t cookie, struct elf_prstatus *st);

/* A one-line description of where the vCPU is ("rip=0x... rsp=0x..."),
 * for fatal messages; empty if the registers cannot be read. */
void hvt_cpu_where(const struct hvt *h, char *buf, size_t size);

/* Boot info, manifest copy and command line at RIAD_HVT_BOOT_INFO_BASE
 * (hvt_boot.c). */
int hvt_boot_write(struct hvt *h, const struct tender *t, uint64_t kernel_end,
		   struct tender_error *err);

/* Hypercalls (hvt_hypercall.c). A handler gets the guest address of its
 * argument struct; the struct is copied in through hvt_guest_in() and its
 * results written back through hvt_guest_out(). Handlers register
 * themselves with HVT_HYPERCALL(). */
typedef void (*hvt_hypercall_fn)(struct hvt *h, uint64_t gpa);

struct hvt_hypercall {
	uint32_t nr;
	hvt_hypercall_fn fn;
};

#define HVT_HYPERCALL(id, number, handler) \
	static const struct hvt_hypercall hvt_hypercall_##id \
		__attribute__((used, section("riad_hvt_hypercalls"), aligned(8))) = { \
			(number), (handler)}

/* Builds the dispatch table from the registered handlers. */
int hvt_hypercall_init(struct tender_error *err);

/* Serves the 32-bit OUT of value to port; ends the tender if the port or
 * the access is not a hypercall. */
void hvt_hypercall(struct hvt *h, uint16_t port, uint8_t size, uint32_t count, uint8_t direction,
		   uint32_t value);

/* The manifest entry for a guest's handle if it is attached and of type,
 * else NULL. */
const struct riad_mft_entry *hvt_device(const struct hvt *h, uint64_t handle, uint32_t type);

/* POLL and net hypercalls (hvt_net.c): the epoll set and its timer. */
int hvt_net_setup(struct hvt *h, struct tender_error *err);

/* One frame from the guest, len bytes at p (already checked to lie in
 * guest memory), to net device e in one write(2), for NET_WRITE and the
 * ring alike. The length must be what the device takes: at most mtu + 14
 * plain, or with riad's net extension (RIAD_MFT_NET_F_VNET) the header and
 * up to RIAD_MFT_NET_FRAME_MAX. SOLO5_R_OK when written or dropped by a
 * full queue; SOLO5_R_EINVAL for another length or a frame the kernel
 * refuses (a bad virtio-net header, a runt); any other error ends the
 * tender. */
int32_t hvt_net_write_frame(const struct riad_mft_entry *e, const uint8_t *p, uint64_t len);

/* One frame from net device e into the guest's size bytes at p, in one
 * read(2): SOLO5_R_OK with *len set, SOLO5_R_AGAIN if none is queued,
 * SOLO5_R_EINVAL if the kernel refuses the buffer (smaller than the
 * header); any other error ends the tender. */
int32_t hvt_net_read_frame(const struct riad_mft_entry *e, uint8_t *p, uint64_t size,
			   uint64_t *len);

/* The net ring (hvt_ring.c), used with ioeventfd and a net device. */
#define HVT_RING_ALLOC (((uint64_t)sizeof(struct riad_hvt_ring) + HVT_MEM_ALIGN - 1) & \
			~(HVT_MEM_ALIGN - 1))

/* Zeroes the ring at h->ring_gpa, registers the kick ioeventfd and starts
 * the ring thread. */
int hvt_ring_setup(struct hvt *h, struct tender_error *err);

/* Serves what the guest queued, then stops and joins the ring thread (the
 * HALT hook). No-op without a ring. */
void hvt_ring_stop(struct hvt *h);

/* The eventfd of the ring, or -1 (for the sandbox). */
int hvt_ring_eventfd(const struct hvt *h);

/* Core dumps (hvt_dumpcore.c), with --dumpcore[=DIR]: when the guest
 * aborts (HALT with status 255) or the vCPU stops on a fault of the guest,
 * an ELF core of its registers and memory is written to
 * DIR/core.riad-hvt.PID by a writer process forked before the sandbox
 * (see hvt_dumpcore.c). Without --dumpcore every function here does
 * nothing. */
bool hvt_dumpcore_wanted(void);

/* Forks the writer; after guest memory is mapped, before the sandbox. */
int hvt_dumpcore_start(struct hvt *h, struct tender_error *err);

/* Writes the core (vCPU thread only) and prints one line saying where it
 * went or why it could not be written; returns either way. sig is the
 * signal a core of a process would carry (SIGABRT for an abort). */
void hvt_dumpcore(const struct hvt *h, int sig, uint64_t cookie);

/* The writer's request and reply descriptors, for the sandbox; false
 * without --dumpcore. */
bool hvt_dumpcore_fds(int *request, int *reply);

/* The gdb remote stub (hvt_gdb.c), with --gdb[=PORT]: the guest starts
 * halted and runs under one gdb client on 127.0.0.1 (hvt_gdb.c says how
 * it stops the guest, also on kvm-pvm). Without --gdb every function here
 * does nothing (and the bool ones return false). */
bool hvt_gdb_wanted(void);

/* Maps the stub's writable view of guest memory (the memfd) and waits for
 * gdb to connect; after the guest is loaded, before the sandbox. */
int hvt_gdb_start(struct hvt *h, struct tender_error *err);

/* The connection, for the sandbox; -1 without --gdb. */
int hvt_gdb_fd(void);

/* The run loop's hooks: before the first KVM_RUN (serves gdb until it
 * continues); after KVM_RUN returned EINTR (a Ctrl-C from gdb stops the
 * guest); at KVM_EXIT_DEBUG; at KVM_EXIT_IO, first hvt_gdb_io() (puts
 * back a hook a fault went past), then hvt_gdb_hook() (true if the exit
 * was the stub's own, handled, not a hypercall). */
void hvt_gdb_begin(struct hvt *h);
void hvt_gdb_interrupted(struct hvt *h);
bool hvt_gdb_debug_exit(struct hvt *h);
void hvt_gdb_io(struct hvt *h);
bool hvt_gdb_hook(struct hvt *h, uint16_t port);
/* At KVM_EXIT_INTERNAL_ERROR: true if it was a breakpoint of gdb's in
 * ring 0 that kvm-pvm could not emulate, now stopped at. */
bool hvt_gdb_internal_error(struct hvt *h);

/* A fault or an abort of the guest: stops in gdb with sig (the trap frame
 * at cookie, if not 0, gives RIP, RSP, RFLAGS, CS and SS) and returns when
 * gdb lets it go on, having told gdb the guest ended with sig. */
void hvt_gdb_fault(struct hvt *h, int sig, uint64_t cookie);

/* The guest exits with status: tells gdb. */
void hvt_gdb_exited(int status);

/* The sandbox (hvt_seccomp.c): after this only the system calls of the
 * vCPU loop and the ring thread are possible, in every thread. */
int hvt_seccomp_apply(const struct hvt *h, struct tender_error *err);

#endif
