/* tests/solo5/ring3: the application runs in ring 3 (hvt: only boot, the trap handler and a few privileged operations run in ring 0; spt: it is a Linux process), and what it needs from ring 0 works from there: hypercalls (this output), the TSC, setting the FS base, and refusing a non-canonical one without faulting. */
#include "../common.h"

static __thread uint64_t tv = 7;

int solo5_app_main(const struct solo5_start_info *si)
{
	uint16_t cs, ss;
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	__asm__ volatile("movw %%ss, %0" : "=r"(ss));
	t_puts("cs=");
	t_puthex(cs);
	t_puts(" ss=");
	t_puthex(ss);
	t_puts("\n");
	if ((cs & 3) != 3 || (ss & 3) != 3)
		return T_FAILURE("the application does not run in ring 3");

	solo5_time_t t0 = solo5_clock_monotonic();
	solo5_time_t t1 = solo5_clock_monotonic();
	if (t1 < t0)
		return T_FAILURE("the monotonic clock went back");

	uintptr_t tls = (si->heap_start + 63) & ~(uintptr_t)63;
	if (solo5_tls_init(tls) != SOLO5_R_OK ||
	    solo5_set_tls_base(solo5_tls_tp_offset(tls)) != SOLO5_R_OK)
		return T_FAILURE("setting up TLS failed");
	if (tv != 7)
		return T_FAILURE("TLS does not hold .tdata");
	tv = 8;
	if (solo5_set_tls_base((uintptr_t)1 << 47) == SOLO5_R_OK)
		return T_FAILURE("a non-canonical FS base was accepted");
	if (tv != 8)
		return T_FAILURE("a refused FS base changed the thread pointer");
	return T_SUCCESS();
}
