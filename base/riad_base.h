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

/* Size of the pages whose permissions the targets manage. */
#define RIAD_BASE_PAGE_SIZE 4096u

/* Make the page-aligned range [addr, addr + len) inaccessible (guard) or
 * read-write and non-executable again (!guard). Returns 0 if the target
 * enforces it: a later access to a guarded page kills the unikernel with a
 * fault. Returns -1, changing nothing, if the target cannot (spt: the
 * seccomp sandbox allows no mprotect, so the caller has to fall back on
 * detecting damage afterwards). The range must lie in the heap. */
int riad_base_guard_pages(uintptr_t addr, size_t len, bool guard);

/* The target's name ("spt" or "hvt"), for messages. */
extern const char riad_base_target[];

#endif
