/* net/sock_udp.c: UDP sockets over the stack glue (riad/net.h): bind, sendto, recvfrom, and the delivery of received datagrams to them. */
#include <stdlib.h>
#include <string.h>

#include <riad/time.h>

#include "../runtime/runtime.h"
#include "dhcp_wire.h"
#include "stack.h"
#include "udp.h"

#define UDP_PAYLOAD_MAX 65507

void net_udp_dhcp(struct riad_net *net, struct riad_pbuf *p, int64_t now);

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

int riad_udp_bind(struct riad_net *net, uint16_t port, struct riad_udp **out)
{
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
	*out = u;
	return 0;
}

long riad_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                     size_t len)
{
	struct riad_net *net = u->net;
	if (len > UDP_PAYLOAD_MAX)
		return -RIAD_EMSGSIZE;
	if (dport == 0)
		return -RIAD_EINVAL;
	if (!net->ip.addr)
		return -RIAD_ENETUNREACH;
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
	return (long)len;
}

long riad_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                       uint16_t *sport, int64_t deadline)
{
	while (u->n == 0) {
		if (riad_time_ns() >= deadline)
			return -RIAD_ETIMEDOUT;
		riad_waitq_wait(&u->sock.wq, deadline);
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
	while (u->n) {
		riad_pbuf_unref(u->q[u->head].p);
		u->head = (u->head + 1) % RIAD_NET_UDP_RCVQ;
		u->n--;
	}
	free(u);
}
