/* tests/unit/fake_platform.c: a target for unit tests, linked in place of
 * runtime/unix: a clock that tests control, a console that records, entropy
 * from a counter. It is the link-time device model used for testing. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <riad/clock.h>
#include <riad/console.h>
#include <riad/time.h>

#include "platform.h"
#include "check.h"

static int64_t now = FAKE_TIME_START;
static int64_t wall_offset;
static char console[1 << 16];
static size_t console_len;
static int (*wait_hook)(int64_t);
static uint8_t entropy_next;
static jmp_buf *abort_jmp;

void fake_time_set(int64_t ns) { now = ns; }
void fake_time_advance(int64_t ns) { now += ns; }
void fake_wall_set(int64_t ns) { wall_offset = ns; }
void fake_wait_hook(int (*hook)(int64_t)) { wait_hook = hook; }
void fake_entropy_seed(uint8_t seed) { entropy_next = seed; }

int64_t riad_time_ns(void) { return now; }
int64_t riad_clock_wall_ns(void) { return FAKE_TIME_START + wall_offset; }

void riad_console_write(const char *buf, size_t len)
{
	if (len > sizeof(console) - 1 - console_len)
		len = sizeof(console) - 1 - console_len;
	memcpy(console + console_len, buf, len);
	console_len += len;
	console[console_len] = 0;
}

const char *fake_console_take(void)
{
	static char taken[sizeof(console)];
	memcpy(taken, console, console_len + 1);
	console_len = 0;
	console[0] = 0;
	return taken;
}

int riad_platform_wait(int64_t deadline)
{
	int events = wait_hook ? wait_hook(deadline) : 0;
	if (events > 0)
		return events;
	if (deadline == RIAD_TIME_NEVER)
		return -1;
	if (deadline > now)
		now = deadline;
	return 0;
}

void riad_platform_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++)
		p[i] = entropy_next++;
}

void *riad_platform_stack_alloc(size_t size, size_t *usable)
{
	*usable = size;
	return malloc(size);
}

void riad_platform_stack_free(void *stack, size_t usable)
{
	(void)usable;
	free(stack);
}

int riad_platform_app_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0; /* unit tests never run start-up's main() */
}

void riad_platform_exit(int status)
{
	exit(status);
}

bool expect_abort(void (*fn)(void))
{
	jmp_buf env, *saved = abort_jmp;
	abort_jmp = &env;
	bool aborted = false;
	if (setjmp(env) == 0)
		fn();
	else
		aborted = true;
	abort_jmp = saved;
	return aborted;
}

void riad_platform_abort(void)
{
	if (abort_jmp)
		longjmp(*abort_jmp, 1);
	abort();
}

void riad_platform_stack_check(void *stack)
{
	(void)stack;
}
