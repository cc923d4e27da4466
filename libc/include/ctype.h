/* ctype.h: character classes and case mapping for the "C" locale (ASCII).
 *
 * Provided: isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower,
 * isprint, ispunct, isspace, isupper, isxdigit, tolower, toupper. As C11
 * requires, the argument must be EOF or a value representable as unsigned
 * char; unlike many libcs, any other int is safe too and simply belongs to
 * no class (a plain char holding a byte >= 0x80 does not read out of bounds).
 * Bytes 0x80..0xff belong to no class. The functions are real functions
 * (no macros), so their addresses can be taken.
 *
 * Not provided: locales, the wide-character <wctype.h>.
 */
#ifndef RIAD_LIBC_CTYPE_H
#define RIAD_LIBC_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#endif
