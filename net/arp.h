/* net/arp.h: ARP for IPv4 over Ethernet (RFC 826) with a bounded cache
 * (private: net/, and tcp/ and stack/ above it).
 *
 * One struct arp per interface holds our addresses and the cache. The glue
 * feeds it received ARP packets (arp_input), IP packets to send to a next
 * hop (arp_output, called by ipv4_output), and timer events (arp_timer when
 * arp_deadline() has passed). Everything it wants sent is appended to a
 * struct ether_txq as whole Ethernet frames. It never reads the clock, never
 * blocks and allocates only the pbufs of requests and replies.
 *
 * Bounds: RIAD_NET_ARP_CACHE_SIZE entries, RIAD_NET_ARP_QUEUE_MAX packets
 * waiting per entry, RIAD_NET_ARP_TRIES requests per resolution (riad/opt.h).
 * Entry states are drawn in arp.c.
 */
#ifndef RIAD_NET_ARP_H
#define RIAD_NET_ARP_H

#include <stdbool.h>
#include <stdint.h>

#include <riad/net_stats.h>
#include <riad/opt.h>
#include <riad/pbuf.h>

#include "ether.h"

enum arp_state {
	ARP_FREE = 0,
	ARP_INCOMPLETE, /* request sent, packets wait in pending */
	ARP_REACHABLE,  /* mac is good until deadline */
	ARP_REFRESH,    /* expired while in use: mac still used, requests sent */
};

struct arp_entry {
	uint32_t ip;
	uint8_t mac[ETHER_ADDR_LEN];
	uint8_t state;        /* enum arp_state */
	uint8_t tries;        /* requests sent in INCOMPLETE or REFRESH */
	bool used;            /* a packet went out through it since it was confirmed */
	int64_t deadline;     /* INCOMPLETE, REFRESH: next request; REACHABLE: expiry */
	int64_t last_used;    /* for choosing what to evict */
	struct riad_pbuf_queue pending; /* INCOMPLETE: IPv4 packets, no Ethernet header yet */
};

struct arp {
	uint8_t mac[ETHER_ADDR_LEN];
	uint32_t ip;             /* 0: no address yet: no replies, requests sent from 0.0.0.0 */
	unsigned announce_left;  /* gratuitous ARPs still to send */
	int64_t announce_at;
	struct arp_entry cache[RIAD_NET_ARP_CACHE_SIZE];
};

/* An empty cache for the interface with this MAC, no IP address. */
void arp_init(struct arp *a, const uint8_t mac[ETHER_ADDR_LEN]);

/* Set (or with 0 clear) our IP address. A new non-zero address is announced
 * with gratuitous ARP (RFC 5227 2.3: two requests from and for it, two
 * seconds apart; the first one now). The cache is kept, but for an entry
 * for the new address itself. */
void arp_set_ip(struct arp *a, uint32_t ip, int64_t now, struct ether_txq *q,
                struct riad_net_stats *st);

/* A received ARP packet at p->data (Ethernet header pulled; p consumed).
 * Updates the cache (RFC 826's merge), sends what was waiting for the
 * sender, and answers a request for our address. */
void arp_input(struct arp *a, struct riad_pbuf *p, int64_t now, struct ether_txq *q,
               struct riad_net_stats *st);

/* What arp_input_rx tells its caller about a well-formed ARP packet from
 * another host (for the DHCP client's conflict detection). */
struct arp_rx {
	bool ok;     /* false: malformed, or our own frame; the rest is unset */
	uint16_t op;
	uint8_t sha[ETHER_ADDR_LEN];
	uint32_t spa, tpa;
};

/* arp_input, also filling rx (never NULL). */
void arp_input_rx(struct arp *a, struct riad_pbuf *p, int64_t now, struct ether_txq *q,
                  struct riad_net_stats *st, struct arp_rx *rx);

/* Queue an ARP probe for ip (RFC 5227 2.1.1: a broadcast request with
 * sender address 0 and target ip), whatever our own address. */
void arp_probe(struct arp *a, uint32_t ip, struct ether_txq *q, struct riad_net_stats *st);

/* Send p (an IPv4 packet from its header on; consumed) to the on-link host
 * next_hop: with an Ethernet header now if its MAC is known (returns 0),
 * or after resolution (returns 1: queued, a request sent if none was
 * pending). -1: dropped and counted. */
int arp_output(struct arp *a, uint32_t next_hop, struct riad_pbuf *p, int64_t now,
               struct ether_txq *q, struct riad_net_stats *st);

/* Handle every deadline at or before now (retries, expiries, announcements);
 * returns the next deadline (INT64_MAX: none). */
int64_t arp_timer(struct arp *a, int64_t now, struct ether_txq *q, struct riad_net_stats *st);

/* The earliest deadline (INT64_MAX: none). */
int64_t arp_deadline(const struct arp *a);

/* The MAC of ip if the cache has a usable one, else NULL. */
const uint8_t *arp_lookup(const struct arp *a, uint32_t ip);

/* Free every entry and every waiting packet (without counting drops): for
 * taking an interface down. */
void arp_flush(struct arp *a);

#endif
