/* tcp/tcp_range.c: merging a sequence range into a sorted table of ranges, shared by the receiver's out-of-order list and the sender's SACK scoreboard. */
#include <string.h>

#include "tcp_int.h"

int tcp_range_merge(struct tcp_range *r, uint8_t *n_io, unsigned max, uint32_t s, uint32_t e,
                    bool evict_highest)
{
	unsigned n = *n_io, i = 0;
	while (i < n && seq_lt(r[i].end, s))
		i++;
	unsigned j = i;
	while (j < n && seq_leq(r[j].start, e)) {
		s = seq_min(s, r[j].start);
		e = seq_max(e, r[j].end);
		j++;
	}
	if (i == j && n == max) {
		if (!evict_highest || i == n)
			return -1;
		n--;
	}
	/* Replace r[i..j) by the one range [s, e). */
	memmove(&r[i + 1], &r[j], (n - j) * sizeof(*r));
	r[i] = (struct tcp_range){ s, e };
	*n_io = (uint8_t)(n - (j - i) + 1);
	return (int)i;
}
