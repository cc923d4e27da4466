/* riad/fiber.h: cooperative fibers, wait queues and the scheduler.
 *
 * A unikernel runs on one core without preemption. Its code runs in fibers,
 * each with its own stack; main() runs in the first one. A fiber runs until it
 * parks itself: riad_fiber_yield(), riad_sleep_ns(), riad_waitq_wait(), a
 * join, or an I/O call that documents that it may block. Between two such
 * calls no other fiber runs, so data shared by fibers needs no locks.
 *
 * When no fiber is ready, the scheduler makes exactly one blocking call into
 * the target (epoll_wait on unix, solo5_yield on the solo5 targets) that
 * returns at the earliest timer deadline or when a device has input, then
 * wakes the fibers waiting for what arrived.
 *
 * Errors: functions that can fail return a negative RIAD_E* value. Using the
 * API wrongly (joining a fiber twice, waiting outside a fiber) is a
 * programmer error and aborts the unikernel with a message.
 */
#ifndef RIAD_FIBER_H
#define RIAD_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/errno.h>

struct riad_fiber; /* opaque */

/* The function a fiber runs; its return value is what riad_fiber_join()
 * returns. */
typedef int riad_fiber_fn(void *arg);

/* Create a fiber that will run fn(arg) with a stack of stack_size bytes (0
 * means RIAD_FIBER_STACK_DEFAULT from riad/opt.h; smaller sizes are rounded
 * up to RIAD_FIBER_STACK_MIN). The new fiber is ready and runs after the
 * caller parks; spawning never switches fibers. Below the stack is a guard
 * page: overflowing it kills the unikernel instead of corrupting memory.
 * Returns NULL if memory runs out or RIAD_FIBERS_MAX fibers exist.
 * May be called from a fiber or before the scheduler runs. */
struct riad_fiber *riad_fiber_spawn(riad_fiber_fn *fn, void *arg, size_t stack_size);

/* A wait that a new fiber makes before it has a stack (see
 * riad_fiber_spawn_waiting). */
struct riad_waitq;
struct riad_fiber_wait {
	struct riad_waitq *q;   /* the queue to wait on (NULL: the deadline only) */
	int64_t deadline;       /* RIAD_TIME_NEVER: none */
	/* Asked, without a stack, each time q wakes the fiber: false puts it
	 * back on q (with the same deadline) instead of starting it. NULL:
	 * every wake starts it. The deadline and riad_fiber_interrupt()
	 * start it whatever ready says. */
	bool (*ready)(void *ready_arg);
	void *ready_arg;
};

/* Create a fiber that first waits as w says, holding no stack: only when
 * the wait ends does it get its stack (as riad_fiber_spawn, stack_size)
 * and run fn(arg). fn cannot tell how the wait ended; it checks its
 * condition, as after any wait. A waiting fiber costs its record (about
 * 170 bytes) instead of a stack: the way to hold thousands of idle
 * connections (riad_tcp_when_readable in riad/net.h). If no stack can be
 * had when the wait ends, the fiber waits RIAD_FIBER_STACK_RETRY_NS and
 * tries again. Returns NULL if memory runs out or RIAD_FIBERS_MAX fibers
 * exist. Join or detach it as any fiber. */
struct riad_fiber *riad_fiber_spawn_waiting(const struct riad_fiber_wait *w, riad_fiber_fn *fn,
                                            void *arg, size_t stack_size);

/* Park until f has returned, free it, and return fn's result. Each fiber must
 * be joined exactly once or detached; never both. */
int riad_fiber_join(struct riad_fiber *f);

/* Let f's resources be freed as soon as it returns; its result is dropped. */
void riad_fiber_detach(struct riad_fiber *f);

/* A fiber that nobody joins, in one call: riad_fiber_spawn(fn, arg,
 * stack_size), named name (unless NULL; not copied, as
 * riad_fiber_set_name), and detached. Returns 0, or -RIAD_ENOMEM where
 * riad_fiber_spawn returns NULL (no memory, or RIAD_FIBERS_MAX fibers). */
int riad_fiber_spawn_detached(riad_fiber_fn *fn, void *arg, size_t stack_size, const char *name);

/* Let every other ready fiber run once, then continue. */
void riad_fiber_yield(void);

/* If f is parked in a wait (riad_waitq_wait, a sleep, a device's wait),
 * end that wait now: riad_waitq_wait and the waits built on it return
 * -RIAD_EINTR, a sleep returns early, a join parks again. Returns 1 if f was
 * parked, 0 if it was running, ready or finished. For the owner of a fiber
 * that must stop whatever it waits for (riad_net_close stops a stack's
 * receive fiber parked in its device this way); f must not have been freed. */
int riad_fiber_interrupt(struct riad_fiber *f);

/* The running fiber, or NULL outside any fiber. */
struct riad_fiber *riad_fiber_self(void);

/* A name shown in diagnostics (abort messages); the string is not copied. */
void riad_fiber_set_name(struct riad_fiber *f, const char *name);
const char *riad_fiber_name(const struct riad_fiber *f);

/* A wait queue: fibers park on it until another fiber (or a device event)
 * wakes them, or until their deadline. Zero-initialised is empty and ready to
 * use; it owns no memory. Wakes are not remembered: waking an empty queue
 * does nothing, so check your condition before waiting, in a loop. */
struct riad_waitq {
	struct riad_fiber *head, *tail;
};
#define RIAD_WAITQ_INIT { 0, 0 }

/* Park the calling fiber on q until woken or until riad_time_ns() >=
 * deadline (RIAD_TIME_NEVER: no deadline). Returns 0 if woken,
 * -RIAD_ETIMEDOUT if the deadline passed first. Waiters wake in FIFO order. */
int riad_waitq_wait(struct riad_waitq *q, int64_t deadline);

/* Make the first waiter (or all of them) ready. Returns how many were woken.
 * Never switches fibers; callable from device event handlers. */
int riad_waitq_wake_one(struct riad_waitq *q);
int riad_waitq_wake_all(struct riad_waitq *q);

/* Counters for tests and diagnostics. */
struct riad_sched_stats {
	uint64_t switches;  /* fiber context switches */
	uint64_t waits;     /* blocking calls into the target */
	uint64_t live;      /* fibers created and not yet freed */
	uint64_t stackless; /* of those, waiting without a stack (riad_fiber_spawn_waiting) */
	uint64_t stack_retries; /* a wait ended with no memory for the stack */
	uint64_t stacks_cached; /* stacks kept for reuse (RIAD_FIBER_STACK_CACHE) */
};
void riad_sched_stats(struct riad_sched_stats *out);

#endif
