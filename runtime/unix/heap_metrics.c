/* runtime/unix/heap_metrics.c: the heap gauges of riad/metrics.h on unix, from glibc's mallinfo2 (the main arena and mmapped blocks). glibc keeps no peak, so the peak is the largest value these gauges have read. */
#include <malloc.h>

#include <riad/metrics.h>

static uint64_t peak;

static uint64_t heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();
	uint64_t used = mi.uordblks + mi.hblkhd;
	if (used > peak)
		peak = used;
	return used;
}
static uint64_t heap_peak(void)
{
	(void)heap_used();
	return peak;
}
static uint64_t heap_free(void)
{
	return mallinfo2().fordblks;
}
static uint64_t heap_fragments(void)
{
	return mallinfo2().ordblks;
}
RIAD_METRIC_HISTORY_FN(heap_used, "riad_heap_used_bytes", "Heap bytes allocated (glibc mallinfo2 uordblks + hblkhd).");
RIAD_METRIC_HISTORY_FN(heap_peak, "riad_heap_peak_bytes", "Largest riad_heap_used_bytes seen by a read of it (glibc keeps no peak).");
RIAD_METRIC_HISTORY_FN(heap_free, "riad_heap_free_bytes", "Heap bytes free in the arena (mallinfo2 fordblks).");
RIAD_METRIC_HISTORY_FN(heap_fragments, "riad_heap_free_blocks", "Free heap blocks (mallinfo2 ordblks).");

/* Referenced from start.c, so that every unikernel links this file (its
 * registrations alone would not pull it out of the archive). */
const char riad_platform_heap_metrics = 1;
