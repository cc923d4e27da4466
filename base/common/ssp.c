/* base/common/ssp.c: the stack protector's guard value, new at every boot, and what a smashed stack does.
 *
 * Guests are compiled with -fstack-protector-strong and
 * -mstack-protector-guard=global, so every protected function compares its
 * canary with __stack_chk_guard. _start (on hvt: hvt_user_entry, in ring
 * 3, after ring-0 steps built without canaries) calls base_ssp_init()
 * before any protected function runs, and the value never changes after
 * that.
 *
 * The value mixes the CPU's random number generator (RDSEED, else RDRAND,
 * when CPUID lists them) with the jitter of the time stamp counter around
 * CPUID (an exit to the hypervisor on hvt, a serialising instruction
 * everywhere), so it differs at every boot even on a CPU without either
 * instruction; or, where the tender offers host entropy (riad-hvt), with
 * eight bytes of that instead of the jitter, which costs eight exits. Its
 * lowest byte is 0, as in glibc: a string overflow that reaches the
 * canary cannot print it or write it back.
 */
#include "base.h"
#include "cpu_x86_64.h"
#include "../riad_base.h"

uintptr_t __stack_chk_guard;

/* What CPUID said of RDSEED and RDRAND, once (three CPUID exits on hvt). */
static bool has_rdseed, has_rdrand;

void riad_base_cpu_random(bool *rdseed, bool *rdrand)
{
	*rdseed = has_rdseed;
	*rdrand = has_rdrand;
}

/* splitmix64's finaliser: spreads every input bit over the output. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

__attribute__((no_stack_protector)) void base_ssp_init(void)
{
	uint64_t g = 0, v;
	has_rdseed = cpu_has_rdseed();
	has_rdrand = cpu_has_rdrand();
	if (cpu_hw_random64(has_rdseed, has_rdrand, &v))
		g = v;
	uint64_t t0 = cpu_rdtsc();
	if (riad_base_host_entropy(&v, sizeof(v))) {
		g = mix64(g ^ v);
	} else {
		for (int i = 0; i < 8; i++) {
			uint32_t r[4];
			cpu_cpuid(0, 0, r);
			uint64_t t = cpu_rdtsc();
			g = mix64(g ^ (t - t0) ^ ((uint64_t)i << 56));
			t0 = t;
		}
	}
	v = 0;
	g = mix64(g ^ t0) & ~(uint64_t)0xff;
	if (g == 0)
		g = 0x5f10e5a7c0ffee00ull ^ (t0 << 8); /* never a plain zero guard */
	__stack_chk_guard = g;
}

void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail(void)
{
	base_abort(__FILE__, "stack smashing detected");
}
