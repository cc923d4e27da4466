/* solo5.h: the Solo5 guest interface, riad's text of it; the solo5 targets' base layer implements it.
 *
 * This is the whole of what a unikernel (or riad's runtime/solo5) may ask of
 * the platform on the hvt and spt targets. It is binary compatible with
 * Solo5 v0.12 (hvt and spt ABI 2, manifest version 1): a guest built on it
 * runs on Solo5's tenders and on riad's.
 *
 * Execution model: one core, no preemption, no interrupts, no threads, no
 * signals, no allocator. Every function returns without waiting except
 * solo5_yield(), the one blocking call.
 *
 * Error model: functions that can fail return solo5_result_t. SOLO5_R_AGAIN
 * means "nothing now, try later" and is the only result an application
 * should branch on besides SOLO5_R_OK; an implementation may abort instead
 * of returning SOLO5_R_EINVAL or SOLO5_R_EUNSPEC, so never depend on those.
 * Using a handle that does not name an acquired device of the right type
 * aborts.
 *
 * Devices: the unikernel declares its devices (name and type) in its
 * manifest (include/abi/mft.h), built into the executable; the tender
 * attaches each to a host resource or refuses to start. A device's handle is
 * its index in the manifest, so at most 64 handles exist and a set of them
 * fits in a solo5_handle_set_t.
 *
 * Buffers: the caller owns every buffer passed in; none is kept after the
 * call returns.
 */
#ifndef SOLO5_H_INCLUDED
#define SOLO5_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results. */
typedef enum {
	SOLO5_R_OK = 0, /* success */
	SOLO5_R_AGAIN = 1, /* nothing to do now; retry later */
	SOLO5_R_EINVAL = 2, /* invalid argument (may abort instead) */
	SOLO5_R_EUNSPEC = 3, /* other failure (may abort instead) */
} solo5_result_t;

/* Nanoseconds. */
typedef uint64_t solo5_time_t;
/* A device: its index in the manifest (the first user device is 1). */
typedef uint64_t solo5_handle_t;
/* A set of handles: bit h means handle h. */
typedef uint64_t solo5_handle_set_t;
/* A byte offset on a block device. */
typedef uint64_t solo5_off_t;

/* Exit statuses. 255 and above are reserved for the platform. */
#define SOLO5_EXIT_SUCCESS 0
#define SOLO5_EXIT_FAILURE 1
#define SOLO5_EXIT_ABORT 255

/* What the application receives at start. Static and read-only. */
struct solo5_start_info {
	/* The command line after the tender's KERNEL operand, words joined by
	 * single spaces, with the bindings' own leading --solo5:* options
	 * removed (see below). Never NULL. */
	const char *cmdline;
	/* The heap: one contiguous read-write, non-executable region
	 * [heap_start, heap_start + heap_size). The initial stack grows down
	 * from its top; nothing else about the memory layout may be assumed. */
	uintptr_t heap_start;
	size_t heap_size;
};

/* Provided by the application: its entry point. Returning r is the same as
 * solo5_exit(r).
 *
 * Leading guest arguments --solo5:quiet (alias --solo5:error),
 * --solo5:warn, --solo5:info (the default) and --solo5:debug set the
 * bindings' log level and are removed from start_info->cmdline. */
int solo5_app_main(const struct solo5_start_info *info);

/* Ends the unikernel with status (0..254), reported to the host as the
 * tender's exit status. Does not return. */
void solo5_exit(int status) __attribute__((noreturn));

/* Ends the unikernel with status SOLO5_EXIT_ABORT; the tender may record a
 * core dump. Does not return. */
void solo5_abort(void) __attribute__((noreturn));

/* Thread-local storage. A TLS block holds a copy of .tdata, the zeroed
 * .tbss and the thread control block; on x86_64 the layout is variant II
 * (TCB after the data), and the TCB's first word points to itself. */

/* Bytes needed for one TLS block. */
size_t solo5_tls_size(void);

/* The thread pointer value for the TLS block at tls (x86_64: tls + size of
 * .tdata + size of .tbss), to pass to solo5_set_tls_base(). */
uintptr_t solo5_tls_tp_offset(uintptr_t tls);

/* Initialises the TLS block at tls (solo5_tls_size() bytes, owned by the
 * caller): copies .tdata, zeroes .tbss, writes the TCB self-pointer.
 * EINVAL if tls is 0. */
solo5_result_t solo5_tls_init(uintptr_t tls);

/* Sets the thread pointer (x86_64: the FS base; hvt writes the
 * IA32_FS_BASE MSR, spt calls arch_prctl(ARCH_SET_FS)). */
solo5_result_t solo5_set_tls_base(uintptr_t base);

/* Monotonic time in ns since an unspecified start. hvt: derived from the
 * TSC at the frequency the tender reports; spt: CLOCK_MONOTONIC. */
solo5_time_t solo5_clock_monotonic(void);

/* Wall-clock time in ns since the UNIX epoch (UTC). hvt: the WALLTIME
 * hypercall; spt: CLOCK_REALTIME. */
solo5_time_t solo5_clock_wall(void);

/* Blocks until solo5_clock_monotonic() >= deadline, or until some network
 * device has input, whichever comes first (a deadline in the past returns
 * at once after polling). If ready_set is not NULL it receives the handles
 * that have input ready (possibly none). This is the only blocking call. */
void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set);

/* Writes size bytes at buf to the console (the tender's standard output).
 * Best effort: output may be dropped; never blocks. */
void solo5_console_write(const char *buf, size_t size);

/* Networking. */
#define SOLO5_NET_ALEN 6 /* Ethernet address length */
#define SOLO5_NET_HLEN 14 /* Ethernet header length */

struct solo5_net_info {
	uint8_t mac_address[SOLO5_NET_ALEN];
	size_t mtu; /* largest payload; excludes the Ethernet header */
};

/* Acquires the NET_BASIC device called name in the manifest: writes its
 * handle to *handle and its properties to *info. EINVAL if there is no such
 * device (an entry of another type counts as absent). Acquire each name
 * once; a second call may return EINVAL (current implementations return the
 * same handle again, which callers must not rely on). */
solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
				 struct solo5_net_info *info);

/* Sends one frame of size bytes at buf, including its Ethernet header;
 * size <= mtu + SOLO5_NET_HLEN. Never blocks: a transient failure silently
 * drops the frame and still returns OK. */
solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf, size_t size);

/* Receives one frame into buf, whose size must be at least mtu +
 * SOLO5_NET_HLEN. Never blocks: AGAIN if no frame is queued, else OK with
 * the frame's length in *read_size. */
solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
			      size_t *read_size);

/* Block storage. */
struct solo5_block_info {
	solo5_off_t capacity; /* bytes; a multiple of block_size */
	solo5_off_t block_size; /* bytes; a power of two >= 512 */
};

/* Acquires the BLOCK_BASIC device called name, as solo5_net_acquire(). */
solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
				   struct solo5_block_info *info);

/* Writes size bytes from buf at byte offset offset; all or nothing.
 * offset and size must be multiples of block_size and the range must lie
 * within the capacity, else EINVAL. Every current implementation also
 * requires size == block_size (one block per call). */
solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
				 const uint8_t *buf, size_t size);

/* Reads size bytes at byte offset offset into buf; same rules as
 * solo5_block_write(). */
solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
				uint8_t *buf, size_t size);

#endif
