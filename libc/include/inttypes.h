/* inttypes.h: printf format macros for <stdint.h> types, and intmax_t
 * helpers.
 *
 * Provided: the PRI* macros (d i o u x X for 8/16/32/64-bit, least, fast,
 * max and ptr types), imaxabs, imaxdiv, strtoimax, strtoumax. The values
 * are for x86_64 (LP64) with GCC's or Clang's <stdint.h>: int64_t is long.
 * Not provided: the SCN* macros (there is no scanf) and the wide-character
 * wcstoimax/wcstoumax.
 */
#ifndef RIAD_LIBC_INTTYPES_H
#define RIAD_LIBC_INTTYPES_H

#include <stdint.h>

#if !defined(__LP64__) || !defined(__x86_64__)
#error "riad libc's <inttypes.h> is written for x86_64 (LP64)"
#endif

#define RIAD_LIBC_PRI64 "l"
#define RIAD_LIBC_PRIPTR "l"
#define RIAD_LIBC_PRIFAST "l" /* int_fast16_t and wider are long */

#define PRId8 "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 RIAD_LIBC_PRI64 "d"
#define PRIi8 "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 RIAD_LIBC_PRI64 "i"
#define PRIo8 "o"
#define PRIo16 "o"
#define PRIo32 "o"
#define PRIo64 RIAD_LIBC_PRI64 "o"
#define PRIu8 "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 RIAD_LIBC_PRI64 "u"
#define PRIx8 "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 RIAD_LIBC_PRI64 "x"
#define PRIX8 "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 RIAD_LIBC_PRI64 "X"

#define PRIdLEAST8 PRId8
#define PRIdLEAST16 PRId16
#define PRIdLEAST32 PRId32
#define PRIdLEAST64 PRId64
#define PRIiLEAST8 PRIi8
#define PRIiLEAST16 PRIi16
#define PRIiLEAST32 PRIi32
#define PRIiLEAST64 PRIi64
#define PRIoLEAST8 PRIo8
#define PRIoLEAST16 PRIo16
#define PRIoLEAST32 PRIo32
#define PRIoLEAST64 PRIo64
#define PRIuLEAST8 PRIu8
#define PRIuLEAST16 PRIu16
#define PRIuLEAST32 PRIu32
#define PRIuLEAST64 PRIu64
#define PRIxLEAST8 PRIx8
#define PRIxLEAST16 PRIx16
#define PRIxLEAST32 PRIx32
#define PRIxLEAST64 PRIx64
#define PRIXLEAST8 PRIX8
#define PRIXLEAST16 PRIX16
#define PRIXLEAST32 PRIX32
#define PRIXLEAST64 PRIX64

#define PRIdFAST8 "d"
#define PRIdFAST16 RIAD_LIBC_PRIFAST "d"
#define PRIdFAST32 RIAD_LIBC_PRIFAST "d"
#define PRIdFAST64 RIAD_LIBC_PRIFAST "d"
#define PRIiFAST8 "i"
#define PRIiFAST16 RIAD_LIBC_PRIFAST "i"
#define PRIiFAST32 RIAD_LIBC_PRIFAST "i"
#define PRIiFAST64 RIAD_LIBC_PRIFAST "i"
#define PRIoFAST8 "o"
#define PRIoFAST16 RIAD_LIBC_PRIFAST "o"
#define PRIoFAST32 RIAD_LIBC_PRIFAST "o"
#define PRIoFAST64 RIAD_LIBC_PRIFAST "o"
#define PRIuFAST8 "u"
#define PRIuFAST16 RIAD_LIBC_PRIFAST "u"
#define PRIuFAST32 RIAD_LIBC_PRIFAST "u"
#define PRIuFAST64 RIAD_LIBC_PRIFAST "u"
#define PRIxFAST8 "x"
#define PRIxFAST16 RIAD_LIBC_PRIFAST "x"
#define PRIxFAST32 RIAD_LIBC_PRIFAST "x"
#define PRIxFAST64 RIAD_LIBC_PRIFAST "x"
#define PRIXFAST8 "X"
#define PRIXFAST16 RIAD_LIBC_PRIFAST "X"
#define PRIXFAST32 RIAD_LIBC_PRIFAST "X"
#define PRIXFAST64 RIAD_LIBC_PRIFAST "X"

#define PRIdMAX "jd"
#define PRIiMAX "ji"
#define PRIoMAX "jo"
#define PRIuMAX "ju"
#define PRIxMAX "jx"
#define PRIXMAX "jX"
#define PRIdPTR RIAD_LIBC_PRIPTR "d"
#define PRIiPTR RIAD_LIBC_PRIPTR "i"
#define PRIoPTR RIAD_LIBC_PRIPTR "o"
#define PRIuPTR RIAD_LIBC_PRIPTR "u"
#define PRIxPTR RIAD_LIBC_PRIPTR "x"
#define PRIXPTR RIAD_LIBC_PRIPTR "X"

typedef struct { intmax_t quot, rem; } imaxdiv_t;

intmax_t imaxabs(intmax_t j);
imaxdiv_t imaxdiv(intmax_t num, intmax_t den);
intmax_t strtoimax(const char *__restrict nptr, char **__restrict endptr, int base);
uintmax_t strtoumax(const char *__restrict nptr, char **__restrict endptr, int base);

#endif
