/* runtime/platform.h: what each target provides to the target-independent
 * runtime (private; not installed).
 *
 * Every function here is defined exactly once per target, in runtime/TARGET/,
 * and chosen by the link line. The core runtime calls them and never asks
 * which target it runs on. A test platform (tests/unit/fake_platform.c)
 * implements the same set with a controllable clock.
 *
 * Public singletons are implemented the same way and declared in their
 * public headers: riad_time_ns (riad/time.h), riad_clock_wall_ns
 * (riad/clock.h), riad_console_write (riad/console.h).
 */
#ifndef RIAD_RUNTIME_PLATFORM_H
#define RIAD_RUNTIME_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Block the whole unikernel until riad_time_ns() >= deadline or a device has
 * an event, then deliver the events (waking the fibers that wait on them).
 * It is the only blocking call. Returns the number of events delivered, or
 * -1 if nothing could ever end the wait (deadline RIAD_TIME_NEVER and no
 * device that can produce events): the scheduler then reports a deadlock. */
int riad_platform_wait(int64_t deadline);

/* Fill buf with len bytes from the host's entropy source (getrandom on unix;
 * RDSEED/RDRAND and timer jitter on the solo5 targets). Aborts if the source
 * fails: a unikernel must never run on a predictable seed. */
void riad_platform_entropy(void *buf, size_t len);

/* Memory for a fiber stack of at least size bytes with an inaccessible guard
 * page below it. Returns the lowest usable address and sets *usable to the
 * usable size; NULL when out of memory. */
void *riad_platform_stack_alloc(size_t size, size_t *usable);
void riad_platform_stack_free(void *stack, size_t usable);
/* Where the guard page cannot be made inaccessible (spt), whether it is
 * intact: panics if a fiber overran it. The scheduler calls it before it
 * keeps a stack for reuse; riad_platform_stack_free checks too. */
void riad_platform_stack_check(void *stack);

/* Defined by the target's heap gauges (runtime/TARGET/heap_metrics.c),
 * referenced by its start code to link them. */
extern const char riad_platform_heap_metrics;

/* Run the application's main(); the target knows what it is called. */
int riad_platform_app_main(int argc, char **argv);

/* Leave the unikernel with this status (low 8 bits reach the host). */
_Noreturn void riad_platform_exit(int status);

/* Print msg and end the unikernel with status 255 (Solo5's abort status). */
_Noreturn void riad_platform_abort(void);

#endif
