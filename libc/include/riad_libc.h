/* riad_libc.h: riad's extensions to its freestanding C library: the heap.
 *
 * The solo5 targets have no mmap and no brk: the platform start code gives
 * the libc one region of memory (Solo5's heap_start/heap_size, minus what
 * the runtime keeps for itself) before anything calls malloc. Until then,
 * malloc returns NULL with errno ENOMEM.
 *
 * The allocator is a first fit over segregated free lists with boundary
 * tags: each block has a 16-byte header holding its size and a check value
 * derived from the size and the block's address; free blocks also carry
 * their size in their last word so that neighbours coalesce in O(1).
 * Allocation cost is bounded by the free blocks in one size class; memory
 * overhead is 16 bytes a block, and the smallest block is 48 bytes (32
 * usable).
 *
 * Misuse that the allocator detects aborts with "riad libc: malloc: ..."
 * and the address: a double free, a pointer not returned by malloc (outside
 * the heap, misaligned, or with no valid header), a header or free-list
 * link overwritten (typically by an overrun of the block before it).
 */
#ifndef RIAD_LIBC_H
#define RIAD_LIBC_H

#include <stddef.h>

/* Make [start, start + size) the heap. The region is trimmed to 16-byte
 * alignment and must then hold at least 64 bytes, else the call aborts.
 * Calling it again starts a new, empty heap: every pointer returned before
 * becomes invalid (for tests; the start code calls it exactly once). */
void riad_libc_heap_init(void *start, size_t size);

/* Bytes in blocks currently allocated, headers and padding included. After
 * every block has been freed it returns 0. For tests and benchmarks. */
size_t riad_libc_heap_used(void);

/* Bytes that are free, in all free blocks together (not all of it may be
 * allocatable in one piece), counting their headers. */
size_t riad_libc_heap_free(void);

/* The largest riad_libc_heap_used() has been, and the number of free
 * blocks (how fragmented the free space is). For the memory gauges. */
size_t riad_libc_heap_peak(void);
size_t riad_libc_heap_free_chunks(void);

/* Walk the whole heap and check every invariant (headers, boundary tags,
 * free lists, accounting); abort with a message at the first violation.
 * O(heap blocks): for tests and debugging, not for production paths. */
void riad_libc_heap_check(void);

#endif
