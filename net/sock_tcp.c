/* net/sock_tcp.c: TCP sockets over the stack glue (riad/net.h): listen, accept, connect, read, write, shutdown, close, in blocking style over net/tcp.h's non-blocking calls.
 *
 * Each call runs TCP's function, flushes what it queued, and if TCP said
 * "not now" (-RIAD_EAGAIN, or an event bit not yet set) parks on the
 * socket's wait queue until TCP names the socket on its notify list (the
 * glue then wakes it) or the deadline passes; then it tries again.
 *
 * Closing the stack (net_tcp_down) aborts every connection and closes
 * every listener but leaves the handles: c (or l) becomes NULL, and every
 * call on the handle then returns -RIAD_ENETDOWN until the application
 * closes it. Each handle holds a reference to the stack.
 */
#include <stdlib.h>

#include <riad/time.h>

#include "../runtime/runtime.h"
#include "stack.h"

struct riad_tcp {
	struct net_sock sock;
	struct riad_net *net;
	struct tcp_conn *c;       /* NULL once the stack closed */
	uint32_t laddr, raddr;    /* the endpoints, kept when c goes */
	uint16_t lport, rport;
};

struct riad_tcp_listener {
	struct net_sock sock;
	struct riad_net *net;
	struct tcp_listener *l;
};

static void link_sock(struct riad_net *net, struct net_sock *s)
{
	s->prev = NULL;
	s->next = net->tcp_socks;
	if (s->next)
		s->next->prev = s;
	net->tcp_socks = s;
	net_stack_ref(net);
}

static void unlink_sock(struct riad_net *net, struct net_sock *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		net->tcp_socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
	net_stack_unref(net);
}

/* Park until woken or the deadline: 0, or -RIAD_ETIMEDOUT once it passed. */
static int park(struct net_sock *s, int64_t deadline)
{
	if (deadline != RIAD_TIME_NEVER && riad_time_ns() >= deadline)
		return -RIAD_ETIMEDOUT;
	riad_waitq_wait(&s->wq, deadline);
	return 0;
}

int riad_tcp_listen(struct riad_net *net, uint16_t port, unsigned backlog,
                    struct riad_tcp_listener **out)
{
	if (net->down)
		return -RIAD_ENETDOWN;
	struct riad_tcp_listener *sl = calloc(1, sizeof(*sl));
	if (!sl)
		return -RIAD_ENOMEM;
	int r = tcp_listen(net->tcp, 0, port, backlog, &sl->l);
	if (r < 0) {
		free(sl);
		return r;
	}
	sl->net = net;
	tcp_listener_set_user(sl->l, sl);
	sl->sock.listener = true;
	link_sock(net, &sl->sock);
	*out = sl;
	return 0;
}

static struct riad_tcp *wrap(struct riad_net *net, struct tcp_conn *c)
{
	struct riad_tcp *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->net = net;
	s->c = c;
	tcp_conn_set_user(c, s);
	link_sock(net, &s->sock);
	return s;
}

int riad_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out, int64_t deadline)
{
	for (;;) {
		if (!l->l)
			return -RIAD_ENETDOWN;
		struct tcp_conn *c = tcp_accept(l->l);
		if (c) {
			struct riad_tcp *s = wrap(l->net, c);
			if (!s) {
				tcp_abort(c, riad_time_ns(), &l->net->txq);
				net_stack_flush(l->net);
				return -RIAD_ENOMEM;
			}
			*out = s;
			return 0;
		}
		if (park(&l->sock, deadline) < 0)
			return -RIAD_ETIMEDOUT;
	}
}

void riad_tcp_listener_close(struct riad_tcp_listener *l)
{
	if (l->sock.wq.head)
		riad_panic("riad_tcp_listener_close: a fiber is waiting in accept");
	struct riad_net *net = l->net;
	if (l->l) {
		tcp_listener_close(l->l, riad_time_ns(), &net->txq);
		net_stack_flush(net);
	}
	unlink_sock(net, &l->sock);
	free(l);
}

int riad_tcp_connect(struct riad_net *net, uint32_t dst, uint16_t port, struct riad_tcp **out,
                     int64_t deadline)
{
	if (net->down)
		return -RIAD_ENETDOWN;
	if (!net->ip.addr)
		return -RIAD_ENETUNREACH;
	struct riad_tcp *s = calloc(1, sizeof(*s));
	if (!s)
		return -RIAD_ENOMEM;
	s->net = net;
	int r = tcp_connect(net->tcp, net->ip.addr, 0, dst, port, riad_time_ns(), &net->txq, &s->c);
	if (r < 0) {
		free(s);
		return r;
	}
	tcp_conn_set_user(s->c, s);
	link_sock(net, &s->sock);
	net_stack_flush(net);
	for (;;) {
		if (!s->c) {
			r = -RIAD_ENETDOWN;
			break;
		}
		unsigned ev = tcp_conn_events(s->c);
		if (ev & TCP_EV_ERROR) {
			r = tcp_conn_error(s->c);
			break;
		}
		if (ev & TCP_EV_CONNECTED) {
			*out = s;
			return 0;
		}
		if (park(&s->sock, deadline) < 0) {
			r = -RIAD_ETIMEDOUT;
			break;
		}
	}
	if (s->c) {
		tcp_abort(s->c, riad_time_ns(), &net->txq);
		net_stack_flush(net);
	}
	unlink_sock(net, &s->sock);
	free(s);
	return r < 0 ? r : -RIAD_ECONNREFUSED;
}

long riad_tcp_read(struct riad_tcp *s, void *buf, size_t len, int64_t deadline)
{
	if (len == 0)
		return -RIAD_EINVAL;
	for (;;) {
		if (!s->c)
			return -RIAD_ENETDOWN;
		int64_t now = riad_time_ns();
		long r = tcp_recv(s->c, buf, len, now, &s->net->txq);
		net_stack_flush_at(s->net, now);
		if (r != -RIAD_EAGAIN)
			return r;
		if (park(&s->sock, deadline) < 0)
			return -RIAD_ETIMEDOUT;
	}
}

long riad_tcp_write(struct riad_tcp *s, const void *buf, size_t len, int64_t deadline)
{
	const uint8_t *b = buf;
	size_t done = 0;
	while (done < len) {
		if (!s->c)
			return done ? (long)done : -RIAD_ENETDOWN;
		int64_t now = riad_time_ns();
		long r = tcp_send(s->c, b + done, len - done, now, &s->net->txq);
		net_stack_flush_at(s->net, now);
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == 0)
			break;
		if (r != -RIAD_EAGAIN)
			return done ? (long)done : r;
		if (park(&s->sock, deadline) < 0)
			return done ? (long)done : -RIAD_ETIMEDOUT;
	}
	return (long)done;
}

int riad_tcp_shutdown(struct riad_tcp *s)
{
	if (!s->c)
		return -RIAD_ENETDOWN;
	int r = tcp_shutdown_write(s->c, riad_time_ns(), &s->net->txq);
	net_stack_flush(s->net);
	return r;
}

static void release(struct riad_tcp *s, bool abort)
{
	if (s->sock.wq.head)
		riad_panic("riad_tcp_close: a fiber is waiting on the connection");
	struct riad_net *net = s->net;
	if (s->c) {
		tcp_conn_set_user(s->c, NULL);
		if (abort)
			tcp_abort(s->c, riad_time_ns(), &net->txq);
		else
			tcp_close(s->c, riad_time_ns(), &net->txq);
		net_stack_flush(net);
	}
	unlink_sock(net, &s->sock);
	free(s);
}

void riad_tcp_close(struct riad_tcp *s)
{
	release(s, false);
}

void riad_tcp_abort(struct riad_tcp *s)
{
	release(s, true);
}

void riad_tcp_set_nodelay(struct riad_tcp *s, bool on)
{
	if (!s->c)
		return;
	tcp_set_nodelay(s->c, on, riad_time_ns(), &s->net->txq);
	net_stack_flush(s->net);
}

void riad_tcp_set_keepalive(struct riad_tcp *s, bool on, int64_t idle_ns, int64_t intvl_ns,
                            unsigned probes)
{
	if (!s->c)
		return;
	tcp_set_keepalive(s->c, on, idle_ns, intvl_ns, probes, riad_time_ns());
	net_stack_flush(s->net);
}

void riad_tcp_endpoints(const struct riad_tcp *s, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport)
{
	uint32_t la = s->laddr, ra = s->raddr;
	uint16_t lp = s->lport, rp = s->rport;
	if (s->c)
		tcp_conn_endpoints(s->c, &la, &lp, &ra, &rp);
	if (laddr)
		*laddr = la;
	if (lport)
		*lport = lp;
	if (raddr)
		*raddr = ra;
	if (rport)
		*rport = rp;
}

/* RST rather than silence: a peer learns at once that the connection is
 * gone instead of retransmitting into a closed interface until it times
 * out. */
void net_tcp_down(struct riad_net *net, int64_t now)
{
	for (struct net_sock *n = net->tcp_socks; n; n = n->next) {
		if (n->listener) {
			struct riad_tcp_listener *l = (struct riad_tcp_listener *)n;
			if (l->l) {
				tcp_listener_set_user(l->l, NULL);
				tcp_listener_close(l->l, now, &net->txq);
				l->l = NULL;
			}
		} else {
			struct riad_tcp *s = (struct riad_tcp *)n;
			if (s->c) {
				tcp_conn_endpoints(s->c, &s->laddr, &s->lport, &s->raddr, &s->rport);
				tcp_conn_set_user(s->c, NULL);
				tcp_abort(s->c, now, &net->txq);
				s->c = NULL;
			}
		}
		net_stack_flush_at(net, now);
		riad_waitq_wake_all(&n->wq);
	}
}
