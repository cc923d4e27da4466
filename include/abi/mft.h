/* abi/mft.h: the Solo5 application manifest (version 1), as guest and tender share it.
 *
 * The manifest lists the devices a unikernel needs. It is built into the
 * guest's ELF file as the MFT1 note (see abi/elf_note.h); the tender reads it
 * from there, validates it (rules below), fills in the devices the command
 * line attaches, and copies the filled-in manifest into guest memory, where
 * the guest's bindings read device properties from it.
 *
 * Layout: a header { uint32 version; uint32 entries; } followed at offset 8
 * by `entries` entries of 104 bytes each. Entry 0 is reserved (type
 * RIAD_MFT_RESERVED_FIRST, empty name); user devices are entries 1..63. A
 * device's handle (solo5_handle_t) is its index in the manifest, so the first
 * user device is handle 1, and bit i of a solo5_handle_set_t means entry i;
 * hence at most 64 entries in all.
 *
 * Validation (what a tender must check before trusting any of it): the
 * descriptor size is exactly 8 + entries * 104; version == 1;
 * 1 <= entries <= 64; entry 0 is RESERVED_FIRST with name[0] == 0; every
 * name's byte 67 is 0; every `attached` is false as found in the binary.
 *
 * This header is self-contained C99 (plus _Static_assert), for x86_64 and
 * other LP64 targets; the asserts pin every size and offset to the ABI.
 */
#ifndef RIAD_ABI_MFT_H
#define RIAD_ABI_MFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RIAD_MFT_VERSION 1u

/* Entries including the reserved first one: a handle set is a uint64_t. */
#define RIAD_MFT_MAX_ENTRIES 64u

/* A name is 1..67 characters from [A-Za-z0-9], NUL-terminated in 68 bytes. */
#define RIAD_MFT_NAME_SIZE 68u
#define RIAD_MFT_NAME_MAX (RIAD_MFT_NAME_SIZE - 1u)

/* Entry types. Any other value is not a device the bindings acquire. */
#define RIAD_MFT_DEV_BLOCK_BASIC 1u
#define RIAD_MFT_DEV_NET_BASIC 2u
#define RIAD_MFT_RESERVED_FIRST (1u << 30)

/* Filled in by the tender for an attached BLOCK_BASIC device: capacity and
 * block (sector) size in bytes.
 *
 * riad's block extension (docs/storage-block.md) lives in bytes that
 * Solo5's layout leaves as padding, and riad's tenders write them only for
 * a guest whose ABI1 note asks (RIAD_ABI1_F_BLOCK_EXT in reserved0); a
 * Solo5 tender leaves them 0, which means "one block per call, no flush".
 * riad_max_blocks: a call may move 2^k blocks for any 2^k <= this (a power
 * of two); riad_flags: RIAD_MFT_BLOCK_F_FLUSH if a zero-length write is a
 * barrier (fdatasync on the host). */
struct riad_mft_block_basic {
	uint64_t capacity;
	uint16_t block_size;
	uint16_t riad_max_blocks;
	uint8_t riad_flags;
};

#define RIAD_MFT_BLOCK_F_FLUSH 1u

/* Filled in by the tender for an attached NET_BASIC device: the MAC the
 * guest should use and the MTU (without the 14-byte Ethernet header).
 *
 * riad's net extension (docs/netif.md "spt and hvt: riad's net
 * extension"), like the block one, lives in a byte that Solo5's layout
 * leaves as padding: riad-spt and riad-hvt write riad_flags only for a
 * guest whose ABI1 note asks (RIAD_ABI1_F_NET_OFFLOAD) and only if the
 * host's tap took the offloads; Solo5's tenders and riad's with
 * --net-offload=off leave 0: plain frames of at most mtu + 14 bytes. With
 * RIAD_MFT_NET_F_VNET every frame read from or written to the device is
 * preceded by RIAD_MFT_NET_HDR_LEN bytes of Linux's struct virtio_net_hdr
 * (flags, gso_type, hdr_len, gso_size, csum_start, csum_offset; host byte
 * order, no mergeable buffers), in the same buffer: one read or write
 * each on spt, one NET_READ/NET_WRITE (hypercall or ring entry) on hvt,
 * and a frame (after the header) may be up to RIAD_MFT_NET_FRAME_MAX
 * bytes. */
struct riad_mft_net_basic {
	uint8_t mac[6];
	uint16_t mtu;
	uint8_t riad_flags;
};

/* riad_flags: what the host's tap took (TUNSETOFFLOAD). */
#define RIAD_MFT_NET_F_VNET 1u /* the header above precedes every frame */
#define RIAD_MFT_NET_F_CSUM 2u /* partial TCP checksums, both ways (TUN_F_CSUM) */
#define RIAD_MFT_NET_F_TSO4 4u /* TCP/IPv4 frames of up to 64 KiB, both ways (TUN_F_TSO4) */
#define RIAD_MFT_NET_HDR_LEN 10u
#define RIAD_MFT_NET_FRAME_MAX (65535u + 18u)

struct riad_mft_entry {
	char name[RIAD_MFT_NAME_SIZE];
	uint32_t type; /* RIAD_MFT_DEV_* or RIAD_MFT_RESERVED_FIRST */
	union {
		struct riad_mft_block_basic block_basic;
		struct riad_mft_net_basic net_basic;
	} u;
	union {
		int hostfd; /* spt: the host descriptor the guest uses directly */
		void *data; /* reserved for bindings' private use */
	} b;
	bool attached; /* false in the binary; true in the tender's copy */
};

struct riad_mft {
	uint32_t version;
	uint32_t entries;
	struct riad_mft_entry e[];
};

/* Size in bytes of a manifest with n entries (n including entry 0). */
#define RIAD_MFT_SIZE(n) (8u + (n) * 104u)

_Static_assert(sizeof(struct riad_mft_block_basic) == 16, "mft block_basic size");
_Static_assert(offsetof(struct riad_mft_block_basic, capacity) == 0, "capacity offset");
_Static_assert(offsetof(struct riad_mft_block_basic, block_size) == 8, "block_size offset");
_Static_assert(sizeof(struct riad_mft_net_basic) == 10, "mft net_basic size");
_Static_assert(offsetof(struct riad_mft_net_basic, mac) == 0, "mac offset");
_Static_assert(offsetof(struct riad_mft_net_basic, mtu) == 6, "mtu offset");
_Static_assert(sizeof(struct riad_mft_entry) == 104, "mft entry size");
_Static_assert(offsetof(struct { char c; struct riad_mft_entry e; }, e) == 8,
	       "mft entry alignment");
_Static_assert(offsetof(struct riad_mft_entry, name) == 0, "name offset");
_Static_assert(offsetof(struct riad_mft_entry, type) == 68, "type offset");
_Static_assert(offsetof(struct riad_mft_entry, u) == 72, "u offset");
_Static_assert(offsetof(struct riad_mft_entry, u.block_basic.capacity) == 72, "capacity");
_Static_assert(offsetof(struct riad_mft_entry, u.block_basic.block_size) == 80, "block_size");
_Static_assert(offsetof(struct riad_mft_entry, u.block_basic.riad_max_blocks) == 82, "riad_max_blocks");
_Static_assert(offsetof(struct riad_mft_entry, u.block_basic.riad_flags) == 84, "riad_flags");
_Static_assert(offsetof(struct riad_mft_entry, u.net_basic.mac) == 72, "mac");
_Static_assert(offsetof(struct riad_mft_entry, u.net_basic.mtu) == 78, "mtu");
_Static_assert(offsetof(struct riad_mft_entry, u.net_basic.riad_flags) == 80, "net riad_flags");
_Static_assert(offsetof(struct riad_mft_entry, b) == 88, "b offset");
_Static_assert(sizeof(((struct riad_mft_entry *)0)->b) == 8, "b size");
_Static_assert(offsetof(struct riad_mft_entry, attached) == 96, "attached offset");
_Static_assert(sizeof(bool) == 1, "bool is one byte");
_Static_assert(sizeof(struct riad_mft) == 8, "mft header size");
_Static_assert(offsetof(struct riad_mft, entries) == 4, "entries offset");
_Static_assert(offsetof(struct riad_mft, e) == 8, "entry array offset");
_Static_assert(RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES) == 6664, "largest manifest");

#endif
