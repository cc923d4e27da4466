/* tcp/tcp_reass.c: the receiver's out-of-order ranges: data held in the receive buffer beyond RCV.NXT, and the SACK blocks that describe it (RFC 2018 4) with a D-SACK block first (RFC 2883). */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

/* c->ooo[0..nooo): sorted, disjoint, not touching, all after rcv_nxt and
 * inside the receive buffer (the bytes themselves are already in rb). The
 * table exists only while it holds a range: most connections never see a
 * segment out of order, and an idle one should not pay for the table. */

void tcp_reass_clear(struct tcp_conn *c)
{
	free(c->ooo);
	c->ooo = NULL;
	c->nooo = 0;
}

int tcp_reass_insert(struct tcp_conn *c, uint32_t s, uint32_t e)
{
	if (!c->ooo) {
		c->ooo = malloc(RIAD_TCP_OOO_MAX * sizeof(*c->ooo));
		if (!c->ooo)
			return -RIAD_ENOMEM;
	}
	int i = tcp_range_merge(c->ooo, &c->nooo, RIAD_TCP_OOO_MAX, s, e, false);
	if (i < 0)
		return 0;
	c->ooo_last = c->ooo[i];
	return 1;
}

uint32_t tcp_reass_pull(struct tcp_conn *c)
{
	uint32_t added = 0;
	while (c->nooo && seq_leq(c->ooo[0].start, c->rcv_nxt)) {
		if (seq_gt(c->ooo[0].end, c->rcv_nxt)) {
			added += c->ooo[0].end - c->rcv_nxt;
			c->rcv_nxt = c->ooo[0].end;
		}
		memmove(c->ooo, c->ooo + 1, (c->nooo - 1) * sizeof(c->ooo[0]));
		c->nooo--;
	}
	if (c->ooo && c->nooo == 0)
		tcp_reass_clear(c);
	return added;
}

uint32_t tcp_reass_overlap(const struct tcp_conn *c, uint32_t s, uint32_t e, struct tcp_range *first)
{
	uint32_t n = 0;
	for (unsigned k = 0; k < c->nooo; k++) {
		uint32_t a = seq_max(s, c->ooo[k].start), b = seq_min(e, c->ooo[k].end);
		if (!seq_lt(a, b))
			continue;
		if (n == 0)
			*first = (struct tcp_range){ a, b };
		n += b - a;
	}
	return n;
}

static bool tcp_reass_within(const struct tcp_range *in, const struct tcp_range *r)
{
	return seq_leq(r->start, in->start) && seq_leq(in->end, r->end);
}

uint8_t tcp_reass_blocks(const struct tcp_conn *c, struct tcp_range *blocks, uint8_t max)
{
	uint8_t n = 0;
	int first = -1, outer = -1;
	if (max == 0)
		return 0;
	/* RFC 2883 4: the D-SACK block first, then the held range it lies in
	 * (if any: a duplicate below RCV.NXT lies in none). */
	if (seq_lt(c->dsack.start, c->dsack.end)) {
		blocks[n++] = c->dsack;
		for (unsigned k = 0; k < c->nooo; k++)
			if (tcp_reass_within(&c->dsack, &c->ooo[k]))
				outer = (int)k;
		if (outer >= 0 && n < max)
			blocks[n++] = c->ooo[outer];
	}
	/* RFC 2018 4: then the block holding the most recently received segment. */
	for (unsigned k = 0; k < c->nooo; k++)
		if (seq_leq(c->ooo[k].start, c->ooo_last.start) && seq_lt(c->ooo_last.start, c->ooo[k].end))
			first = (int)k;
	if (first >= 0 && first != outer && n < max)
		blocks[n++] = c->ooo[first];
	for (unsigned k = 0; k < c->nooo && n < max; k++)
		if ((int)k != first && (int)k != outer)
			blocks[n++] = c->ooo[k];
	return n;
}
