/* tests/solo5/time: the monotonic clock advances, solo5_yield with a past deadline returns, five 1 s yields each take 1 s +-200 ms, the wall clock is after 2017 (Solo5's test_time). */
#include "../common.h"

#define NS_PER_S 1000000000ull

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	solo5_time_t t0 = solo5_clock_monotonic(), t1;
	do
		t1 = solo5_clock_monotonic();
	while (t1 == t0);
	if (t1 < t0)
		return T_FAILURE("the monotonic clock went backwards");
	solo5_yield(0, NULL);
	solo5_handle_set_t ready = ~0ull;
	solo5_yield(t1, &ready);
	if (ready != 0)
		return T_FAILURE("yield reported ready devices that do not exist");
	for (int i = 0; i < 5; i++) {
		solo5_time_t start = solo5_clock_monotonic();
		solo5_yield(start + NS_PER_S, NULL);
		solo5_time_t took = solo5_clock_monotonic() - start;
		t_puts("slept ");
		t_putdec(took / 1000000);
		t_puts(" ms\n");
		if (took < NS_PER_S * 8 / 10 || took > NS_PER_S * 12 / 10)
			return T_FAILURE("a 1 s yield was off by more than 200 ms");
	}
	if (solo5_clock_wall() < 1483228800ull * NS_PER_S)
		return T_FAILURE("the wall clock is before 2017");
	return T_SUCCESS();
}
