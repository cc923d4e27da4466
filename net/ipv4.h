/* net/ipv4.h: IPv4 (RFC 791, RFC 1122 section 3) for a host: input with
 * validation, address filtering and reassembly; output with routing (on-link
 * or gateway), fragmentation to the MTU and next-hop resolution through ARP
 * (private: net/, and tcp/ and stack/ above it).
 *
 * ipv4_input does not call the transports: it returns the datagram to the
 * glue as a struct ipv4_rx, which dispatches on rx.proto (TCP, UDP, ICMP;
 * for anything else, icmp_error with ICMP_UNREACH_PROTO), or, when its
 * options are malformed, answers with icmp_param_problem. Output takes the
 * struct net_ip_tx items the transports queued (net/net.h) and produces
 * Ethernet frames on a struct ether_txq.
 *
 * Ownership: ipv4_input consumes p; when it returns 1 (or
 * IPV4_RX_PARAM_PROBLEM) the caller holds one reference, rx.p. ipv4_output consumes tx->p. Nothing blocks, nothing reads
 * the clock; the only allocations are pbufs (fragments held for reassembly
 * are copied out of the device's buffers so they do not pin them) and the
 * bounded tables below (limits in riad/opt.h).
 */
#ifndef RIAD_NET_IPV4_H
#define RIAD_NET_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/net_stats.h>
#include <riad/opt.h>
#include <riad/pbuf.h>

#include "arp.h"
#include "ether.h"
#include "ipv4_wire.h"
#include "net.h"

/* A datagram delivered to the glue. */
struct ipv4_rx {
	uint32_t src, dst;
	uint8_t proto, tos, ttl;
	bool bcast;        /* to a broadcast or multicast IP address, or a link broadcast */
	bool reassembled;  /* put together from fragments */
	uint8_t param_ptr; /* IPV4_RX_PARAM_PROBLEM: offset from hdr of the octet at fault, else 0 */
	/* The datagram as received, from its IPv4 header on (len bytes, the
	 * header hdr_len of them): valid while rx.p is held, whatever the
	 * transports pull from p. ICMP quotes it in errors. */
	const uint8_t *hdr;
	size_t hdr_len, len;
	/* The payload, data at the transport header, len trimmed to the IP
	 * total length (Ethernet padding gone); one reference for the caller. */
	struct riad_pbuf *p;
};

/* One fragment held: payload bytes [off, off + len) of the datagram. */
struct ipv4_frag {
	uint32_t off, len;
	struct riad_pbuf *p;
};

/* One datagram being reassembled, keyed by (src, dst, proto, id) (RFC 791). */
struct ipv4_reass_dgram {
	bool used;
	bool poisoned;   /* discarded for an overlap: later fragments are dropped until the deadline */
	bool have_last;  /* the fragment without MF came: total is known */
	uint8_t proto;
	uint8_t hdr_len; /* 0 until the fragment at offset 0 came */
	uint16_t id;
	uint32_t src, dst;
	int64_t deadline;
	uint32_t total;  /* payload length, once have_last */
	uint32_t bytes;  /* payload bytes held */
	bool bcast;
	unsigned n;
	uint8_t hdr[IPV4_HDR_MAX];                      /* the offset-0 fragment's header */
	struct ipv4_frag frags[RIAD_NET_IPV4_REASS_FRAGS]; /* sorted by off, disjoint */
};

struct ipv4_reass {
	struct ipv4_reass_dgram d[RIAD_NET_IPV4_REASS_MAX];
	size_t bytes;  /* payload bytes held by all, at most RIAD_NET_IPV4_REASS_BYTES */
};

struct ipv4 {
	uint32_t addr;     /* 0: not configured (only broadcasts, and unicast UDP for DHCP, are taken) */
	uint32_t netmask;
	uint32_t gateway;  /* 0: none: off-link destinations are unreachable */
	uint16_t mtu;      /* of the link, at least IPV4_MIN_MTU */
	uint16_t next_id;
	struct ipv4_reass reass;
};

/* Unconfigured, for a link with this MTU (raised to 68 if smaller); the
 * identification counter starts at id_seed (pass random bits, so the
 * numbers are not guessable across boots). */
void ipv4_init(struct ipv4 *ip, uint16_t mtu, uint16_t id_seed);

/* Our address, netmask and gateway (0 for none). addr 0 unconfigures. The
 * glue also calls arp_set_ip (which announces the address). */
void ipv4_set_addr(struct ipv4 *ip, uint32_t addr, uint32_t netmask, uint32_t gateway);

/* Whether dst is a broadcast address for us: 255.255.255.255 or our
 * subnet's directed broadcast (all ones or, RFC 1122 3.3.6, all zeros in
 * the host part). */
bool ipv4_is_bcast(const struct ipv4 *ip, uint32_t dst);

/* ipv4_input's result when a datagram for us has malformed options. */
#define IPV4_RX_PARAM_PROBLEM 2

/* A received packet at p->data (Ethernet header pulled; link_bcast if the
 * frame went to the Ethernet broadcast address). Returns 1 with rx filled
 * when a whole datagram for us is there, 0 when p was dropped (counted) or
 * held for reassembly. Consumes p.
 *
 * Returns IPV4_RX_PARAM_PROBLEM when a datagram that passed every other
 * check (to us or a broadcast, from one host) has options that are
 * malformed (ipv4.c says which, per option): counted in ipv4.bad_options
 * and not delivered, but rx is filled as for 1, rx.param_ptr naming the
 * octet at fault, and the caller holds rx.p, so that it can answer with
 * icmp_param_problem (RFC 1122 3.2.2.5; icmp.c decides whether one may
 * be sent: not to a broadcast, for instance) before it drops rx.p. Such a
 * fragment is not reassembled. */
int ipv4_input(struct ipv4 *ip, struct riad_pbuf *p, bool link_bcast, int64_t now,
               struct ipv4_rx *rx, struct riad_net_stats *st);

/* Send one datagram: push the IPv4 header (TTL tx->ttl, or
 * RIAD_NET_IPV4_TTL if 0; DF clear), fragment it if it exceeds the MTU, and
 * queue the frames on q, or with arp while the next hop resolves. Consumes
 * tx->p (and sets it to NULL). Returns 0 if sent or waiting for ARP, -1 if
 * dropped (counted: no route, too long, no memory, queue full). */
int ipv4_output(struct ipv4 *ip, struct arp *arp, struct net_ip_tx *tx, int64_t now,
                struct ether_txq *q, struct riad_net_stats *st);

/* ipv4_output for every item of txq, in order; empties txq. */
void ipv4_output_txq(struct ipv4 *ip, struct arp *arp, struct net_txq *txq, int64_t now,
                     struct ether_txq *q, struct riad_net_stats *st);

/* Discard the reassemblies whose deadline is at or before now; returns the
 * next deadline (INT64_MAX: none). */
int64_t ipv4_timer(struct ipv4 *ip, int64_t now, struct riad_net_stats *st);
int64_t ipv4_deadline(const struct ipv4 *ip);

/* Drop every fragment held, without counting (taking the interface down). */
void ipv4_flush(struct ipv4 *ip);

/* ---- between ipv4.c and ipv4_frag.c ---- */

/* The fields of a received header that was validated. */
struct ipv4_hdr_info {
	uint8_t hdr_len, tos, ttl, proto;
	uint16_t total_len, id, flags_frag;
	uint32_t src, dst;
};

/* Where a datagram goes on the link: to mac directly (broadcast,
 * multicast), or to the IPv4 address next_hop through ARP. */
struct ipv4_route {
	bool direct;
	uint8_t mac[ETHER_ADDR_LEN];
	uint32_t next_hop;
};

/* Write a 20-byte header with its checksum at h. */
void ipv4_hdr_write(uint8_t *h, uint8_t tos, uint16_t total_len, uint16_t id,
                    uint16_t flags_frag, uint8_t ttl, uint8_t proto, uint32_t src, uint32_t dst);

/* Queue one whole IPv4 packet (p from its header on, consumed) on the
 * route. */
int ipv4_send(struct arp *arp, const struct ipv4_route *rt, struct riad_pbuf *p, int64_t now,
              struct ether_txq *q, struct riad_net_stats *st);

/* Reassembly (ipv4_frag.c): take the fragment whose validated header is h
 * (raw header bytes at hdr) and payload [payload, payload + len); returns 1
 * and fills rx when it completes a datagram. Borrows everything. */
int ipv4_frag_input(struct ipv4_reass *r, const struct ipv4_hdr_info *h, const uint8_t *hdr,
                    const uint8_t *payload, size_t len, bool bcast, int64_t now,
                    struct ipv4_rx *rx, struct riad_net_stats *st);
int64_t ipv4_frag_timer(struct ipv4_reass *r, int64_t now, struct riad_net_stats *st);
int64_t ipv4_frag_deadline(const struct ipv4_reass *r);
void ipv4_frag_flush(struct ipv4_reass *r);

/* Fragmentation (ipv4_frag.c): send the payload p (consumed) as fragments
 * of at most mtu bytes each, all with identification id. */
int ipv4_frag_output(uint16_t mtu, const struct net_ip_tx *tx, uint8_t ttl, uint16_t id,
                     struct riad_pbuf *p, struct arp *arp, const struct ipv4_route *rt,
                     int64_t now, struct ether_txq *q, struct riad_net_stats *st);

#endif
