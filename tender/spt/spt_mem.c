/* tender/spt/spt_mem.c: maps spt guest memory at its guest addresses, below the tender, and applies segment permissions. */
#include "spt.h"

#include "abi/spt.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* The lowest address of the tender's own image (GNU ld provides it). */
extern const char __executable_start[];

int spt_mem_map(struct spt *s, uint64_t mem_size, struct tender_error *err)
{
	uint64_t self = (uint64_t)(uintptr_t)__executable_start;
	int persona;
	void *p;

	/* A PIE is loaded far above 4 GiB; guest memory must end below it. */
	if (self < (1ull << 32))
		return error_set(err, "the tender is loaded at 0x%" PRIx64 ", below 4 GiB (is it "
				      "built as a PIE?)", self);
	if (mem_size <= RIAD_SPT_GUEST_MIN_BASE)
		return error_set(err, "guest memory of %" PRIu64 " bytes is too small", mem_size);
	if (mem_size - 1 >= self)
		return error_set(err, "guest memory of %" PRIu64 " MiB does not fit below the tender "
				      "(at 0x%" PRIx64 ")", mem_size >> 20, self);
	/* With READ_IMPLIES_EXEC every readable page would be executable. */
	persona = personality(0xffffffff);
	if (persona < 0 || (persona & READ_IMPLIES_EXEC))
		return error_set(err, "refusing to run with the READ_IMPLIES_EXEC personality");
	p = mmap((void *)(uintptr_t)RIAD_SPT_HOST_MEM_BASE, mem_size - RIAD_SPT_HOST_MEM_BASE,
		 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return error_set(err, "cannot map %" PRIu64 " MiB of guest memory at 0x%x: %s",
				 mem_size >> 20, RIAD_SPT_HOST_MEM_BASE, strerror(errno));
	if (p != (void *)(uintptr_t)RIAD_SPT_HOST_MEM_BASE) {
		munmap(p, mem_size - RIAD_SPT_HOST_MEM_BASE);
		return error_set(err, "cannot map guest memory at 0x%x: address in use",
				 RIAD_SPT_HOST_MEM_BASE);
	}
	s->mem.host = p;
	s->mem.base = RIAD_SPT_HOST_MEM_BASE;
	s->mem.size = mem_size;
	return 0;
}

int spt_mem_protect(void *arg, uint64_t start, uint64_t end, int prot)
{
	struct spt *s = arg;
	void *p;

	if (end <= start)
		return -1;
	p = guest_ptr(&s->mem, start, end - start);
	if (p == NULL)
		return -1;
	return mprotect(p, end - start, prot);
}
