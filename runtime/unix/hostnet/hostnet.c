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

struct riad_net {
	char name[64];
	uint32_t addr;
	struct riad_net_stats stats;
	struct riad_net *next;
};

struct riad_udp {
	struct riad_unix_fd w;
	struct riad_net *net;
	uint16_t port;
	uint64_t drops;
};

struct riad_tcp {
	struct riad_unix_fd w;
	struct riad_net *net;
	bool shut;
};

struct riad_tcp_listener {
	struct riad_unix_fd w;
	struct riad_net *net;
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

/* Not done here: the sockets live in the host, and taking them down would
 * need every handle listed and every parked fiber woken. The stack stays
 * as it was. */
int riad_net_close(struct riad_net *net)
{
	riad_warn(net_log, "%s: riad_net_close: not supported by the host-socket stack",
	          net->name);
	return -RIAD_ENOTSUP;
}

int riad_net_wait_up(struct riad_net *net, int64_t deadline)
{
	(void)net;
	(void)deadline;
	return 0;
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

/* A new non-blocking socket of this type, watched by the scheduler. */
static int open_fd(struct riad_unix_fd *w, int type)
{
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int r = riad_unix_fd_register(w, fd);
	if (r < 0)
		close(fd);
	return r;
}

static void close_fd(struct riad_unix_fd *w, const char *what)
{
	if (w->readable.head || w->writable.head)
		riad_panic("%s: a fiber is waiting on the socket", what);
	riad_unix_fd_unregister(w);
	close(w->fd);
}

/* Park until ready or the deadline: 0, or -RIAD_ETIMEDOUT once it passed. */
static int park(struct riad_waitq *q, int64_t deadline)
{
	if (riad_time_ns() >= deadline)
		return -RIAD_ETIMEDOUT;
	riad_waitq_wait(q, deadline);
	return 0;
}

/* ---- UDP ---- */

int riad_udp_bind(struct riad_net *net, uint16_t port, struct riad_udp **out)
{
	struct riad_udp *u = calloc(1, sizeof(*u));
	if (!u)
		return -RIAD_ENOMEM;
	int r = open_fd(&u->w, SOCK_DGRAM);
	if (r < 0) {
		free(u);
		return r;
	}
	struct sockaddr_in sa = sin_of(net->addr, port);
	socklen_t sl = sizeof(sa);
	if (bind(u->w.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(u->w.fd, (struct sockaddr *)&sa, &sl) < 0) {
		r = -errno;
		close_fd(&u->w, "riad_udp_bind");
		free(u);
		return r;
	}
	int one = 1;
	setsockopt(u->w.fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	u->net = net;
	u->port = ntohs(sa.sin_port);
	*out = u;
	return 0;
}

long riad_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                     size_t len)
{
	if (len > 65507)
		return -RIAD_EMSGSIZE;
	if (dport == 0)
		return -RIAD_EINVAL;
	struct sockaddr_in sa = sin_of(dst, dport);
	ssize_t n;
	do
		n = sendto(u->w.fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == ENOBUFS) {
			u->net->stats.udp.no_mem++;
			return (long)len; /* lost, as a datagram may be */
		}
		return -errno;
	}
	u->net->stats.udp.tx++;
	return (long)len;
}

long riad_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                       uint16_t *sport, int64_t deadline)
{
	for (;;) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		ssize_t n = recvfrom(u->w.fd, buf, len, MSG_TRUNC, (struct sockaddr *)&sa, &sl);
		if (n >= 0) {
			u->net->stats.udp.rx++;
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
		if (park(&u->w.readable, deadline) < 0)
			return -RIAD_ETIMEDOUT;
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
	close_fd(&u->w, "riad_udp_close");
	free(u);
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
	int r = open_fd(&l->w, SOCK_STREAM);
	if (r < 0) {
		free(l);
		return r;
	}
	int one = 1;
	setsockopt(l->w.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = sin_of(net->addr, port);
	if (bind(l->w.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l->w.fd, backlog ? (int)backlog : 1) < 0) {
		r = -errno;
		close_fd(&l->w, "riad_tcp_listen");
		free(l);
		return r;
	}
	l->net = net;
	*out = l;
	return 0;
}

static struct riad_tcp *wrap(struct riad_net *net, int fd)
{
	struct riad_tcp *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (riad_unix_fd_register(&c->w, fd) < 0) {
		free(c);
		return NULL;
	}
	c->net = net;
	return c;
}

int riad_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out, int64_t deadline)
{
	for (;;) {
		int fd = accept4(l->w.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			struct riad_tcp *c = wrap(l->net, fd);
			if (!c) {
				close(fd);
				return -RIAD_ENOMEM;
			}
			l->net->stats.tcp.passive_opens++;
			l->net->stats.tcp.established++;
			*out = c;
			return 0;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (park(&l->w.readable, deadline) < 0)
			return -RIAD_ETIMEDOUT;
	}
}

void riad_tcp_listener_close(struct riad_tcp_listener *l)
{
	close_fd(&l->w, "riad_tcp_listener_close");
	free(l);
}

int riad_tcp_connect(struct riad_net *net, uint32_t dst, uint16_t port, struct riad_tcp **out,
                     int64_t deadline)
{
	struct riad_tcp *c = calloc(1, sizeof(*c));
	if (!c)
		return -RIAD_ENOMEM;
	int r = open_fd(&c->w, SOCK_STREAM);
	if (r < 0) {
		free(c);
		return r;
	}
	c->net = net;
	if (net->addr) {
		struct sockaddr_in la = sin_of(net->addr, 0);
		bind(c->w.fd, (struct sockaddr *)&la, sizeof(la));
	}
	net->stats.tcp.active_opens++;
	struct sockaddr_in sa = sin_of(dst, port);
	if (connect(c->w.fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		goto connected;
	if (errno != EINPROGRESS) {
		r = -errno;
		goto fail;
	}
	for (;;) {
		int err = 0;
		socklen_t el = sizeof(err);
		getsockopt(c->w.fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			r = -err;
			goto fail;
		}
		struct sockaddr_in pa;
		socklen_t pl = sizeof(pa);
		if (getpeername(c->w.fd, (struct sockaddr *)&pa, &pl) == 0)
			goto connected;
		if (park(&c->w.writable, deadline) < 0) {
			r = -RIAD_ETIMEDOUT;
			goto fail;
		}
	}
connected:
	net->stats.tcp.established++;
	*out = c;
	return 0;
fail:
	close_fd(&c->w, "riad_tcp_connect");
	free(c);
	return r;
}

long riad_tcp_read(struct riad_tcp *c, void *buf, size_t len, int64_t deadline)
{
	if (len == 0)
		return -RIAD_EINVAL;
	for (;;) {
		ssize_t n = recv(c->w.fd, buf, len, 0);
		if (n >= 0) {
			c->net->stats.tcp.rx_bytes += (uint64_t)n;
			return (long)n;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (park(&c->w.readable, deadline) < 0)
			return -RIAD_ETIMEDOUT;
	}
}

long riad_tcp_write(struct riad_tcp *c, const void *buf, size_t len, int64_t deadline)
{
	const uint8_t *b = buf;
	size_t done = 0;
	if (c->shut)
		return -RIAD_EPIPE;
	while (done < len) {
		ssize_t n = send(c->w.fd, b + done, len - done, MSG_NOSIGNAL);
		if (n > 0) {
			done += (size_t)n;
			c->net->stats.tcp.tx_bytes += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return done ? (long)done : -errno;
		if (park(&c->w.writable, deadline) < 0)
			return done ? (long)done : -RIAD_ETIMEDOUT;
	}
	return (long)done;
}

int riad_tcp_shutdown(struct riad_tcp *c)
{
	c->shut = true;
	return shutdown(c->w.fd, SHUT_WR) < 0 ? -errno : 0;
}

void riad_tcp_close(struct riad_tcp *c)
{
	close_fd(&c->w, "riad_tcp_close");
	free(c);
}

void riad_tcp_abort(struct riad_tcp *c)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(c->w.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	c->net->stats.tcp.resets_tx++;
	riad_tcp_close(c);
}

void riad_tcp_set_nodelay(struct riad_tcp *c, bool on)
{
	int v = on;
	setsockopt(c->w.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
}

void riad_tcp_set_keepalive(struct riad_tcp *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                            unsigned probes)
{
	int v = on;
	setsockopt(c->w.fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v));
	if (!on)
		return;
	int idle = (int)((idle_ns ? idle_ns : RIAD_TCP_KEEPALIVE_IDLE_NS) / RIAD_NS_PER_S);
	int intvl = (int)((intvl_ns ? intvl_ns : RIAD_TCP_KEEPALIVE_INTVL_NS) / RIAD_NS_PER_S);
	int cnt = (int)(probes ? probes : RIAD_TCP_KEEPALIVE_PROBES);
	idle = idle < 1 ? 1 : idle;
	intvl = intvl < 1 ? 1 : intvl;
	setsockopt(c->w.fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(c->w.fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(c->w.fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

void riad_tcp_endpoints(const struct riad_tcp *c, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport)
{
	struct sockaddr_in la, ra;
	socklen_t ll = sizeof(la), rl = sizeof(ra);
	memset(&la, 0, sizeof(la));
	memset(&ra, 0, sizeof(ra));
	getsockname(c->w.fd, (struct sockaddr *)&la, &ll);
	getpeername(c->w.fd, (struct sockaddr *)&ra, &rl);
	if (laddr)
		*laddr = ntohl(la.sin_addr.s_addr);
	if (lport)
		*lport = ntohs(la.sin_port);
	if (raddr)
		*raddr = ntohl(ra.sin_addr.s_addr);
	if (rport)
		*rport = ntohs(ra.sin_port);
}
