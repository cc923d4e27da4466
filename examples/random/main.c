/* examples/random/main.c: prints 16 random bytes in hex and a dice roll. */
#include <riad/console.h>
#include <riad/random.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned char b[16];
	riad_random_bytes(b, sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		riad_console_printf("%02x", b[i]);
	riad_console_printf("\ndice: %u\n", (unsigned)riad_random_below(6) + 1);
	return 0;
}
