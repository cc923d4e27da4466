/* runtime/solo5/time.c: the monotonic clock on the solo5 targets (riad/time.h). */
#include <riad/time.h>

#include <solo5.h>

int64_t riad_time_ns(void)
{
	return (int64_t)solo5_clock_monotonic();
}
