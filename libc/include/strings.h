/* strings.h: the POSIX case-insensitive comparisons, for the "C" locale.
 *
 * Provided: strcasecmp and strncasecmp (ASCII letters fold to lower case
 * before comparing; other bytes compare as unsigned char).
 * Not provided: the legacy bcopy, bzero, bcmp, index, rindex (use the
 * <string.h> equivalents) and ffs.
 */
#ifndef RIAD_LIBC_STRINGS_H
#define RIAD_LIBC_STRINGS_H

#include <stddef.h>

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#endif
