/* libc/src/explicit_bzero.c: zero memory in a way the compiler may not
 * remove as a dead store (for wiping keys and passwords). */
#include <string.h>

void explicit_bzero(void *dst, size_t n)
{
	memset(dst, 0, n);
	/* The empty asm claims to read dst, so the memset must happen. */
	__asm__ __volatile__("" : : "r"(dst) : "memory");
}
