/* runtime/solo5/wait.c: the scheduler's one blocking call on the solo5 targets: solo5_yield(). */
#include <riad/time.h>

#include "../platform.h"
#include "solo5.h"

/* Indexed by handle (a manifest index, so below 64). */
static struct riad_solo5_watch *watches[64];
static solo5_handle_set_t watched;

int riad_solo5_watch_start(struct riad_solo5_watch *w, solo5_handle_t handle)
{
	if (handle >= 64 || (watched & (1ull << handle)))
		return -RIAD_EAGAIN;
	w->handle = handle;
	w->readable = (struct riad_waitq)RIAD_WAITQ_INIT;
	watches[handle] = w;
	watched |= 1ull << handle;
	return 0;
}

void riad_solo5_watch_stop(struct riad_solo5_watch *w)
{
	if (w->handle < 64 && watches[w->handle] == w) {
		watches[w->handle] = NULL;
		watched &= ~(1ull << w->handle);
	}
	riad_waitq_wake_all(&w->readable);
}

int riad_solo5_wait_readable(struct riad_solo5_watch *w, int64_t deadline)
{
	return riad_waitq_wait(&w->readable, deadline);
}

int riad_platform_wait(int64_t deadline)
{
	if (!watched) {
		if (deadline == RIAD_TIME_NEVER)
			return -1; /* nothing could ever end this wait */
		/* No device to poll: a deadline already past needs no call
		 * into the tender (each one is an exit on hvt). */
		if (deadline <= riad_time_ns())
			return 0;
	}
	solo5_handle_set_t ready = 0;
	solo5_yield(deadline < 0 ? 0 : (solo5_time_t)deadline, &ready);
	ready &= watched;
	int events = 0;
	for (solo5_handle_t h = 0; ready; h++, ready >>= 1) {
		if (ready & 1) {
			riad_waitq_wake_all(&watches[h]->readable);
			events++;
		}
	}
	return events;
}
