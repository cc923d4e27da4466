/* libc/src/ctype.c: ASCII character classes and case mapping ("C" locale). */
#include <ctype.h>

enum { CNTRL = 1, SPACE = 2, BLANK = 4, UPPER = 8, LOWER = 16, DIGIT = 32, XDIGIT = 64, PUNCT = 128 };

static unsigned char classes(int c)
{
	if (c < 0 || c > 0x7f)
		return 0;
	if (c == ' ')
		return SPACE | BLANK;
	if (c == '\t')
		return CNTRL | SPACE | BLANK;
	if (c >= '\n' && c <= '\r')
		return CNTRL | SPACE;
	if (c < 0x20 || c == 0x7f)
		return CNTRL;
	if (c >= '0' && c <= '9')
		return DIGIT | XDIGIT;
	if (c >= 'A' && c <= 'Z')
		return UPPER | (c <= 'F' ? XDIGIT : 0);
	if (c >= 'a' && c <= 'z')
		return LOWER | (c <= 'f' ? XDIGIT : 0);
	return PUNCT;
}

int isalnum(int c) { return (classes(c) & (UPPER | LOWER | DIGIT)) != 0; }
int isalpha(int c) { return (classes(c) & (UPPER | LOWER)) != 0; }
int isblank(int c) { return (classes(c) & BLANK) != 0; }
int iscntrl(int c) { return (classes(c) & CNTRL) != 0; }
int isdigit(int c) { return (classes(c) & DIGIT) != 0; }
int isgraph(int c) { return (classes(c) & (UPPER | LOWER | DIGIT | PUNCT)) != 0; }
int islower(int c) { return (classes(c) & LOWER) != 0; }
int isprint(int c) { return c == ' ' || isgraph(c); }
int ispunct(int c) { return (classes(c) & PUNCT) != 0; }
int isspace(int c) { return (classes(c) & SPACE) != 0; }
int isupper(int c) { return (classes(c) & UPPER) != 0; }
int isxdigit(int c) { return (classes(c) & XDIGIT) != 0; }
int tolower(int c) { return isupper(c) ? c + ('a' - 'A') : c; }
int toupper(int c) { return islower(c) ? c - ('a' - 'A') : c; }
