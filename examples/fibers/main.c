/* examples/fibers: several fibers: workers that sleep for different times, a
 * producer and a consumer handing items over through a wait queue, joins. */
#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/time.h>

RIAD_ARG_INT(workers, "workers", 3, "How many sleeping workers to start.");
RIAD_ARG_INT(items, "items", 5, "How many items the producer hands over.");

static int worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	riad_sleep_ns((workers - id) * 50 * RIAD_NS_PER_MS);
	riad_info(NULL, "worker %d done", id);
	return id * id;
}

/* A one-slot mailbox: the producer waits while it is full, the consumer
 * while it is empty. */
static struct {
	int value;
	int full;
	struct riad_waitq changed;
} box;

static int producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= items; i++) {
		while (box.full)
			riad_waitq_wait(&box.changed, RIAD_TIME_NEVER);
		box.value = i;
		box.full = 1;
		riad_waitq_wake_all(&box.changed);
	}
	return 0;
}

static int consumer(void *arg)
{
	(void)arg;
	int sum = 0;
	for (int i = 1; i <= items; i++) {
		while (!box.full)
			riad_waitq_wait(&box.changed, RIAD_TIME_NEVER);
		sum += box.value;
		box.full = 0;
		riad_waitq_wake_all(&box.changed);
	}
	riad_info(NULL, "consumer received %d items, sum %d", (int)items, sum);
	return sum;
}

int main(void)
{
	struct riad_fiber *w[64];
	int n = workers > 64 ? 64 : workers < 0 ? 0 : (int)workers;
	for (int i = 0; i < n; i++)
		w[i] = riad_fiber_spawn(worker, (void *)(intptr_t)i, 0);
	struct riad_fiber *p = riad_fiber_spawn(producer, NULL, 0);
	struct riad_fiber *c = riad_fiber_spawn(consumer, NULL, 0);
	riad_fiber_join(p);
	int sum = riad_fiber_join(c);
	int squares = 0;
	for (int i = 0; i < n; i++)
		squares += riad_fiber_join(w[i]);
	riad_info(NULL, "all fibers joined: sum %d, squares %d", sum, squares);
	return sum == items * (items + 1) / 2 ? 0 : 1;
}
