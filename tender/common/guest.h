/* tender/common/guest.h: guest memory as the tender sees it, and the one bounds check every guest address goes through.
 *
 * A guest address is an integer until guest_ptr() has checked it; only then
 * does it become a host pointer. All arithmetic here is overflow-safe: a
 * length near 2^64 or an address near the top cannot wrap into range.
 */
#ifndef RIAD_TENDER_GUEST_H
#define RIAD_TENDER_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Guest memory: guest addresses [base, size) are host bytes starting at
 * host. hvt maps from guest address 0 (base 0); spt cannot map page 0, so
 * its memory starts at guest address 0x10000 (base 0x10000, host equal to
 * that address). */
struct guest_mem {
	uint8_t *host; /* host address of guest address base */
	uint64_t base; /* lowest guest address backed by memory */
	uint64_t size; /* one past the highest guest address (mem_size) */
};

/* True if [gpa, gpa + len) lies inside [0, mem): gpa < mem and
 * len <= mem - gpa. A zero-length range must still start inside memory. */
static inline bool guest_range_ok(uint64_t mem, uint64_t gpa, uint64_t len)
{
	return gpa < mem && len <= mem - gpa;
}

/* The host pointer for guest range [gpa, gpa + len), or NULL if any of it
 * lies outside the memory backed by gm. */
static inline void *guest_ptr(const struct guest_mem *gm, uint64_t gpa, uint64_t len)
{
	if (gpa < gm->base || !guest_range_ok(gm->size, gpa, len))
		return NULL;
	return gm->host + (gpa - gm->base);
}

#endif
