/* stack/net_tcp.c: TCP sockets over the stack glue (riad/net.h): listen, accept, connect, read, write, shutdown, close, in blocking style over tcp/tcp.h's non-blocking calls.
 *
 * These are riad's own stack's TCP ops (riad/net.h): each runs TCP's
 * function and flushes what it queued; when TCP says "not now"
 * (-RIAD_EAGAIN, or an event bit not yet set) it returns -RIAD_EAGAIN and
 * sock/net_api.c parks on the socket's wait queue until TCP names the
 * socket on its notify list (the glue then wakes it) or the deadline.
 *
 * Closing the stack (net_tcp_down) aborts every connection and closes
 * every listener but leaves the handles: c (or l) becomes NULL; only the
 * close ops are called on them after that.
 */
#include <stddef.h>
#include <stdlib.h>

#include <riad/time.h>

#include "runtime.h"
#include "stack.h"

struct net_tcp {
	struct riad_tcp h;        /* first: the handle */
	struct net_sock sock;
	struct net_stack *net;
	struct tcp_conn *c;       /* NULL once the stack closed */
};

struct net_tcp_listener {
	struct riad_tcp_listener h; /* first: the handle */
	struct net_sock sock;
	struct net_stack *net;
	struct tcp_listener *l;
};

static struct net_tcp *conn_of(struct riad_tcp *c)
{
	return (struct net_tcp *)c;
}

static struct net_tcp_listener *listener_of(struct riad_tcp_listener *l)
{
	return (struct net_tcp_listener *)l;
}

/* The user pointer TCP hands back is the net_sock; these find its socket. */
#define SOCK_OWNER(type, s) ((type *)(void *)((char *)(s) - offsetof(type, sock)))

static void link_sock(struct net_stack *net, struct net_sock *s)
{
	s->prev = NULL;
	s->next = net->tcp_socks;
	if (s->next)
		s->next->prev = s;
	net->tcp_socks = s;
}

static void unlink_sock(struct net_stack *net, struct net_sock *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		net->tcp_socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

int net_tcp_listen(struct riad_net *h, uint16_t port, unsigned backlog,
                   struct riad_tcp_listener **out)
{
	struct net_stack *net = net_stack_of(h);
	struct net_tcp_listener *sl = calloc(1, sizeof(*sl));
	if (!sl)
		return -RIAD_ENOMEM;
	int r = tcp_listen(net->tcp, 0, port, backlog, &sl->l);
	if (r < 0) {
		free(sl);
		return r;
	}
	sl->net = net;
	sl->h.rq = &sl->sock.wq;
	tcp_listener_set_user(sl->l, &sl->sock);
	sl->sock.listener = true;
	link_sock(net, &sl->sock);
	*out = &sl->h;
	return 0;
}

static struct net_tcp *conn_new(struct net_stack *net)
{
	struct net_tcp *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->net = net;
	s->h.rq = s->h.wq = &s->sock.wq;
	return s;
}

static void conn_endpoints(struct net_tcp *s)
{
	tcp_conn_endpoints(s->c, &s->h.laddr, &s->h.lport, &s->h.raddr, &s->h.rport);
}

int net_tcp_accept(struct riad_tcp_listener *hl, struct riad_tcp **out)
{
	struct net_tcp_listener *l = listener_of(hl);
	struct tcp_conn *c = tcp_accept(l->l);
	if (!c)
		return -RIAD_EAGAIN;
	struct net_tcp *s = conn_new(l->net);
	if (!s) {
		tcp_abort(c, riad_time_ns(), &l->net->txq);
		net_stack_flush(l->net);
		return -RIAD_ENOMEM;
	}
	s->c = c;
	tcp_conn_set_user(c, &s->sock);
	link_sock(l->net, &s->sock);
	conn_endpoints(s);
	*out = &s->h;
	return 0;
}

void net_tcp_listener_close(struct riad_tcp_listener *hl)
{
	struct net_tcp_listener *l = listener_of(hl);
	struct net_stack *net = l->net;
	if (l->l) {
		tcp_listener_close(l->l, riad_time_ns(), &net->txq);
		net_stack_flush(net);
	}
	unlink_sock(net, &l->sock);
	free(l);
}

int net_tcp_connect(struct riad_net *h, uint32_t dst, uint16_t port, struct riad_tcp **out)
{
	struct net_stack *net = net_stack_of(h);
	if (!net->ip.addr)
		return -RIAD_ENETUNREACH;
	struct net_tcp *s = conn_new(net);
	if (!s)
		return -RIAD_ENOMEM;
	int r = tcp_connect(net->tcp, net->ip.addr, 0, dst, port, riad_time_ns(), &net->txq, &s->c);
	if (r < 0) {
		free(s);
		return r;
	}
	tcp_conn_set_user(s->c, &s->sock);
	link_sock(net, &s->sock);
	net_stack_flush(net);
	*out = &s->h;
	return 0;
}

int net_tcp_connected(struct riad_tcp *hc)
{
	struct net_tcp *s = conn_of(hc);
	unsigned ev = tcp_conn_events(s->c);
	if (ev & TCP_EV_ERROR) {
		int r = tcp_conn_error(s->c);
		return r < 0 ? r : -RIAD_ECONNREFUSED;
	}
	if (!(ev & TCP_EV_CONNECTED))
		return -RIAD_EAGAIN;
	conn_endpoints(s);
	return 0;
}

long net_tcp_read(struct riad_tcp *hc, void *buf, size_t len)
{
	struct net_tcp *s = conn_of(hc);
	int64_t now = riad_time_ns();
	long r = tcp_recv(s->c, buf, len, now, &s->net->txq);
	net_stack_flush_at(s->net, now);
	return r;
}

bool net_tcp_readable(struct riad_tcp *hc)
{
	struct net_tcp *s = conn_of(hc);
	return !s->c || (tcp_conn_events(s->c) & (TCP_EV_READABLE | TCP_EV_ERROR)) != 0;
}

long net_tcp_write(struct riad_tcp *hc, const void *buf, size_t len)
{
	struct net_tcp *s = conn_of(hc);
	int64_t now = riad_time_ns();
	long r = tcp_send(s->c, buf, len, now, &s->net->txq);
	net_stack_flush_at(s->net, now);
	return r;
}

int net_tcp_shutdown(struct riad_tcp *hc)
{
	struct net_tcp *s = conn_of(hc);
	int r = tcp_shutdown_write(s->c, riad_time_ns(), &s->net->txq);
	net_stack_flush(s->net);
	return r;
}

void net_tcp_close(struct riad_tcp *hc, bool abort)
{
	struct net_tcp *s = conn_of(hc);
	struct net_stack *net = s->net;
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

void net_tcp_set_nodelay(struct riad_tcp *hc, bool on)
{
	struct net_tcp *s = conn_of(hc);
	tcp_set_nodelay(s->c, on, riad_time_ns(), &s->net->txq);
	net_stack_flush(s->net);
}

void net_tcp_set_keepalive(struct riad_tcp *hc, bool on, int64_t idle_ns, int64_t intvl_ns,
                           unsigned probes)
{
	struct net_tcp *s = conn_of(hc);
	tcp_set_keepalive(s->c, on, idle_ns, intvl_ns, probes, riad_time_ns());
	net_stack_flush(s->net);
}

/* RST rather than silence: a peer learns at once that the connection is
 * gone instead of retransmitting into a closed interface until it times
 * out. */
void net_tcp_down(struct net_stack *net, int64_t now)
{
	for (struct net_sock *n = net->tcp_socks; n; n = n->next) {
		if (n->listener) {
			struct net_tcp_listener *l = SOCK_OWNER(struct net_tcp_listener, n);
			if (l->l) {
				tcp_listener_set_user(l->l, NULL);
				tcp_listener_close(l->l, now, &net->txq);
				l->l = NULL;
			}
		} else {
			struct net_tcp *s = SOCK_OWNER(struct net_tcp, n);
			if (s->c) {
				tcp_conn_set_user(s->c, NULL);
				tcp_abort(s->c, now, &net->txq);
				s->c = NULL;
			}
		}
		net_stack_flush_at(net, now);
		riad_waitq_wake_all(&n->wq);
	}
}
