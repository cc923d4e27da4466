/* runtime/solo5/start.c: the solo5 targets' entry point: Solo5 calls solo5_app_main(), which starts the runtime, which runs the application's main().
 *
 * This file holds nothing else, so that a plain Solo5 application (one
 * that defines solo5_app_main itself, like the tests under tests/solo5)
 * can link the same libraries without pulling it in.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/console.h>
#include <riad/opt.h>

#include <riad_libc.h>
#include <solo5.h>

#include "../args.h"
#include "../platform.h"
#include "../runtime.h"

/* Link the heap gauges (riad/metrics.h). */
static const char *const keep_heap_metrics __attribute__((used)) = &riad_platform_heap_metrics;

#define EXIT_USAGE 64

int main(int argc, char **argv);

/* The program name for argv[0]: riad build generates it (NAME.TARGET);
 * a unikernel linked without it is "riad". */
extern const char riad_solo5_argv0[] __attribute__((weak));

int riad_platform_app_main(int argc, char **argv)
{
	return main(argc, argv);
}

int solo5_app_main(const struct solo5_start_info *si)
{
	riad_libc_heap_init((void *)si->heap_start, si->heap_size);

	/* The command line arrives as one string in memory the tender owns
	 * (read-only on hvt); split a copy into words, undoing riad run's
	 * quoting. */
	size_t len = strlen(si->cmdline);
	char *line = malloc(len + 1);
	char **argv = malloc((RIAD_ARGS_MAX + 2) * sizeof(*argv));
	if (!line || !argv)
		riad_panic("no memory for the command line (%zu bytes)", len);
	memcpy(line, si->cmdline, len + 1);
	argv[0] = (char *)(riad_solo5_argv0 ? riad_solo5_argv0 : "riad");
	int n = riad_args_split(line, argv + 1, RIAD_ARGS_MAX);
	if (n == RIAD_ARGS_SPLIT_UNTERMINATED) {
		riad_console_printf("%s: the command line ends inside a quote or after a lone "
		                    "backslash\n", argv[0]);
		return EXIT_USAGE;
	}
	if (n < 0) {
		riad_console_printf("%s: too many arguments (at most %d)\n", argv[0], RIAD_ARGS_MAX);
		return EXIT_USAGE;
	}
	return riad_start(n + 1, argv);
}
