/* net/udp.h: UDP (RFC 768) parsing with checksum verification, building
 * with the checksum, and the port-unreachable answer (private: net/, and tcp/ and stack/ above it).
 *
 * Which ports are bound, and the receive queues behind them, are the
 * glue's: it calls udp_input, looks dport up, and calls udp_no_port when
 * nothing is bound there.
 *
 * Ownership: udp_input leaves the caller's reference rx->p in place when it
 * accepts (u->p is that same pbuf, pulled to the payload), and drops it
 * (rx->p = NULL) when it refuses. udp_output consumes p.
 */
#ifndef RIAD_NET_UDP_H
#define RIAD_NET_UDP_H

#include <stdint.h>

#include <riad/net_stats.h>

#include "icmp.h"
#include "ipv4.h"
#include "net.h"
#include "udp_wire.h"

struct udp_rx {
	uint16_t sport, dport;
	struct riad_pbuf *p; /* == rx->p, data at the payload, len the UDP payload length */
};

/* Validate the datagram at rx->p->data (UDP header): length field between 8
 * and the IP payload (the rest is trimmed), checksum unless 0 (RFC 768: the
 * sender computed none). Returns 0 and fills u, or -1 (dropped, counted). */
int udp_input(struct ipv4_rx *rx, struct udp_rx *u, struct riad_net_stats *st);

/* Prepend the UDP header to the payload p (at most 65507 bytes; consumed;
 * it should have NET_HEADROOM of headroom, or it is copied), with the
 * checksum over the pseudo-header (0 is sent as 0xffff), and queue it on
 * out. Returns 0, or -1 (counted: too long, no memory, queue full). */
int udp_output(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, struct riad_pbuf *p,
               struct net_txq *out, struct riad_net_stats *st);

/* Nothing is bound to the destination port of rx (after udp_input; rx->p
 * still held): count udp.no_port and answer with ICMP port unreachable
 * from our address src, where RFC 1122 3.2.2 allows (not to broadcasts...)
 * and the rate limit lets it. */
void udp_no_port(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, int64_t now,
                 struct net_txq *out, struct riad_net_stats *st);

#endif
