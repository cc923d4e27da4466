/* storage/wipe.c: storage_wipe(), zeroing of key material that the compiler cannot remove. */
#include <stdint.h>

#include "wipe.h"

void storage_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
	/* A compiler barrier as well: nothing is reordered past the wipe. */
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
