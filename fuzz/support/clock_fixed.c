/* fuzz/support/clock_fixed.c: a fixed wall clock for fuzz targets that link storage code, so that runs repeat exactly. */
#include <riad/clock.h>

int64_t riad_clock_wall_ns(void)
{
	return 1700000000LL * 1000000000LL;
}
