/* runtime/wipe.c: riad_wipe(), clearing secrets so that the compiler cannot drop it as a dead store. */
#include <string.h>

#include <riad/random.h>

void riad_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	/* The asm may read the bytes through p, so the memset must happen. */
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
