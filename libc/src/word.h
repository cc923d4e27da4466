/* libc/src/word.h: unaligned eight-byte copying and filling, shared by the
 * generic mem* functions and the x86_64 ones that use them for short
 * lengths (private). x86_64 loads and stores words at any alignment, and
 * may_alias keeps the accesses legal under strict aliasing. */
#ifndef RIAD_LIBC_WORD_H
#define RIAD_LIBC_WORD_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) word_u;

#define WORD_ONES 0x0101010101010101ull

/* Copy n bytes forwards, 32 then 8 then 1 at a time. Also correct for
 * overlapping buffers when d is below s: each word is read before the write
 * that could reach it. */
static inline void words_copy(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n >= 32; n -= 32, d += 32, s += 32) {
		word_u a = ((const word_u *)s)[0], b = ((const word_u *)s)[1];
		word_u c = ((const word_u *)s)[2], e = ((const word_u *)s)[3];
		((word_u *)d)[0] = a;
		((word_u *)d)[1] = b;
		((word_u *)d)[2] = c;
		((word_u *)d)[3] = e;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(word_u *)d = *(const word_u *)s;
	for (; n > 0; n--)
		*d++ = *s++;
}

static inline void words_fill(unsigned char *d, unsigned char c, size_t n)
{
	uint64_t w = c * WORD_ONES;

	for (; n >= 32; n -= 32, d += 32) {
		((word_u *)d)[0] = w;
		((word_u *)d)[1] = w;
		((word_u *)d)[2] = w;
		((word_u *)d)[3] = w;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(word_u *)d = w;
	for (; n > 0; n--)
		*d++ = c;
}

#endif
