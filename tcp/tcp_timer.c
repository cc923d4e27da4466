/* tcp/tcp_timer.c: TCP's timers: one deadline per connection in a min-heap, and what each timer does when it fires (retransmission, persist, keepalive, delayed ACK, TIME-WAIT and FIN-WAIT-2). */
#include "tcp_int.h"

/* ---- the heap of connections ordered by deadline ---- */

static void tcp_timer_set(struct tcp_stack *st, unsigned i, struct tcp_conn *c)
{
	st->heap[i] = c;
	c->heap_idx = (int)i;
}

static void tcp_timer_up(struct tcp_stack *st, unsigned i)
{
	struct tcp_conn *c = st->heap[i];
	while (i > 0) {
		unsigned p = (i - 1) / 2;
		if (st->heap[p]->deadline <= c->deadline)
			break;
		tcp_timer_set(st, i, st->heap[p]);
		i = p;
	}
	tcp_timer_set(st, i, c);
}

static void tcp_timer_down(struct tcp_stack *st, unsigned i)
{
	struct tcp_conn *c = st->heap[i];
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		int64_t best = c->deadline;
		if (l < st->nheap && st->heap[l]->deadline < best) {
			m = l;
			best = st->heap[l]->deadline;
		}
		if (r < st->nheap && st->heap[r]->deadline < best)
			m = r;
		if (m == i)
			break;
		tcp_timer_set(st, i, st->heap[m]);
		i = m;
	}
	tcp_timer_set(st, i, c);
}

void tcp_timer_remove(struct tcp_conn *c)
{
	struct tcp_stack *st = c->st;
	if (c->heap_idx < 0)
		return;
	unsigned i = (unsigned)c->heap_idx;
	c->heap_idx = -1;
	st->nheap--;
	if (i == st->nheap)
		return;
	struct tcp_conn *m = st->heap[st->nheap];
	tcp_timer_set(st, i, m);
	tcp_timer_up(st, i);
	tcp_timer_down(st, (unsigned)m->heap_idx);
}

void tcp_timer_update(struct tcp_conn *c)
{
	struct tcp_stack *st = c->st;
	int64_t d = c->t_rexmt;
	if (c->t_persist < d)
		d = c->t_persist;
	if (c->t_delack < d)
		d = c->t_delack;
	if (c->keepalive && c->t_keep < d)
		d = c->t_keep;
	if (c->t_2msl < d)
		d = c->t_2msl;
	if (c->t_output < d)
		d = c->t_output;
	if (d == TCP_NEVER) {
		tcp_timer_remove(c);
		c->deadline = TCP_NEVER;
		return;
	}
	c->deadline = d;
	if (c->heap_idx < 0) {
		if (st->nheap == st->heap_cap)
			return; /* cannot happen: heap_cap counts every connection */
		tcp_timer_set(st, st->nheap++, c);
		tcp_timer_up(st, (unsigned)c->heap_idx);
	} else {
		unsigned i = (unsigned)c->heap_idx;
		tcp_timer_up(st, i);
		tcp_timer_down(st, (unsigned)c->heap_idx);
	}
}

int64_t tcp_timer_rto(const struct tcp_conn *c)
{
	int64_t rto = c->rto;
	for (unsigned i = 0; i < c->backoff && rto < RIAD_TCP_RTO_MAX_NS; i++)
		rto *= 2;
	return rto > RIAD_TCP_RTO_MAX_NS ? RIAD_TCP_RTO_MAX_NS : rto;
}

void tcp_timer_arm_rexmt(struct tcp_conn *c, int64_t now)
{
	c->t_rexmt = now + tcp_timer_rto(c);
}

int64_t tcp_next_deadline(const struct tcp_stack *st)
{
	return st->nheap ? st->heap[0]->deadline : TCP_NEVER;
}

/* ---- what fires ---- */

static unsigned tcp_timer_retries(const struct tcp_conn *c)
{
	if (c->state == TCP_SYN_SENT)
		return RIAD_TCP_SYN_RETRIES;
	if (c->state == TCP_SYN_RECEIVED)
		return RIAD_TCP_SYNACK_RETRIES;
	return RIAD_TCP_RETRIES;
}

/* RFC 6298 5.4-5.6 and RFC 5681 3.1: the retransmission timer expired.
 * Returns false if the connection is gone. */
static bool tcp_timer_rexmt(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	if (c->snd_una == c->snd_max)
		return true;
	if (c->rexmt_count >= tcp_timer_retries(c)) {
		/* RFC 9293 3.8.3: R2 reached, give up. */
		tcp_stat(c->st, timeouts);
		tcp_conn_close(c, c->soft_error ? c->soft_error : -RIAD_ECONNABORTED);
		return false;
	}
	c->rexmt_count++;
	tcp_stat(c->st, rto);
	if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED)
		c->syn_rexmit = true;
	else
		tcp_cc_on_rto(c, now);
	/* 5.5: back off the timer (the cap is applied in tcp_timer_rto). */
	if (tcp_timer_rto(c) < RIAD_TCP_RTO_MAX_NS)
		c->backoff++;
	/* Go back to SND.UNA: everything after it is sent again as the window
	 * opens (RFC 5681 3.1); SACK information is not trusted any more (RFC
	 * 2018 8), and duplicate ACKs up to SND.MAX start no fast recovery
	 * (RFC 6582 4). Karn: no RTT sample from retransmitted data (without
	 * timestamps). */
	c->in_recovery = false;
	c->recover = c->snd_max;
	c->recover_valid = true;
	c->dupacks = 0;
	tcp_sack_clear(c);
	if (!c->ts_ok)
		c->rtt_timing = false;
	c->snd_nxt = c->snd_una;
	tcp_output_rexmit(c, now, out);
	tcp_timer_arm_rexmt(c, now);
	return true;
}

/* RFC 9293 3.8.6.1: the persist timer expired. */
static bool tcp_timer_persist(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	c->persist_count++;
	if (!c->app && !c->parent && c->persist_count > RIAD_TCP_RETRIES) {
		tcp_stat(c->st, timeouts);
		tcp_conn_close(c, -RIAD_ECONNABORTED);
		return false;
	}
	if (tcp_output_probe(c, now, out) > 0)
		tcp_stat(c->st, persist_probes);
	return true;
}

/* RFC 1122 4.2.3.6: keepalive. */
static bool tcp_timer_keep(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	if (!c->keepalive || (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT &&
	                      c->state != TCP_FIN_WAIT_2)) {
		c->t_keep = TCP_NEVER;
		return true;
	}
	if (now - c->last_rx < c->ka_idle) {
		c->t_keep = c->last_rx + c->ka_idle;
		return true;
	}
	if (c->ka_sent >= c->ka_probes) {
		tcp_stat(c->st, timeouts);
		tcp_conn_close(c, -RIAD_ECONNABORTED);
		return false;
	}
	c->ka_sent++;
	tcp_stat(c->st, keepalive_probes);
	tcp_output_keepalive(c, now, out);
	c->t_keep = now + c->ka_intvl;
	return true;
}

static void tcp_timer_fire(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	if (c->t_2msl <= now) {
		/* TIME-WAIT's 2*MSL, or an orphaned FIN-WAIT-2's limit. */
		c->t_2msl = TCP_NEVER;
		tcp_conn_close(c, 0);
		return;
	}
	if (c->t_rexmt <= now) {
		c->t_rexmt = TCP_NEVER;
		if (!tcp_timer_rexmt(c, now, out))
			return;
	}
	if (c->t_persist <= now) {
		c->t_persist = TCP_NEVER;
		if (!tcp_timer_persist(c, now, out))
			return;
	}
	if (c->t_keep <= now) {
		c->t_keep = TCP_NEVER;
		if (!tcp_timer_keep(c, now, out))
			return;
	}
	if (c->t_delack <= now) {
		c->t_delack = TCP_NEVER;
		if (c->segs_unacked) {
			c->ack_now = true;
			tcp_stat(c->st, delayed_acks);
		}
	}
	if (c->t_output <= now)
		c->t_output = TCP_NEVER;
	tcp_output(c, now, out);
}

int64_t tcp_timers(struct tcp_stack *st, int64_t now, struct net_txq *out)
{
	/* Each firing moves the connection's deadline past now, frees it, or
	 * (queue full) leaves it at now, which ends the loop below; the bound
	 * only guards against a bug turning into a hang. */
	unsigned budget = 4 * st->nheap + 64;
	while (st->nheap && st->heap[0]->deadline <= now && budget--) {
		if (net_txq_space(out) <= TCP_TXQ_RESERVE)
			return now;
		tcp_timer_fire(st->heap[0], now, out);
	}
	return tcp_next_deadline(st);
}
