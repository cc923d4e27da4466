/* runtime/unix/start.c: the unix target's entry point and exit.
 *
 * The application defines an ordinary main(). The link line
 * (pkg-config riad-unix) passes -Wl,--wrap=main, so the C library's start
 * code calls __wrap_main here, which runs start-up and then the
 * application's main (reached as __real_main) in the first fiber.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../platform.h"
#include "../runtime.h"

/* Link the heap gauges (riad/metrics.h). */
static const char *const keep_heap_metrics __attribute__((used)) = &riad_platform_heap_metrics;

int __real_main(int argc, char **argv);
int __wrap_main(int argc, char **argv);

int __wrap_main(int argc, char **argv)
{
	riad_platform_exit(riad_start(argc, argv));
}

int riad_platform_app_main(int argc, char **argv)
{
	return __real_main(argc, argv);
}

void riad_platform_exit(int status)
{
	exit(status);
}

void riad_platform_abort(void)
{
	fflush(stdout);
	_exit(255);
}
