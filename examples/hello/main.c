/* examples/hello: MirageOS's tutorial unikernel: logs hello four times, one
 * second apart, then exits 0. */
#include <riad/args.h>
#include <riad/log.h>
#include <riad/time.h>

RIAD_ARG_STRING(hello, "hello", "hello", "What to log.");
RIAD_ARG_INT(interval_ms, "interval-ms", 1000, "Milliseconds to sleep after each message.");

int main(void)
{
	for (int i = 0; i < 4; i++) {
		riad_info(NULL, "%s", hello);
		riad_sleep_ns(interval_ms * RIAD_NS_PER_MS);
	}
	return 0;
}
