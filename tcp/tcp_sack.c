/* tcp/tcp_sack.c: the sender's SACK scoreboard (RFC 2018, RFC 6675): which bytes above SND.UNA the peer holds, what is lost, and the pipe. */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

/* The scoreboard: c->sacked[0..nsacked), sorted, disjoint, not touching,
 * every range inside [snd_una, snd_max]. It is allocated with its first
 * range and freed with its last, so only connections in loss recovery
 * carry it; without memory for it a SACK block is ignored (the sender
 * then recovers as without SACK). */

void tcp_sack_clear(struct tcp_conn *c)
{
	free(c->sacked);
	c->sacked = NULL;
	c->nsacked = 0;
}

static void tcp_sack_add(struct tcp_conn *c, uint32_t s, uint32_t e)
{
	if (!c->sacked) {
		c->sacked = malloc(RIAD_TCP_SACK_MAX * sizeof(*c->sacked));
		if (!c->sacked)
			return;
	}
	/* Full and nothing merges: forget the highest range (or the new one
	 * if it is the highest). */
	(void)tcp_range_merge(c->sacked, &c->nsacked, RIAD_TCP_SACK_MAX, s, e, true);
}

void tcp_sack_update(struct tcp_conn *c, const struct tcp_seg *seg)
{
	if (!c->sack_ok || !(seg->opts & TCP_SEG_SACK))
		return;
	/* The cumulative ACK is this segment's when it moves SND.UNA (we are
	 * called before it does). */
	uint32_t una = seq_gt(seg->ack, c->snd_una) && seq_leq(seg->ack, c->snd_max) ? seg->ack : c->snd_una;
	for (unsigned k = 0; k < seg->nsack; k++) {
		uint32_t s = seg->sack[k].start, e = seg->sack[k].end;
		/* RFC 2018 / RFC 6675: blocks at or below the cumulative ACK, D-SACK
		 * blocks among them (RFC 2883: the sender may ignore those), or
		 * beyond what we sent are not information about holes. A D-SACK
		 * block above it names data the peer does hold: taken as any block. */
		if (!seq_lt(s, e) || !seq_gt(e, una) || seq_gt(e, c->snd_max))
			continue;
		if (seq_lt(s, una))
			s = una;
		tcp_stat(c->st, sack_blocks_rx);
		tcp_sack_add(c, s, e);
	}
}

void tcp_sack_trim(struct tcp_conn *c)
{
	unsigned k = 0;
	while (k < c->nsacked && seq_leq(c->sacked[k].end, c->snd_una))
		k++;
	if (k) {
		memmove(c->sacked, c->sacked + k, (c->nsacked - k) * sizeof(c->sacked[0]));
		c->nsacked = (uint8_t)(c->nsacked - k);
	}
	if (c->nsacked && seq_lt(c->sacked[0].start, c->snd_una))
		c->sacked[0].start = c->snd_una;
	if (c->sacked && c->nsacked == 0)
		tcp_sack_clear(c);
}

uint32_t tcp_sack_bytes(const struct tcp_conn *c, uint32_t from, uint32_t to)
{
	uint32_t n = 0;
	for (unsigned k = 0; k < c->nsacked; k++) {
		uint32_t s = seq_max(c->sacked[k].start, from), e = seq_min(c->sacked[k].end, to);
		if (seq_lt(s, e))
			n += e - s;
	}
	return n;
}

uint32_t tcp_sack_high(const struct tcp_conn *c)
{
	return c->nsacked ? c->sacked[c->nsacked - 1].end : c->snd_una;
}

/* RFC 6675 IsLost, simplified to ranges: an unSACKed byte is lost once more
 * than (DupThresh - 1) * SMSS bytes above it are SACKed. Everything below
 * the returned sequence number that is not SACKed is lost. */
static uint32_t tcp_sack_lost_below(const struct tcp_conn *c)
{
	uint32_t acc = 0;
	for (int k = c->nsacked - 1; k >= 0; k--) {
		acc += c->sacked[k].end - c->sacked[k].start;
		if (acc > 2u * c->mss)
			return c->sacked[k].start;
	}
	return c->snd_una;
}

bool tcp_sack_next_hole(const struct tcp_conn *c, uint32_t from, uint32_t *start, uint32_t *end)
{
	uint32_t lost = tcp_sack_lost_below(c);
	if (seq_lt(from, c->snd_una))
		from = c->snd_una;
	for (unsigned k = 0; k < c->nsacked && seq_lt(from, lost); k++) {
		const struct tcp_range *r = &c->sacked[k];
		if (seq_lt(from, r->start)) {
			*start = from;
			*end = seq_min(r->start, lost);
			return true;
		}
		if (seq_lt(from, r->end))
			from = r->end;
	}
	return false;
}

uint32_t tcp_sack_pipe(const struct tcp_conn *c)
{
	uint32_t una = c->snd_una, max = c->snd_max;
	uint32_t pipe = (max - una) - tcp_sack_bytes(c, una, max);
	uint32_t lost = tcp_sack_lost_below(c);
	uint32_t from = seq_max(c->rexmit_nxt, una);
	if (seq_lt(from, lost))
		pipe -= (lost - from) - tcp_sack_bytes(c, from, lost);
	return pipe;
}
