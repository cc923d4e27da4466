/* stack/net_udp.c: UDP sockets over the stack glue (riad/net.h): bind, sendto, recvfrom, and the delivery of received datagrams and ICMP errors to them.
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
 * wakes their readers; sock/net_api.c then answers -RIAD_ENETDOWN on the
 * handles until the application closes them.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/time.h>

#include "runtime.h"
#include "dhcp_wire.h"
#include "stack.h"
#include "udp.h"
#include "wire.h"

static struct net_udp *find(struct net_stack *net, uint16_t port)
{
	for (struct net_udp *u = net->udp; u; u = u->next)
		if (u->h.port == port)
			return u;
	return NULL;
}

void net_udp_input(struct net_stack *net, struct ipv4_rx *rx, int64_t now)
{
	struct udp_rx u;
	if (udp_input(rx, &u, &net->h.stats) < 0)
		return;
	if (u.dport == DHCP_CLIENT_PORT && u.sport == DHCP_SERVER_PORT && net->dhcp_on) {
		net_stack_dhcp_input(net, u.p, now);
		return;
	}
	struct net_udp *s = NULL;
	/* Until it has an address, the interface takes only DHCP. */
	if (net->ip.addr)
		s = find(net, u.dport);
	if (!s) {
		udp_no_port(&net->icmp, net->ip.addr, rx, now, &net->txq, &net->h.stats);
		riad_pbuf_unref(rx->p);
		return;
	}
	if (s->n == RIAD_NET_UDP_RCVQ) {
		s->h.drops++;
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

void net_udp_icmp_error(struct net_stack *net, const struct icmp_err *e)
{
	struct wire_rd r = wire_rd(e->l4, e->l4_len);
	uint16_t sport = wire_u16(&r), dport = wire_u16(&r), len = wire_u16(&r);
	wire_u16(&r);
	int err = unreach_errno(e->type, e->code);
	struct net_udp *u = NULL;
	if (!r.err && len >= UDP_HDR_LEN && err && net->ip.addr && e->src == net->ip.addr)
		u = find(net, sport);
	if (!u || u->last_dport == 0 || u->last_dst != e->dst || u->last_dport != dport) {
		net->h.stats.udp.icmp_ignored++;
		return;
	}
	u->err = err;
	net->h.stats.udp.icmp_err++;
	riad_waitq_wake_all(&u->sock.wq);
}

/* The held ICMP error, once. */
static int take_err(struct net_udp *u)
{
	int err = u->err;
	u->err = 0;
	return err;
}

static struct net_udp *udp_of(struct riad_udp *u)
{
	return (struct net_udp *)u;
}

int net_udp_bind(struct riad_net *h, uint16_t port, struct riad_udp **out)
{
	struct net_stack *net = net_stack_of(h);
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
	struct net_udp *u = calloc(1, sizeof(*u));
	if (!u)
		return -RIAD_ENOMEM;
	u->h.rq = &u->sock.wq;
	u->h.port = port;
	u->net = net;
	u->next = net->udp;
	net->udp = u;
	net->udp_count++;
	*out = &u->h;
	return 0;
}

long net_udp_sendto(struct riad_udp *hu, uint32_t dst, uint16_t dport, const void *buf,
                    size_t len)
{
	struct net_udp *u = udp_of(hu);
	struct net_stack *net = u->net;
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
	uint64_t no_route = net->h.stats.ipv4.no_route;
	int r = udp_output(net->ip.addr, u->h.port, dst, dport, p, &net->txq, &net->h.stats);
	net_stack_flush(net);
	if (r < 0)
		return -RIAD_ENOMEM;
	if (net->h.stats.ipv4.no_route != no_route)
		return -RIAD_ENETUNREACH;
	u->last_dst = dst;
	u->last_dport = dport;
	return (long)len;
}

long net_udp_recvfrom(struct riad_udp *hu, void *buf, size_t len, uint32_t *src,
                      uint16_t *sport)
{
	struct net_udp *u = udp_of(hu);
	int err = take_err(u);
	if (err)
		return err;
	if (!u->n)
		return -RIAD_EAGAIN;
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

static void drain(struct net_udp *u)
{
	while (u->n) {
		riad_pbuf_unref(u->q[u->head].p);
		u->head = (u->head + 1) % RIAD_NET_UDP_RCVQ;
		u->n--;
	}
}

void net_udp_close(struct riad_udp *hu)
{
	struct net_udp *u = udp_of(hu);
	struct net_stack *net = u->net;
	for (struct net_udp **pp = &net->udp; *pp; pp = &(*pp)->next) {
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	}
	net->udp_count--;
	drain(u);
	free(u);
}

void net_udp_down(struct net_stack *net)
{
	for (struct net_udp *u = net->udp; u; u = u->next) {
		drain(u);
		riad_waitq_wake_all(&u->sock.wq);
	}
}
