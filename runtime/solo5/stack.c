/* runtime/solo5/stack.c: fiber stacks on the solo5 targets: heap blocks with a guard page below.
 *
 * hvt: the guest owns its page tables, so the guard page is unmapped and
 * an overflow faults at once (the trap handler reports it and the
 * unikernel exits with 255).
 *
 * spt: the seccomp sandbox has no mprotect, so no page can be made
 * inaccessible at run time. The guard page is filled with a pattern
 * instead and checked when the stack is freed: an overflow is caught
 * after the fact, when the fiber ends (riad_panic, status 255), unless it
 * ran past the whole page into the heap block below, which the allocator's
 * own header checks then usually catch. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "../platform.h"
#include "../runtime.h"
#include "riad_base.h"

#define PAGE RIAD_BASE_PAGE_SIZE
#define PATTERN 0xa5u

/* Whether guards are patterns (spt) rather than unmapped pages (hvt): the
 * same for every stack, learnt at the first one. */
static bool patterned;

void *riad_platform_stack_alloc(size_t size, size_t *usable)
{
	if (size > SIZE_MAX - 2 * PAGE)
		return NULL;
	size = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
	unsigned char *base = aligned_alloc(PAGE, size + PAGE);
	if (!base)
		return NULL;
	patterned = riad_base_guard_pages((uintptr_t)base, PAGE, true) != 0;
	if (patterned) {
		volatile unsigned char *g = base;
		for (size_t i = 0; i < PAGE; i++)
			g[i] = PATTERN;
	}
	*usable = size;
	return base + PAGE;
}

/* Whether the pattern is intact. */
static void guard_check(unsigned char *base, void *stack)
{
	for (size_t i = 0; i < PAGE; i++)
		if (base[i] != PATTERN)
			riad_panic("fiber stack overflow: the guard below the stack at %p was "
			           "overwritten", stack);
}

void riad_platform_stack_check(void *stack)
{
	unsigned char *base = (unsigned char *)stack - PAGE;
	if (patterned)
		guard_check(base, stack);
}

void riad_platform_stack_free(void *stack, size_t usable)
{
	(void)usable;
	unsigned char *base = (unsigned char *)stack - PAGE;
	if (riad_base_guard_pages((uintptr_t)base, PAGE, false) != 0)
		guard_check(base, stack);
	free(base);
}
