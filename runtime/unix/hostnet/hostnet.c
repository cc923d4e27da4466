/* runtime/unix/hostnet/hostnet.c: the host-socket stack: riad/net.h's ops table over the host kernel's own TCP/IP, through non-blocking sockets watched by the scheduler's epoll (unix only; riad_net_open_host, or riad_net_open in a unikernel linked with riad-unix-hostnet).
 *
 * No tap, no root, no riad protocol code: a newcomer's first network
 * unikernel runs as an ordinary process, and the same source later runs
 * on riad's own stack unchanged; or one unikernel holds both. Each op
 * tries the system call once and returns -RIAD_EAGAIN on EAGAIN; the
 * caller (sock/net_api.c) then parks on the descriptor's wait queue
 * (runtime/unix/unix.h, edge-triggered) until the kernel says it is ready
 * or the deadline passes. Interfaces are names only: every one uses all
 * of the host's addresses (or the one --NAME-ipv4 or --ipv4 names), and
 * there is no ARP, DHCP or device beneath. Counters: UDP and TCP traffic
 * as this layer sees it; the kernel's drops are the kernel's (netstat -s).
 *
 * riad_net_close (the down op): every socket is on its stack's list from
 * its socket() to its close, so the close can reach them all. It resets
 * connections (SO_LINGER 0, then close), closes the other host sockets
 * and unregisters them, which wakes the fibers parked on them; those see
 * net->down (sock/net_api.c) before any op touches the closed descriptor.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/opt.h>
#include <riad/time.h>

#include "net_api.h"
#include "runtime.h"
#include "../unix.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (here: the host's sockets)");

/* What every socket has: its host descriptor and its place on the stack's
 * list. */
struct sock {
	struct riad_unix_fd w;
	struct host_net *net;
	struct sock *prev, *next;
	bool is_tcp; /* a connection, reset by riad_net_close (a listener is closed) */
};

struct host_net {
	struct riad_net h; /* first: the head */
	uint32_t addr;     /* to bind to; 0: every host address */
	struct sock *socks;
};

struct host_udp {
	struct riad_udp h;
	struct sock s;
};

struct host_tcp {
	struct riad_tcp h;
	struct sock s;
	bool shut;
};

struct host_listener {
	struct riad_tcp_listener h;
	struct sock s;
};

static const struct riad_net_ops host_ops;

static struct host_net *net_of(struct riad_net *h)
{
	return (struct host_net *)h;
}

/* A unikernel linked with riad-unix-hostnet (riad build --hostnet) has
 * riad_net_open defined as this function by the linker (--defsym), so
 * riad's own stack is not linked in at all. */
int riad_net_open_host(const char *name, struct riad_net **out)
{
	int found = net_named_find(name, &host_ops, out);
	if (found != 0)
		return found < 0 ? found : 0;
	struct host_net *n = calloc(1, sizeof(*n));
	if (!n)
		return -RIAD_ENOMEM;
	riad_net_init(&n->h, &host_ops, "host", name);
	const struct riad_net_iface_decl_ *d = net_iface_decl(name);
	if (d && d->ipv4->set)
		n->addr = d->ipv4->addr;
	else if (net_arg_ipv4()->set)
		n->addr = net_arg_ipv4()->addr;
	net_named_add(&n->h);
	char text[RIAD_IPV4_STRLEN];
	riad_info(net_log, "%s: the host's sockets, bound to %s", n->h.name,
	          n->addr ? riad_ipv4_format(n->addr, text) : "every host address");
	*out = &n->h;
	return 0;
}

static bool host_up(struct riad_net *h)
{
	(void)h;
	return true; /* the host's interfaces are up before main runs */
}

static void host_ipv4(const struct riad_net *h, uint32_t *addr, unsigned *prefix,
                      uint32_t *gateway)
{
	*addr = ((const struct host_net *)h)->addr;
	*prefix = 0;
	*gateway = 0;
}

static void host_free(struct riad_net *h)
{
	free(net_of(h));
}

/* The connection's addresses as the host has them (zeros if it has none). */
static void endpoints_of(struct host_tcp *c)
{
	struct sockaddr_in la, ra;
	socklen_t ll = sizeof(la), rl = sizeof(ra);
	memset(&la, 0, sizeof(la));
	memset(&ra, 0, sizeof(ra));
	getsockname(c->s.w.fd, (struct sockaddr *)&la, &ll);
	getpeername(c->s.w.fd, (struct sockaddr *)&ra, &rl);
	c->h.laddr = ntohl(la.sin_addr.s_addr);
	c->h.lport = ntohs(la.sin_port);
	c->h.raddr = ntohl(ra.sin_addr.s_addr);
	c->h.rport = ntohs(ra.sin_port);
}

static void host_down(struct riad_net *h)
{
	struct host_net *net = net_of(h);
	for (struct sock *s = net->socks; s; s = s->next) {
		if (s->is_tcp) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };
			setsockopt(s->w.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			net->h.stats.tcp.resets_tx++;
		}
		riad_unix_fd_unregister(&s->w); /* wakes its fibers: they see net->down */
		close(s->w.fd);
		s->w.fd = -1;
	}
}

static struct sockaddr_in sin_of(uint32_t addr, uint16_t port)
{
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(addr);
	sa.sin_port = htons(port);
	return sa;
}

/* Watch fd and put s on net's list: 0, or -errno (fd closed). */
static int sock_add(struct sock *s, struct host_net *net, int fd, bool is_tcp)
{
	int r = riad_unix_fd_register(&s->w, fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	s->net = net;
	s->is_tcp = is_tcp;
	s->prev = NULL;
	s->next = net->socks;
	if (net->socks)
		net->socks->prev = s;
	net->socks = s;
	return 0;
}

/* A new non-blocking socket of this type, watched by the scheduler. */
static int open_fd(struct sock *s, struct host_net *net, int type, bool is_tcp)
{
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	return sock_add(s, net, fd, is_tcp);
}

/* Close the host socket unless riad_net_close did, and leave the list. */
static void close_fd(struct sock *s)
{
	struct host_net *net = s->net;
	if (s->w.fd >= 0) {
		riad_unix_fd_unregister(&s->w);
		close(s->w.fd);
		s->w.fd = -1;
	}
	if (s->prev)
		s->prev->next = s->next;
	else
		net->socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* A connection's error as riad/net.h names it: the host reports a
 * connection that died of timeouts as ETIMEDOUT, riad as ECONNABORTED
 * (-RIAD_ETIMEDOUT means only that the caller's deadline passed). */
static int conn_error(int e)
{
	return e == ETIMEDOUT ? -RIAD_ECONNABORTED : -e;
}

/* ---- UDP ---- */

static int host_udp_bind(struct riad_net *h, uint16_t port, struct riad_udp **out)
{
	struct host_net *net = net_of(h);
	struct host_udp *u = calloc(1, sizeof(*u));
	if (!u)
		return -RIAD_ENOMEM;
	int r = open_fd(&u->s, net, SOCK_DGRAM, false);
	if (r < 0) {
		free(u);
		return r;
	}
	struct sockaddr_in sa = sin_of(net->addr, port);
	socklen_t sl = sizeof(sa);
	if (bind(u->s.w.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(u->s.w.fd, (struct sockaddr *)&sa, &sl) < 0) {
		r = -errno;
		close_fd(&u->s);
		free(u);
		return r;
	}
	int one = 1;
	setsockopt(u->s.w.fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	u->h.port = ntohs(sa.sin_port);
	u->h.rq = &u->s.w.readable;
	*out = &u->h;
	return 0;
}

static long host_udp_sendto(struct riad_udp *hu, uint32_t dst, uint16_t dport, const void *buf,
                            size_t len)
{
	struct host_udp *u = (struct host_udp *)hu;
	struct sockaddr_in sa = sin_of(dst, dport);
	ssize_t n;
	do
		n = sendto(u->s.w.fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == ENOBUFS) {
			u->s.net->h.stats.udp.no_mem++;
			return (long)len; /* lost, as a datagram may be */
		}
		return -errno;
	}
	u->s.net->h.stats.udp.tx++;
	return (long)len;
}

static long host_udp_recvfrom(struct riad_udp *hu, void *buf, size_t len, uint32_t *src,
                              uint16_t *sport)
{
	struct host_udp *u = (struct host_udp *)hu;
	for (;;) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		ssize_t n = recvfrom(u->s.w.fd, buf, len, MSG_TRUNC, (struct sockaddr *)&sa, &sl);
		if (n >= 0) {
			u->s.net->h.stats.udp.rx++;
			if (src)
				*src = ntohl(sa.sin_addr.s_addr);
			if (sport)
				*sport = ntohs(sa.sin_port);
			return (long)n;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -RIAD_EAGAIN;
		/* EINTR, or an ICMP error of an earlier send: not this call's */
	}
}

static void host_udp_close(struct riad_udp *hu)
{
	struct host_udp *u = (struct host_udp *)hu;
	close_fd(&u->s);
	free(u);
}

/* ---- TCP ---- */

static int host_tcp_listen(struct riad_net *h, uint16_t port, unsigned backlog,
                           struct riad_tcp_listener **out)
{
	struct host_net *net = net_of(h);
	struct host_listener *l = calloc(1, sizeof(*l));
	if (!l)
		return -RIAD_ENOMEM;
	int r = open_fd(&l->s, net, SOCK_STREAM, false);
	if (r < 0) {
		free(l);
		return r;
	}
	int one = 1;
	setsockopt(l->s.w.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = sin_of(net->addr, port);
	if (bind(l->s.w.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l->s.w.fd, backlog ? (int)backlog : 1) < 0) {
		r = -errno;
		close_fd(&l->s);
		free(l);
		return r;
	}
	l->h.rq = &l->s.w.readable;
	*out = &l->h;
	return 0;
}

static struct host_tcp *conn_new(void)
{
	struct host_tcp *c = calloc(1, sizeof(*c));
	if (c) {
		c->h.rq = &c->s.w.readable;
		c->h.wq = &c->s.w.writable;
	}
	return c;
}

static int host_tcp_accept(struct riad_tcp_listener *hl, struct riad_tcp **out)
{
	struct host_listener *l = (struct host_listener *)hl;
	struct host_net *net = l->s.net;
	for (;;) {
		int fd = accept4(l->s.w.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			struct host_tcp *c = conn_new();
			if (!c) {
				close(fd);
				return -RIAD_ENOMEM;
			}
			if (sock_add(&c->s, net, fd, true) < 0) {
				free(c);
				return -RIAD_ENOMEM;
			}
			endpoints_of(c);
			net->h.stats.tcp.passive_opens++;
			net->h.stats.tcp.established++;
			*out = &c->h;
			return 0;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -RIAD_EAGAIN;
		return -errno;
	}
}

static void host_tcp_listener_close(struct riad_tcp_listener *hl)
{
	struct host_listener *l = (struct host_listener *)hl;
	close_fd(&l->s);
	free(l);
}

static int host_tcp_connect(struct riad_net *h, uint32_t dst, uint16_t port,
                            struct riad_tcp **out)
{
	struct host_net *net = net_of(h);
	struct host_tcp *c = conn_new();
	if (!c)
		return -RIAD_ENOMEM;
	int r = open_fd(&c->s, net, SOCK_STREAM, true);
	if (r < 0) {
		free(c);
		return r;
	}
	if (net->addr) {
		struct sockaddr_in la = sin_of(net->addr, 0);
		bind(c->s.w.fd, (struct sockaddr *)&la, sizeof(la));
	}
	net->h.stats.tcp.active_opens++;
	struct sockaddr_in sa = sin_of(dst, port);
	if (connect(c->s.w.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		r = -errno;
		close_fd(&c->s);
		free(c);
		return r;
	}
	*out = &c->h;
	return 0;
}

static int host_tcp_connected(struct riad_tcp *hc)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	int err = 0;
	socklen_t el = sizeof(err);
	getsockopt(c->s.w.fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err)
		return conn_error(err);
	struct sockaddr_in pa;
	socklen_t pl = sizeof(pa);
	if (getpeername(c->s.w.fd, (struct sockaddr *)&pa, &pl) < 0)
		return -RIAD_EAGAIN;
	endpoints_of(c);
	c->s.net->h.stats.tcp.established++;
	return 0;
}

static long host_tcp_read(struct riad_tcp *hc, void *buf, size_t len)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	for (;;) {
		ssize_t n = recv(c->s.w.fd, buf, len, 0);
		if (n >= 0) {
			c->s.net->h.stats.tcp.rx_bytes += (uint64_t)n;
			return (long)n;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -RIAD_EAGAIN;
		return conn_error(errno);
	}
}

/* A byte, the end of the stream or an error waiting: a peek tells. */
static bool host_tcp_readable(struct riad_tcp *hc)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	char b;
	ssize_t n = recv(c->s.w.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static long host_tcp_write(struct riad_tcp *hc, const void *buf, size_t len)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	if (c->shut)
		return -RIAD_EPIPE;
	for (;;) {
		ssize_t n = send(c->s.w.fd, buf, len, MSG_NOSIGNAL);
		if (n > 0) {
			c->s.net->h.stats.tcp.tx_bytes += (uint64_t)n;
			return (long)n;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return conn_error(errno);
		return -RIAD_EAGAIN;
	}
}

static int host_tcp_shutdown(struct riad_tcp *hc)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	c->shut = true;
	return shutdown(c->s.w.fd, SHUT_WR) < 0 ? -errno : 0;
}

static void host_tcp_close(struct riad_tcp *hc, bool abort)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	if (abort && c->s.w.fd >= 0) { /* else riad_net_close has reset it */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(c->s.w.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		c->s.net->h.stats.tcp.resets_tx++;
	}
	close_fd(&c->s);
	free(c);
}

static void host_tcp_set_nodelay(struct riad_tcp *hc, bool on)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	int v = on;
	setsockopt(c->s.w.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
}

static void host_tcp_set_keepalive(struct riad_tcp *hc, bool on, int64_t idle_ns,
                                   int64_t intvl_ns, unsigned probes)
{
	struct host_tcp *c = (struct host_tcp *)hc;
	int v = on;
	setsockopt(c->s.w.fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v));
	if (!on)
		return;
	int idle = (int)((idle_ns ? idle_ns : RIAD_TCP_KEEPALIVE_IDLE_NS) / RIAD_NS_PER_S);
	int intvl = (int)((intvl_ns ? intvl_ns : RIAD_TCP_KEEPALIVE_INTVL_NS) / RIAD_NS_PER_S);
	int cnt = (int)(probes ? probes : RIAD_TCP_KEEPALIVE_PROBES);
	idle = idle < 1 ? 1 : idle;
	intvl = intvl < 1 ? 1 : intvl;
	setsockopt(c->s.w.fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(c->s.w.fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(c->s.w.fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

static const struct riad_net_ops host_ops = {
	.up = host_up,
	.ipv4 = host_ipv4,
	.down = host_down,
	.free = host_free,
	.udp_bind = host_udp_bind,
	.udp_sendto = host_udp_sendto,
	.udp_recvfrom = host_udp_recvfrom,
	.udp_close = host_udp_close,
	.tcp_listen = host_tcp_listen,
	.tcp_accept = host_tcp_accept,
	.tcp_listener_close = host_tcp_listener_close,
	.tcp_connect = host_tcp_connect,
	.tcp_connected = host_tcp_connected,
	.tcp_read = host_tcp_read,
	.tcp_readable = host_tcp_readable,
	.tcp_write = host_tcp_write,
	.tcp_shutdown = host_tcp_shutdown,
	.tcp_close = host_tcp_close,
	.tcp_set_nodelay = host_tcp_set_nodelay,
	.tcp_set_keepalive = host_tcp_set_keepalive,
};
