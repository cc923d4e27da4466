/* runtime/start.c: start-up, in the order DESIGN.md section 5 gives. */
#include <riad/fiber.h>

#include "args.h"
#include "platform.h"
#include "runtime.h"
#include "sched_run.h"

struct app {
	int argc;
	char **argv;
};

static int app_fiber(void *arg)
{
	struct app *app = arg;
	return riad_platform_app_main(app->argc, app->argv);
}

int riad_start(int argc, char **argv)
{
	struct app app;
	/* 1-2. Arguments (the application's declared options, the runtime's
	 * own, --help), which also set the log levels; the console reporter
	 * needs no installing: riad_log writes to the console. */
	int status = riad_args_boot(argc, argv, &app.argc, &app.argv);
	if (status != 0)
		return status;
	/* 3. Seed the generator before anything can ask it for bytes. */
	riad_random_boot();
	/* 4. Devices are acquired by the code that declares them, when it
	 * first opens them; there are none in the core runtime. */
	/* 5. main() in the first fiber; its result is the exit status. */
	return riad_sched_run(app_fiber, &app);
}
