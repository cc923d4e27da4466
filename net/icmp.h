/* net/icmp.h: ICMP for a host (RFC 792, RFC 1122 3.2.2): echo replies,
 * destination unreachable and parameter problem errors with a token-bucket
 * rate limit, and received errors handed to the transports (private: net/,
 * and tcp/ and stack/ above it).
 *
 * Ownership: icmp_input consumes rx->p. icmp_error and icmp_param_problem
 * borrow rx: the caller still holds rx->p, whose bytes [rx->hdr, rx->hdr +
 * rx->len) are quoted.
 * Output goes to a struct net_txq as IP-level packets. Nothing blocks or
 * reads the clock; the only allocation is the pbuf of a reply or an error.
 */
#ifndef RIAD_NET_ICMP_H
#define RIAD_NET_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#include <riad/net_stats.h>
#include <riad/opt.h>

#include "icmp_wire.h"
#include "ipv4.h"
#include "net.h"

/* The error rate limiter: a token bucket (RFC 1812 4.3.2.8) kept in
 * nanoseconds of credit, one token costing 1 s / RIAD_NET_ICMP_ERR_RATE. */
struct icmp {
	int64_t credit_ns;
	int64_t last;
	bool started;
};

/* An error received about a datagram we sent (destination unreachable,
 * source quench, time exceeded, parameter problem), for the glue to hand
 * to the transport named by proto. */
struct icmp_err {
	uint8_t type, code;
	uint16_t mtu;          /* ICMP_UNREACH_NEEDFRAG: next-hop MTU (RFC 1191), else 0 */
	uint8_t pointer;       /* ICMP_PARAM_PROBLEM: the byte at fault */
	uint32_t src, dst;     /* of the datagram we sent: src is ours */
	uint8_t proto;
	uint8_t l4[8];         /* the first bytes of its transport header (ports, TCP sequence) */
	uint8_t l4_len;        /* how many of them were quoted (8 unless the sender cut it) */
};

/* Full bucket. */
void icmp_init(struct icmp *ic);

/* A received ICMP message (rx->p at the ICMP header; consumed). Echo
 * requests to us are answered on out (RFC 792; not those to a broadcast,
 * RFC 1122 3.2.2.6). Returns 1 and fills err when the message is an error
 * about a datagram we sent, 0 otherwise. */
int icmp_input(struct icmp *ic, struct ipv4_rx *rx, int64_t now, struct net_txq *out,
               struct icmp_err *err, struct riad_net_stats *st);

/* Send an error of this type and code (ICMP_DEST_UNREACH with
 * ICMP_UNREACH_PORT or ICMP_UNREACH_PROTO, typically) from our address src
 * about the received datagram rx, unless RFC 1122 3.2.2 forbids it (rx is
 * itself an ICMP error, was sent to a broadcast or multicast, is a
 * fragment other than the first, or comes from an address that is not one
 * host; or src is 0) or the token bucket is empty. Returns 0 if an error
 * was queued, -1 if not (counted). Borrows rx. */
int icmp_error(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, uint8_t type, uint8_t code,
               int64_t now, struct net_txq *out, struct riad_net_stats *st);

/* A parameter problem (RFC 792 type 12, code 0; RFC 1122 3.2.2.5) from src
 * about rx, pointing at the octet pointer of its IPv4 header: for a
 * datagram ipv4_input returned as IPV4_RX_PARAM_PROBLEM (pointer
 * rx->param_ptr). Sent or not as icmp_error decides, and counted the same
 * way (icmp.err_tx, err_suppressed, rate_limited), plus icmp.param_tx when
 * sent. Returns 0 if queued, -1 if not. Borrows rx. */
int icmp_param_problem(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, uint8_t pointer,
                       int64_t now, struct net_txq *out, struct riad_net_stats *st);

#endif
