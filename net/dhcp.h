/* net/dhcp.h: the DHCP client (RFC 2131, options from RFC 2132) as a pure
 * state machine (private: net/, and tcp/ and stack/ above it).
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
 * Address conflict detection (RFC 2131 4.4.1, RFC 5227 2.1): after the ACK
 * of a new address the client enters PROBING and returns DHCP_EV_PROBE
 * (now, and from dhcp_timer every RIAD_NET_DHCP_PROBE_INTERVAL_NS, up to
 * RIAD_NET_DHCP_PROBE_NUM times): the glue sends one ARP probe for
 * d->offer.addr (arp_probe). The glue gives every ARP packet it receives
 * while dhcp_probing() to dhcp_arp; one from the address, or another
 * host's probe for it, makes the client send DHCPDECLINE and return
 * DHCP_EV_DECLINED (log it); it starts over after
 * RIAD_NET_DHCP_DECLINE_WAIT_NS. With no conflict, dhcp_timer returns
 * DHCP_EV_BOUND one interval after the last probe.
 *
 * Randomness is the caller's: each call that may start an exchange or
 * schedule a retransmission takes 64 random bits `rnd` (the low 32 become
 * a new transaction id when one is needed, the high 32 the retransmission
 * jitter). The client never reads the clock or the random generator,
 * never blocks, and allocates only the pbufs of the messages it sends.
 *
 * Not done: INIT-REBOOT with a remembered address, the initial random
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
	DHCP_PROBING,   /* ACKed: ARP probes for the address before binding it */
	DHCP_DECLINED,  /* declined an address in use: waiting to start over */
	DHCP_BOUND,
	DHCP_RENEWING,
	DHCP_REBINDING,
};

enum dhcp_event {
	DHCP_EV_NONE = 0,
	DHCP_EV_BOUND,  /* d->lease is new or renewed: configure it */
	DHCP_EV_LOST,   /* the lease is gone: unconfigure */
	DHCP_EV_PROBE,  /* send an ARP probe for d->offer.addr */
	DHCP_EV_DECLINED, /* d->offer.addr was in use (ARP from d->conflict_mac): declined */
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
	unsigned tries;       /* messages (PROBING: probes) sent in this state */
	int64_t deadline;     /* next retransmission, T1, T2 or expiry; INT64_MAX: none */
	int64_t start;        /* when this exchange began (the secs field) */
	int64_t req_at;       /* when the first REQUEST of this exchange was sent: the lease starts there */
	int64_t t1, t2, expiry; /* of the lease in force, absolute; INT64_MAX for infinite */
	struct dhcp_lease offer; /* REQUESTING: what we asked for; PROBING: what was ACKed */
	uint8_t conflict_mac[ETHER_ADDR_LEN]; /* DECLINED: who had the address */
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

/* Whether the glue should pass received ARP packets to dhcp_arp. */
static inline bool dhcp_probing(const struct dhcp *d)
{
	return d->state == DHCP_PROBING;
}

/* An ARP packet received (not one of ours) while PROBING: sender hardware
 * and protocol addresses, target protocol address. Returns
 * DHCP_EV_DECLINED if it shows d->offer.addr in use (DHCPDECLINE queued on
 * out), else DHCP_EV_NONE. */
enum dhcp_event dhcp_arp(struct dhcp *d, const uint8_t sha[ETHER_ADDR_LEN], uint32_t spa,
                         uint32_t tpa, int64_t now, struct net_txq *out,
                         struct riad_net_stats *st);

/* Give the lease back (DHCPRELEASE to the server, RFC 2131 4.4.6) if we
 * hold one, and stop in INIT. The caller unconfigures the address. */
void dhcp_release(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                  struct riad_net_stats *st);

#endif
