/* tender/hvt/hvt_mem.c: hvt guest memory: its size rules, the mapping, segment permissions, and the checked access every hypercall goes through. */
#include "hvt.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int hvt_mem_size(uint64_t mib, uint64_t *bytes, bool *rounded, struct tender_error *err)
{
	uint64_t b;

	/* args_mem() keeps mib << 20 within a uint64_t. */
	if (mib > (HVT_MEM_MAX >> 20))
		return error_set(err, "--mem=%" PRIu64 ": at most %llu MiB", mib, HVT_MEM_MAX >> 20);
	if (mib < (HVT_MEM_MIN >> 20))
		return error_set(err, "--mem=%" PRIu64 ": at least %llu MiB", mib, HVT_MEM_MIN >> 20);
	b = mib << 20;
	*rounded = (b & (HVT_MEM_ALIGN - 1)) != 0;
	*bytes = b & ~(HVT_MEM_ALIGN - 1);
	return 0;
}

int hvt_mem_map(struct hvt *h, uint64_t alloc, struct tender_error *err)
{
	int fd = -1, flags = MAP_SHARED | MAP_NORESERVE;
	void *p;

	/* Shared, so that KVM and the ring thread see one set of pages (and
	 * the core writer, a forked process); new memory starts zeroed, which
	 * boot info bytes 40..55 and the ELF loader's bss rely on. A memfd is
	 * the same shmem object with a name the core writer can lseek()
	 * SEEK_DATA on, to skip the pages the guest never touched. */
	if (h->mem_memfd) {
		fd = memfd_create("riad-hvt-guest", MFD_CLOEXEC);
		if (fd < 0)
			return error_set(err, "memfd_create for guest memory: %s", strerror(errno));
		if (ftruncate(fd, (off_t)alloc) < 0) {
			int e = errno;
			close(fd);
			return error_set(err, "cannot size guest memory (%" PRIu64 " MiB): %s",
					 alloc >> 20, strerror(e));
		}
	} else {
		flags |= MAP_ANONYMOUS;
	}
	p = mmap(NULL, alloc, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return error_set(err, "cannot map %" PRIu64 " MiB of guest memory: %s", alloc >> 20,
				 strerror(e));
	}
	h->memfd = fd;
	h->mem.host = p;
	h->mem.base = 0;
	h->mem.size = alloc;
	return 0;
}

int hvt_mem_region(struct hvt *h, uint64_t start, uint64_t end, int prot)
{
	if (h->nregion >= HVT_REGIONS_MAX || end <= start)
		return -1;
	h->region[h->nregion].start = start;
	h->region[h->nregion].end = end;
	h->region[h->nregion].prot = prot;
	h->nregion++;
	return 0;
}

int hvt_mem_protect(void *arg, uint64_t start, uint64_t end, int prot)
{
	struct hvt *h = arg;
	int host = PROT_NONE;
	void *p;

	if (end <= start)
		return -1;
	p = guest_ptr(&h->mem, start, end - start);
	if (p == NULL)
		return -1;
	/* KVM maps guest pages from the host mapping, so the host
	 * permissions are the guest's: a write to a read-only page stops the
	 * vCPU. Executable guest code is only readable here. */
	if (prot & (PROT_READ | PROT_EXEC))
		host |= PROT_READ;
	if (prot & PROT_WRITE)
		host |= PROT_READ | PROT_WRITE;
	if (hvt_mem_region(h, start, end, host) < 0)
		return -1;
	return mprotect(p, end - start, host);
}

static void *guest_check(const struct hvt *h, uint64_t gpa, uint64_t len, int need,
			 const char *what)
{
	void *p = guest_ptr(&h->mem, gpa, len);

	if (p == NULL)
		hvt_fatal("Invalid guest access: %s: gpa=0x%" PRIx64 " len=0x%" PRIx64
			  " is outside guest memory (0x%" PRIx64 " bytes)",
			  what, gpa, len, h->mem.size);
	/* In range, so gpa + len cannot overflow. Nothing is touched for
	 * len 0. */
	for (unsigned i = 0; i < h->nregion; i++) {
		const struct hvt_region *r = &h->region[i];

		if (len == 0 || gpa + len <= r->start || gpa >= r->end || (r->prot & need) == need)
			continue;
		hvt_fatal("Invalid guest access: %s: gpa=0x%" PRIx64 " len=0x%" PRIx64
			  " covers guest memory that is %s",
			  what, gpa, len, (need & PROT_WRITE) && (r->prot & PROT_READ) ?
			  "read-only" : "not readable");
	}
	return p;
}

void *hvt_guest_in(const struct hvt *h, uint64_t gpa, uint64_t len, const char *what)
{
	return guest_check(h, gpa, len, PROT_READ, what);
}

void *hvt_guest_out(const struct hvt *h, uint64_t gpa, uint64_t len, const char *what)
{
	return guest_check(h, gpa, len, PROT_READ | PROT_WRITE, what);
}
