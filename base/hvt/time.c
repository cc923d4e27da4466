/* base/hvt/time.c: the monotonic clock from the TSC at the tender's frequency, the wall clock (WALLTIME), and solo5_yield (POLL with a relative timeout).
 *
 * ns = (tsc - tsc at boot) * mult >> 32 with mult = 10^9 * 2^32 / Hz,
 * computed once: a 64x64->128-bit multiply per reading and no division
 * (128-bit division would need libgcc). Relative error below 10^-9 for
 * any TSC faster than 4 MHz. The TSC must be invariant, which the tender
 * checks.
 */
#include "hvt.h"
#include "../common/cpu_x86_64.h"

#define NS_PER_S 1000000000ull

static uint64_t tsc_base, mult;

void hvt_clock_init(uint64_t tsc_hz)
{
	if (tsc_hz < 4000000)
		base_abort(__FILE__, "the tender gave no usable TSC frequency");
	mult = (NS_PER_S << 32) / tsc_hz;
	tsc_base = cpu_rdtsc();
}

solo5_time_t solo5_clock_monotonic(void)
{
	uint64_t d = cpu_rdtsc() - tsc_base;
	return (solo5_time_t)(((unsigned __int128)d * mult) >> 32);
}

solo5_time_t solo5_clock_wall(void)
{
	volatile struct riad_hvt_hc_walltime w = { 0 };
	hvt_hypercall(RIAD_HVT_HYPERCALL_WALLTIME, &w);
	return w.nsecs;
}

void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set)
{
	solo5_time_t now = solo5_clock_monotonic();
	volatile struct riad_hvt_hc_poll p = {
		.timeout_nsecs = deadline > now ? deadline - now : 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_POLL, &p);
	if (ready_set)
		*ready_set = p.ready_set;
}
