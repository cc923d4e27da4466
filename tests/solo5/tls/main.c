/* tests/solo5/tls: two TLS blocks, each initialised from .tdata with .tbss zeroed, switched between with solo5_set_tls_base() (Solo5's test_tls). */
#include "../common.h"

static __thread int initialised = 42;
static __thread uint64_t zeroed;

static int __attribute__((noinline)) get_initialised(void)
{
	return initialised;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	size_t size = solo5_tls_size();
	uintptr_t a = (si->heap_start + 63) & ~(uintptr_t)63;
	uintptr_t b = (a + size + 63) & ~(uintptr_t)63;
	if (solo5_tls_init(0) != SOLO5_R_EINVAL)
		return T_FAILURE("solo5_tls_init(0) did not give EINVAL");
	if (solo5_tls_init(a) != SOLO5_R_OK || solo5_tls_init(b) != SOLO5_R_OK)
		return T_FAILURE("solo5_tls_init failed");
	if (solo5_set_tls_base(solo5_tls_tp_offset(a)) != SOLO5_R_OK)
		return T_FAILURE("solo5_set_tls_base failed");
	if (get_initialised() != 42 || zeroed != 0)
		return T_FAILURE("block a: .tdata not copied or .tbss not zero");
	initialised = 1;
	zeroed = 0x1111;
	solo5_set_tls_base(solo5_tls_tp_offset(b));
	if (get_initialised() != 42 || zeroed != 0)
		return T_FAILURE("block b sees block a's values");
	initialised = 2;
	zeroed = 0x2222;
	solo5_set_tls_base(solo5_tls_tp_offset(a));
	if (get_initialised() != 1 || zeroed != 0x1111)
		return T_FAILURE("block a lost its values");
	solo5_set_tls_base(solo5_tls_tp_offset(b));
	if (get_initialised() != 2 || zeroed != 0x2222)
		return T_FAILURE("block b lost its values");
	uint64_t self;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(self));
	if (self != solo5_tls_tp_offset(b))
		return T_FAILURE("the TCB does not point to itself");
	return T_SUCCESS();
}
