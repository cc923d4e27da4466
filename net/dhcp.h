/* net/dhcp.h: the DHCP client (RFC 2131, options from RFC 2132) as a pure
 * state machine (private to net/).
 *
 * The glue owns one struct dhcp per interface that has no static address.
 * It calls dhcp_start once, dhcp_input with every UDP datagram that arrives
 * on port 68 from port 67, and dhcp_timer when dhcp_deadline() has passed.
 * Each returns an event: DHCP_EV_BOUND when a lease was obtained or renewed
 * (apply d->lease: ipv4_set_addr, arp_set_ip; it may differ from the last
 * one), DHCP_EV_LOST when the lease ended (NAK or expiry: remove the
 * address; the client has already started over). Messages to send go to a
 * struct net_txq as UDP datagrams (from 0.0.0.0 until bound).
 *
 * Randomness is the caller's: each call that may start an exchange or
 * schedule a retransmission takes 64 random bits `rnd` (the low 32 become
 * a new transaction id when one is needed, the high 32 the retransmission
 * jitter). The client never reads the clock or the random generator,
 * never blocks, and allocates only the pbufs of the messages it sends.
 *
 * Not done: probing the offered address with ARP before using it
 * (DHCPDECLINE), INIT-REBOOT with a remembered address, the initial random
 * 1-10 s wait of RFC 2131 4.4.1 (the glue may delay dhcp_start).
 */
#ifndef RIAD_NET_DHCP_H
#define RIAD_NET_DHCP_H

#include <stdbool.h>
#include <stdint.h>

#include <riad/net_stats.h>
#include <riad/opt.h>
#include <riad/pbuf.h>

#include "dhcp_wire.h"
#include "ether_wire.h"
#include "net.h"

enum dhcp_state {
	DHCP_INIT = 0,
	DHCP_SELECTING,
	DHCP_REQUESTING,
	DHCP_BOUND,
	DHCP_RENEWING,
	DHCP_REBINDING,
};

enum dhcp_event {
	DHCP_EV_NONE = 0,
	DHCP_EV_BOUND,  /* d->lease is new or renewed: configure it */
	DHCP_EV_LOST,   /* the lease is gone: unconfigure */
};

struct dhcp_lease {
	uint32_t addr;
	uint32_t netmask;   /* from the server, or the address's class if it sent none */
	uint32_t router;    /* first router, 0 if none */
	uint32_t server;    /* server identifier */
	uint32_t dns[RIAD_NET_DHCP_DNS_MAX];
	uint8_t n_dns;
	uint32_t lease_s;   /* DHCP_LEASE_INFINITE: never expires */
	uint32_t t1_s, t2_s; /* as used: the server's if sane, else 1/2 and 7/8 of the lease */
};

struct dhcp {
	enum dhcp_state state;
	uint8_t mac[ETHER_ADDR_LEN];
	uint32_t xid;
	unsigned tries;       /* messages sent in this state */
	int64_t deadline;     /* next retransmission, T1, T2 or expiry; INT64_MAX: none */
	int64_t start;        /* when this exchange began (the secs field) */
	int64_t req_at;       /* when the first REQUEST of this exchange was sent: the lease starts there */
	int64_t t1, t2, expiry; /* of the lease in force, absolute; INT64_MAX for infinite */
	struct dhcp_lease offer; /* REQUESTING: what we asked for */
	struct dhcp_lease lease; /* BOUND, RENEWING, REBINDING: what we hold */
};

/* INIT, nothing scheduled. */
void dhcp_init(struct dhcp *d, const uint8_t mac[ETHER_ADDR_LEN]);

/* From any state: forget any exchange (not the lease's events: call it on
 * an unconfigured interface), broadcast a DISCOVER, enter SELECTING. */
void dhcp_start(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                struct riad_net_stats *st);

/* A DHCP message (the UDP payload at p->data; consumed). */
enum dhcp_event dhcp_input(struct dhcp *d, struct riad_pbuf *p, int64_t now, uint64_t rnd,
                           struct net_txq *out, struct riad_net_stats *st);

/* Retransmissions, T1 (renew), T2 (rebind), expiry; call when
 * dhcp_deadline(d) <= now (earlier calls do nothing). */
enum dhcp_event dhcp_timer(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                           struct riad_net_stats *st);

static inline int64_t dhcp_deadline(const struct dhcp *d)
{
	return d->deadline;
}

/* Give the lease back (DHCPRELEASE to the server, RFC 2131 4.4.6) if we
 * hold one, and stop in INIT. The caller unconfigures the address. */
void dhcp_release(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                  struct riad_net_stats *st);

#endif
