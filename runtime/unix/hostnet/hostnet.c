/* runtime/unix/hostnet/hostnet.c: the host-socket stack: riad/net.h over the host kernel's own TCP/IP, through non-blocking sockets watched by the scheduler's epoll (unix only; chosen at link time with pkg-config riad-unix-hostnet or riad build --hostnet).
 *
 * No tap, no root, no riad protocol code: a newcomer's first network
 * unikernel runs as an ordinary process, and the same source later links
 * against riad's own stack unchanged. Each blocking call tries the system
 * call, and on EAGAIN parks the fiber on the descriptor's wait queue
 * (runtime/unix/unix.h, edge-triggered) until the kernel says it is ready
 * or the deadline passes. Interfaces are names only: every one uses all
 * of the host's addresses (or the one --ipv4 names), and there is no
 * ARP, DHCP or device beneath. Counters: UDP and TCP traffic as this
 * layer sees it; the kernel's drops are the kernel's (netstat -s).
 *
 * riad_net_close: every socket is on its stack's list from its socket()
 * to its close, so the close can reach them all. It sets net->down, resets
 * connections (SO_LINGER 0, then close), closes the other host sockets and
 * unregisters them, which wakes the fibers parked on them; every loop below
 * checks net->down after it wakes, before it touches the (closed, perhaps
 * reused) descriptor again. Each socket holds a reference on its stack, so
 * that leftover handles can still reach net->down and the counters.
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

#include "../../../net/stack_stats.h"
#include "../../runtime.h"
#include "../unix.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (here: the host's sockets)");

RIAD_ARG_IPV4(opt_ipv4, "ipv4", NULL,
              "The host address to bind to (default: all of them; a /prefix is ignored).");

/* What every socket handle starts with: its host descriptor and its place
 * on the stack's list. */
struct sock {
	struct riad_unix_fd w;
	struct riad_net *net;
	struct sock *prev, *next;
	bool is_tcp; /* a connection, reset by riad_net_close (a listener is closed) */
};

struct riad_net {
	char name[64];
	uint32_t addr;
	bool down;     /* riad_net_close has run */
	unsigned refs; /* 1 until riad_net_close, plus one per socket */
	struct sock *socks;
	struct riad_net_stats stats;
	struct riad_net *next;
};

struct riad_udp {
	struct sock s;
	uint16_t port;
	uint64_t drops;
};

struct riad_tcp {
	struct sock s;
	bool shut;
	/* riad_tcp_endpoints, kept when riad_net_close closes the socket */
	uint32_t laddr, raddr;
	uint16_t lport, rport;
};

struct riad_tcp_listener {
	struct sock s;
};

static struct riad_net *nets;

int riad_net_open(const char *name, struct riad_net **out)
{
	for (struct riad_net *n = nets; n; n = n->next) {
		if (strcmp(n->name, name) == 0) {
			*out = n;
			return 0;
		}
	}
	struct riad_net *n = calloc(1, sizeof(*n));
	if (!n)
		return -RIAD_ENOMEM;
	size_t len = strlen(name);
	if (len >= sizeof(n->name))
		len = sizeof(n->name) - 1;
	memcpy(n->name, name, len);
	n->addr = opt_ipv4.set ? opt_ipv4.addr : 0;
	n->refs = 1;
	n->next = nets;
	nets = n;
	char text[RIAD_IPV4_STRLEN];
	riad_info(net_log, "%s: the host's sockets, bound to %s", n->name,
	          n->addr ? riad_ipv4_format(n->addr, text) : "every host address");
	*out = n;
	return 0;
}

int riad_net_create(struct riad_netif *nif, const char *name, const struct riad_net_config *cfg,
                    struct riad_net **out)
{
	(void)nif;
	(void)name;
	(void)cfg;
	(void)out;
	riad_err(net_log, "riad_net_create: the host-socket stack takes no net device");
	return -RIAD_ENODEV;
}

static void net_unref(struct riad_net *net)
{
	if (--net->refs == 0)
		free(net);
}

static void tcp_keep_endpoints(struct riad_tcp *c);

int riad_net_close(struct riad_net *net)
{
	if (net->down)
		riad_panic("riad_net_close: interface %s closed twice", net->name);
	for (struct riad_net **pp = &nets; *pp; pp = &(*pp)->next) {
		if (*pp == net) {
			*pp = net->next;
			break;
		}
	}
	net->next = NULL;
	net->down = true;
	for (struct sock *s = net->socks; s; s = s->next) {
		if (s->is_tcp) {
			tcp_keep_endpoints((struct riad_tcp *)s);
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };
			setsockopt(s->w.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			net->stats.tcp.resets_tx++;
		}
		riad_unix_fd_unregister(&s->w); /* wakes its fibers: they see net->down */
		close(s->w.fd);
		s->w.fd = -1;
	}
	riad_info(net_log, "%s: closed", net->name);
	net_unref(net);
	return 0;
}

/* The host's interfaces are up before main runs; there is nothing to wait
 * for. */
int riad_net_wait_up(struct riad_net *net, int64_t deadline)
{
	(void)deadline;
	return net->down ? -RIAD_ENETDOWN : 0;
}

void riad_net_ipv4(const struct riad_net *net, uint32_t *addr, unsigned *prefix,
                   uint32_t *gateway)
{
	if (addr)
		*addr = net->addr;
	if (prefix)
		*prefix = 0;
	if (gateway)
		*gateway = 0;
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
}

uint64_t riad_net_drops(const struct riad_net *net)
{
	return net_stats_drops(&net->stats);
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
static int sock_add(struct sock *s, struct riad_net *net, int fd, bool is_tcp)
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
	net->refs++;
	return 0;
}

/* A new non-blocking socket of this type, watched by the scheduler. */
static int open_fd(struct sock *s, struct riad_net *net, int type, bool is_tcp)
{
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	return sock_add(s, net, fd, is_tcp);
}

/* Close the host socket unless riad_net_close did, leave the list and
 * free s (the first member of its handle). */
static void close_fd(struct sock *s, const char *what)
{
	struct riad_net *net = s->net;
	if (s->w.readable.head || s->w.writable.head)
		riad_panic("%s: a fiber is waiting on the socket", what);
	if (s->w.fd >= 0) {
		riad_unix_fd_unregister(&s->w);
		close(s->w.fd);
	}
	if (s->prev)
		s->prev->next = s->next;
	else
		net->socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
	free(s);
	net_unref(net);
}

/* A connection's error as riad/net.h names it: the host reports a
 * connection that died of timeouts as ETIMEDOUT, riad as ECONNABORTED
 * (-RIAD_ETIMEDOUT means only that the caller's deadline passed). */
static int conn_error(int e)
{
	return e == ETIMEDOUT ? -RIAD_ECONNABORTED : -e;
}

/* Park until ready or the deadline: 0, or -RIAD_ETIMEDOUT once it passed,
 * or -RIAD_EINTR if riad_fiber_interrupt ended the wait. */
static int park(struct riad_waitq *q, int64_t deadline)
{
	if (riad_time_ns() >= deadline)
		return -RIAD_ETIMEDOUT;
	return riad_waitq_wait(q, deadline) == -RIAD_EINTR ? -RIAD_EINTR : 0;
}

/* ---- UDP ---- */

int riad_udp_bind(struct riad_net *net, uint16_t port, struct riad_udp **out)
{
	struct riad_udp *u = calloc(1, sizeof(*u));
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
		close_fd(&u->s, "riad_udp_bind");
		return r;
	}
	int one = 1;
	setsockopt(u->s.w.fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	u->port = ntohs(sa.sin_port);
	*out = u;
	return 0;
}

long riad_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                     size_t len)
{
	if (u->s.net->down)
		return -RIAD_ENETDOWN;
	if (len > 65507)
		return -RIAD_EMSGSIZE;
	if (dport == 0)
		return -RIAD_EINVAL;
	struct sockaddr_in sa = sin_of(dst, dport);
	ssize_t n;
	do
		n = sendto(u->s.w.fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == ENOBUFS) {
			u->s.net->stats.udp.no_mem++;
			return (long)len; /* lost, as a datagram may be */
		}
		return -errno;
	}
	u->s.net->stats.udp.tx++;
	return (long)len;
}

long riad_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                       uint16_t *sport, int64_t deadline)
{
	for (;;) {
		if (u->s.net->down)
			return -RIAD_ENETDOWN;
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		ssize_t n = recvfrom(u->s.w.fd, buf, len, MSG_TRUNC, (struct sockaddr *)&sa, &sl);
		if (n >= 0) {
			u->s.net->stats.udp.rx++;
			if (src)
				*src = ntohl(sa.sin_addr.s_addr);
			if (sport)
				*sport = ntohs(sa.sin_port);
			return (long)n;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			continue; /* an ICMP error of an earlier send: not this call's */
		int r = park(&u->s.w.readable, deadline);
		if (r < 0)
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
	close_fd(&u->s, "riad_udp_close");
}

/* ---- TCP ---- */

int riad_tcp_listen(struct riad_net *net, uint16_t port, unsigned backlog,
                    struct riad_tcp_listener **out)
{
	if (port == 0)
		return -RIAD_EINVAL;
	struct riad_tcp_listener *l = calloc(1, sizeof(*l));
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
		close_fd(&l->s, "riad_tcp_listen");
		return r;
	}
	*out = l;
	return 0;
}

static struct riad_tcp *wrap(struct riad_net *net, int fd)
{
	struct riad_tcp *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return NULL;
	}
	if (sock_add(&c->s, net, fd, true) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

int riad_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out, int64_t deadline)
{
	struct riad_net *net = l->s.net;
	for (;;) {
		if (net->down)
			return -RIAD_ENETDOWN;
		int fd = accept4(l->s.w.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			struct riad_tcp *c = wrap(net, fd);
			if (!c)
				return -RIAD_ENOMEM;
			net->stats.tcp.passive_opens++;
			net->stats.tcp.established++;
			*out = c;
			return 0;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int r = park(&l->s.w.readable, deadline);
		if (r < 0)
			return r;
	}
}

void riad_tcp_listener_close(struct riad_tcp_listener *l)
{
	close_fd(&l->s, "riad_tcp_listener_close");
}

int riad_tcp_connect(struct riad_net *net, uint32_t dst, uint16_t port, struct riad_tcp **out,
                     int64_t deadline)
{
	struct riad_tcp *c = calloc(1, sizeof(*c));
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
	net->stats.tcp.active_opens++;
	struct sockaddr_in sa = sin_of(dst, port);
	if (connect(c->s.w.fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		goto connected;
	if (errno != EINPROGRESS) {
		r = -errno;
		goto fail;
	}
	for (;;) {
		if (net->down) {
			r = -RIAD_ENETDOWN;
			goto fail;
		}
		int err = 0;
		socklen_t el = sizeof(err);
		getsockopt(c->s.w.fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			r = conn_error(err);
			goto fail;
		}
		struct sockaddr_in pa;
		socklen_t pl = sizeof(pa);
		if (getpeername(c->s.w.fd, (struct sockaddr *)&pa, &pl) == 0)
			goto connected;
		r = park(&c->s.w.writable, deadline);
		if (r < 0)
			goto fail;
	}
connected:
	net->stats.tcp.established++;
	*out = c;
	return 0;
fail:
	close_fd(&c->s, "riad_tcp_connect");
	return r;
}

long riad_tcp_read(struct riad_tcp *c, void *buf, size_t len, int64_t deadline)
{
	if (len == 0)
		return -RIAD_EINVAL;
	for (;;) {
		if (c->s.net->down)
			return -RIAD_ENETDOWN;
		ssize_t n = recv(c->s.w.fd, buf, len, 0);
		if (n >= 0) {
			c->s.net->stats.tcp.rx_bytes += (uint64_t)n;
			return (long)n;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return conn_error(errno);
		int r = park(&c->s.w.readable, deadline);
		if (r < 0)
			return r;
	}
}

long riad_tcp_write(struct riad_tcp *c, const void *buf, size_t len, int64_t deadline)
{
	const uint8_t *b = buf;
	size_t done = 0;
	if (c->s.net->down)
		return -RIAD_ENETDOWN;
	if (c->shut)
		return -RIAD_EPIPE;
	while (done < len) {
		if (c->s.net->down)
			return done ? (long)done : -RIAD_ENETDOWN;
		ssize_t n = send(c->s.w.fd, b + done, len - done, MSG_NOSIGNAL);
		if (n > 0) {
			done += (size_t)n;
			c->s.net->stats.tcp.tx_bytes += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return done ? (long)done : conn_error(errno);
		int r = park(&c->s.w.writable, deadline);
		if (r < 0)
			return done ? (long)done : r;
	}
	return (long)done;
}

int riad_tcp_shutdown(struct riad_tcp *c)
{
	if (c->s.net->down)
		return -RIAD_ENETDOWN;
	c->shut = true;
	return shutdown(c->s.w.fd, SHUT_WR) < 0 ? -errno : 0;
}

void riad_tcp_close(struct riad_tcp *c)
{
	close_fd(&c->s, "riad_tcp_close");
}

void riad_tcp_abort(struct riad_tcp *c)
{
	if (!c->s.net->down) { /* else riad_net_close has reset it */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		setsockopt(c->s.w.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		c->s.net->stats.tcp.resets_tx++;
	}
	riad_tcp_close(c);
}

void riad_tcp_set_nodelay(struct riad_tcp *c, bool on)
{
	if (c->s.net->down)
		return;
	int v = on;
	setsockopt(c->s.w.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
}

void riad_tcp_set_keepalive(struct riad_tcp *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                            unsigned probes)
{
	if (c->s.net->down)
		return;
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

/* The connection's addresses as the host has them (zeros if it has none). */
static void endpoints_of(int fd, uint32_t *laddr, uint16_t *lport, uint32_t *raddr,
                         uint16_t *rport)
{
	struct sockaddr_in la, ra;
	socklen_t ll = sizeof(la), rl = sizeof(ra);
	memset(&la, 0, sizeof(la));
	memset(&ra, 0, sizeof(ra));
	getsockname(fd, (struct sockaddr *)&la, &ll);
	getpeername(fd, (struct sockaddr *)&ra, &rl);
	*laddr = ntohl(la.sin_addr.s_addr);
	*lport = ntohs(la.sin_port);
	*raddr = ntohl(ra.sin_addr.s_addr);
	*rport = ntohs(ra.sin_port);
}

static void tcp_keep_endpoints(struct riad_tcp *c)
{
	endpoints_of(c->s.w.fd, &c->laddr, &c->lport, &c->raddr, &c->rport);
}

void riad_tcp_endpoints(const struct riad_tcp *c, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport)
{
	uint32_t la = c->laddr, ra = c->raddr;
	uint16_t lp = c->lport, rp = c->rport;
	if (!c->s.net->down)
		endpoints_of(c->s.w.fd, &la, &lp, &ra, &rp);
	if (laddr)
		*laddr = la;
	if (lport)
		*lport = lp;
	if (raddr)
		*raddr = ra;
	if (rport)
		*rport = rp;
}
