/* examples/clock: the two clocks: wall-clock time for people, the monotonic
 * clock for measuring; shows how long each sleep really took. */
#include <riad/args.h>
#include <riad/clock.h>
#include <riad/log.h>
#include <riad/time.h>

RIAD_ARG_INT(ticks, "ticks", 3, "How many times to sleep.");
RIAD_ARG_INT(sleep_ms, "sleep-ms", 250, "How long each sleep is.");

int main(void)
{
	struct riad_tm tm;
	riad_clock_to_tm(riad_clock_wall_ns(), &tm);
	riad_info(NULL, "wall clock: %04d-%02d-%02d %02d:%02d:%02d UTC", tm.year, tm.month,
	          tm.day, tm.hour, tm.min, tm.sec);
	for (int64_t i = 0; i < ticks; i++) {
		int64_t before = riad_time_ns();
		riad_sleep_ns(sleep_ms * RIAD_NS_PER_MS);
		int64_t took = riad_time_ns() - before;
		riad_info(NULL, "tick %lld: asked for %lld ms, slept %lld.%03lld ms", (long long)i,
		          (long long)sleep_ms, (long long)(took / RIAD_NS_PER_MS),
		          (long long)(took % RIAD_NS_PER_MS / 1000));
	}
	return 0;
}
