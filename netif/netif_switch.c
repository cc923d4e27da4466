/* netif/netif_switch.c: an in-memory Ethernet switch whose ports are netifs,
 * to wire several stacks together in one process for tests (riad/netif_switch.h).
 *
 * Invariants:
 *  1. A port is in sw->ports[port->index] from creation to close, and only
 *     there; port->sw outlives it (riad_netif_switch_free closes the ports
 *     first).
 *  2. Every pbuf on a port's queue is that port's alone (refs == 1, not on
 *     any other queue), has RIAD_NETIF_RX_HEADROOM of headroom and a length
 *     the port's MTU allows; queue.count <= RIAD_NETIF_SWITCH_QUEUE.
 *  3. A fiber is parked on port->waiters only while the queue is empty
 *     (delivery wakes them all at once).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/netif_switch.h>

#include "runtime.h"

struct port {
	struct riad_netif nif;
	struct riad_netif_switch *sw;
	unsigned index;
	bool promisc;
	struct riad_pbuf_queue queue;
	struct riad_waitq waiters;
};

struct riad_netif_switch {
	unsigned id;
	struct port *ports[RIAD_NETIF_SWITCH_PORTS];
	struct riad_netif_switch_stats stats;
};

static const struct riad_netif_ops switch_ops;

static unsigned switches_made;

static struct port *port_of(const struct riad_netif *nif)
{
	if (nif->ops != &switch_ops)
		riad_panic("netif %s is not a switch port", nif->name);
	return nif->state;
}

/* A pbuf the receiving port may own (invariant 2): the sender's own if
 * take is allowed and it qualifies, else a copy. NULL if out of memory. */
static struct riad_pbuf *rx_buffer(struct riad_pbuf *p, bool take, bool *taken)
{
	if (take && p->refs == 1 && riad_pbuf_headroom(p) >= RIAD_NETIF_RX_HEADROOM) {
		*taken = true;
		return p;
	}
	struct riad_pbuf *c = riad_pbuf_alloc(RIAD_NETIF_RX_HEADROOM, p->len);
	if (c)
		memcpy(c->data, p->data, p->len);
	return c;
}

static void deliver(struct port *to, struct riad_pbuf *p, bool take, bool *taken)
{
	struct riad_netif_switch *sw = to->sw;
	struct riad_netif_stats *st = &to->nif.stats;
	if (!riad_netif_len_ok(&to->nif, p->len)) {
		st->rx_drop_size++;
		goto drop;
	}
	if (to->queue.count >= RIAD_NETIF_SWITCH_QUEUE) {
		st->rx_drop_queue++;
		goto drop;
	}
	struct riad_pbuf *q = rx_buffer(p, take, taken);
	if (!q) {
		st->rx_drop_nomem++;
		goto drop;
	}
	riad_pbuf_queue_push(&to->queue, q);
	sw->stats.delivered++;
	riad_waitq_wake_all(&to->waiters);
	return;
drop:
	sw->stats.dropped++;
}

static int port_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	struct port *from = nif->state;
	struct riad_netif_switch *sw = from->sw;
	if (!riad_netif_len_ok(nif, p->len)) {
		nif->stats.tx_drop_size++;
		riad_pbuf_unref(p);
		return -RIAD_EMSGSIZE;
	}
	nif->stats.tx_frames++;
	nif->stats.tx_bytes += p->len;
	sw->stats.frames++;

	const uint8_t *dst = p->data;
	bool group = riad_netif_mac_is_group(dst), addressed = group;
	struct port *to[RIAD_NETIF_SWITCH_PORTS];
	size_t n = 0;
	for (unsigned i = 0; i < RIAD_NETIF_SWITCH_PORTS; i++) {
		struct port *q = sw->ports[i];
		if (!q || q == from)
			continue;
		bool match = !group && memcmp(q->nif.mac, dst, RIAD_NETIF_MAC_LEN) == 0;
		addressed |= match;
		if (group || match || q->promisc)
			to[n++] = q;
	}
	if (!addressed)
		sw->stats.no_dest++;
	/* The last receiver may take the sender's buffer itself. */
	bool taken = false;
	for (size_t i = 0; i < n; i++)
		deliver(to[i], p, i + 1 == n, &taken);
	if (!taken)
		riad_pbuf_unref(p);
	return 0;
}

static struct riad_pbuf *port_recv(struct riad_netif *nif)
{
	struct port *port = nif->state;
	struct riad_pbuf *p = riad_pbuf_queue_pop(&port->queue);
	if (p) {
		nif->stats.rx_frames++;
		nif->stats.rx_bytes += p->len;
	}
	return p;
}

static int port_wait(struct riad_netif *nif, int64_t deadline)
{
	struct port *port = nif->state;
	if (port->queue.count > 0)
		return 0;
	return riad_waitq_wait(&port->waiters, deadline);
}

static void port_close(struct riad_netif *nif)
{
	struct port *port = nif->state;
	if (port->waiters.head)
		riad_panic("netif %s closed while a fiber waits on it", nif->name);
	riad_pbuf_queue_clear(&port->queue);
	port->sw->ports[port->index] = NULL;
	free(port);
}

static const struct riad_netif_ops switch_ops = {
	.send = port_send,
	.recv = port_recv,
	.wait = port_wait,
	.close = port_close,
};

struct riad_netif_switch *riad_netif_switch_new(void)
{
	struct riad_netif_switch *sw = calloc(1, sizeof(*sw));
	if (sw)
		sw->id = switches_made++;
	return sw;
}

void riad_netif_switch_free(struct riad_netif_switch *sw)
{
	if (!sw)
		return;
	for (unsigned i = 0; i < RIAD_NETIF_SWITCH_PORTS; i++)
		if (sw->ports[i])
			port_close(&sw->ports[i]->nif);
	free(sw);
}

struct riad_netif *riad_netif_switch_port(struct riad_netif_switch *sw, const uint8_t *mac,
                                          unsigned mtu)
{
	unsigned i = 0;
	while (i < RIAD_NETIF_SWITCH_PORTS && sw->ports[i])
		i++;
	if (i == RIAD_NETIF_SWITCH_PORTS)
		return NULL;
	struct port *port = calloc(1, sizeof(*port));
	if (!port)
		return NULL;
	uint8_t auto_mac[RIAD_NETIF_MAC_LEN] = { 0x02, 'r', 'i', 'a', 'd', (uint8_t)i };
	char name[RIAD_NETIF_NAME_MAX];
	snprintf(name, sizeof(name), "sw%u.%u", sw->id, i);
	riad_netif_init(&port->nif, &switch_ops, port, mac ? mac : auto_mac, mtu ? mtu : 1500,
	                name);
	port->sw = sw;
	port->index = i;
	sw->ports[i] = port;
	return &port->nif;
}

void riad_netif_switch_promisc(struct riad_netif *nif, bool on)
{
	port_of(nif)->promisc = on;
}

void riad_netif_switch_stats(const struct riad_netif_switch *sw,
                             struct riad_netif_switch_stats *out)
{
	*out = sw->stats;
}
