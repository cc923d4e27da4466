/* runtime/unix/stack.c: fiber stacks on unix: anonymous mappings with a
 * PROT_NONE guard page below, committed only as they are touched. */
#include <sys/mman.h>
#include <unistd.h>

#include "../platform.h"

static size_t page_size(void)
{
	static size_t size;
	if (!size)
		size = (size_t)sysconf(_SC_PAGESIZE);
	return size;
}

void *riad_platform_stack_alloc(size_t size, size_t *usable)
{
	size_t page = page_size();
	size = (size + page - 1) & ~(page - 1);
	char *map = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, size + page);
		return NULL;
	}
	*usable = size;
	return map + page;
}

void riad_platform_stack_free(void *stack, size_t usable)
{
	size_t page = page_size();
	munmap((char *)stack - page, usable + page);
}

/* The guard page is unmapped: an overrun faults at once. */
void riad_platform_stack_check(void *stack)
{
	(void)stack;
}
