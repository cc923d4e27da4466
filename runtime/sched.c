/* runtime/sched.c: the cooperative scheduler: fibers, timers, wait queues (riad_sleep_* are in sleep.c).
 *
 * States of a fiber and the calls that move it:
 *
 *            spawn            switch to it
 *   (new) ---------> READY ----------------> RUNNING --- fn returns ---> DONE
 *                      ^                      |   |
 *                      |   wake / deadline     |   | yield (back to READY)
 *                      +----- PARKED <--------+   |
 *                                 wait/sleep/join
 *
 * Invariants:
 *  1. A fiber is on at most one list (the run queue or one wait queue), linked
 *     through next/prev, and list == the list it is on (NULL if none).
 *  2. A PARKED fiber with a deadline sits in the timer heap at heap_idx;
 *     every other fiber has heap_idx == NO_HEAP.
 *  3. Only the scheduler context (the stack riad_sched_run was called on)
 *     switches into fibers, and fibers only switch back to it. So a finished
 *     fiber's stack is freed from the scheduler context, never from itself.
 *  4. The scheduler makes one blocking call (riad_platform_wait) only when the
 *     run queue is empty; while it is not, it polls the platform (a wait with
 *     deadline 0) after at most RIAD_SCHED_POLL_ROUNDS rounds.
 */
#include <riad/fiber.h>
#include <riad/metrics.h>
#include <riad/opt.h>
#include <riad/random.h>
#include <riad/time.h>

#include <stdbool.h>
#include <stdlib.h>

#include "ctx.h"
#include "platform.h"
#include "runtime.h"
#include "sched_run.h"

enum fiber_state { READY, RUNNING, PARKED, DONE };

#define NO_HEAP SIZE_MAX

struct fiber_list {
	struct riad_fiber *head, *tail;
};

struct riad_fiber {
	void *sp;                   /* saved stack pointer while not running */
	void *stack;                /* lowest usable address */
	size_t stack_size;          /* usable */
	size_t stack_asked;         /* what the spawn asked for (the cache's key) */
	riad_fiber_fn *fn;
	void *arg;
	int result;
	enum fiber_state state;
	bool detached;
	bool joined;                /* a joiner has claimed it */
	const char *name;
	struct riad_fiber *next, *prev;
	struct fiber_list *list;    /* invariant 1 */
	int64_t deadline;
	size_t heap_idx;            /* invariant 2 */
	int wake_result;            /* what riad_waitq_wait returns */
	struct riad_waitq joiners;
	/* A stackless first wait (riad_fiber_spawn_waiting): stack is NULL
	 * until it ends. */
	struct riad_waitq *first_q;
	bool (*ready)(void *ready_arg);
	void *ready_arg;
};

/* A riad_waitq is laid out as a fiber_list; the public struct only hides
 * that its members are fibers linked through next/prev. */
_Static_assert(sizeof(struct riad_waitq) == sizeof(struct fiber_list), "waitq layout");

static struct {
	void *sp;                   /* scheduler context */
	struct riad_fiber *current;
	struct fiber_list ready;
	struct riad_fiber **heap;   /* timer min-heap keyed by deadline */
	size_t heap_len, heap_cap;
	bool running;
	unsigned busy_rounds;       /* rounds since the last poll that left fibers ready */
	struct riad_sched_stats stats;
	struct {                    /* RIAD_FIBER_STACK_CACHE */
		void *stack;
		size_t asked, usable;
	} cache[RIAD_FIBER_STACK_CACHE + 1];
	size_t ncache;
} S;

static void list_push(struct fiber_list *l, struct riad_fiber *f)
{
	f->next = NULL;
	f->prev = l->tail;
	if (l->tail)
		l->tail->next = f;
	else
		l->head = f;
	l->tail = f;
	f->list = l;
}

static void list_remove(struct riad_fiber *f)
{
	struct fiber_list *l = f->list;
	if (f->prev)
		f->prev->next = f->next;
	else
		l->head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		l->tail = f->prev;
	f->next = f->prev = NULL;
	f->list = NULL;
}

static struct riad_fiber *list_pop(struct fiber_list *l)
{
	struct riad_fiber *f = l->head;
	if (f)
		list_remove(f);
	return f;
}

/* Timer heap. */

static void heap_set(size_t i, struct riad_fiber *f)
{
	S.heap[i] = f;
	f->heap_idx = i;
}

static void heap_up(size_t i)
{
	struct riad_fiber *f = S.heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (S.heap[parent]->deadline <= f->deadline)
			break;
		heap_set(i, S.heap[parent]);
		i = parent;
	}
	heap_set(i, f);
}

static void heap_down(size_t i)
{
	struct riad_fiber *f = S.heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= S.heap_len)
			break;
		if (c + 1 < S.heap_len && S.heap[c + 1]->deadline < S.heap[c]->deadline)
			c++;
		if (f->deadline <= S.heap[c]->deadline)
			break;
		heap_set(i, S.heap[c]);
		i = c;
	}
	heap_set(i, f);
}

static void heap_insert(struct riad_fiber *f)
{
	if (S.heap_len == S.heap_cap) {
		size_t cap = S.heap_cap ? 2 * S.heap_cap : 64;
		struct riad_fiber **h = realloc(S.heap, cap * sizeof(*h));
		if (!h)
			riad_panic("out of memory for the timer heap (%zu timers)", S.heap_len);
		S.heap = h;
		S.heap_cap = cap;
	}
	S.heap[S.heap_len] = f;
	f->heap_idx = S.heap_len++;
	heap_up(f->heap_idx);
}

static void heap_remove(struct riad_fiber *f)
{
	size_t i = f->heap_idx;
	f->heap_idx = NO_HEAP;
	S.heap_len--;
	if (i == S.heap_len)
		return;
	heap_set(i, S.heap[S.heap_len]);
	heap_up(i);
	heap_down(S.heap[i]->heap_idx);
}

/* Fibers. */

static void make_ready(struct riad_fiber *f, int wake_result)
{
	if (f->list)
		list_remove(f);
	if (f->heap_idx != NO_HEAP)
		heap_remove(f);
	f->wake_result = wake_result;
	f->state = READY;
	list_push(&S.ready, f);
}

/* Bytes of fiber stacks allocated (usable sizes, guard pages not
 * counted), for the memory gauges. */
static uint64_t stack_bytes;

static uint64_t fibers_live(void)
{
	return S.stats.live;
}
static uint64_t fiber_switches(void)
{
	return S.stats.switches;
}
static uint64_t sched_waits(void)
{
	return S.stats.waits;
}
static uint64_t fiber_stack_bytes(void)
{
	return stack_bytes;
}
RIAD_METRIC_GAUGE_FN(fibers_live, "riad_fibers", "Fibers created and not yet freed.");
static uint64_t fibers_stackless(void)
{
	return S.stats.stackless;
}
RIAD_METRIC_GAUGE_FN(fibers_stackless, "riad_fibers_stackless", "Fibers waiting without a stack (riad_fiber_spawn_waiting: idle connections).");
RIAD_METRIC_COUNTER_FN(fiber_switches, "riad_sched_switches_total", "Fiber context switches.");
RIAD_METRIC_COUNTER_FN(sched_waits, "riad_sched_waits_total", "Blocking calls into the target (epoll_wait, solo5_yield).");
RIAD_METRIC_HISTORY_FN(fiber_stack_bytes, "riad_fiber_stack_bytes", "Bytes of fiber stacks allocated, those kept for reuse included (guard pages not counted).");

/* Stacks, through the cache of RIAD_FIBER_STACK_CACHE finished ones;
 * asked is the size a spawn asked for (after rounding to the minimum). */
static size_t stack_asked(size_t stack_size)
{
	if (stack_size == 0)
		stack_size = RIAD_FIBER_STACK_DEFAULT;
	return stack_size < RIAD_FIBER_STACK_MIN ? RIAD_FIBER_STACK_MIN : stack_size;
}

static void fiber_entry(void);

/* Gives f a stack of the size it asked for and its entry context; false
 * when memory runs out. */
static bool stack_give(struct riad_fiber *f)
{
	size_t asked = f->stack_asked;
	for (size_t i = S.ncache; i-- > 0;) {
		if (S.cache[i].asked != asked)
			continue;
		f->stack = S.cache[i].stack;
		f->stack_size = S.cache[i].usable;
		S.cache[i] = S.cache[--S.ncache];
		S.stats.stacks_cached = S.ncache;
		break;
	}
	if (!f->stack) {
		f->stack = riad_platform_stack_alloc(asked, &f->stack_size);
		if (!f->stack)
			return false;
		stack_bytes += f->stack_size;
	}
	f->sp = riad_ctx_init(f->stack, f->stack_size, fiber_entry);
	return true;
}

static void fiber_free(struct riad_fiber *f)
{
	if (f->stack) {
		riad_platform_stack_check(f->stack);
		if (S.ncache + 1 <= RIAD_FIBER_STACK_CACHE) {
			S.cache[S.ncache].stack = f->stack;
			S.cache[S.ncache].asked = f->stack_asked;
			S.cache[S.ncache].usable = f->stack_size;
			S.stats.stacks_cached = ++S.ncache;
		} else {
			stack_bytes -= f->stack_size;
			riad_platform_stack_free(f->stack, f->stack_size);
		}
	}
	free(f);
	S.stats.live--;
}

static struct riad_fiber *need_fiber(const char *what)
{
	if (!S.current)
		riad_panic("%s called outside a fiber", what);
	return S.current;
}

/* Back to the scheduler context; returns when this fiber is switched to
 * again. */
static void park(void)
{
	struct riad_fiber *f = S.current;
	riad_ctx_switch(&f->sp, S.sp);
}

/* Park the current fiber on q (may be NULL) until woken or deadline. */
static int park_on(struct fiber_list *q, int64_t deadline)
{
	struct riad_fiber *f = S.current;
	f->state = PARKED;
	if (q)
		list_push(q, f);
	if (deadline != RIAD_TIME_NEVER) {
		f->deadline = deadline;
		heap_insert(f);
	}
	park();
	return f->wake_result;
}

static void fiber_entry(void)
{
	struct riad_fiber *f = S.current;
	f->result = f->fn(f->arg);
	f->state = DONE;
	riad_waitq_wake_all(&f->joiners);
	park();
	riad_panic("finished fiber %s was resumed", riad_fiber_name(f));
}

static struct riad_fiber *fiber_new(riad_fiber_fn *fn, void *arg, size_t stack_size)
{
	if (S.stats.live >= RIAD_FIBERS_MAX)
		return NULL;
	struct riad_fiber *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fn = fn;
	f->arg = arg;
	f->stack_asked = stack_asked(stack_size);
	f->heap_idx = NO_HEAP;
	S.stats.live++;
	return f;
}

struct riad_fiber *riad_fiber_spawn(riad_fiber_fn *fn, void *arg, size_t stack_size)
{
	struct riad_fiber *f = fiber_new(fn, arg, stack_size);
	if (!f)
		return NULL;
	if (!stack_give(f)) {
		fiber_free(f);
		return NULL;
	}
	f->state = READY;
	list_push(&S.ready, f);
	return f;
}

/* The first wait goes on the queue as park_on() would put a running
 * fiber; run() gives the stack when it ends. */
static void first_wait(struct riad_fiber *f)
{
	f->state = PARKED;
	if (f->first_q)
		list_push((struct fiber_list *)f->first_q, f);
	if (f->deadline != RIAD_TIME_NEVER)
		heap_insert(f);
}

struct riad_fiber *riad_fiber_spawn_waiting(const struct riad_fiber_wait *w, riad_fiber_fn *fn,
                                            void *arg, size_t stack_size)
{
	struct riad_fiber *f = fiber_new(fn, arg, stack_size);
	if (!f)
		return NULL;
	f->first_q = w->q;
	f->deadline = w->deadline;
	f->ready = w->ready;
	f->ready_arg = w->ready_arg;
	first_wait(f);
	S.stats.stackless++;
	return f;
}

int riad_fiber_join(struct riad_fiber *f)
{
	struct riad_fiber *self = need_fiber("riad_fiber_join");
	if (f == self)
		riad_panic("fiber %s joins itself", riad_fiber_name(f));
	if (f->joined || f->detached)
		riad_panic("fiber %s joined twice or joined after detach", riad_fiber_name(f));
	f->joined = true;
	while (f->state != DONE)
		park_on((struct fiber_list *)&f->joiners, RIAD_TIME_NEVER);
	int result = f->result;
	fiber_free(f);
	return result;
}

void riad_fiber_detach(struct riad_fiber *f)
{
	if (f->joined || f->detached)
		riad_panic("fiber %s detached twice or after join", riad_fiber_name(f));
	f->detached = true;
	if (f->state == DONE && f != S.current)
		fiber_free(f);
}

int riad_fiber_spawn_detached(riad_fiber_fn *fn, void *arg, size_t stack_size, const char *name)
{
	struct riad_fiber *f = riad_fiber_spawn(fn, arg, stack_size);
	if (!f)
		return -RIAD_ENOMEM;
	if (name)
		riad_fiber_set_name(f, name);
	riad_fiber_detach(f);
	return 0;
}

int riad_fiber_interrupt(struct riad_fiber *f)
{
	if (f->state != PARKED)
		return 0;
	make_ready(f, -RIAD_EINTR);
	return 1;
}

void riad_fiber_yield(void)
{
	struct riad_fiber *f = need_fiber("riad_fiber_yield");
	f->state = READY;
	f->wake_result = 0;
	list_push(&S.ready, f);
	park();
}

struct riad_fiber *riad_fiber_self(void)
{
	return S.current;
}

void riad_fiber_set_name(struct riad_fiber *f, const char *name)
{
	f->name = name;
}

const char *riad_fiber_name(const struct riad_fiber *f)
{
	return f && f->name ? f->name : "(unnamed)";
}

/* Wait queues. */

int riad_waitq_wait(struct riad_waitq *q, int64_t deadline)
{
	need_fiber("riad_waitq_wait");
	if (deadline != RIAD_TIME_NEVER && deadline <= riad_time_ns())
		return -RIAD_ETIMEDOUT;
	return park_on((struct fiber_list *)q, deadline);
}

int riad_waitq_wake_one(struct riad_waitq *q)
{
	struct riad_fiber *f = list_pop((struct fiber_list *)q);
	if (!f)
		return 0;
	make_ready(f, 0);
	return 1;
}

int riad_waitq_wake_all(struct riad_waitq *q)
{
	int n = 0;
	while (riad_waitq_wake_one(q))
		n++;
	return n;
}

/* Sleeping (riad_sleep_until in sleep.c): parked on no queue, woken by the
 * deadline only. */

void riad_sched_sleep_until(int64_t deadline)
{
	need_fiber("riad_sleep_until");
	if (deadline <= riad_time_ns()) {
		riad_fiber_yield();
		return;
	}
	park_on(NULL, deadline);
}

/* The loop. */

/* A stackless fiber whose wait ended: true when it may start now. A wake
 * that its ready() turns down puts it back to wait; so does a failed
 * stack allocation, for RIAD_FIBER_STACK_RETRY_NS. */
static bool first_start(struct riad_fiber *f)
{
	if (f->wake_result == 0 && f->ready && !f->ready(f->ready_arg)) {
		first_wait(f);
		return false;
	}
	if (!stack_give(f)) {
		S.stats.stack_retries++;
		f->first_q = NULL;
		f->ready = NULL;
		f->deadline = riad_time_ns() + RIAD_FIBER_STACK_RETRY_NS;
		first_wait(f);
		return false;
	}
	S.stats.stackless--;
	return true;
}

static void run(struct riad_fiber *f)
{
	list_remove(f);
	if (!f->stack && !first_start(f))
		return;
	f->state = RUNNING;
	S.current = f;
	S.stats.switches++;
	riad_ctx_switch(&S.sp, f->sp);
	S.current = NULL;
	if (f->state == DONE && f->detached)
		fiber_free(f);
}

static void expire_timers(int64_t now)
{
	while (S.heap_len > 0 && S.heap[0]->deadline <= now)
		make_ready(S.heap[0], -RIAD_ETIMEDOUT);
}

int riad_sched_run(riad_fiber_fn *fn, void *arg)
{
	if (S.running)
		riad_panic("riad_sched_run called while the scheduler runs");
	struct riad_fiber *main_fiber = riad_fiber_spawn(fn, arg, RIAD_MAIN_STACK_SIZE);
	if (!main_fiber)
		riad_panic("cannot allocate the main fiber");
	riad_fiber_set_name(main_fiber, "main");
	main_fiber->joined = true; /* this loop collects it */
	S.running = true;
	while (main_fiber->state != DONE) {
		/* One round: every fiber ready now runs once; fibers made ready
		 * during the round (yield included) wait for the next one, so a
		 * yielding loop cannot starve timers and devices. */
		struct riad_fiber *last = S.ready.tail;
		while (last && main_fiber->state != DONE) {
			struct riad_fiber *f = S.ready.head;
			run(f);
			if (f == last)
				break;
		}
		if (main_fiber->state == DONE)
			break;
		int64_t now = riad_time_ns();
		expire_timers(now);
		/* Fibers made ready by the round (a wake-up, a yield) run in
		 * the next one without asking the platform first: on spt that
		 * poll costs a timer reprogramming and two system calls, more
		 * than a burst of frames. Devices are still polled after every
		 * RIAD_SCHED_POLL_ROUNDS busy rounds, so a fiber that keeps
		 * yielding cannot keep them waiting. */
		if (S.ready.head && ++S.busy_rounds < RIAD_SCHED_POLL_ROUNDS)
			continue;
		S.busy_rounds = 0;
		int64_t deadline = S.ready.head ? 0
		                   : S.heap_len ? S.heap[0]->deadline
		                                : RIAD_TIME_NEVER;
		if (deadline > now)
			S.stats.waits++;
		if (riad_platform_wait(deadline) < 0 && !S.ready.head)
			riad_panic("deadlock: every fiber is parked, with no timer and no device to wake one");
		now = riad_time_ns();
		if (deadline > 0) {
			/* When the host woke us is hard to predict from inside:
			 * feed it to the generator's pools, as MirageOS does for
			 * every event-loop iteration. */
			uint32_t stamp = (uint32_t)now;
			riad_random_add_entropy(RIAD_RANDOM_SOURCE_SCHED, &stamp, sizeof(stamp));
		}
		expire_timers(now);
	}
	S.running = false;
	int result = main_fiber->result;
	fiber_free(main_fiber);
	return result;
}

void riad_sched_stats(struct riad_sched_stats *out)
{
	*out = S.stats;
}
