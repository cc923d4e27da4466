/* tests/solo5/gdb: the guest tests/tender/gdb.t debugs through riad-hvt --gdb: a function to break in (gdb_sum), a global to read (gdb_counter), and by its command line a fault to stop at ("fault"), a loop without exits to interrupt ("spin") or a minute's sleep in the tender's POLL ("sleep"). Without a debugger it prints "sum 55" and exits 7. */
#include "../common.h"

volatile uint64_t gdb_counter;

__attribute__((noinline)) uint64_t gdb_sum(uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 1; i <= n; i++) {
		s += i;
		gdb_counter = s;
	}
	return s;
}

/* riad run quotes each word it passes ('fault'); riad-hvt does not. */
static int is(const char *cmdline, const char *word, const char *quoted)
{
	return t_streq(cmdline, word) || t_streq(cmdline, quoted);
}

int solo5_app_main(const struct solo5_start_info *si)
{
	uint64_t s;

	if (is(si->cmdline, "fault", "'fault'"))
		*(volatile int *)(uintptr_t)(1ull << 34) = 1;
	if (is(si->cmdline, "spin", "'spin'"))
		for (;;)
			gdb_counter++;
	if (is(si->cmdline, "sleep", "'sleep'")) {
		/* One minute in the tender's POLL, unless something stops it. */
		solo5_time_t end = solo5_clock_monotonic() + 60 * 1000000000ull;

		while (solo5_clock_monotonic() < end)
			solo5_yield(end, NULL);
		gdb_counter = 1;
	}
	s = gdb_sum(10);
	t_puts("sum ");
	t_putdec(s);
	t_puts("\n");
	return s == 55 ? 7 : SOLO5_EXIT_FAILURE;
}
