/* net/net.h: what the protocol layers of net/ pass each other (private).
 *
 * Protocols are pure state machines (STYLE.md): an input function takes its
 * state, one parsed packet and `now`, and appends what must be sent to a
 * struct net_txq owned by the caller; it never sends, sleeps, reads the
 * clock or allocates behind the caller's back (pbufs for output come from
 * riad_pbuf_alloc with NET_HEADROOM, and that is the only allocation).
 * Addresses and ports are in host byte order in every struct here; bytes on
 * the wire are written with net/wire.h.
 */
#ifndef RIAD_NET_NET_H
#define RIAD_NET_NET_H

#include <stddef.h>
#include <stdint.h>

#include <riad/opt.h>
#include <riad/pbuf.h>

/* Headroom every outgoing transport pbuf is allocated with: enough for the
 * IPv4 header with options and the Ethernet header. */
#define NET_HEADROOM RIAD_NET_HEADROOM

/* An IPv4 packet a transport protocol (or ICMP) wants sent. p holds the
 * transport header and payload; the IPv4 layer pushes its header into the
 * headroom (and fragments if needed). */
struct net_ip_tx {
	uint32_t src, dst;
	uint8_t proto;
	uint8_t ttl;  /* 0: the stack's default */
	uint8_t tos;
	struct riad_pbuf *p; /* the queue holds this reference */
};

/* A bounded queue of packets to send, filled by protocol input and timer
 * functions and drained by the stack glue. A protocol checks
 * net_txq_space() before it generates output it could defer (TCP sending
 * new data); output it cannot defer (an ACK, a RST) is dropped and counted
 * in `overflow` when the queue is full. */
struct net_txq {
	struct net_ip_tx items[RIAD_NET_TXQ_MAX];
	size_t n;
	uint64_t overflow;
};

static inline size_t net_txq_space(const struct net_txq *q)
{
	return RIAD_NET_TXQ_MAX - q->n;
}

/* Append (taking p's reference); on a full queue unref p, count overflow
 * and return -1. */
static inline int net_txq_push(struct net_txq *q, uint32_t src, uint32_t dst, uint8_t proto,
                               struct riad_pbuf *p)
{
	if (q->n == RIAD_NET_TXQ_MAX) {
		q->overflow++;
		riad_pbuf_unref(p);
		return -1;
	}
	q->items[q->n++] = (struct net_ip_tx){ .src = src, .dst = dst, .proto = proto, .p = p };
	return 0;
}

/* Unref everything queued and empty the queue. */
static inline void net_txq_clear(struct net_txq *q)
{
	for (size_t i = 0; i < q->n; i++)
		riad_pbuf_unref(q->items[i].p);
	q->n = 0;
}

#define NET_PROTO_ICMP 1
#define NET_PROTO_TCP 6
#define NET_PROTO_UDP 17

#endif
