/* base/spt/time.c: the clocks (clock_gettime) and solo5_yield (an absolute timerfd deadline, then epoll_pwait on the tender's epoll set). */
#include "spt.h"

#include "abi/spt.h"

#define NS_PER_S 1000000000ull
#define EVENTS_PER_YIELD 64

static solo5_time_t clock_ns(long clock)
{
	struct spt_timespec ts;
	if (spt_syscall3(SYS_CLOCK_GETTIME, clock, (long)&ts, 0) != 0)
		base_abort(__FILE__, "clock_gettime failed");
	return (solo5_time_t)ts.tv_sec * NS_PER_S + (solo5_time_t)ts.tv_nsec;
}

solo5_time_t solo5_clock_monotonic(void)
{
	return clock_ns(SPT_CLOCK_MONOTONIC);
}

solo5_time_t solo5_clock_wall(void)
{
	return clock_ns(SPT_CLOCK_REALTIME);
}

void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set)
{
	/* Arming the timer also clears an expiry nobody read, so the epoll
	 * set reports the timer only once this deadline passes. The 1 ns bit
	 * keeps it_value non-zero (zero would disarm): a deadline in the
	 * past fires at once. */
	struct spt_itimerspec its = {
		.it_value = { (int64_t)(deadline / NS_PER_S), (int64_t)(deadline % NS_PER_S) | 1 },
	};
	if (spt_syscall4(SYS_TIMERFD_SETTIME, spt_timerfd, SPT_TFD_TIMER_ABSTIME, (long)&its, 0) != 0)
		base_abort(__FILE__, "timerfd_settime failed");

	struct spt_epoll_event evs[EVENTS_PER_YIELD];
	long n;
	do
		n = spt_syscall6(SYS_EPOLL_PWAIT, spt_epollfd, (long)evs, EVENTS_PER_YIELD, -1, 0, 0);
	while (n == -SPT_EINTR);
	if (n < 0)
		base_abort(__FILE__, "epoll_pwait failed");

	solo5_handle_set_t ready = 0;
	for (long i = 0; i < n; i++)
		if (evs[i].data != RIAD_SPT_INTERNAL_TIMERFD && evs[i].data < 64)
			ready |= 1ull << evs[i].data;
	if (ready_set)
		*ready_set = ready;
}
