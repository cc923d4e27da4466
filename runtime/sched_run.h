/* runtime/sched_run.h: the scheduler's entry point below riad/fiber.h, for
 * start-up and the tests (private; not installed). */
#ifndef RIAD_RUNTIME_SCHED_H
#define RIAD_RUNTIME_SCHED_H

#include <stdint.h>

#include <riad/fiber.h>

/* Run fn(arg) in a new fiber (with a RIAD_MAIN_STACK_SIZE stack) and schedule
 * every fiber until that one returns; return its result. Fibers still parked
 * then are left as they are. This is what start-up does with main(); tests use
 * it to drive the scheduler. Not reentrant. */
int riad_sched_run(riad_fiber_fn *fn, void *arg);

/* What riad_sleep_until does (runtime/sleep.c): park the calling fiber
 * until riad_time_ns() >= deadline, or only yield if that is already so.
 * Aborts outside a fiber. */
void riad_sched_sleep_until(int64_t deadline);

#endif
