/* runtime/sleep.c: sleeping (riad/time.h), on the scheduler's timers. */
#include <riad/fiber.h>
#include <riad/time.h>

#include "sched_run.h"

void riad_sleep_until(int64_t deadline)
{
	riad_sched_sleep_until(deadline);
}

void riad_sleep_ns(int64_t ns)
{
	if (ns <= 0) {
		riad_fiber_yield();
		return;
	}
	int64_t now = riad_time_ns();
	riad_sleep_until(ns > RIAD_TIME_NEVER - now ? RIAD_TIME_NEVER - 1 : now + ns);
}
