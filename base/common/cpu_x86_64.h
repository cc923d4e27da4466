/* base/common/cpu_x86_64.h: the x86_64 instructions the base and runtime/solo5 use directly: CPUID, the TSC, RDRAND and RDSEED (private). */
#ifndef RIAD_BASE_CPU_X86_64_H
#define RIAD_BASE_CPU_X86_64_H

#include <stdbool.h>
#include <stdint.h>

static inline void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* Not serialising: good enough for a clock and for jitter. */
static inline uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline bool cpu_has_rdrand(void)
{
	uint32_t r[4];
	cpu_cpuid(1, 0, r);
	return (r[2] >> 30) & 1;
}

static inline bool cpu_has_rdseed(void)
{
	uint32_t r[4];
	cpu_cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	cpu_cpuid(7, 0, r);
	return (r[1] >> 18) & 1;
}

/* One 64-bit value from RDSEED or RDRAND; false if the CPU reported no
 * value ready (the caller retries a bounded number of times). Only call
 * them after cpu_has_rdseed() or cpu_has_rdrand(). */
static inline bool cpu_rdseed64(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static inline bool cpu_rdrand64(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

/* A 64-bit value from the CPU's random number generator: RDSEED if there
 * is one, else RDRAND, each retried a few times. Returns false if the CPU
 * has neither or they keep failing. */
static inline bool cpu_hw_random64(bool has_rdseed, bool has_rdrand, uint64_t *v)
{
	for (int i = 0; has_rdseed && i < 32; i++)
		if (cpu_rdseed64(v))
			return true;
	for (int i = 0; has_rdrand && i < 10; i++)
		if (cpu_rdrand64(v))
			return true;
	return false;
}

#endif
