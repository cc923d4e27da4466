/* runtime/solo5/heap_metrics.c: the heap gauges of riad/metrics.h on the solo5 targets, from riad's libc allocator. */
#include <riad/metrics.h>
#include <riad_libc.h>

static uint64_t heap_used(void)
{
	return riad_libc_heap_used();
}
static uint64_t heap_peak(void)
{
	return riad_libc_heap_peak();
}
static uint64_t heap_free(void)
{
	return riad_libc_heap_free();
}
static uint64_t heap_fragments(void)
{
	return riad_libc_heap_free_chunks();
}
RIAD_METRIC_HISTORY_FN(heap_used, "riad_heap_used_bytes", "Heap bytes in allocated blocks, headers included.");
RIAD_METRIC_HISTORY_FN(heap_peak, "riad_heap_peak_bytes", "Largest riad_heap_used_bytes since start.");
RIAD_METRIC_HISTORY_FN(heap_free, "riad_heap_free_bytes", "Heap bytes free, in all free blocks together.");
RIAD_METRIC_HISTORY_FN(heap_fragments, "riad_heap_free_blocks", "Free heap blocks (fragments of the free space).");

/* Referenced from start.c, so that every unikernel links this file (its
 * registrations alone would not pull it out of the archive). */
const char riad_platform_heap_metrics = 1;
