/* runtime/ctx.h: the architecture's context switch (private). */
#ifndef RIAD_RUNTIME_CTX_H
#define RIAD_RUNTIME_CTX_H

#include <stddef.h>
#include <stdint.h>

/* Save the callee-saved state on the current stack into *save_sp and resume
 * the context whose stack pointer is load_sp. Defined in ARCH/switch.S. */
void riad_ctx_switch(void **save_sp, void *load_sp);

/* Lay out a fresh stack [base, base+size) so that switching to the returned
 * stack pointer enters entry() with a correctly aligned stack. entry must
 * never return. */
static inline void *riad_ctx_init(void *base, size_t size, void (*entry)(void))
{
	uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top;
	*--sp = 0;                  /* fake return address: ends backtraces */
	*--sp = (uintptr_t)entry;   /* popped by ret in riad_ctx_switch */
	for (int i = 0; i < 6; i++) /* rbp rbx r12 r13 r14 r15 */
		*--sp = 0;
#ifdef __SSE__
	/* MXCSR and the x87 control word (switch.S): their values at reset,
	 * round to nearest, every exception masked, double extended precision
	 * for the x87. */
	*--sp = (uint64_t)0x037f << 32 | 0x1f80;
#endif
	return sp;
}

#endif
