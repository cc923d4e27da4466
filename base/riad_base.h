/* base/riad_base.h: what the base layer offers riad's runtime beyond the
 * Solo5 interface (private to base/ and runtime/solo5; not installed).
 *
 * The Solo5 interface (solo5.h) is all a Solo5 application may use; riad's
 * runtime/solo5 also needs a few facts and services that Solo5 does not
 * name. Each target's base defines every function here, so runtime/solo5
 * is compiled once and never asks which target it runs on.
 */
#ifndef RIAD_BASE_H
#define RIAD_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <solo5.h>

/* Size of the pages whose permissions the targets manage. */
#define RIAD_BASE_PAGE_SIZE 4096u

/* Make the page-aligned range [addr, addr + len) inaccessible (guard) or
 * read-write and non-executable again (!guard). Returns 0 if the target
 * enforces it: a later access to a guarded page kills the unikernel with a
 * fault. Returns -1, changing nothing, if the target cannot (spt: the
 * seccomp sandbox allows no mprotect, so the caller has to fall back on
 * detecting damage afterwards). The range must lie in the heap. */
int riad_base_guard_pages(uintptr_t addr, size_t len, bool guard);

/* Fills buf with len bytes from the host kernel's random number generator
 * and returns true, where the tender offers that (riad-hvt: abi/hvt.h's
 * ENTROPY, at most RIAD_HVT_ENTROPY_MAX bytes); else returns false and
 * changes nothing (spt, Solo5's tenders). Cheap: one exit, where timing
 * CPUID for jitter costs one exit per sample on hvt. */
bool riad_base_host_entropy(void *buf, size_t len);

/* Whether the CPU has RDSEED and RDRAND, as CPUID told at boot (before
 * main: base_ssp_init asks). */
void riad_base_cpu_random(bool *rdseed, bool *rdrand);

/* riad's block extension (abi/mft.h, docs/storage-block.md). riad's
 * guests ask for it in their ABI1 note; riad's tenders then offer, per
 * device, calls of 2^k blocks up to a maximum and a barrier; Solo5's
 * tenders offer neither, and these fall back to what Solo5 allows. */

/* The most blocks one riad_base_block_read/write call may move on the
 * acquired block device h (a power of two; 1 without the extension), and
 * whether riad_base_block_flush() reaches the host. */
uint32_t riad_base_block_max_blocks(solo5_handle_t h);
bool riad_base_block_can_flush(solo5_handle_t h);

/* solo5_block_read/write for 2^k whole blocks, 2^k <= max_blocks: one
 * pread64/pwrite64 on spt, one hypercall on hvt. EINVAL for anything
 * else (a size that is not such a count, unaligned, outside the device). */
solo5_result_t riad_base_block_read(solo5_handle_t h, solo5_off_t offset, uint8_t *buf,
				    size_t size);
solo5_result_t riad_base_block_write(solo5_handle_t h, solo5_off_t offset, const uint8_t *buf,
				     size_t size);

/* A barrier: every write that returned is durable on the host when this
 * returns OK (spt: fdatasync; hvt: a zero-length BLOCK_WRITE, which riad's
 * tender turns into fdatasync). OK without doing anything when the tender
 * offers no barrier (riad_base_block_can_flush() is false). */
solo5_result_t riad_base_block_flush(solo5_handle_t h);

/* riad's net extension (abi/mft.h, docs/netif.md "spt and hvt: riad's
 * net extension"). riad's guests ask for it in their ABI1 note; riad-spt
 * and riad-hvt then attach the tap with a virtio-net header before every
 * frame and the host's segmentation and checksum offloads, and say so in
 * the manifest entry. Solo5's tenders and riad's with --net-offload=off
 * grant nothing: plain frames. */

/* The RIAD_MFT_NET_F_* the tender granted the acquired net device h; 0
 * on Solo5's tenders. */
unsigned riad_base_net_flags(solo5_handle_t h);

/* With RIAD_MFT_NET_F_VNET granted: one frame preceded by its
 * RIAD_MFT_NET_HDR_LEN-byte header, buf holding both, size counting both
 * (up to the header + RIAD_MFT_NET_FRAME_MAX; a read needs that much
 * room). One write or read of the tap on spt; on hvt one ring entry or
 * hypercall, as for a plain frame. EINVAL without the extension;
 * otherwise as solo5_net_write/read. */
solo5_result_t riad_base_net_write(solo5_handle_t h, const uint8_t *buf, size_t size);
solo5_result_t riad_base_net_read(solo5_handle_t h, uint8_t *buf, size_t size, size_t *read_size);

/* The target's name ("spt" or "hvt"), for messages. */
extern const char riad_base_target[];

#endif
