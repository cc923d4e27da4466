/* tcp/tcp.c: the application side of TCP (tcp/tcp.h): the stack, listeners, connect, send, receive, close, options and events. */
#include <stdlib.h>
#include <string.h>

#include <riad/metrics.h>
#include <riad/random.h>

#include "tcp_int.h"

/* ---- the stack ---- */

struct tcp_stack *tcp_stacks;

struct tcp_stack *tcp_stack_create(const uint8_t secret[32], struct riad_tcp_stats *stats)
{
	struct tcp_stack *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->heap_cap = RIAD_TCP_CONNS_MAX + RIAD_TCP_TIMEWAIT_MAX + 1;
	st->heap = calloc(st->heap_cap, sizeof(*st->heap));
	if (!st->heap) {
		free(st);
		return NULL;
	}
	memcpy(st->key_isn, secret, 16);
	memcpy(st->key_misc, secret + 16, 16);
	/* The keys live until tcp_stack_destroy wipes them. */
	st->stats = stats ? stats : &st->own_stats;
	st->mss = RIAD_TCP_MSS_DEFAULT;
	/* RFC 7323 2.3: the smallest shift that lets the buffer be advertised. */
	while (st->rcv_scale < TCP_WS_MAX && ((uint32_t)RIAD_TCP_RCV_BUF >> st->rcv_scale) > 0xffff)
		st->rcv_scale++;
	st->rst_tokens = RIAD_TCP_RST_PER_S;
	st->snext = tcp_stacks;
	if (tcp_stacks)
		tcp_stacks->sprev = st;
	tcp_stacks = st;
	return st;
}

void tcp_stack_destroy(struct tcp_stack *st)
{
	while (st->all) {
		st->all->app = false;
		tcp_conn_free(st->all);
	}
	while (st->listeners) {
		struct tcp_listener *l = st->listeners;
		st->listeners = l->next;
		free(l);
	}
	free(st->heap);
	if (st->sprev)
		st->sprev->snext = st->snext;
	else
		tcp_stacks = st->snext;
	if (st->snext)
		st->snext->sprev = st->sprev;
	riad_wipe(st->key_isn, sizeof(st->key_isn));
	riad_wipe(st->key_misc, sizeof(st->key_misc));
	free(st);
}

void tcp_stack_set_mss(struct tcp_stack *st, uint16_t mss)
{
	if (mss == 0)
		mss = RIAD_TCP_MSS_DEFAULT;
	if (mss < RIAD_TCP_MSS_MIN)
		mss = RIAD_TCP_MSS_MIN;
	st->mss = mss;
}

void tcp_stack_set_offload(struct tcp_stack *st, unsigned offload)
{
	if (!(offload & TCP_OFFLOAD_CSUM))
		offload = 0;
	st->offload = (uint8_t)offload;
}

struct riad_tcp_stats *tcp_stack_stats(struct tcp_stack *st)
{
	return st->stats;
}

void *tcp_notify_next(struct tcp_stack *st)
{
	struct tcp_notify *n = st->nhead;
	if (!n)
		return NULL;
	tcp_notify_remove(st, n);
	return n->user;
}

/* ---- listeners ---- */

int tcp_listen(struct tcp_stack *st, uint32_t addr, uint16_t port, unsigned backlog,
               struct tcp_listener **lp)
{
	if (port == 0)
		return -RIAD_EINVAL;
	for (struct tcp_listener *l = st->listeners; l; l = l->next)
		if (l->port == port && l->addr == addr)
			return -RIAD_EADDRINUSE;
	if (st->nlisteners >= RIAD_TCP_LISTENERS_MAX)
		return -RIAD_ENOBUFS;
	struct tcp_listener *l = calloc(1, sizeof(*l));
	if (!l)
		return -RIAD_ENOMEM;
	l->st = st;
	l->addr = addr;
	l->port = port;
	if (backlog < 1)
		backlog = 1;
	if (backlog > RIAD_TCP_BACKLOG_MAX)
		backlog = RIAD_TCP_BACKLOG_MAX;
	l->backlog = backlog;
	l->next = st->listeners;
	st->listeners = l;
	st->nlisteners++;
	*lp = l;
	return 0;
}

struct tcp_conn *tcp_accept(struct tcp_listener *l)
{
	struct tcp_conn *c = l->ready.head;
	if (!c)
		return NULL;
	tcp_list_remove(c);
	c->parent = NULL;
	c->app = true;
	c->nt.user = NULL;
	return c;
}

unsigned tcp_listener_events(const struct tcp_listener *l)
{
	return l->ready.n ? TCP_EV_ACCEPT : 0;
}

void tcp_listener_set_user(struct tcp_listener *l, void *user)
{
	l->nt.user = user;
	if (!user)
		tcp_notify_remove(l->st, &l->nt);
	else if (l->ready.n)
		tcp_notify_push(l->st, &l->nt);
}

void tcp_listener_close(struct tcp_listener *l, int64_t now, struct net_txq *out)
{
	struct tcp_stack *st = l->st;
	struct tcp_list *lists[2] = { &l->pending, &l->ready };
	for (int i = 0; i < 2; i++) {
		while (lists[i]->head) {
			struct tcp_conn *c = lists[i]->head;
			tcp_output_rst(c, now, out);
			tcp_conn_close(c, 0); /* not the application's: freed */
		}
	}
	tcp_notify_remove(st, &l->nt);
	struct tcp_listener **pp = &st->listeners;
	while (*pp && *pp != l)
		pp = &(*pp)->next;
	if (*pp)
		*pp = l->next;
	st->nlisteners--;
	free(l);
}

/* ---- connections ---- */

static bool tcp_port_listened(const struct tcp_stack *st, uint32_t addr, uint16_t port)
{
	for (const struct tcp_listener *l = st->listeners; l; l = l->next)
		if (l->port == port && (l->addr == 0 || l->addr == addr))
			return true;
	return false;
}

/* RFC 6056 3.3.3 (algorithm 3): a keyed hash of the addresses and remote
 * port picks where to start in the ephemeral range; a counter moves on. */
static int tcp_connect_port(struct tcp_stack *st, struct tcp_tuple *t)
{
	const uint32_t lo = 49152, num = 65536 - lo;
	struct tcp_tuple k = *t;
	k.lport = 0;
	uint32_t off = tcp_isn_hash(st, &k, 'P');
	for (uint32_t i = 0; i < num; i++) {
		t->lport = (uint16_t)(lo + (off + st->port_next + i) % num);
		if (!tcp_conn_lookup(st, t) && !tcp_port_listened(st, t->laddr, t->lport)) {
			st->port_next += i + 1;
			return 0;
		}
	}
	return -RIAD_EADDRNOTAVAIL;
}

int tcp_connect(struct tcp_stack *st, uint32_t laddr, uint16_t lport, uint32_t raddr,
                uint16_t rport, int64_t now, struct net_txq *out, struct tcp_conn **cp)
{
	if (laddr == 0 || raddr == 0 || rport == 0)
		return -RIAD_EINVAL;
	if (!tcp_conn_can_create(st))
		return -RIAD_ENOBUFS;
	struct tcp_tuple t = { .laddr = laddr, .raddr = raddr, .lport = lport, .rport = rport };
	if (lport == 0) {
		int r = tcp_connect_port(st, &t);
		if (r < 0)
			return r;
	} else if (tcp_conn_lookup(st, &t)) {
		return -RIAD_EADDRINUSE;
	}
	struct tcp_conn *c = tcp_conn_new(st, &t, now);
	if (!c)
		return -RIAD_ENOMEM;
	c->app = true;
	c->iss = tcp_isn(st, &t, now);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->sb_seq = c->iss + 1;
	c->snd_sml = c->iss;
	tcp_conn_set_state(c, TCP_SYN_SENT);
	tcp_stat(st, active_opens);
	tcp_output(c, now, out);
	*cp = c;
	return 0;
}

static bool tcp_can_send(const struct tcp_conn *c)
{
	switch (c->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return !c->fin_queued;
	default:
		return false;
	}
}

long tcp_send(struct tcp_conn *c, const void *buf, size_t len, int64_t now, struct net_txq *out)
{
	if (c->error)
		return c->error;
	if (!tcp_can_send(c))
		return -RIAD_EPIPE;
	if (len == 0)
		return 0;
	uint32_t space = c->sb.cap - c->sb.len;
	if (space == 0)
		return -RIAD_EAGAIN;
	if (tcp_buf_reserve(&c->sb, RIAD_TCP_SND_BUF) < 0)
		return -RIAD_ENOMEM;
	uint32_t n = len < space ? (uint32_t)len : space;
	tcp_buf_write_at(&c->sb, c->sb.len, buf, n);
	c->sb.len += n;
	tcp_output(c, now, out);
	return (long)n;
}

long tcp_recv(struct tcp_conn *c, void *buf, size_t len, int64_t now, struct net_txq *out)
{
	if (c->rb.len == 0) {
		if (c->error)
			return c->error;
		if (c->rcv_fin || c->state == TCP_CLOSED)
			return 0;
		return -RIAD_EAGAIN;
	}
	if (len == 0)
		return 0;
	uint32_t n = len < c->rb.len ? (uint32_t)len : c->rb.len;
	tcp_buf_read_at(&c->rb, 0, buf, n);
	tcp_buf_consume(&c->rb, n);
	/* Drained, with nothing held out of order: give the memory back, so an
	 * idle connection holds no receive buffer (the window, cap - len, does
	 * not change; the next data allocates it again). */
	if (c->rb.len == 0 && c->nooo == 0)
		tcp_buf_release(&c->rb);
	/* RFC 9293 3.8.6.2.2 / RFC 1122 4.2.3.3: tell the peer once the window
	 * has grown by min(buffer / 2, 2 * MSS) past what it was told, and (as
	 * Linux's tcp_cleanup_rbuf) only while what it may still send is under
	 * half the buffer: a window still that open needs no segment of its
	 * own, the ACKs of the data that keeps coming carry the new edge. */
	if (c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2) {
		uint32_t adv = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
		uint32_t wnd = tcp_conn_rcv_wnd(c);
		uint32_t most = 0xffffu << c->rcv_scale;
		if (wnd > most)
			wnd = most;
		uint32_t step = 2u * c->adv_mss < c->rb.cap / 2 ? 2u * c->adv_mss : c->rb.cap / 2;
		if (adv < c->rb.cap / 2 && wnd >= adv + step) {
			c->ack_now = true;
			tcp_output(c, now, out);
		}
	}
	return (long)n;
}

size_t tcp_conn_readable(const struct tcp_conn *c)
{
	return c->rb.len;
}

size_t tcp_conn_send_space(const struct tcp_conn *c)
{
	return tcp_can_send(c) ? c->sb.cap - c->sb.len : 0;
}

int tcp_shutdown_write(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	switch (c->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		c->fin_queued = true; /* sent once ESTABLISHED */
		return 0;
	case TCP_ESTABLISHED:
		c->fin_queued = true;
		tcp_conn_set_state(c, TCP_FIN_WAIT_1);
		break;
	case TCP_CLOSE_WAIT:
		c->fin_queued = true;
		tcp_conn_set_state(c, TCP_LAST_ACK);
		break;
	case TCP_CLOSED:
		return c->error ? c->error : -RIAD_ENOTCONN;
	default:
		return 0;
	}
	tcp_output(c, now, out);
	return 0;
}

void tcp_close(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	struct tcp_stack *st = c->st;
	c->app = false;
	c->nt.user = NULL;
	tcp_notify_remove(st, &c->nt);
	if (c->state == TCP_CLOSED) {
		tcp_conn_free(c);
		return;
	}
	/* RFC 2525 2.17: closing with unread data resets, so the peer learns
	 * its data was not consumed. */
	if (c->rb.len > 0 && c->state != TCP_TIME_WAIT) {
		tcp_stat(st, after_close);
		tcp_abort(c, now, out);
		return;
	}
	switch (c->state) {
	case TCP_SYN_SENT:
		tcp_conn_close(c, 0);
		return;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		tcp_shutdown_write(c, now, out);
		break;
	case TCP_FIN_WAIT_2:
		c->t_2msl = now + RIAD_TCP_FIN_WAIT2_NS;
		break;
	case TCP_TIME_WAIT:
		tcp_buf_release(&c->rb);
		tcp_list_push(&st->timewait, c);
		if (st->timewait.n > RIAD_TCP_TIMEWAIT_MAX) {
			tcp_stat(st, timewait_recycled);
			tcp_conn_close(st->timewait.head, 0);
		}
		return;
	default:
		break;
	}
	tcp_timer_update(c);
}

void tcp_abort(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	c->app = false;
	c->nt.user = NULL;
	tcp_notify_remove(c->st, &c->nt);
	switch (c->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		tcp_output_rst(c, now, out);
		break;
	default:
		break;
	}
	if (c->state == TCP_CLOSED)
		tcp_conn_free(c);
	else
		tcp_conn_close(c, 0);
}

void tcp_set_nodelay(struct tcp_conn *c, bool nodelay, int64_t now, struct net_txq *out)
{
	c->nodelay = nodelay;
	if (nodelay)
		tcp_output(c, now, out);
}

void tcp_set_keepalive(struct tcp_conn *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                       unsigned probes, int64_t now)
{
	c->keepalive = on;
	c->ka_idle = idle_ns > 0 ? idle_ns : RIAD_TCP_KEEPALIVE_IDLE_NS;
	c->ka_intvl = intvl_ns > 0 ? intvl_ns : RIAD_TCP_KEEPALIVE_INTVL_NS;
	c->ka_probes = probes ? probes : RIAD_TCP_KEEPALIVE_PROBES;
	c->ka_sent = 0;
	c->t_keep = on ? c->last_rx + c->ka_idle : TCP_NEVER;
	if (on && c->t_keep < now)
		c->t_keep = now;
	if (c->state != TCP_CLOSED)
		tcp_timer_update(c);
}

void tcp_set_cc(struct tcp_conn *c, enum tcp_cc_algo algo)
{
	if (c->cc.algo == algo)
		return;
	c->cc.algo = algo;
	c->cc.epoch = 0;
	c->cc.acked_acc = 0;
	c->cc.w_max = c->cc.w_last_max = 0;
}

unsigned tcp_conn_events(const struct tcp_conn *c)
{
	unsigned ev = 0;
	if (c->connected)
		ev |= TCP_EV_CONNECTED;
	if (c->error)
		ev |= TCP_EV_ERROR | TCP_EV_READABLE | TCP_EV_WRITABLE;
	if (c->rb.len || c->rcv_fin || c->state == TCP_CLOSED)
		ev |= TCP_EV_READABLE;
	/* Writable: tcp_send would not say -RIAD_EAGAIN, and (to not wake a
	 * writer for every byte) a quarter of the buffer is free. */
	if (!tcp_can_send(c) || c->sb.cap - c->sb.len >= c->sb.cap / 4)
		ev |= TCP_EV_WRITABLE;
	if (c->state == TCP_CLOSED || c->state == TCP_TIME_WAIT)
		ev |= TCP_EV_CLOSED;
	return ev;
}

int tcp_conn_error(const struct tcp_conn *c)
{
	return c->error;
}

enum tcp_state tcp_conn_state(const struct tcp_conn *c)
{
	return c->state;
}

void tcp_conn_set_user(struct tcp_conn *c, void *user)
{
	c->nt.user = user;
	if (!user)
		tcp_notify_remove(c->st, &c->nt);
}

void *tcp_conn_user(const struct tcp_conn *c)
{
	return c->nt.user;
}

void tcp_conn_endpoints(const struct tcp_conn *c, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport)
{
	if (laddr)
		*laddr = c->t.laddr;
	if (lport)
		*lport = c->t.lport;
	if (raddr)
		*raddr = c->t.raddr;
	if (rport)
		*rport = c->t.rport;
}

void tcp_conn_info(const struct tcp_conn *c, struct tcp_info *i)
{
	memset(i, 0, sizeof(*i));
	i->state = c->state;
	i->mss = c->mss;
	i->cwnd = c->cc.cwnd;
	i->ssthresh = c->cc.ssthresh;
	i->snd_wnd = c->snd_wnd;
	i->rcv_wnd = tcp_conn_rcv_wnd(c);
	i->snd_scale = c->snd_scale;
	i->rcv_scale = c->rcv_scale;
	i->ts = c->ts_ok;
	i->sack = c->sack_ok;
	i->srtt_ns = c->srtt;
	i->rttvar_ns = c->rttvar;
	i->rto_ns = c->rto;
	i->in_flight = c->snd_max - c->snd_una;
	uint32_t end = c->sb_seq + c->sb.len;
	i->unsent = seq_lt(c->snd_max, end) ? end - c->snd_max : 0;
	i->in_recovery = c->in_recovery;
	i->cc = c->cc.algo;
}

/* ---- the gauges of riad/metrics.h: connections by state, every stack ---- */
static const char *const state_names[] = {
	[TCP_CLOSED] = "closed",         [TCP_LISTEN] = "listen",
	[TCP_SYN_SENT] = "syn_sent",     [TCP_SYN_RECEIVED] = "syn_received",
	[TCP_ESTABLISHED] = "established", [TCP_FIN_WAIT_1] = "fin_wait_1",
	[TCP_FIN_WAIT_2] = "fin_wait_2", [TCP_CLOSE_WAIT] = "close_wait",
	[TCP_CLOSING] = "closing",       [TCP_LAST_ACK] = "last_ack",
	[TCP_TIME_WAIT] = "time_wait",
};
#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

static void tcp_metrics(struct riad_metrics_out *o)
{
	uint64_t n[NSTATES] = { 0 };
	uint64_t listeners = 0;
	for (struct tcp_stack *st = tcp_stacks; st; st = st->snext) {
		for (struct tcp_conn *c = st->all; c; c = c->anext)
			if ((unsigned)c->state < NSTATES)
				n[c->state]++;
		listeners += st->nlisteners;
	}
	n[TCP_LISTEN] += listeners;
	riad_metrics_family(o, "riad_tcp_connections", "TCP connections by state (listeners as listen), every stack.",
	                    RIAD_METRIC_TYPE_GAUGE);
	for (size_t i = 0; i < NSTATES; i++) {
		struct riad_metric_label lb = { "state", state_names[i] };
		riad_metrics_sample(o, &lb, 1, n[i]);
	}
}
RIAD_METRICS_COLLECTOR(tcp_metrics);
