/* runtime/solo5/clock.c: the wall clock on the solo5 targets (riad/clock.h). */
#include <riad/clock.h>

#include <solo5.h>

int64_t riad_clock_wall_ns(void)
{
	return (int64_t)solo5_clock_wall();
}
