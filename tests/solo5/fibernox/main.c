/* tests/solo5/fibernox: a fiber's stack (heap memory) is not executable. */
#include <stdint.h>

#include <riad/console.h>
#include <riad/fiber.h>

static int run_stack(void *arg)
{
	(void)arg;
	volatile uint8_t code[64];
	code[0] = 0xc3;
	riad_console_printf("calling a fiber stack at %p\n", (void *)code);
	((void (*)(void))(uintptr_t)code)();
	return 1;
}

int main(void)
{
	struct riad_fiber *f = riad_fiber_spawn(run_stack, NULL, 0);
	if (!f)
		return 2;
	riad_fiber_join(f);
	riad_console_printf("FAILURE: a fiber stack is executable\n");
	return 1;
}
