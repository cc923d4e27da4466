/* net/arp.c: ARP (RFC 826): the cache, resolution with retries, replies, gratuitous ARP.
 *
 * An entry of the cache:
 *
 *                 arp_output, no entry
 *                 (request sent, tries = 1)
 *   FREE ------------------------------------------> INCOMPLETE --+ timer, tries < TRIES:
 *    ^  ^                                              |  |   ^     | request again
 *    |  |  timer, tries == TRIES                       |  |   +-----+
 *    |  +----(pending dropped: arp.unresolved)---------+  |
 *    |                                                    | ARP from ip (merge)
 *    |  timer, not used                                   v (pending sent)
 *    +--------------------------------------------- REACHABLE <-----------+
 *    |                                                    | timer, used   | ARP from ip
 *    |  timer, tries == TRIES                             v (request)     |
 *    +--------------------------------------------- REFRESH -------------+
 *                                                     (mac still used; timer, tries < TRIES:
 *                                                      request again)
 *
 * Invariants:
 *  1. Only INCOMPLETE entries hold pending packets, at most
 *     RIAD_NET_ARP_QUEUE_MAX; every packet that leaves pending is either
 *     sent or counted as dropped.
 *  2. An entry is created only by our own arp_output, or by a packet that
 *     is addressed to us (RFC 826's "am I the target?" rule): a flood of
 *     ARP for other hosts cannot fill the cache.
 *  3. A FREE entry has no deadline; every other has one.
 *  4. Nothing from a multicast sender MAC, or claiming a broadcast or
 *     multicast IP, or claiming our own IP, enters the cache.
 */
#include <string.h>

#include "arp.h"
#include "arp_wire.h"
#include "ipv4_wire.h"
#include "net.h"
#include "wire.h"

/* RFC 5227 section 1.1: ANNOUNCE_NUM and ANNOUNCE_INTERVAL. */
#define ARP_ANNOUNCE_NUM 2
#define ARP_ANNOUNCE_INTERVAL_NS (2 * 1000000000LL)

void arp_init(struct arp *a, const uint8_t mac[ETHER_ADDR_LEN])
{
	memset(a, 0, sizeof(*a));
	memcpy(a->mac, mac, ETHER_ADDR_LEN);
}

static void entry_free(struct arp_entry *e)
{
	riad_pbuf_queue_clear(&e->pending);
	memset(e, 0, sizeof(*e));
}

static struct arp_entry *find(struct arp *a, uint32_t ip)
{
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++)
		if (a->cache[i].state != ARP_FREE && a->cache[i].ip == ip)
			return &a->cache[i];
	return NULL;
}

/* A free entry, or the least recently used one emptied. */
static struct arp_entry *alloc_entry(struct arp *a, struct riad_net_stats *st)
{
	struct arp_entry *victim = NULL;
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++) {
		struct arp_entry *e = &a->cache[i];
		if (e->state == ARP_FREE)
			return e;
		if (!victim || e->last_used < victim->last_used)
			victim = e;
	}
	st->arp.evicted++;
	st->arp.unresolved += victim->pending.count;
	entry_free(victim);
	return victim;
}

/* Queue one ARP packet in an Ethernet frame to eth_dst, padded to the
 * minimum frame size. */
static void send_arp(struct arp *a, uint16_t op, const uint8_t eth_dst[ETHER_ADDR_LEN],
                     const uint8_t tha[ETHER_ADDR_LEN], uint32_t spa, uint32_t tpa,
                     struct ether_txq *q, struct riad_net_stats *st)
{
	struct riad_pbuf *p = riad_pbuf_alloc(ETHER_HDR_LEN, ETHER_MIN_FRAME - ETHER_HDR_LEN);
	if (!p) {
		st->arp.no_mem++;
		return;
	}
	uint8_t *b = p->data;
	memset(b, 0, p->len);
	wire_put16(b + offsetof(struct arp_pkt, htype), ARP_HTYPE_ETHER);
	wire_put16(b + offsetof(struct arp_pkt, ptype), ARP_PTYPE_IPV4);
	b[offsetof(struct arp_pkt, hlen)] = ARP_HLEN_ETHER;
	b[offsetof(struct arp_pkt, plen)] = ARP_PLEN_IPV4;
	wire_put16(b + offsetof(struct arp_pkt, op), op);
	memcpy(b + offsetof(struct arp_pkt, sha), a->mac, ETHER_ADDR_LEN);
	wire_put32(b + offsetof(struct arp_pkt, spa), spa);
	memcpy(b + offsetof(struct arp_pkt, tha), tha, ETHER_ADDR_LEN);
	wire_put32(b + offsetof(struct arp_pkt, tpa), tpa);
	if (op == ARP_OP_REQUEST)
		st->arp.tx_request++;
	else
		st->arp.tx_reply++;
	ether_output(q, p, eth_dst, a->mac, ETHER_TYPE_ARP, st);
}

static const uint8_t zero_mac[ETHER_ADDR_LEN];

/* A request for ip: broadcast, or unicast to a MAC we are re-confirming
 * (RFC 1122 2.3.2.1 suggests unicast polls for that). */
static void send_request(struct arp *a, uint32_t ip, const uint8_t *unicast, struct ether_txq *q,
                         struct riad_net_stats *st)
{
	send_arp(a, ARP_OP_REQUEST, unicast ? unicast : ether_broadcast, zero_mac, a->ip, ip, q, st);
}

void arp_probe(struct arp *a, uint32_t ip, struct ether_txq *q, struct riad_net_stats *st)
{
	send_arp(a, ARP_OP_REQUEST, ether_broadcast, zero_mac, 0, ip, q, st);
}

void arp_set_ip(struct arp *a, uint32_t ip, int64_t now, struct ether_txq *q,
                struct riad_net_stats *st)
{
	bool changed = ip != a->ip;
	a->ip = ip;
	a->announce_left = 0;
	if (ip == 0 || !changed)
		return;
	/* Invariant 4: nothing in the cache answers for our own address. */
	struct arp_entry *e = find(a, ip);
	if (e) {
		st->arp.unresolved += e->pending.count;
		entry_free(e);
	}
	/* Announcement (RFC 5227 2.3, RFC 826's "gratuitous" use): sender and
	 * target are both our address, so every host that caches us updates. */
	send_request(a, ip, NULL, q, st);
	a->announce_left = ARP_ANNOUNCE_NUM - 1;
	a->announce_at = now + ARP_ANNOUNCE_INTERVAL_NS;
}

/* The entry learnt the sender's MAC: it is good for the timeout, and what
 * waited for it goes out. */
static void confirm(struct arp *a, struct arp_entry *e, const uint8_t mac[ETHER_ADDR_LEN],
                    int64_t now, struct ether_txq *q, struct riad_net_stats *st)
{
	memcpy(e->mac, mac, ETHER_ADDR_LEN);
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->used = false;
	e->deadline = now + RIAD_NET_ARP_TIMEOUT_NS;
	if (e->last_used < now)
		e->last_used = now;
	struct riad_pbuf *p;
	while ((p = riad_pbuf_queue_pop(&e->pending)))
		ether_output(q, p, e->mac, a->mac, ETHER_TYPE_IPV4, st);
}

static bool ip_is_bad_sender(uint32_t ip)
{
	return IPV4_IS_MULTICAST(ip) || IPV4_IS_CLASS_E(ip);
}

void arp_input(struct arp *a, struct riad_pbuf *p, int64_t now, struct ether_txq *q,
               struct riad_net_stats *st)
{
	struct arp_rx rx;
	arp_input_rx(a, p, now, q, st, &rx);
}

void arp_input_rx(struct arp *a, struct riad_pbuf *p, int64_t now, struct ether_txq *q,
                  struct riad_net_stats *st, struct arp_rx *rx)
{
	rx->ok = false;
	st->arp.rx++;
	struct wire_rd r = wire_rd(p->data, p->len);
	uint16_t htype = wire_u16(&r), ptype = wire_u16(&r);
	uint8_t hlen = wire_u8(&r), plen = wire_u8(&r);
	uint16_t op = wire_u16(&r);
	uint8_t sha[ETHER_ADDR_LEN], tha[ETHER_ADDR_LEN];
	wire_bytes(&r, sha, ETHER_ADDR_LEN);
	uint32_t spa = wire_u32(&r);
	wire_bytes(&r, tha, ETHER_ADDR_LEN);
	uint32_t tpa = wire_u32(&r);
	if (r.err) {
		st->arp.truncated++;
		goto drop;
	}
	/* RFC 826 "Packet Reception": do we have the hardware type and speak
	 * the protocol? Only Ethernet and IPv4, with their lengths. */
	if (htype != ARP_HTYPE_ETHER || ptype != ARP_PTYPE_IPV4 || hlen != ARP_HLEN_ETHER ||
	    plen != ARP_PLEN_IPV4) {
		st->arp.bad_format++;
		goto drop;
	}
	if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) {
		st->arp.bad_op++;
		goto drop;
	}
	if (ether_addr_is_multicast(sha) || ip_is_bad_sender(spa)) {
		st->arp.bad_sender++;
		goto drop;
	}
	if (memcmp(sha, a->mac, ETHER_ADDR_LEN) == 0) {
		/* Our own frame looped back. */
		st->arp.not_for_us++;
		goto drop;
	}
	*rx = (struct arp_rx){ .ok = true, .op = op, .spa = spa, .tpa = tpa };
	memcpy(rx->sha, sha, ETHER_ADDR_LEN);
	if (a->ip != 0 && spa == a->ip) {
		/* RFC 5227 2.4: someone else uses our address. Never cache it. */
		st->arp.conflict++;
		goto drop;
	}
	/* RFC 826: merge the sender into an entry we already have. A sender
	 * of 0.0.0.0 is a probe (RFC 5227 2.1.1), never cached. */
	bool merged = false;
	struct arp_entry *e = spa ? find(a, spa) : NULL;
	if (e) {
		if (e->state == ARP_INCOMPLETE)
			st->arp.resolved++;
		confirm(a, e, sha, now, q, st);
		merged = true;
	}
	if (a->ip == 0 || tpa != a->ip) {
		if (!merged)
			st->arp.not_for_us++;
		goto drop;
	}
	/* RFC 826: we are the target; add the sender if it was not merged
	 * (it is about to talk to us, so we will answer it). */
	if (!merged && spa) {
		e = alloc_entry(a, st);
		e->ip = spa;
		e->last_used = now;
		confirm(a, e, sha, now, q, st);
	}
	if (op == ARP_OP_REQUEST)
		send_arp(a, ARP_OP_REPLY, sha, sha, a->ip, spa, q, st);
drop:
	riad_pbuf_unref(p);
}

int arp_output(struct arp *a, uint32_t next_hop, struct riad_pbuf *p, int64_t now,
               struct ether_txq *q, struct riad_net_stats *st)
{
	struct arp_entry *e = find(a, next_hop);
	if (e && (e->state == ARP_REACHABLE || e->state == ARP_REFRESH)) {
		e->used = true;
		e->last_used = now;
		return ether_output(q, p, e->mac, a->mac, ETHER_TYPE_IPV4, st);
	}
	if (!e) {
		e = alloc_entry(a, st);
		e->ip = next_hop;
		e->state = ARP_INCOMPLETE;
		e->tries = 1;
		e->deadline = now + RIAD_NET_ARP_RETRY_NS;
		e->last_used = now;
		send_request(a, next_hop, NULL, q, st);
	}
	if (e->pending.count >= RIAD_NET_ARP_QUEUE_MAX) {
		/* RFC 1122 2.3.2.2: keep the latest. */
		riad_pbuf_unref(riad_pbuf_queue_pop(&e->pending));
		st->arp.queue_overflow++;
	}
	riad_pbuf_queue_push(&e->pending, p);
	return 1;
}

int64_t arp_deadline(const struct arp *a)
{
	int64_t d = a->announce_left ? a->announce_at : INT64_MAX;
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++)
		if (a->cache[i].state != ARP_FREE && a->cache[i].deadline < d)
			d = a->cache[i].deadline;
	return d;
}

int64_t arp_timer(struct arp *a, int64_t now, struct ether_txq *q, struct riad_net_stats *st)
{
	if (a->announce_left && a->announce_at <= now) {
		send_request(a, a->ip, NULL, q, st);
		if (--a->announce_left)
			a->announce_at = now + ARP_ANNOUNCE_INTERVAL_NS;
	}
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++) {
		struct arp_entry *e = &a->cache[i];
		if (e->state == ARP_FREE || e->deadline > now)
			continue;
		switch (e->state) {
		case ARP_INCOMPLETE:
			if (e->tries < RIAD_NET_ARP_TRIES) {
				e->tries++;
				e->deadline = now + RIAD_NET_ARP_RETRY_NS;
				send_request(a, e->ip, NULL, q, st);
			} else {
				st->arp.unresolved += e->pending.count;
				entry_free(e);
			}
			break;
		case ARP_REACHABLE:
			if (!e->used) {
				entry_free(e);
				break;
			}
			e->state = ARP_REFRESH;
			e->used = false;
			e->tries = 1;
			e->deadline = now + RIAD_NET_ARP_RETRY_NS;
			send_request(a, e->ip, e->mac, q, st);
			break;
		case ARP_REFRESH:
			if (e->tries < RIAD_NET_ARP_TRIES) {
				e->tries++;
				e->deadline = now + RIAD_NET_ARP_RETRY_NS;
				send_request(a, e->ip, e->mac, q, st);
			} else {
				entry_free(e);
			}
			break;
		}
	}
	return arp_deadline(a);
}

const uint8_t *arp_lookup(const struct arp *a, uint32_t ip)
{
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++) {
		const struct arp_entry *e = &a->cache[i];
		if ((e->state == ARP_REACHABLE || e->state == ARP_REFRESH) && e->ip == ip)
			return e->mac;
	}
	return NULL;
}

void arp_flush(struct arp *a)
{
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++)
		entry_free(&a->cache[i]);
}
