/* net/ipv4_frag.c: IPv4 fragment reassembly with bounded memory, and fragmentation on send (RFC 791, RFC 815, RFC 5722).
 *
 * A datagram being reassembled (struct ipv4_reass_dgram):
 *
 *            first fragment seen                 hole-free from 0 to the end,
 *   (none) -----------------------> COLLECTING ---------------------------> delivered, slot freed
 *                                     |   |  \  deadline (frag_timeout) or
 *                                     |   |   \ evicted (frag_evicted) --> slot freed
 *                   overlap, too many |   |
 *                   fragments, beyond v   | exact duplicate: that fragment dropped (frag_dup)
 *                   the known end  POISONED --- deadline --> slot freed
 *                                  (fragments dropped: frag_poisoned)
 *
 * Invariants:
 *  1. The fragments of a datagram are sorted by offset and pairwise
 *     disjoint; all but the last hold a multiple of 8 bytes; none ends
 *     beyond 65515 (65535 minus the smallest header).
 *  2. r->bytes is the sum of the payload bytes held and never exceeds
 *     RIAD_NET_IPV4_REASS_BYTES; no datagram holds more than
 *     RIAD_NET_IPV4_REASS_FRAGS fragments; no more than
 *     RIAD_NET_IPV4_REASS_MAX datagrams are open.
 *  3. A datagram's deadline is fixed when its first fragment arrives, so a
 *     trickle of fragments cannot keep it alive ("endless fragments").
 *  4. Overlapping fragments discard the whole datagram and every later
 *     fragment of it until the deadline (RFC 5722 section 4 does this for
 *     IPv6; overlaps are how fragment attacks on IDSes and stacks work,
 *     e.g. CVE-2018-5391's costly overlap handling, so we do not
 *     reassemble them at all). Exact duplicates, which networks do make,
 *     are dropped alone.
 */
#include <string.h>

#include "ipv4.h"
#include "wire.h"

static void dgram_drop_frags(struct ipv4_reass *r, struct ipv4_reass_dgram *d)
{
	for (unsigned i = 0; i < d->n; i++)
		riad_pbuf_unref(d->frags[i].p);
	r->bytes -= d->bytes;
	d->n = 0;
	d->bytes = 0;
}

static void dgram_free(struct ipv4_reass *r, struct ipv4_reass_dgram *d)
{
	dgram_drop_frags(r, d);
	memset(d, 0, offsetof(struct ipv4_reass_dgram, frags));
}

static void poison(struct ipv4_reass *r, struct ipv4_reass_dgram *d)
{
	dgram_drop_frags(r, d);
	d->poisoned = true;
}

static struct ipv4_reass_dgram *find(struct ipv4_reass *r, const struct ipv4_hdr_info *h)
{
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++) {
		struct ipv4_reass_dgram *d = &r->d[i];
		if (d->used && d->id == h->id && d->src == h->src && d->dst == h->dst &&
		    d->proto == h->proto)
			return d;
	}
	return NULL;
}

/* The open datagram other than keep with the earliest deadline that holds
 * at least min_bytes; NULL if none. */
static struct ipv4_reass_dgram *oldest(struct ipv4_reass *r, const struct ipv4_reass_dgram *keep,
                                       uint32_t min_bytes)
{
	struct ipv4_reass_dgram *o = NULL;
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++) {
		struct ipv4_reass_dgram *d = &r->d[i];
		if (d->used && d != keep && d->bytes >= min_bytes && (!o || d->deadline < o->deadline))
			o = d;
	}
	return o;
}

static void evict(struct ipv4_reass *r, struct ipv4_reass_dgram *d, struct riad_net_stats *st)
{
	if (!d->poisoned)
		st->ipv4.frag_evicted++;
	dgram_free(r, d);
}

static struct ipv4_reass_dgram *open_dgram(struct ipv4_reass *r, const struct ipv4_hdr_info *h,
                                           int64_t now, struct riad_net_stats *st)
{
	struct ipv4_reass_dgram *d = NULL;
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX && !d; i++)
		if (!r->d[i].used)
			d = &r->d[i];
	if (!d) {
		d = oldest(r, NULL, 0);
		evict(r, d, st);
	}
	d->used = true;
	d->src = h->src;
	d->dst = h->dst;
	d->proto = h->proto;
	d->id = h->id;
	d->deadline = now + RIAD_NET_IPV4_REASS_TIMEOUT_NS;
	return d;
}

static bool complete(const struct ipv4_reass_dgram *d)
{
	if (!d->have_last || !d->hdr_len)
		return false;
	uint32_t next = 0;
	for (unsigned i = 0; i < d->n; i++) {
		if (d->frags[i].off != next)
			return false;
		next += d->frags[i].len;
	}
	return next == d->total;
}

/* Put the datagram together behind the first fragment's header (offset and
 * MF cleared, length and checksum fixed, so ICMP can quote it) and free
 * the slot. */
static int deliver(struct ipv4_reass *r, struct ipv4_reass_dgram *d, struct ipv4_rx *rx,
                   struct riad_net_stats *st)
{
	size_t len = (size_t)d->hdr_len + d->total;
	if (len > IPV4_MAX_LEN) {
		st->ipv4.frag_too_big++;
		poison(r, d);
		return 0;
	}
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, len);
	if (!p) {
		st->ipv4.frag_no_mem++;
		dgram_free(r, d);
		return 0;
	}
	uint8_t *h = p->data;
	memcpy(h, d->hdr, d->hdr_len);
	wire_put16(h + offsetof(struct ipv4_hdr, total_len), (uint16_t)len);
	uint16_t ff = wire_get16(h + offsetof(struct ipv4_hdr, flags_frag));
	wire_put16(h + offsetof(struct ipv4_hdr, flags_frag), ff & IPV4_FLAG_DF);
	wire_put16(h + offsetof(struct ipv4_hdr, csum), 0);
	wire_put16(h + offsetof(struct ipv4_hdr, csum), wire_csum_fold(wire_csum_add(0, h, d->hdr_len)));
	for (unsigned i = 0; i < d->n; i++)
		memcpy(h + d->hdr_len + d->frags[i].off, d->frags[i].p->data, d->frags[i].len);

	rx->src = d->src;
	rx->dst = d->dst;
	rx->proto = d->proto;
	rx->tos = h[offsetof(struct ipv4_hdr, tos)];
	rx->ttl = h[offsetof(struct ipv4_hdr, ttl)];
	rx->bcast = d->bcast;
	rx->reassembled = true;
	rx->param_ptr = 0;
	rx->hdr = h;
	rx->hdr_len = d->hdr_len;
	rx->len = len;
	riad_pbuf_pull(p, d->hdr_len);
	rx->p = p;
	st->ipv4.reassembled++;
	dgram_free(r, d);
	return 1;
}

int ipv4_frag_input(struct ipv4_reass *r, const struct ipv4_hdr_info *h, const uint8_t *hdr,
                    const uint8_t *payload, size_t len, bool bcast, int64_t now,
                    struct ipv4_rx *rx, struct riad_net_stats *st)
{
	uint32_t off = (uint32_t)(h->flags_frag & IPV4_FRAG_OFFSET_MASK) * 8;
	bool mf = h->flags_frag & IPV4_FLAG_MF;
	uint32_t end = off + (uint32_t)len;
	/* RFC 791: every fragment but the last carries a multiple of 8 bytes,
	 * and none may reach beyond the largest datagram. */
	if (end > IPV4_MAX_LEN - IPV4_HDR_MIN || (mf && (len == 0 || len % 8 != 0))) {
		st->ipv4.frag_too_big++;
		return 0;
	}
	struct ipv4_reass_dgram *d = find(r, h);
	if (!d)
		d = open_dgram(r, h, now, st);
	if (d->poisoned) {
		st->ipv4.frag_poisoned++;
		return 0;
	}
	/* Inconsistent ends: beyond the known last byte, a second "last"
	 * fragment elsewhere, or a last fragment before data already held. */
	uint32_t held_end = d->n ? d->frags[d->n - 1].off + d->frags[d->n - 1].len : 0;
	if ((d->have_last && (end > d->total || (!mf && end != d->total))) ||
	    (!mf && held_end > end)) {
		st->ipv4.frag_too_big++;
		poison(r, d);
		return 0;
	}
	unsigned at = 0; /* where the fragment goes to keep the order */
	for (unsigned i = 0; i < d->n; i++) {
		const struct ipv4_frag *f = &d->frags[i];
		if (off == f->off && len == f->len) {
			st->ipv4.frag_dup++;
			return 0;
		}
		if (off < f->off + f->len && f->off < end) {
			st->ipv4.frag_overlap++;
			poison(r, d);
			return 0;
		}
		if (f->off < off)
			at = i + 1;
	}
	if (len > 0) {
		if (d->n == RIAD_NET_IPV4_REASS_FRAGS) {
			st->ipv4.frag_too_many++;
			poison(r, d);
			return 0;
		}
		struct ipv4_reass_dgram *o;
		while (r->bytes + len > RIAD_NET_IPV4_REASS_BYTES && (o = oldest(r, d, 1)))
			evict(r, o, st);
		if (r->bytes + len > RIAD_NET_IPV4_REASS_BYTES) {
			st->ipv4.frag_evicted++;
			poison(r, d);
			return 0;
		}
		struct riad_pbuf *p = riad_pbuf_alloc(0, len);
		if (!p) {
			st->ipv4.frag_no_mem++;
			return 0;
		}
		memcpy(p->data, payload, len);
		memmove(&d->frags[at + 1], &d->frags[at], (d->n - at) * sizeof(d->frags[0]));
		d->frags[at] = (struct ipv4_frag){ .off = off, .len = (uint32_t)len, .p = p };
		d->n++;
		d->bytes += (uint32_t)len;
		r->bytes += len;
	}
	if (!mf) {
		d->have_last = true;
		d->total = end;
	}
	if (off == 0) {
		memcpy(d->hdr, hdr, h->hdr_len);
		d->hdr_len = h->hdr_len;
		d->bcast = bcast;
	}
	if (!complete(d))
		return 0;
	return deliver(r, d, rx, st);
}

int64_t ipv4_frag_deadline(const struct ipv4_reass *r)
{
	int64_t t = INT64_MAX;
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++)
		if (r->d[i].used && r->d[i].deadline < t)
			t = r->d[i].deadline;
	return t;
}

int64_t ipv4_frag_timer(struct ipv4_reass *r, int64_t now, struct riad_net_stats *st)
{
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++) {
		struct ipv4_reass_dgram *d = &r->d[i];
		if (!d->used || d->deadline > now)
			continue;
		/* RFC 1122 3.3.2 would have us send ICMP time exceeded when the
		 * first fragment came; we do not (see docs/net.md). */
		if (!d->poisoned)
			st->ipv4.frag_timeout++;
		dgram_free(r, d);
	}
	return ipv4_frag_deadline(r);
}

void ipv4_frag_flush(struct ipv4_reass *r)
{
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++)
		dgram_free(r, &r->d[i]);
}

int ipv4_frag_output(uint16_t mtu, const struct net_ip_tx *tx, uint8_t ttl, uint16_t id,
                     struct riad_pbuf *p, struct arp *arp, const struct ipv4_route *rt,
                     int64_t now, struct ether_txq *q, struct riad_net_stats *st)
{
	/* RFC 791 3.2: each fragment's data is a multiple of 8 bytes but the
	 * last; mtu >= 68 leaves at least 48. */
	size_t chunk = (size_t)(mtu - IPV4_HDR_MIN) & ~(size_t)7;
	size_t n = (p->len + chunk - 1) / chunk;
	int ret = -1;
	/* All or nothing: a datagram missing a fragment is lost anyway. */
	if (ether_txq_space(q) < n) {
		st->ether.tx_overflow++;
		goto out;
	}
	for (size_t off = 0; off < p->len; off += chunk) {
		size_t len = p->len - off < chunk ? p->len - off : chunk;
		struct riad_pbuf *f = riad_pbuf_alloc(NET_HEADROOM, IPV4_HDR_MIN + len);
		if (!f) {
			st->ipv4.tx_no_mem++;
			goto out;
		}
		uint16_t ff = (uint16_t)(off / 8) | (off + len < p->len ? IPV4_FLAG_MF : 0);
		ipv4_hdr_write(f->data, tx->tos, (uint16_t)(IPV4_HDR_MIN + len), id, ff, ttl, tx->proto,
		               tx->src, tx->dst);
		memcpy(f->data + IPV4_HDR_MIN, p->data + off, len);
		st->ipv4.frag_tx++;
		ipv4_send(arp, rt, f, now, q, st);
	}
	ret = 0;
out:
	riad_pbuf_unref(p);
	return ret;
}
