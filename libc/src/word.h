/* libc/src/word.h: unaligned eight-byte access for the mem* functions
 * (private). x86_64 loads and stores words at any alignment, and may_alias
 * keeps the accesses legal under strict aliasing. */
#ifndef RIAD_LIBC_WORD_H
#define RIAD_LIBC_WORD_H

#include <stdint.h>

typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) word_u;

#define WORD_ONES 0x0101010101010101ull

#endif
