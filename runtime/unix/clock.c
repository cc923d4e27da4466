/* runtime/unix/clock.c: the wall clock on unix (riad/clock.h). */
#include <riad/clock.h>
#include <riad/time.h>

#include <time.h>

int64_t riad_clock_wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * RIAD_NS_PER_S + ts.tv_nsec;
}
