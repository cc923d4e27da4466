/* abi/hvt.h: the hvt ABI (version 2): boot info, hypercalls and net ring between riad-hvt (or solo5-hvt) and a KVM guest.
 *
 * Guest physical memory is identity-mapped from 0 to mem_size. The ELF image
 * is loaded at RIAD_HVT_GUEST_MIN_BASE and up. At RIAD_HVT_BOOT_INFO_BASE
 * (read-only to the guest) the tender writes struct riad_hvt_boot_info, then
 * the filled-in manifest copy (abi/mft.h), then the command line
 * (RIAD_HVT_CMDLINE_SIZE bytes, NUL-terminated). The vCPU starts at e_entry
 * in 64-bit long mode with RSP = mem_size - 8 and RDI = the boot info
 * address.
 *
 * Hypercalls (x86_64): hypercall n is a 32-bit `outl` to port
 * RIAD_HVT_HYPERCALL_PIO_BASE + n, carrying the low 32 bits of the guest
 * address of its argument struct (below 4 GiB, since memory is capped there).
 * The vCPU stops while the tender serves it; results are written back into
 * the struct. Every address inside a struct is a 64-bit guest-physical
 * address; the tender bounds-checks it against mem_size and treats a bad one
 * as fatal. `ret` fields use solo5_result_t numbering (0 OK, 1 AGAIN,
 * 2 EINVAL, 3 EUNSPEC). A guest ends only through HALT; the tender's exit
 * status is exit_status mod 256.
 *
 * Optional net ring (host_features bit RIAD_HVT_FEATURE_RING_IO): a shared
 * struct riad_hvt_ring at guest address net_ring, at the top of memory and
 * beyond the guest's mem_size. The guest produces entries (ent_tail) and
 * consumes commits (com_head); the host the reverse. Indices run freely;
 * slot = index & (RIAD_HVT_RING_SIZE - 1). After publishing an entry the
 * guest fences and, if needs_kick is set, writes the ring id (0) with a
 * 32-bit `outl` to RIAD_HVT_RING_KICK_PIO_BASE.
 *
 * riad's own extensions take host_features bits from 31 down and ports
 * from 0x580 up, apart from what Solo5 numbers from 0 and 0x500 up. The
 * ENTROPY hypercall (bit RIAD_HVT_FEATURE_ENTROPY, port
 * RIAD_HVT_ENTROPY_PIO) gives random bytes from the host kernel, so that a
 * guest need not time CPUID exits for jitter at boot. A guest makes it
 * only when the bit is set; Solo5's tender sets no such bit.
 *
 * Self-contained C99 (plus _Static_assert).
 */
#ifndef RIAD_ABI_HVT_H
#define RIAD_ABI_HVT_H

#include <stddef.h>
#include <stdint.h>

#define RIAD_HVT_ABI_TARGET 1u
#define RIAD_HVT_ABI_VERSION_CURRENT 2u

#define RIAD_HVT_BOOT_INFO_BASE 0x10000u
#define RIAD_HVT_GUEST_MIN_BASE 0x100000u
#define RIAD_HVT_CMDLINE_SIZE 8192u

/* x86_64: ports; aarch64: 32-bit store of the struct address to MMIO. */
#define RIAD_HVT_HYPERCALL_PIO_BASE 0x500u
#define RIAD_HVT_RING_KICK_PIO_BASE 0x600u
#define RIAD_HVT_ENTROPY_PIO 0x580u /* riad's own: ENTROPY */
#define RIAD_HVT_HYPERCALL_MMIO_BASE 0x100000000ull
#define RIAD_HVT_HYPERCALL_MMIO_ADDRESS(n) (RIAD_HVT_HYPERCALL_MMIO_BASE + ((uint64_t)(n) << 3))
#define RIAD_HVT_RING_KICK_MMIO_BASE (RIAD_HVT_HYPERCALL_MMIO_BASE + 0x100u)

/* host_features bits. */
#define RIAD_HVT_FEATURE_RING_IO (1u << 0)
#define RIAD_HVT_FEATURE_ENTROPY (1u << 31) /* riad's own */

struct riad_hvt_boot_info {
	uint64_t mem_size; /* guest-usable bytes (the ring, if any, is above) */
	uint64_t kernel_end; /* highest page-aligned end of a loaded segment */
	uint64_t cpu_cycle_freq; /* TSC frequency in Hz */
	uint64_t cmdline; /* guest address of the command line */
	uint64_t mft; /* guest address of the manifest copy */
	/* Bytes 40..55 were added without an ABI bump; an older tender leaves
	 * them zero (guest memory starts zeroed). */
	uint32_t host_features; /* RIAD_HVT_FEATURE_* */
	uint32_t guest_features; /* reserved for negotiation; 0 */
	uint64_t net_ring; /* guest address of struct riad_hvt_ring, or 0 */
};

/* Hypercall numbers. */
#define RIAD_HVT_HYPERCALL_RESERVED 0u
#define RIAD_HVT_HYPERCALL_WALLTIME 1u
#define RIAD_HVT_HYPERCALL_PUTS 2u
#define RIAD_HVT_HYPERCALL_POLL 3u
#define RIAD_HVT_HYPERCALL_BLOCK_WRITE 4u
#define RIAD_HVT_HYPERCALL_BLOCK_READ 5u
#define RIAD_HVT_HYPERCALL_NET_WRITE 6u
#define RIAD_HVT_HYPERCALL_NET_READ 7u
#define RIAD_HVT_HYPERCALL_HALT 8u
#define RIAD_HVT_HYPERCALL_MAX 9u

/* WALLTIME: out: host CLOCK_REALTIME in ns. */
struct riad_hvt_hc_walltime {
	uint64_t nsecs;
};

/* ENTROPY (port RIAD_HVT_ENTROPY_PIO): the tender fills len bytes at data (len at most
 * RIAD_HVT_ENTROPY_MAX) from the host kernel's random number generator.
 * A longer len is fatal, as a bad address is. */
struct riad_hvt_hc_entropy {
	uint64_t data;
	uint64_t len;
};

#define RIAD_HVT_ENTROPY_MAX 256u

/* PUTS: the tender writes len bytes at data to its standard output. */
struct riad_hvt_hc_puts {
	uint64_t data;
	uint64_t len;
};

/* POLL: wait up to timeout_nsecs (relative) for input on any attached net
 * device. out: ready_set (bit i = manifest entry i), ret = number of ready
 * devices. */
struct riad_hvt_hc_poll {
	uint64_t timeout_nsecs;
	uint64_t ready_set;
	int32_t ret;
};

/* BLOCK_WRITE / BLOCK_READ: len bytes at offset of device handle, from or
 * into data. EINVAL if handle is not a block device, offset >= capacity or
 * offset + len > capacity. For BLOCK_READ, len is also out. */
struct riad_hvt_hc_block_write {
	uint64_t handle;
	uint64_t offset;
	uint64_t data;
	uint64_t len;
	int32_t ret;
};

struct riad_hvt_hc_block_read {
	uint64_t handle;
	uint64_t offset;
	uint64_t data;
	uint64_t len;
	int32_t ret;
};

/* NET_WRITE: send one frame of len bytes. */
struct riad_hvt_hc_net_write {
	uint64_t handle;
	uint64_t data;
	uint64_t len;
	int32_t ret;
};

/* NET_READ: receive one frame into data; len is the buffer size in and the
 * frame size out. ret = AGAIN if nothing is queued. */
struct riad_hvt_hc_net_read {
	uint64_t handle;
	uint64_t data;
	uint64_t len;
	int32_t ret;
};

/* HALT: end the guest with exit_status. cookie is 0 or the guest address of
 * at least RIAD_HVT_HALT_COOKIE_MAX bytes (a trap frame on abort). */
struct riad_hvt_hc_halt {
	uint64_t cookie;
	int32_t exit_status;
};

#define RIAD_HVT_HALT_COOKIE_MAX 512u

/* What the guest's trap handler passes as the HALT cookie (x86_64). */
struct riad_hvt_trap_frame {
	uint64_t cr2;
	uint64_t ec;
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};

/* The net ring. */
#define RIAD_HVT_RING_SIZE 1024u
#define RIAD_HVT_RING_BUF_SIZE 2048u /* guest's per-slot write buffer */
#define RIAD_HVT_RING_OP_NET_WRITE 1u
#define RIAD_HVT_RING_OP_NET_READ 2u

struct riad_hvt_ring_entry {
	uint32_t operation; /* RIAD_HVT_RING_OP_* */
	uint32_t handle;
	uint64_t data; /* guest address of the frame or buffer */
	uint32_t len; /* frame length, or buffer size */
	uint32_t id; /* echoed in the commit */
	uint64_t reserved;
};

struct riad_hvt_ring_commit {
	uint32_t id;
	int32_t ret;
	uint32_t len; /* NET_READ: frame length */
	uint32_t reserved;
};

struct riad_hvt_ring {
	/* Cache line 0: written by the guest. */
	uint32_t ent_tail;
	uint32_t com_head;
	uint8_t pad0[56];
	/* Cache line 1: written by the host. */
	uint32_t ent_head;
	uint32_t com_tail;
	uint32_t needs_kick;
	uint8_t pad1[52];
	struct riad_hvt_ring_entry entries[RIAD_HVT_RING_SIZE];
	struct riad_hvt_ring_commit commits[RIAD_HVT_RING_SIZE];
};

_Static_assert(sizeof(struct riad_hvt_boot_info) == 56, "hvt boot info size");
_Static_assert(offsetof(struct riad_hvt_boot_info, kernel_end) == 8, "kernel_end");
_Static_assert(offsetof(struct riad_hvt_boot_info, cpu_cycle_freq) == 16, "cpu_cycle_freq");
_Static_assert(offsetof(struct riad_hvt_boot_info, cmdline) == 24, "cmdline");
_Static_assert(offsetof(struct riad_hvt_boot_info, mft) == 32, "mft");
_Static_assert(offsetof(struct riad_hvt_boot_info, host_features) == 40, "host_features");
_Static_assert(offsetof(struct riad_hvt_boot_info, guest_features) == 44, "guest_features");
_Static_assert(offsetof(struct riad_hvt_boot_info, net_ring) == 48, "net_ring");
_Static_assert(sizeof(struct riad_hvt_hc_walltime) == 8, "walltime size");
_Static_assert(sizeof(struct riad_hvt_hc_puts) == 16, "puts size");
_Static_assert(sizeof(struct riad_hvt_hc_entropy) == 16, "entropy size");
_Static_assert(offsetof(struct riad_hvt_hc_puts, len) == 8, "puts len");
_Static_assert(sizeof(struct riad_hvt_hc_poll) == 24, "poll size");
_Static_assert(offsetof(struct riad_hvt_hc_poll, ready_set) == 8, "poll ready_set");
_Static_assert(offsetof(struct riad_hvt_hc_poll, ret) == 16, "poll ret");
_Static_assert(sizeof(struct riad_hvt_hc_block_write) == 40, "block_write size");
_Static_assert(offsetof(struct riad_hvt_hc_block_write, offset) == 8, "block_write offset");
_Static_assert(offsetof(struct riad_hvt_hc_block_write, data) == 16, "block_write data");
_Static_assert(offsetof(struct riad_hvt_hc_block_write, len) == 24, "block_write len");
_Static_assert(offsetof(struct riad_hvt_hc_block_write, ret) == 32, "block_write ret");
_Static_assert(sizeof(struct riad_hvt_hc_block_read) == 40, "block_read size");
_Static_assert(offsetof(struct riad_hvt_hc_block_read, len) == 24, "block_read len");
_Static_assert(offsetof(struct riad_hvt_hc_block_read, ret) == 32, "block_read ret");
_Static_assert(sizeof(struct riad_hvt_hc_net_write) == 32, "net_write size");
_Static_assert(offsetof(struct riad_hvt_hc_net_write, data) == 8, "net_write data");
_Static_assert(offsetof(struct riad_hvt_hc_net_write, len) == 16, "net_write len");
_Static_assert(offsetof(struct riad_hvt_hc_net_write, ret) == 24, "net_write ret");
_Static_assert(sizeof(struct riad_hvt_hc_net_read) == 32, "net_read size");
_Static_assert(offsetof(struct riad_hvt_hc_net_read, len) == 16, "net_read len");
_Static_assert(offsetof(struct riad_hvt_hc_net_read, ret) == 24, "net_read ret");
_Static_assert(sizeof(struct riad_hvt_hc_halt) == 16, "halt size");
_Static_assert(offsetof(struct riad_hvt_hc_halt, exit_status) == 8, "halt exit_status");
_Static_assert(sizeof(struct riad_hvt_trap_frame) == 56, "trap frame size");
_Static_assert(sizeof(struct riad_hvt_ring_entry) == 32, "ring entry size");
_Static_assert(offsetof(struct riad_hvt_ring_entry, data) == 8, "ring entry data");
_Static_assert(offsetof(struct riad_hvt_ring_entry, len) == 16, "ring entry len");
_Static_assert(offsetof(struct riad_hvt_ring_entry, id) == 20, "ring entry id");
_Static_assert(sizeof(struct riad_hvt_ring_commit) == 16, "ring commit size");
_Static_assert(offsetof(struct riad_hvt_ring_commit, ret) == 4, "ring commit ret");
_Static_assert(offsetof(struct riad_hvt_ring_commit, len) == 8, "ring commit len");
_Static_assert(offsetof(struct riad_hvt_ring, com_head) == 4, "ring com_head");
_Static_assert(offsetof(struct riad_hvt_ring, ent_head) == 64, "ring ent_head");
_Static_assert(offsetof(struct riad_hvt_ring, com_tail) == 68, "ring com_tail");
_Static_assert(offsetof(struct riad_hvt_ring, needs_kick) == 72, "ring needs_kick");
_Static_assert(offsetof(struct riad_hvt_ring, entries) == 128, "ring entries");
_Static_assert(offsetof(struct riad_hvt_ring, commits) == 32896, "ring commits");
_Static_assert(sizeof(struct riad_hvt_ring) == 49280, "ring size");
_Static_assert((RIAD_HVT_RING_SIZE & (RIAD_HVT_RING_SIZE - 1)) == 0, "ring size power of 2");

#endif
