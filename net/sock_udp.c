/* net/sock_udp.c: UDP sockets over the stack glue (riad/net.h): bind, sendto, recvfrom, and the delivery of received datagrams and ICMP errors to them.
 *
 * ICMP errors (RFC 1122 4.1.3.3: UDP MUST pass them to the application).
 * A socket has no connect(); it remembers the destination it last sent to
 * and believes an error only if the quoted datagram is one it could have
 * sent that way (RFC 5927 4: the quote names our address, the socket's
 * port, and that destination address and port; a blind attacker must
 * guess all of them). The error is held on the socket and returned once
 * by its next recvfrom or sendto, as Linux does on a connected socket.
 *
 * Closing the stack (net_udp_down) drops what the sockets queued and
 * leaves the handles, which then return -RIAD_ENETDOWN from sendto and
 * recvfrom until the application closes them; each holds a reference to
 * the stack.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/time.h>

#include "../runtime/runtime.h"
#include "dhcp_wire.h"
#include "stack.h"
#include "udp.h"
#include "wire.h"

#define UDP_PAYLOAD_MAX 65507

static struct riad_udp *find(struct riad_net *net, uint16_t port)
{
	for (struct riad_udp *u = net->udp; u; u = u->next)
		if (u->port == port)
			return u;
	return NULL;
}

void net_udp_input(struct riad_net *net, struct ipv4_rx *rx, int64_t now)
{
	struct udp_rx u;
	if (udp_input(rx, &u, &net->stats) < 0)
		return;
	if (u.dport == DHCP_CLIENT_PORT && u.sport == DHCP_SERVER_PORT && net->dhcp_on) {
		net_udp_dhcp(net, u.p, now);
		return;
	}
	struct riad_udp *s = NULL;
	/* Until it has an address, the interface takes only DHCP. */
	if (net->ip.addr)
		s = find(net, u.dport);
	if (!s) {
		udp_no_port(&net->icmp, net->ip.addr, rx, now, &net->txq, &net->stats);
		riad_pbuf_unref(rx->p);
		return;
	}
	if (s->n == RIAD_NET_UDP_RCVQ) {
		s->drops++;
		riad_pbuf_unref(u.p);
		return;
	}
	s->q[(s->head + s->n++) % RIAD_NET_UDP_RCVQ] =
		(struct net_udp_dgram){ .src = rx->src, .sport = u.sport, .p = u.p };
	riad_waitq_wake_one(&s->sock.wq);
}

/* The error a socket returns for an ICMP error (Linux's icmp_err_convert
 * for the codes that apply to a host), or 0 for those not reported:
 * fragmentation needed (we send UDP without DF, so a router fragments and
 * never sends it about our datagrams) and the soft errors other than
 * unreachable (time exceeded, parameter problem, source quench). */
static int unreach_errno(uint8_t type, uint8_t code)
{
	if (type != ICMP_DEST_UNREACH)
		return 0;
	switch (code) {
	case ICMP_UNREACH_NEEDFRAG:
		return 0;
	case ICMP_UNREACH_PROTO:
	case ICMP_UNREACH_PORT:
		return -RIAD_ECONNREFUSED;
	case ICMP_UNREACH_NET:
	case 6:  /* destination network unknown (RFC 1122 3.2.2.1) */
	case 9:  /* network administratively prohibited */
	case 11: /* network unreachable for the type of service */
		return -RIAD_ENETUNREACH;
	default: /* host unreachable, unknown, prohibited; filtered (RFC 1812) */
		return -RIAD_EHOSTUNREACH;
	}
}

void net_udp_icmp_error(struct riad_net *net, const struct icmp_err *e)
{
	struct wire_rd r = wire_rd(e->l4, e->l4_len);
	uint16_t sport = wire_u16(&r), dport = wire_u16(&r), len = wire_u16(&r);
	wire_u16(&r);
	int err = unreach_errno(e->type, e->code);
	struct riad_udp *u = NULL;
	if (!r.err && len >= UDP_HDR_LEN && err && net->ip.addr && e->src == net->ip.addr)
		u = find(net, sport);
	if (!u || u->last_dport == 0 || u->last_dst != e->dst || u->last_dport != dport) {
		net->stats.udp.icmp_ignored++;
		return;
	}
	u->err = err;
	net->stats.udp.icmp_err++;
	riad_waitq_wake_all(&u->sock.wq);
}

/* The held ICMP error, once. */
static int take_err(struct riad_udp *u)
{
	int err = u->err;
	u->err = 0;
	return err;
}

int riad_udp_bind(struct riad_net *net, uint16_t port, struct riad_udp **out)
{
	if (net->down)
		return -RIAD_ENETDOWN;
	if (net->udp_count >= RIAD_NET_UDP_SOCKETS)
		return -RIAD_ENOBUFS;
	if (port == 0) {
		for (unsigned i = 0; i < 16384 && !port; i++) {
			uint16_t p = net->udp_next_port;
			net->udp_next_port = (uint16_t)(p == 65535 ? 49152 : p + 1);
			if (!find(net, p))
				port = p;
		}
		if (!port)
			return -RIAD_EADDRNOTAVAIL;
	} else if (find(net, port) || (port == DHCP_CLIENT_PORT && net->dhcp_on)) {
		return -RIAD_EADDRINUSE;
	}
	struct riad_udp *u = calloc(1, sizeof(*u));
	if (!u)
		return -RIAD_ENOMEM;
	u->net = net;
	u->port = port;
	u->next = net->udp;
	net->udp = u;
	net->udp_count++;
	net_stack_ref(net);
	*out = u;
	return 0;
}

long riad_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                     size_t len)
{
	struct riad_net *net = u->net;
	if (net->down)
		return -RIAD_ENETDOWN;
	if (len > UDP_PAYLOAD_MAX)
		return -RIAD_EMSGSIZE;
	if (dport == 0)
		return -RIAD_EINVAL;
	if (!net->ip.addr)
		return -RIAD_ENETUNREACH;
	int err = take_err(u);
	if (err)
		return err;
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, len);
	if (!p)
		return -RIAD_ENOMEM;
	if (len)
		memcpy(p->data, buf, len);
	uint64_t no_route = net->stats.ipv4.no_route;
	int r = udp_output(net->ip.addr, u->port, dst, dport, p, &net->txq, &net->stats);
	net_stack_flush(net);
	if (r < 0)
		return -RIAD_ENOMEM;
	if (net->stats.ipv4.no_route != no_route)
		return -RIAD_ENETUNREACH;
	u->last_dst = dst;
	u->last_dport = dport;
	return (long)len;
}

long riad_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                       uint16_t *sport, int64_t deadline)
{
	for (;;) {
		if (u->net->down)
			return -RIAD_ENETDOWN;
		int err = take_err(u);
		if (err)
			return err;
		if (u->n)
			break;
		if (riad_time_ns() >= deadline)
			return -RIAD_ETIMEDOUT;
		if (riad_waitq_wait(&u->sock.wq, deadline) == -RIAD_EINTR)
			return -RIAD_EINTR;
	}
	struct net_udp_dgram d = u->q[u->head];
	u->head = (u->head + 1) % RIAD_NET_UDP_RCVQ;
	u->n--;
	size_t n = d.p->len < len ? d.p->len : len;
	if (n)
		memcpy(buf, d.p->data, n);
	long full = (long)d.p->len;
	if (src)
		*src = d.src;
	if (sport)
		*sport = d.sport;
	riad_pbuf_unref(d.p);
	return full;
}

uint16_t riad_udp_port(const struct riad_udp *u)
{
	return u->port;
}

uint64_t riad_udp_drops(const struct riad_udp *u)
{
	return u->drops;
}

static void drain(struct riad_udp *u)
{
	while (u->n) {
		riad_pbuf_unref(u->q[u->head].p);
		u->head = (u->head + 1) % RIAD_NET_UDP_RCVQ;
		u->n--;
	}
}

void riad_udp_close(struct riad_udp *u)
{
	if (u->sock.wq.head)
		riad_panic("riad_udp_close: a fiber is waiting on port %u", (unsigned)u->port);
	struct riad_net *net = u->net;
	for (struct riad_udp **pp = &net->udp; *pp; pp = &(*pp)->next) {
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	}
	net->udp_count--;
	drain(u);
	free(u);
	net_stack_unref(net);
}

void net_udp_down(struct riad_net *net)
{
	for (struct riad_udp *u = net->udp; u; u = u->next) {
		drain(u);
		riad_waitq_wake_all(&u->sock.wq);
	}
}
