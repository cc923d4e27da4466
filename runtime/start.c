/* runtime/start.c: start-up, in the order DESIGN.md section 5 gives. */
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/opt.h>
#include <riad/time.h>

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
	int status = riad_platform_app_main(app->argc, app->argv);
	/* 6. Log lines a reporter still holds (the syslog client's queue)
	 * get a bounded time to leave before the unikernel ends. */
	riad_log_flush(riad_time_ns() + RIAD_LOG_FLUSH_MS * RIAD_NS_PER_MS);
	return status;
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
