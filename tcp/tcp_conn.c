/* tcp/tcp_conn.c: connection records: creation, the 4-tuple table, the end of a connection, and the lists a connection can be on. */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

static unsigned tcp_conn_bucket(const struct tcp_stack *st, const struct tcp_tuple *t)
{
	return tcp_isn_hash(st, t, 'H') & (RIAD_TCP_HASH_BUCKETS - 1);
}

_Static_assert((RIAD_TCP_HASH_BUCKETS & (RIAD_TCP_HASH_BUCKETS - 1)) == 0,
               "RIAD_TCP_HASH_BUCKETS must be a power of two");

bool tcp_conn_can_create(const struct tcp_stack *st)
{
	return st->nconns - st->timewait.n < RIAD_TCP_CONNS_MAX;
}

struct tcp_conn *tcp_conn_new(struct tcp_stack *st, const struct tcp_tuple *t, int64_t now)
{
	if (!tcp_conn_can_create(st))
		return NULL;
	struct tcp_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->st = st;
	c->t = *t;
	c->state = TCP_CLOSED;
	c->heap_idx = -1;
	c->deadline = TCP_NEVER;
	c->t_rexmt = c->t_persist = c->t_delack = c->t_keep = c->t_2msl = c->t_output = TCP_NEVER;
	c->sb.cap = RIAD_TCP_SND_BUF;
	c->rb.cap = RIAD_TCP_RCV_BUF;
	c->adv_mss = st->mss;
	c->mss = st->mss < 536 ? st->mss : 536; /* RFC 9293 3.7.1 until told */
	c->rcv_scale = st->rcv_scale;
	c->ts_off = tcp_isn_ts_offset(st, t);
	c->ka_idle = RIAD_TCP_KEEPALIVE_IDLE_NS;
	c->ka_intvl = RIAD_TCP_KEEPALIVE_INTVL_NS;
	c->ka_probes = RIAD_TCP_KEEPALIVE_PROBES;
	c->last_rx = now;
	c->cc.algo = TCP_CC_CUBIC;
	tcp_rtt_init(c);
	tcp_cc_init(c);
	unsigned b = tcp_conn_bucket(st, t);
	c->hnext = st->hash[b];
	st->hash[b] = c;
	c->hashed = true;
	c->anext = st->all;
	if (st->all)
		st->all->aprev = c;
	st->all = c;
	st->nconns++;
	return c;
}

static bool tcp_conn_same(const struct tcp_tuple *a, const struct tcp_tuple *b)
{
	return a->laddr == b->laddr && a->raddr == b->raddr && a->lport == b->lport &&
	       a->rport == b->rport;
}

struct tcp_conn *tcp_conn_lookup(struct tcp_stack *st, const struct tcp_tuple *t)
{
	if (st->last && tcp_conn_same(&st->last->t, t))
		return st->last;
	for (struct tcp_conn *c = st->hash[tcp_conn_bucket(st, t)]; c; c = c->hnext) {
		if (tcp_conn_same(&c->t, t)) {
			st->last = c;
			return c;
		}
	}
	return NULL;
}

static void tcp_conn_unhash(struct tcp_conn *c)
{
	if (c->st->last == c)
		c->st->last = NULL;
	if (!c->hashed)
		return;
	struct tcp_conn **pp = &c->st->hash[tcp_conn_bucket(c->st, &c->t)];
	while (*pp && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = c->hnext;
	c->hnext = NULL;
	c->hashed = false;
}

void tcp_conn_set_state(struct tcp_conn *c, enum tcp_state s)
{
	if (s == TCP_ESTABLISHED && !c->connected) {
		c->connected = true;
		tcp_stat(c->st, established);
	}
	c->state = s;
	tcp_conn_notify(c);
}

void tcp_conn_notify(struct tcp_conn *c)
{
	tcp_notify_push(c->st, &c->nt);
}

void tcp_conn_free(struct tcp_conn *c)
{
	struct tcp_stack *st = c->st;
	if (c->ack_held) {
		struct tcp_conn **pp = &st->held;
		while (*pp != c)
			pp = &(*pp)->ack_next;
		*pp = c->ack_next;
	}
	tcp_conn_unhash(c);
	tcp_timer_remove(c);
	tcp_list_remove(c);
	tcp_notify_remove(st, &c->nt);
	tcp_buf_release(&c->sb);
	tcp_buf_release(&c->rb);
	tcp_reass_clear(c);
	tcp_sack_clear(c);
	if (c->aprev)
		c->aprev->anext = c->anext;
	else
		st->all = c->anext;
	if (c->anext)
		c->anext->aprev = c->aprev;
	st->nconns--;
	free(c);
}

void tcp_conn_close(struct tcp_conn *c, int err)
{
	if (err && !c->error)
		c->error = err;
	c->state = TCP_CLOSED;
	tcp_conn_unhash(c);
	c->t_rexmt = c->t_persist = c->t_delack = c->t_keep = c->t_2msl = c->t_output = TCP_NEVER;
	tcp_timer_remove(c);
	tcp_list_remove(c);
	tcp_buf_release(&c->sb);
	tcp_sack_clear(c);
	tcp_reass_clear(c); /* data beyond a hole is never delivered now */
	/* A reset discards unread data (RFC 9293 3.10.7.4); a normal end
	 * leaves it for the application to read. */
	if (err || !c->app)
		tcp_buf_release(&c->rb);
	if (!c->app) {
		tcp_conn_free(c);
		return;
	}
	tcp_conn_notify(c);
}

void tcp_conn_time_wait(struct tcp_conn *c, int64_t now)
{
	struct tcp_stack *st = c->st;
	tcp_conn_set_state(c, TCP_TIME_WAIT);
	c->t_rexmt = c->t_persist = c->t_delack = c->t_keep = c->t_output = TCP_NEVER;
	c->t_2msl = now + 2 * RIAD_TCP_MSL_NS;
	tcp_timer_update(c);
	tcp_buf_release(&c->sb);
	tcp_sack_clear(c);
	tcp_reass_clear(c);
	if (c->app)
		return; /* joins the TIME-WAIT queue when released (tcp_close) */
	tcp_buf_release(&c->rb);
	tcp_list_remove(c);
	tcp_list_push(&st->timewait, c);
	if (st->timewait.n > RIAD_TCP_TIMEWAIT_MAX) {
		tcp_stat(st, timewait_recycled);
		tcp_conn_close(st->timewait.head, 0);
	}
}

void tcp_conn_ready(struct tcp_conn *c)
{
	struct tcp_listener *l = c->parent;
	if (!l)
		return;
	tcp_list_remove(c);
	tcp_list_push(&l->ready, c);
	tcp_notify_push(c->st, &l->nt);
}

uint32_t tcp_conn_rcv_wnd(const struct tcp_conn *c)
{
	return c->rb.cap - c->rb.len;
}

void tcp_list_push(struct tcp_list *l, struct tcp_conn *c)
{
	c->list = l;
	c->lnext = NULL;
	c->lprev = l->tail;
	if (l->tail)
		l->tail->lnext = c;
	else
		l->head = c;
	l->tail = c;
	l->n++;
}

void tcp_list_remove(struct tcp_conn *c)
{
	struct tcp_list *l = c->list;
	if (!l)
		return;
	if (c->lprev)
		c->lprev->lnext = c->lnext;
	else
		l->head = c->lnext;
	if (c->lnext)
		c->lnext->lprev = c->lprev;
	else
		l->tail = c->lprev;
	l->n--;
	c->list = NULL;
	c->lnext = c->lprev = NULL;
}

void tcp_notify_push(struct tcp_stack *st, struct tcp_notify *n)
{
	if (!n->user || n->queued)
		return;
	n->queued = true;
	n->next = NULL;
	n->prev = st->ntail;
	if (st->ntail)
		st->ntail->next = n;
	else
		st->nhead = n;
	st->ntail = n;
}

void tcp_notify_remove(struct tcp_stack *st, struct tcp_notify *n)
{
	if (!n->queued)
		return;
	if (n->prev)
		n->prev->next = n->next;
	else
		st->nhead = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		st->ntail = n->prev;
	n->queued = false;
	n->next = n->prev = NULL;
}
