/* base/spt/entropy.c: spt offers no host entropy: the seccomp allowlist has no getrandom, and the guest's own CPUID and time stamp counter cost no exit here, so runtime/solo5/entropy.c's jitter is cheap. */
#include "spt.h"
#include "../riad_base.h"

bool riad_base_host_entropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return false;
}
