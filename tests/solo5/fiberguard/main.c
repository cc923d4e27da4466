/* tests/solo5/fiberguard: a fiber that overruns its stack is caught: hvt faults on the guard page below the stack; spt finds the guard's pattern overwritten when the fiber is freed (riad_panic). Either way the unikernel ends with 255. */
#include <riad/console.h>
#include <riad/fiber.h>

#define STACK (16 * 1024)

static int __attribute__((noinline)) overrun(void *arg)
{
	(void)arg;
	volatile char big[STACK + 1024];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)i;
	return big[10];
}

int main(void)
{
	riad_console_printf("overrunning a %d-byte fiber stack\n", STACK);
	struct riad_fiber *f = riad_fiber_spawn(overrun, NULL, STACK);
	if (!f)
		return 2;
	riad_fiber_join(f);
	riad_console_printf("FAILURE: the overrun went unnoticed\n");
	return 1;
}
