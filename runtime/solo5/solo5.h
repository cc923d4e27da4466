/* runtime/solo5/solo5.h: what the solo5 targets' runtime offers riad's own device code (net interfaces, block devices); private to runtime/solo5 and the solo5 devices. */
#ifndef RIAD_RUNTIME_SOLO5_H
#define RIAD_RUNTIME_SOLO5_H

#include <solo5.h>

#include <riad/fiber.h>

/* A Solo5 net device the scheduler watches: when solo5_yield() reports
 * input on handle, every fiber waiting on readable wakes. A fiber must read
 * until SOLO5_R_AGAIN before it waits. */
struct riad_solo5_watch {
	solo5_handle_t handle;
	struct riad_waitq readable;
};

/* Start watching (handle must be an acquired net device, at most one watch
 * per handle). Returns 0, or -RIAD_EAGAIN if handle is already watched. */
int riad_solo5_watch_start(struct riad_solo5_watch *w, solo5_handle_t handle);

/* Stop watching; wakes every waiter so that it can see the device is gone. */
void riad_solo5_watch_stop(struct riad_solo5_watch *w);

/* Park until input is reported or the deadline passes: 0 or -RIAD_ETIMEDOUT. */
int riad_solo5_wait_readable(struct riad_solo5_watch *w, int64_t deadline);

#endif
