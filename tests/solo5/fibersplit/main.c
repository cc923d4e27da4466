/* tests/solo5/fibersplit: fiber stacks in a part of the heap that hvt first mapped with a 2 MiB page, which the stack's guard page splits into 4 KiB pages (spt: the same heap, no split): the heap around it stays intact and usable, a fiber runs there normally, and one that overruns its stack is caught as in fiberguard (hvt: a fault on the guard page; spt: when the fiber is freed). Either way the unikernel ends with 255. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/console.h>
#include <riad/fiber.h>

#define BIG (6u << 20)
#define STACK (16 * 1024)

static unsigned char *big;

static int check_big(void)
{
	for (size_t i = 0; i < BIG; i += 512)
		if (big[i] != (unsigned char)(i >> 9))
			return 0;
	return 1;
}

static int worker(void *arg)
{
	(void)arg;
	volatile char frame[STACK / 2];
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (char)i;
	return check_big() ? 42 + frame[1] : 0;
}

static int __attribute__((noinline)) overrun(void *arg)
{
	(void)arg;
	volatile char frame[STACK + 1024];
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (char)i;
	return frame[10];
}

int main(void)
{
	/* Several 2 MiB regions of heap, touched (on hvt, mapped whole),
	 * before the fiber stacks that come after them. */
	big = malloc(BIG);
	if (!big)
		return 2;
	for (size_t i = 0; i < BIG; i += 512)
		big[i] = (unsigned char)(i >> 9);
	struct riad_fiber *f = riad_fiber_spawn(worker, NULL, STACK);
	if (!f)
		return 2;
	int r = riad_fiber_join(f);
	if (r != 43 || !check_big()) {
		riad_console_printf("FAILURE: the fiber or the heap around its stack broke (%d)\n", r);
		return 1;
	}
	riad_console_printf("a fiber ran beside %u MiB of heap; overrunning a %d-byte fiber stack\n",
			    BIG >> 20, STACK);
	f = riad_fiber_spawn(overrun, NULL, STACK);
	if (!f)
		return 2;
	riad_fiber_join(f);
	riad_console_printf("FAILURE: the overrun went unnoticed\n");
	return 1;
}
