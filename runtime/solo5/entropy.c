/* runtime/solo5/entropy.c: host entropy on the solo5 targets: RDSEED or RDRAND where CPUID lists them, and the jitter of the time stamp counter, hashed together with SHA-256.
 *
 * Solo5 gives a guest no entropy source, so the CPU is the source. Each
 * 32-byte output block is SHA-256 over: a block counter, 4 words from
 * RDSEED (or RDRAND), the wall and monotonic clocks, and TSC deltas around
 * CPUID (which exits to the hypervisor on hvt and is serialising
 * everywhere, so its timing varies). With a hardware generator, a few
 * deltas are added as a second, independent source; without one, the
 * jitter is all there is, so many more are taken and at least some must
 * differ, else the unikernel refuses to run (riad_panic): it must never
 * start from a predictable seed. Where the tender offers the host
 * kernel's random bytes (riad-hvt's ENTROPY, riad_base_host_entropy),
 * 32 of those are the second source instead of the jitter: on hvt each
 * CPUID is an exit (about 20 us on a software-virtualised host), so 16
 * samples cost more than booting the rest of the unikernel. RDRAND values
 * of all zeros or all ones (a known failure of some CPUs) count as
 * failures. Whether the CPU has RDSEED and RDRAND, the base asked CPUID
 * once at boot (riad_base_cpu_random).
 */
#include <bearssl.h>

#include <solo5.h>

#include "riad_base.h"
#include "../platform.h"
#include "../runtime.h"
#include "common/cpu_x86_64.h"

#define JITTER_WITH_HW 16
#define JITTER_ALONE 512

static bool hw_word(uint64_t *v)
{
	bool rdseed, rdrand;
	riad_base_cpu_random(&rdseed, &rdrand);
	for (int tries = 0; tries < 4; tries++) {
		if (!cpu_hw_random64(rdseed, rdrand, v))
			return false;
		if (*v != 0 && *v != ~(uint64_t)0)
			return true;
	}
	return false;
}

/* Hashes n TSC deltas into c; returns how many differed from the one
 * before (0 means the counter showed no jitter at all). */
static unsigned jitter(br_sha256_context *c, unsigned n)
{
	uint64_t prev = cpu_rdtsc(), last_delta = 0;
	unsigned changes = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t r[4];
		cpu_cpuid(0, 0, r);
		uint64_t now = cpu_rdtsc(), delta = now - prev;
		br_sha256_update(c, &delta, sizeof(delta));
		changes += i > 0 && delta != last_delta;
		last_delta = delta;
		prev = now;
	}
	br_sha256_update(c, &prev, sizeof(prev));
	return changes;
}

void riad_platform_entropy(void *buf, size_t len)
{
	/* Host bytes for up to eight blocks in one request, and the clocks
	 * once per call: on hvt each is an exit. */
	unsigned char host[256];
	size_t host_len = 0, host_pos = 0;
	uint64_t clocks[2] = { solo5_clock_wall(), solo5_clock_monotonic() };
	unsigned char *p = buf;
	for (uint64_t block = 0; len > 0; block++) {
		br_sha256_context c;
		br_sha256_init(&c);
		br_sha256_update(&c, &block, sizeof(block));
		unsigned hw = 0;
		for (int i = 0; i < 4; i++) {
			uint64_t v;
			if (!hw_word(&v))
				break;
			br_sha256_update(&c, &v, sizeof(v));
			hw++;
		}
		br_sha256_update(&c, clocks, sizeof(clocks));
		if (host_pos == host_len) {
			size_t want = (len + 31) / 32 * 32;
			if (want > sizeof(host))
				want = sizeof(host);
			host_len = riad_base_host_entropy(host, want) ? want : 0;
			host_pos = 0;
		}
		bool from_host = host_pos + 32 <= host_len;
		if (from_host) {
			br_sha256_update(&c, host + host_pos, 32);
			host_pos += 32;
		}
		unsigned changes = from_host ? 0 : jitter(&c, hw == 4 ? JITTER_WITH_HW : JITTER_ALONE);
		if (!from_host && hw < 4 && changes == 0)
			riad_panic("no entropy: the CPU has no working RDSEED or RDRAND and its time "
			           "stamp counter shows no jitter; refusing to run");
		unsigned char out[32];
		br_sha256_out(&c, out);
		size_t n = len < sizeof(out) ? len : sizeof(out);
		for (size_t i = 0; i < n; i++)
			p[i] = out[i];
		p += n;
		len -= n;
		volatile unsigned char *w = out;
		for (size_t i = 0; i < sizeof(out); i++)
			w[i] = 0;
	}
	volatile unsigned char *h = host;
	for (size_t i = 0; i < sizeof(host); i++)
		h[i] = 0;
}
