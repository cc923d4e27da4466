/* tests/unit/test_sched.c: the scheduler: ordering, timers, wait queues,
 * joins, thousands of fibers, deadlock detection, on the fake clock. */
#include <stdio.h>
#include <stdlib.h>

#include <riad/fiber.h>
#include <riad/opt.h>
#include <riad/time.h>

#include "check.h"
#include "sched_run.h"

static char trace[256];
static size_t trace_len;

static void mark(char c)
{
	if (trace_len < sizeof(trace) - 1)
		trace[trace_len++] = c;
	trace[trace_len] = 0;
}

static void trace_reset(void)
{
	trace_len = 0;
	trace[0] = 0;
}

static int yielder(void *arg)
{
	char c = *(char *)arg;
	for (int i = 0; i < 3; i++) {
		mark(c);
		riad_fiber_yield();
	}
	return c;
}

static int spawn_three(void *arg)
{
	(void)arg;
	static char a = 'a', b = 'b', c = 'c';
	struct riad_fiber *fa = riad_fiber_spawn(yielder, &a, 0);
	struct riad_fiber *fb = riad_fiber_spawn(yielder, &b, 0);
	struct riad_fiber *fc = riad_fiber_spawn(yielder, &c, 0);
	mark('M'); /* spawning never switches: M comes first */
	int sum = riad_fiber_join(fa) + riad_fiber_join(fb) + riad_fiber_join(fc);
	return sum;
}

static void round_robin_order(void)
{
	trace_reset();
	CHECK_INT(riad_sched_run(spawn_three, NULL), 'a' + 'b' + 'c');
	CHECK_STR(trace, "Mabcabcabc");
}

static int sleeper(void *arg)
{
	int64_t ms = (int64_t)(intptr_t)arg;
	riad_sleep_ns(ms * RIAD_NS_PER_MS);
	mark((char)('0' + ms / 10));
	return 0;
}

static int sleep_many(void *arg)
{
	(void)arg;
	int64_t order[] = { 50, 10, 40, 20, 30 };
	struct riad_fiber *f[5];
	for (int i = 0; i < 5; i++)
		f[i] = riad_fiber_spawn(sleeper, (void *)(intptr_t)order[i], 0);
	for (int i = 0; i < 5; i++)
		riad_fiber_join(f[i]);
	return 0;
}

static void timers_fire_in_deadline_order(void)
{
	trace_reset();
	int64_t start = riad_time_ns();
	riad_sched_run(sleep_many, NULL);
	CHECK_STR(trace, "12345");
	/* The fake clock jumps to each deadline: exactly 50 ms passed. */
	CHECK_INT(riad_time_ns() - start, 50 * RIAD_NS_PER_MS);
}

static struct riad_waitq q = RIAD_WAITQ_INIT;
static int woken;

static int waiter(void *arg)
{
	int64_t timeout = (int64_t)(intptr_t)arg;
	int r = riad_waitq_wait(&q, timeout ? riad_time_ns() + timeout : RIAD_TIME_NEVER);
	if (r == 0)
		woken++;
	return r;
}

static int wait_and_wake(void *arg)
{
	(void)arg;
	woken = 0;
	struct riad_fiber *a = riad_fiber_spawn(waiter, (void *)(intptr_t)0, 0);
	struct riad_fiber *b = riad_fiber_spawn(waiter, (void *)(intptr_t)(5 * RIAD_NS_PER_MS), 0);
	struct riad_fiber *c = riad_fiber_spawn(waiter, (void *)(intptr_t)0, 0);
	riad_fiber_yield(); /* let all three park */
	CHECK_INT(riad_waitq_wake_one(&q), 1); /* wakes a: FIFO */
	riad_sleep_ns(10 * RIAD_NS_PER_MS);    /* b times out meanwhile */
	CHECK_INT(riad_waitq_wake_all(&q), 1); /* only c is left */
	CHECK_INT(riad_waitq_wake_all(&q), 0); /* wakes are not remembered */
	CHECK_INT(riad_fiber_join(a), 0);
	CHECK_INT(riad_fiber_join(b), -RIAD_ETIMEDOUT);
	CHECK_INT(riad_fiber_join(c), 0);
	CHECK_INT(woken, 2);
	return 0;
}

static void waitq_wake_and_timeout(void)
{
	CHECK_INT(riad_sched_run(wait_and_wake, NULL), 0);
}

static int past_deadline(void *arg)
{
	(void)arg;
	return riad_waitq_wait(&q, riad_time_ns() - 1);
}

static void wait_with_past_deadline_returns_at_once(void)
{
	CHECK_INT(riad_sched_run(past_deadline, NULL), -RIAD_ETIMEDOUT);
}

/* riad_fiber_interrupt: a fiber parked forever in a waitq returns
 * -RIAD_EINTR; one parked with a deadline leaves before it (and off the
 * timer heap: the run ends at once, not at the deadline); a ready or
 * finished fiber is left alone. */
static int wait_forever(void *arg)
{
	(void)arg;
	return riad_waitq_wait(&q, RIAD_TIME_NEVER);
}

static int wait_long(void *arg)
{
	(void)arg;
	return riad_waitq_wait(&q, riad_time_ns() + 3600 * RIAD_NS_PER_S);
}

static int interrupts(void *arg)
{
	(void)arg;
	int64_t t0 = riad_time_ns();
	struct riad_fiber *a = riad_fiber_spawn(wait_forever, NULL, 0);
	struct riad_fiber *b = riad_fiber_spawn(wait_long, NULL, 0);
	CHECK(a && b);
	CHECK_INT(riad_fiber_interrupt(a), 0); /* ready, not parked yet */
	riad_fiber_yield();
	CHECK_INT(riad_fiber_interrupt(a), 1);
	CHECK_INT(riad_fiber_interrupt(b), 1);
	CHECK_INT(riad_fiber_interrupt(b), 0); /* ready now */
	CHECK_INT(riad_fiber_join(a), -RIAD_EINTR);
	CHECK_INT(riad_fiber_join(b), -RIAD_EINTR);
	CHECK(riad_time_ns() - t0 < RIAD_NS_PER_S);
	CHECK_INT(riad_waitq_wake_all(&q), 0); /* both left the queue */
	return 0;
}

static void interrupt_ends_a_wait(void)
{
	CHECK_INT(riad_sched_run(interrupts, NULL), 0);
}

#define MANY 5000

static int counter;

static int tiny(void *arg)
{
	int64_t i = (int64_t)(intptr_t)arg;
	riad_sleep_ns((MANY - i) * RIAD_NS_PER_US);
	counter++;
	return (int)i;
}

static int thousands(void *arg)
{
	(void)arg;
	static struct riad_fiber *f[MANY];
	counter = 0;
	for (int i = 0; i < MANY; i++) {
		f[i] = riad_fiber_spawn(tiny, (void *)(intptr_t)i, 16 * 1024);
		if (!f[i])
			return -1;
	}
	struct riad_sched_stats st;
	riad_sched_stats(&st);
	CHECK(st.live >= MANY + 1);
	long long sum = 0;
	for (int i = 0; i < MANY; i++)
		sum += riad_fiber_join(f[i]);
	CHECK_INT(sum, (long long)MANY * (MANY - 1) / 2);
	return counter;
}

static void thousands_of_fibers(void)
{
	CHECK_INT(riad_sched_run(thousands, NULL), MANY);
	struct riad_sched_stats st;
	riad_sched_stats(&st);
	CHECK_INT(st.live, 0); /* everything was freed */
}

static int detached_ran;
static const char *detached_name;

static int detached_fn(void *arg)
{
	(void)arg;
	riad_sleep_ns(RIAD_NS_PER_MS);
	detached_ran = 1;
	detached_name = riad_fiber_name(riad_fiber_self());
	return 0;
}

static int spawn_detached(void *arg)
{
	(void)arg;
	riad_fiber_detach(riad_fiber_spawn(detached_fn, NULL, 0));
	riad_sleep_ns(2 * RIAD_NS_PER_MS);
	return detached_ran;
}

static void detached_fibers_run_and_are_freed(void)
{
	CHECK_INT(riad_sched_run(spawn_detached, NULL), 1);
	struct riad_sched_stats st;
	riad_sched_stats(&st);
	CHECK_INT(st.live, 0);
}

static int spawn_detached_named(void *arg)
{
	(void)arg;
	detached_ran = 0;
	CHECK_INT(riad_fiber_spawn_detached(detached_fn, NULL, 0, "detached"), 0);
	riad_sleep_ns(2 * RIAD_NS_PER_MS);
	return detached_ran;
}

/* riad_fiber_spawn_detached: the same, named, in one call. */
static void spawn_detached_runs_named_and_is_freed(void)
{
	CHECK_INT(riad_sched_run(spawn_detached_named, NULL), 1);
	CHECK_STR(detached_name, "detached");
	struct riad_sched_stats st;
	riad_sched_stats(&st);
	CHECK_INT(st.live, 0);
}

static int busy_yielder(void *arg)
{
	int *stop = arg;
	while (!*stop)
		riad_fiber_yield();
	return 0;
}

static int yield_does_not_starve_timers(void *arg)
{
	(void)arg;
	int stop = 0;
	struct riad_fiber *f = riad_fiber_spawn(busy_yielder, &stop, 0);
	riad_sleep_ns(RIAD_NS_PER_MS); /* must return although f never parks */
	stop = 1;
	riad_fiber_join(f);
	return 7;
}

static int64_t hook_calls;

static int advancing_hook(int64_t deadline)
{
	(void)deadline;
	hook_calls++;
	fake_time_advance(100 * RIAD_NS_PER_US);
	return 0;
}

/* A fiber that yields forever must not starve a sleeper: between rounds the
 * scheduler polls the platform (here a hook that lets 100 us pass, as real
 * time would) and fires expired timers. */
static void yielding_loop_does_not_starve_sleepers(void)
{
	hook_calls = 0;
	fake_wait_hook(advancing_hook);
	CHECK_INT(riad_sched_run(yield_does_not_starve_timers, NULL), 7);
	CHECK(hook_calls > 0);
	fake_wait_hook(NULL);
}

static int stuck(void *arg)
{
	(void)arg;
	return riad_waitq_wait(&q, RIAD_TIME_NEVER);
}

static void run_stuck(void)
{
	riad_sched_run(stuck, NULL);
}

static void deadlock_is_reported(void)
{
	fake_console_take();
	CHECK(expect_abort(run_stuck));
	CHECK(strstr(fake_console_take(), "deadlock") != NULL);
}

static void yield_outside_fiber(void)
{
	riad_fiber_yield();
}

static void misuse_aborts_with_message(void)
{
	fake_console_take();
	CHECK(expect_abort(yield_outside_fiber));
	CHECK(strstr(fake_console_take(), "outside a fiber") != NULL);
}

static int deep(int n)
{
	volatile char buf[512];
	buf[0] = (char)n;
	return n == 0 ? buf[0] : deep(n - 1) + buf[0];
}

static int uses_stack(void *arg)
{
	(void)arg;
	return deep(100); /* about 60 KiB of a 256 KiB main stack */
}

static void main_fiber_has_a_large_stack(void)
{
	CHECK_INT(riad_sched_run(uses_stack, NULL), 5050);
}

/* Stackless first waits (riad_fiber_spawn_waiting). */

static struct riad_waitq idle_q;
static bool idle_ready;
static int idle_runs;

static bool idle_is_ready(void *arg)
{
	(void)arg;
	return idle_ready;
}

static int idle_body(void *arg)
{
	(void)arg;
	idle_runs++;
	mark('R');
	return 7;
}

static int waiting_fibers(void *arg)
{
	(void)arg;
	struct riad_sched_stats st;
	struct riad_fiber_wait w = { &idle_q, RIAD_TIME_NEVER, idle_is_ready, NULL };
	idle_ready = false;
	idle_runs = 0;
	struct riad_fiber *f = riad_fiber_spawn_waiting(&w, idle_body, NULL, 0);
	riad_sched_stats(&st);
	CHECK_INT(st.stackless, 1);
	/* a wake that ready() turns down: it waits again, still stackless */
	riad_waitq_wake_all(&idle_q);
	riad_fiber_yield();
	riad_fiber_yield();
	CHECK_INT(idle_runs, 0);
	riad_sched_stats(&st);
	CHECK_INT(st.stackless, 1);
	/* now it may start: the next wake runs it, once */
	idle_ready = true;
	CHECK_INT(riad_waitq_wake_all(&idle_q), 1);
	CHECK_INT(riad_fiber_join(f), 7);
	CHECK_INT(idle_runs, 1);
	riad_sched_stats(&st);
	CHECK_INT(st.stackless, 0);
	CHECK(st.stacks_cached >= 1); /* its stack kept for the next fiber */

	/* the deadline starts it whatever ready() says */
	idle_ready = false;
	w.deadline = riad_time_ns() + 5 * RIAD_NS_PER_MS;
	f = riad_fiber_spawn_waiting(&w, idle_body, NULL, 0);
	riad_sleep_ns(2 * RIAD_NS_PER_MS);
	CHECK_INT(idle_runs, 1);
	riad_sleep_ns(10 * RIAD_NS_PER_MS);
	CHECK_INT(idle_runs, 2);
	CHECK_INT(riad_fiber_join(f), 7);

	/* and so does an interrupt */
	w.deadline = RIAD_TIME_NEVER;
	f = riad_fiber_spawn_waiting(&w, idle_body, NULL, 0);
	riad_fiber_yield();
	CHECK_INT(riad_fiber_interrupt(f), 1);
	CHECK_INT(riad_fiber_join(f), 7);
	CHECK_INT(idle_runs, 3);
	return 0;
}

static void waiting_fibers_start_on_wake_deadline_or_interrupt(void)
{
	trace_reset();
	CHECK_INT(riad_sched_run(waiting_fibers, NULL), 0);
	CHECK_STR(trace, "RRR");
}

enum { MANY_IDLE = 20000 };

static int many_idle(void *arg)
{
	(void)arg;
	struct riad_sched_stats st;
	struct riad_fiber_wait w = { &idle_q, RIAD_TIME_NEVER, NULL, NULL };
	idle_runs = 0;
	for (int i = 0; i < MANY_IDLE; i++) {
		struct riad_fiber *f = riad_fiber_spawn_waiting(&w, idle_body, NULL, 0);
		if (!f) {
			CHECK(f != NULL);
			return 1;
		}
		riad_fiber_detach(f);
	}
	riad_sched_stats(&st);
	CHECK_INT(st.stackless, MANY_IDLE);
	CHECK_INT(idle_runs, 0);
	CHECK_INT(riad_waitq_wake_all(&idle_q), MANY_IDLE);
	riad_fiber_yield();
	riad_fiber_yield();
	CHECK_INT(idle_runs, MANY_IDLE);
	riad_sched_stats(&st);
	CHECK_INT(st.stackless, 0);
	CHECK(st.stacks_cached <= RIAD_FIBER_STACK_CACHE);
	return 0;
}

static void many_stackless_fibers(void)
{
	trace_reset();
	CHECK_INT(riad_sched_run(many_idle, NULL), 0);
}

int main(void)
{
	RUN(round_robin_order);
	RUN(timers_fire_in_deadline_order);
	RUN(waitq_wake_and_timeout);
	RUN(wait_with_past_deadline_returns_at_once);
	RUN(interrupt_ends_a_wait);
	RUN(thousands_of_fibers);
	RUN(detached_fibers_run_and_are_freed);
	RUN(spawn_detached_runs_named_and_is_freed);
	RUN(yielding_loop_does_not_starve_sleepers);
	RUN(main_fiber_has_a_large_stack);
	RUN(waiting_fibers_start_on_wake_deadline_or_interrupt);
	RUN(many_stackless_fibers);
	RUN(misuse_aborts_with_message);
	/* Last: it leaves the scheduler's state behind (longjmp out of it). */
	RUN(deadlock_is_reported);
	return check_done();
}
