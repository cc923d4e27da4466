/* runtime/unix/time.c: the monotonic clock on unix (riad/time.h). */
#include <riad/time.h>

#include <time.h>

int64_t riad_time_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * RIAD_NS_PER_S + ts.tv_nsec;
}
