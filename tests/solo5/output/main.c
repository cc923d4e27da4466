/* tests/solo5/output: one console write of about 4 KiB arrives whole (Solo5's test_output). */
#include "../common.h"

static char line[4100];

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	for (size_t i = 0; i < sizeof(line) - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[sizeof(line) - 1] = '\n';
	solo5_console_write(line, sizeof(line));
	return T_SUCCESS();
}
