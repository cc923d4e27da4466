/* sock/net_api.c: the functions of riad/net.h over any stack implementation: argument checks, -RIAD_ENETDOWN after riad_net_close, parking and deadlines, references, the list of stacks opened by name; the rest goes through the stack's ops.
 *
 * A stack's memory lives while the application's handle (until
 * riad_net_close) or a socket handle (until its close) holds a reference;
 * a fiber parked in riad_net_wait_up holds one too. After riad_net_close
 * (net->down), no op but the *_close ops and free is called again: every
 * function checks net->down before it calls one, and again each time it
 * wakes, since the down op wakes every parked fiber.
 */
#include <string.h>

#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

#include "mgmt.h"
#include "net_api.h"
#include "net_stats.h"
#include "runtime.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (interfaces, addresses, DHCP)");

#define UDP_PAYLOAD_MAX 65507

void riad_net_init(struct riad_net *net, const struct riad_net_ops *o, const char *kind,
                   const char *name)
{
	if (!o || !o->up || !o->ipv4 || !o->down || !o->free || !o->udp_bind || !o->udp_sendto ||
	    !o->udp_recvfrom || !o->udp_close || !o->tcp_listen || !o->tcp_accept ||
	    !o->tcp_listener_close || !o->tcp_connect || !o->tcp_connected || !o->tcp_read ||
	    !o->tcp_readable ||
	    !o->tcp_write || !o->tcp_shutdown || !o->tcp_close || !o->tcp_set_nodelay ||
	    !o->tcp_set_keepalive)
		riad_panic("riad_net_init: %s: incomplete ops table", name ? name : "?");
	memset(net, 0, sizeof(*net));
	net->ops = o;
	net->kind = kind;
	if (name) {
		size_t n = strlen(name);
		if (n >= sizeof(net->name))
			n = sizeof(net->name) - 1;
		memcpy(net->name, name, n);
	}
	net->refs = 1;
}

static void net_ref(struct riad_net *net)
{
	net->refs++;
}

static void net_unref(struct riad_net *net)
{
	if (--net->refs == 0)
		net->ops->free(net);
}

void net_hold(struct riad_net *net)
{
	net_ref(net);
}

void net_release(struct riad_net *net)
{
	net_unref(net);
}

/* ---- the stacks opened by name ---- */

static struct riad_net *named;

int net_named_find(const char *name, const struct riad_net_ops *ops, struct riad_net **out)
{
	for (struct riad_net *n = named; n; n = n->next) {
		if (strncmp(n->name, name, sizeof(n->name) - 1) == 0) {
			if (n->ops != ops) {
				riad_err(net_log, "%s: already open as the %s stack", name, n->kind);
				return -RIAD_EBUSY;
			}
			*out = n;
			return 1;
		}
	}
	return 0;
}

void net_named_add(struct riad_net *net)
{
	net->next = named;
	named = net;
	syslog_net_opened(net);
	mgmt_net_opened(net);
}

struct riad_net *net_named_next(struct riad_net *net)
{
	return net ? net->next : named;
}

static void forget(struct riad_net *net)
{
	for (struct riad_net **pp = &named; *pp; pp = &(*pp)->next) {
		if (*pp == net) {
			*pp = net->next;
			break;
		}
	}
	net->next = NULL;
}

/* ---- stacks ---- */

/* Park on q until woken or the deadline: 0, -RIAD_ETIMEDOUT once the
 * deadline passed (without parking if it already had), -RIAD_EINTR. */
static int park(struct riad_waitq *q, int64_t deadline)
{
	if (deadline != RIAD_TIME_NEVER && riad_time_ns() >= deadline)
		return -RIAD_ETIMEDOUT;
	int r = riad_waitq_wait(q, deadline);
	return r == -RIAD_EINTR ? r : 0;
}

int riad_net_wait_up(struct riad_net *net, int64_t deadline)
{
	int r = 0;
	net_ref(net);
	for (;;) {
		if (net->down) {
			r = -RIAD_ENETDOWN;
			break;
		}
		if (net->ops->up(net))
			break;
		if ((r = park(&net->up_wq, deadline)) < 0)
			break;
	}
	net_unref(net);
	return r;
}

int riad_net_close(struct riad_net *net)
{
	if (net->down)
		riad_panic("riad_net_close: interface %s closed twice", net->name);
	forget(net);
	net->down = true;
	riad_waitq_wake_all(&net->up_wq);
	net->ops->down(net);
	riad_info(net_log, "%s: closed", net->name);
	net_unref(net);
	return 0;
}

void riad_net_ipv4(const struct riad_net *net, uint32_t *addr, unsigned *prefix,
                   uint32_t *gateway)
{
	uint32_t a = 0, g = 0;
	unsigned p = 0;
	if (!net->down)
		net->ops->ipv4(net, &a, &p, &g);
	if (addr)
		*addr = a;
	if (prefix)
		*prefix = p;
	if (gateway)
		*gateway = g;
}

const char *riad_net_name(const struct riad_net *net)
{
	return net->name;
}

const struct riad_net_stats *riad_net_stats(const struct riad_net *net)
{
	return &net->stats;
}

void riad_net_log_stats(const struct riad_net *net, enum riad_log_level level)
{
	net_stats_log(net->name, &net->stats, level);
	if (net->ops->log_stats && !net->down)
		net->ops->log_stats(net, level);
}

uint64_t riad_net_drops(const struct riad_net *net)
{
	return net_stats_drops(&net->stats);
}

/* ---- UDP ---- */

int riad_udp_bind(struct riad_net *net, uint16_t port, struct riad_udp **out)
{
	if (net->down)
		return -RIAD_ENETDOWN;
	struct riad_udp *u;
	int r = net->ops->udp_bind(net, port, &u);
	if (r < 0)
		return r;
	u->net = net;
	net_ref(net);
	*out = u;
	return 0;
}

long riad_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                     size_t len)
{
	if (u->net->down)
		return -RIAD_ENETDOWN;
	if (len > UDP_PAYLOAD_MAX)
		return -RIAD_EMSGSIZE;
	if (dport == 0)
		return -RIAD_EINVAL;
	return u->net->ops->udp_sendto(u, dst, dport, buf, len);
}

long riad_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                       uint16_t *sport, int64_t deadline)
{
	for (;;) {
		if (u->net->down)
			return -RIAD_ENETDOWN;
		long r = u->net->ops->udp_recvfrom(u, buf, len, src, sport);
		if (r != -RIAD_EAGAIN)
			return r;
		if ((r = park(u->rq, deadline)) < 0)
			return r;
	}
}

uint16_t riad_udp_port(const struct riad_udp *u)
{
	return u->port;
}

uint64_t riad_udp_drops(const struct riad_udp *u)
{
	return u->drops;
}

void riad_udp_close(struct riad_udp *u)
{
	if (u->rq->head)
		riad_panic("riad_udp_close: a fiber is waiting on port %u", (unsigned)u->port);
	struct riad_net *net = u->net;
	net->ops->udp_close(u);
	net_unref(net);
}

/* ---- TCP ---- */

int riad_tcp_listen(struct riad_net *net, uint16_t port, unsigned backlog,
                    struct riad_tcp_listener **out)
{
	if (net->down)
		return -RIAD_ENETDOWN;
	if (port == 0)
		return -RIAD_EINVAL;
	struct riad_tcp_listener *l;
	int r = net->ops->tcp_listen(net, port, backlog, &l);
	if (r < 0)
		return r;
	l->net = net;
	net_ref(net);
	*out = l;
	return 0;
}

int riad_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out, int64_t deadline)
{
	struct riad_net *net = l->net;
	for (;;) {
		if (net->down)
			return -RIAD_ENETDOWN;
		struct riad_tcp *c;
		int r = net->ops->tcp_accept(l, &c);
		if (r == 0) {
			c->net = net;
			net_ref(net);
			*out = c;
			return 0;
		}
		if (r != -RIAD_EAGAIN)
			return r;
		if ((r = park(l->rq, deadline)) < 0)
			return r;
	}
}

void riad_tcp_listener_close(struct riad_tcp_listener *l)
{
	if (l->rq->head)
		riad_panic("riad_tcp_listener_close: a fiber is waiting in accept");
	struct riad_net *net = l->net;
	net->ops->tcp_listener_close(l);
	net_unref(net);
}

int riad_tcp_connect(struct riad_net *net, uint32_t dst, uint16_t port, struct riad_tcp **out,
                     int64_t deadline)
{
	if (net->down)
		return -RIAD_ENETDOWN;
	if (port == 0)
		return -RIAD_EINVAL;
	struct riad_tcp *c;
	int r = net->ops->tcp_connect(net, dst, port, &c);
	if (r < 0)
		return r;
	c->net = net;
	net_ref(net);
	for (;;) {
		if (net->down) {
			r = -RIAD_ENETDOWN;
			break;
		}
		r = net->ops->tcp_connected(c);
		if (r == 0) {
			*out = c;
			return 0;
		}
		if (r != -RIAD_EAGAIN)
			break;
		if ((r = park(c->wq, deadline)) < 0)
			break;
	}
	net->ops->tcp_close(c, true);
	net_unref(net);
	return r;
}

long riad_tcp_read(struct riad_tcp *c, void *buf, size_t len, int64_t deadline)
{
	if (len == 0)
		return -RIAD_EINVAL;
	for (;;) {
		if (c->net->down)
			return -RIAD_ENETDOWN;
		long r = c->net->ops->tcp_read(c, buf, len);
		if (r != -RIAD_EAGAIN)
			return r;
		if ((r = park(c->rq, deadline)) < 0)
			return r;
	}
}

static bool tcp_ready(void *arg)
{
	struct riad_tcp *c = arg;
	return c->net->down || c->net->ops->tcp_readable(c);
}

int riad_tcp_when_readable(struct riad_tcp *c, int64_t deadline, riad_fiber_fn *fn, void *arg,
                           size_t stack_size)
{
	if (c->net->down)
		return -RIAD_ENETDOWN;
	struct riad_fiber *f;
	if (tcp_ready(c)) {
		f = riad_fiber_spawn(fn, arg, stack_size);
	} else {
		struct riad_fiber_wait w = { c->rq, deadline, tcp_ready, c };
		f = riad_fiber_spawn_waiting(&w, fn, arg, stack_size);
	}
	if (!f)
		return -RIAD_ENOMEM;
	riad_fiber_detach(f);
	return 0;
}

long riad_tcp_write(struct riad_tcp *c, const void *buf, size_t len, int64_t deadline)
{
	const uint8_t *b = buf;
	size_t done = 0;
	while (done < len) {
		long r;
		if (c->net->down)
			r = -RIAD_ENETDOWN;
		else
			r = c->net->ops->tcp_write(c, b + done, len - done);
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == 0) /* the op takes nothing more: what it took */
			break;
		if (r == -RIAD_EAGAIN)
			r = park(c->wq, deadline);
		if (r < 0)
			return done ? (long)done : r;
	}
	return (long)done;
}

int riad_tcp_shutdown(struct riad_tcp *c)
{
	if (c->net->down)
		return -RIAD_ENETDOWN;
	return c->net->ops->tcp_shutdown(c);
}

static void tcp_release(struct riad_tcp *c, bool abort)
{
	if (c->rq->head || c->wq->head)
		riad_panic("riad_tcp_close: a fiber is waiting on the connection");
	struct riad_net *net = c->net;
	net->ops->tcp_close(c, abort);
	net_unref(net);
}

void riad_tcp_close(struct riad_tcp *c)
{
	tcp_release(c, false);
}

void riad_tcp_abort(struct riad_tcp *c)
{
	tcp_release(c, true);
}

void riad_tcp_set_nodelay(struct riad_tcp *c, bool on)
{
	if (!c->net->down)
		c->net->ops->tcp_set_nodelay(c, on);
}

void riad_tcp_set_keepalive(struct riad_tcp *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                            unsigned probes)
{
	if (!c->net->down)
		c->net->ops->tcp_set_keepalive(c, on, idle_ns, intvl_ns, probes);
}

void riad_tcp_endpoints(const struct riad_tcp *c, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport)
{
	if (laddr)
		*laddr = c->laddr;
	if (lport)
		*lport = c->lport;
	if (raddr)
		*raddr = c->raddr;
	if (rport)
		*rport = c->rport;
}
