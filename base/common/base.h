/* base/common/base.h: what the base's common part and its targets (base/spt, base/hvt) share (private to base/).
 *
 * The base implements solo5.h on one target. Each target provides its
 * entry point _start (which sets up a stack and calls base_ssp_init()
 * before any C code that could carry a stack canary; hvt does so once in
 * ring 3, after its ring-0 steps, which have none), its way to the host
 * (solo5_console_write, the clocks, solo5_yield, device I/O, exit), and
 * then hands over to base_boot(), which is common: the --solo5:* options,
 * the manifest, a banner, solo5_app_main(), exit.
 *
 * Memory layout, both targets (see the linker scripts): page 0 up to
 * 0x100000 is the tender's; the image starts at 0x100000 with text,
 * rodata, data, TLS template and bss, each starting on a page; then one
 * guard page (spt: a PT_LOAD with no permissions, which the tender maps
 * PROT_NONE; hvt: a page the guest's own page tables leave unmapped) and
 * the initial stack (RIAD_STACK_SIZE in the linker script) on which _start
 * runs everything; then the heap up to the top of memory (hvt keeps its
 * page tables' reserve at the very top). So the initial stack overflows
 * into a page that faults on both targets, not into the heap.
 */
#ifndef RIAD_BASE_COMMON_H
#define RIAD_BASE_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <solo5.h>

#include "abi/mft.h"

#define BASE_PAGE_SIZE 4096u
#define BASE_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uintptr_t)(a) - 1))

/* Symbols the linker scripts define (addresses; the _l* are sizes). */
extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _edata[];
extern char _stdata[], _etdata[], _ltdata[], _ltbss[], _sbss[], _ebss[];
extern char _sguard[], _eguard[], _sstack[], _estack[], _end[];

/* Log levels of the bindings' own messages (the --solo5:* options). */
enum base_log_level {
	BASE_LOG_ERROR = 0, /* --solo5:quiet, --solo5:error */
	BASE_LOG_WARN = 1,
	BASE_LOG_INFO = 2, /* the default */
	BASE_LOG_DEBUG = 3,
};

/* Print one line "Solo5: ..." (the prefix is added) if the level lets it
 * through, with a small printf: %s %c %d %i %u %x %p %%, the flag 0, a
 * width, and the length modifiers l, ll and z. One console write per line,
 * at most 255 bytes. */
void base_log_set_level(enum base_log_level level);
/* true: hold the lines logged from now on; false: write what is held in
 * one console write and log directly again. */
void base_log_hold(bool on);
void base_log(enum base_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void base_logv(enum base_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Print "Solo5: ABORT: WHERE: WHAT" and end with SOLO5_EXIT_ABORT. */
void base_abort(const char *where, const char *what) __attribute__((noreturn));

/* Strip and apply the leading --solo5:* words of the command line; returns
 * what remains (a pointer into cmdline, which is not modified). */
const char *base_cmdline_options(const char *cmdline);

/* The manifest copy the tender wrote. base_mft_init() checks its header
 * (and aborts if it is not a version 1 manifest of at most 64 entries). */
void base_mft_init(const struct riad_mft *mft);

/* The entry of handle h, if h was acquired as a device of this type; else
 * it aborts (Solo5's rule for a handle that names no device). */
const struct riad_mft_entry *base_mft_handle(solo5_handle_t h, uint32_t type);

/* Solo5's block rules, common to the targets: one whole block, aligned,
 * inside the capacity. SOLO5_R_OK or SOLO5_R_EINVAL. */
solo5_result_t base_block_check(const struct riad_mft_entry *e, solo5_off_t offset, size_t size);
/* The same for riad's block extension: 2^k whole blocks, at most the
 * riad_max_blocks the tender offered (1 if none), inside the device. */
solo5_result_t base_block_check_ext(const struct riad_mft_entry *e, solo5_off_t offset,
				    size_t size);

/* The target's frame I/O behind solo5_net_write/read and riad's net
 * extension (base/common/net.c checks sizes and the device's kind first):
 * one frame, with riad's header in front on a device that has it. */
solo5_result_t base_net_write(const struct riad_mft_entry *e, solo5_handle_t handle,
			      const uint8_t *buf, size_t size);
solo5_result_t base_net_read(const struct riad_mft_entry *e, solo5_handle_t handle, uint8_t *buf,
			     size_t size, size_t *read_size);

/* Randomise __stack_chk_guard. Called by _start (hvt: hvt_user_entry)
 * before any function with a canary, on a stack with no canary to check. */
void base_ssp_init(void);

/* Everything after the target's own set-up: the --solo5:* options, the
 * manifest, the banner, solo5_app_main() and solo5_exit() with its result.
 * heap_start/heap_size are what the application gets; mem_size is only
 * shown. */
void base_boot(const char *cmdline, const struct riad_mft *mft, uint64_t mem_size,
	       uintptr_t heap_start, size_t heap_size) __attribute__((noreturn));

/* Byte loops that the compiler must not turn into calls (the base is below
 * the libc that defines memcpy). */
static inline void base_memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
}

static inline void base_memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
}

#endif
