/* net/ipv4.c: IPv4 input (validation, filtering, dispatch to reassembly) and output (routing, header, ARP).
 *
 * Input, in the order RFC 1122 3.2.1 and 3.3 ask for; each failed check is
 * one drop counter:
 *
 *   frame --> length >= 20? --> version 4? --> 5 <= IHL, header in frame?
 *         --> checksum --> IHL*4 <= total length <= frame (trim padding)
 *         --> source a unique host? --> destination ours or a broadcast?
 *         --> options well formed? --(no)--> IPV4_RX_PARAM_PROBLEM (the glue
 *         |                                  may answer, RFC 1122 3.2.2.5)
 *         --> fragment? --+--> reassembly --> deliver when whole
 *         --> deliver (struct ipv4_rx)
 *
 * Output: route (broadcast, multicast, on-link, gateway), header, then one
 * frame or fragments (ipv4_frag.c), through ARP unless the link address is
 * known from the IP address alone.
 *
 * Invariants:
 *  1. A delivered datagram's bytes [hdr, hdr + len) lie inside its pbuf and
 *     were checked; hdr_len >= 20, len = the header's total length.
 *  2. A datagram is never sent with TTL 0 (RFC 1122 3.2.1.7) nor with a
 *     total length above 65535.
 *  3. We never forward: a datagram not for us is dropped, and received TTLs
 *     are not checked (RFC 1122 3.2.1.7: a host must not drop for low TTL).
 */
#include <string.h>

#include "ipv4.h"
#include "wire.h"

void ipv4_init(struct ipv4 *ip, uint16_t mtu, uint16_t id_seed)
{
	memset(ip, 0, sizeof(*ip));
	ip->mtu = mtu < IPV4_MIN_MTU ? IPV4_MIN_MTU : mtu;
	ip->next_id = id_seed;
}

void ipv4_set_addr(struct ipv4 *ip, uint32_t addr, uint32_t netmask, uint32_t gateway)
{
	ip->addr = addr;
	ip->netmask = addr ? netmask : 0;
	ip->gateway = addr ? gateway : 0;
}

/* /31 (RFC 3021) and /32 subnets have no broadcast address. */
static bool has_subnet_bcast(const struct ipv4 *ip)
{
	return ip->addr && (ip->netmask & 3) == 0;
}

bool ipv4_is_bcast(const struct ipv4 *ip, uint32_t dst)
{
	if (dst == IPV4_BROADCAST)
		return true;
	if (!has_subnet_bcast(ip) || (dst & ip->netmask) != (ip->addr & ip->netmask))
		return false;
	uint32_t host = dst & ~ip->netmask;
	return host == ~ip->netmask || host == 0;
}

/* RFC 1122 3.2.1.3: a source must be a unique host address. */
static bool bad_src(const struct ipv4 *ip, uint32_t src)
{
	return IPV4_IS_MULTICAST(src) || IPV4_IS_CLASS_E(src) || IPV4_IS_LOOPBACK(src) ||
	       IPV4_IS_THIS_NET(src) || (has_subnet_bcast(ip) && ipv4_is_bcast(ip, src));
}

/* The options that are malformed, judged as Linux's ip_options_compile
 * judges a received header (net/ipv4/ip_options.c), from RFC 791 3.1's
 * formats. Offsets below are from the option's type octet, and are where
 * the parameter problem points (RFC 1122 3.2.2.5, RFC 792):
 *
 *  - Every option but EOL (0) and NOP (1), one octet each: a length octet
 *    there, at least 2 (it counts type and length), within the header;
 *    else +0.
 *  - Record route (7), loose and strict source routes (131, 137), RFC 791
 *    3.1 "Record Route", "Loose/Strict Source and Record Route": type,
 *    length, pointer, 4-byte addresses. Length at least 3, else +1. The
 *    pointer counts from the type octet, "the smallest legal value is 4",
 *    else +2. A pointer above the length means the route is full or
 *    complete (any value: RFC 791 only says "exceeds the length", and
 *    Linux takes them all); one at most the length must leave room for a
 *    whole address, pointer + 3 <= length, else +2 (Linux checks this for
 *    source routes only when it follows them, ip_options_rcv_srr; we
 *    check it up front, the format being the same). Each "appears at most
 *    once in a datagram", and the two source routes count as one (as
 *    Linux, citing RFC 1812 5.2.4.1): a second one is +0.
 *  - Timestamp (68), RFC 791 3.1 "Internet Timestamp": type, length,
 *    pointer, overflow and flag, entries. Length at least 4 (the option
 *    with no room for an entry is legal and full: Linux takes a length of
 *    4 with pointer 5), else +1. "The smallest legal value is 5" for the
 *    pointer, else +2. A pointer above the length is a full area; one at
 *    most the length must leave room for the entry the flag asks for: 4
 *    bytes for flag 0, 8 for flags 1 and 3 (an address and a timestamp),
 *    else +2. Other flags are taken, as Linux takes them on input. At most
 *    once, as Linux: a second one is +0. We never add a timestamp, so an
 *    overflow count of 15 is no error here (RFC 791 discards only when a
 *    module would have to increment it; Linux, which records, refuses it).
 *  - Router alert (148), RFC 2113 2.1: length at least 4, else +1.
 *  - Anything else (security, stream id, unknown types): skipped by its
 *    length (RFC 1122 3.2.1.8: options not understood are ignored).
 *
 * Nothing after an EOL is looked at. Returns -1 when the options are well
 * formed, else the offset in opt of the octet at fault. */
struct opts_seen {
	bool rr, srr, ts;
};

/* One option's checks past the generic ones; o reads its octets after type
 * and length. Returns -1 or the offset from the type octet. */
static int option_check(uint8_t type, uint8_t olen, struct wire_rd *o, struct opts_seen *seen)
{
	switch (type) {
	case IPV4_OPT_RR:
	case IPV4_OPT_LSRR:
	case IPV4_OPT_SSRR: {
		bool *once = type == IPV4_OPT_RR ? &seen->rr : &seen->srr;
		if (*once)
			return 0;
		*once = true;
		if (olen < 3)
			return 1;
		uint8_t ptr = wire_u8(o);
		if (ptr < 4 || (ptr <= olen && ptr + 3 > olen))
			return 2;
		return -1;
	}
	case IPV4_OPT_TS: {
		if (seen->ts)
			return 0;
		seen->ts = true;
		if (olen < 4)
			return 1;
		uint8_t ptr = wire_u8(o);
		uint8_t flag = wire_u8(o) & 0xf;
		unsigned entry = flag == IPV4_TS_ADDR || flag == IPV4_TS_PRESPEC ? 8 : 4;
		if (ptr < 5 || (ptr <= olen && ptr + entry - 1 > olen))
			return 2;
		return -1;
	}
	case IPV4_OPT_RA:
		return olen < 4 ? 1 : -1;
	default:
		return -1;
	}
}

static int options_check(const uint8_t *opt, size_t len)
{
	struct wire_rd r = wire_rd(opt, len);
	struct opts_seen seen = { false, false, false };
	while (wire_left(&r) > 0) {
		size_t at = r.off;
		uint8_t type = wire_u8(&r);
		if (type == IPV4_OPT_EOL)
			break;
		if (type == IPV4_OPT_NOP)
			continue;
		uint8_t olen = wire_u8(&r);
		if (r.err || olen < 2)
			return (int)at;
		const uint8_t *body = wire_take(&r, olen - 2u);
		if (!body)
			return (int)at;
		struct wire_rd o = wire_rd(body, olen - 2u);
		int bad = option_check(type, olen, &o, &seen);
		if (bad >= 0)
			return (int)at + bad;
	}
	return -1;
}

/* rx for the datagram p whose validated header is h; p is pulled to the payload. */
static void fill_rx(struct ipv4_rx *rx, const struct ipv4_hdr_info *h, bool bcast, struct riad_pbuf *p)
{
	rx->src = h->src;
	rx->dst = h->dst;
	rx->proto = h->proto;
	rx->tos = h->tos;
	rx->ttl = h->ttl;
	rx->bcast = bcast;
	rx->reassembled = false;
	rx->param_ptr = 0;
	rx->hdr = p->data;
	rx->hdr_len = h->hdr_len;
	rx->len = h->total_len;
	riad_pbuf_pull(p, h->hdr_len);
	rx->p = p;
}

int ipv4_input(struct ipv4 *ip, struct riad_pbuf *p, bool link_bcast, int64_t now,
               struct ipv4_rx *rx, struct riad_net_stats *st)
{
	st->ipv4.rx++;
	struct ipv4_hdr_info h;
	struct wire_rd r = wire_rd(p->data, p->len);
	uint8_t ver_ihl = wire_u8(&r);
	h.tos = wire_u8(&r);
	h.total_len = wire_u16(&r);
	h.id = wire_u16(&r);
	h.flags_frag = wire_u16(&r);
	h.ttl = wire_u8(&r);
	h.proto = wire_u8(&r);
	wire_u16(&r); /* checksum: verified over the whole header below */
	h.src = wire_u32(&r);
	h.dst = wire_u32(&r);
	if (r.err) {
		st->ipv4.truncated++;
		goto drop;
	}
	if (ver_ihl >> 4 != 4) {
		st->ipv4.bad_version++;
		goto drop;
	}
	h.hdr_len = (uint8_t)((ver_ihl & 0xf) * 4);
	if (h.hdr_len < IPV4_HDR_MIN || h.hdr_len > p->len) {
		st->ipv4.bad_hlen++;
		goto drop;
	}
#ifndef RIAD_FUZZING
	if (wire_csum_fold(wire_csum_add(0, p->data, h.hdr_len)) != 0) {
		st->ipv4.bad_checksum++;
		goto drop;
	}
#endif
	/* RFC 1122 3.3.2 / RFC 791: the total length covers header and data;
	 * more bytes in the frame are link padding, fewer is a truncation. */
	if (h.total_len < h.hdr_len || h.total_len > p->len) {
		st->ipv4.bad_len++;
		goto drop;
	}
	riad_pbuf_trim(p, h.total_len);
	if (bad_src(ip, h.src)) {
		st->ipv4.bad_src++;
		goto drop;
	}
	/* RFC 1122 3.3.4.2 / 3.3.6: ours, or a broadcast. We join no multicast
	 * group. Before we have an address (DHCP), unicast UDP to any address
	 * is taken: a server may send the offer to the address it offers. */
	bool bcast = ipv4_is_bcast(ip, h.dst);
	bool ours = ip->addr ? h.dst == ip->addr : h.proto == NET_PROTO_UDP && !IPV4_IS_MULTICAST(h.dst);
	if (!ours && !bcast) {
		st->ipv4.not_for_us++;
		goto drop;
	}
	bcast = bcast || link_bcast;
	/* After the address checks, as Linux does it (routing first): we only
	 * answer for datagrams that were ours to take. */
	int bad_opt = options_check(p->data + IPV4_HDR_MIN, h.hdr_len - IPV4_HDR_MIN);
	if (bad_opt >= 0) {
		st->ipv4.bad_options++;
		fill_rx(rx, &h, bcast, p);
		rx->param_ptr = (uint8_t)(IPV4_HDR_MIN + bad_opt);
		return IPV4_RX_PARAM_PROBLEM;
	}

	if (h.flags_frag & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET_MASK)) {
		st->ipv4.frag_rx++;
		int done = ipv4_frag_input(&ip->reass, &h, p->data, p->data + h.hdr_len,
		                           h.total_len - h.hdr_len, bcast, now, rx, st);
		riad_pbuf_unref(p);
		if (done)
			st->ipv4.delivered++;
		return done;
	}

	fill_rx(rx, &h, bcast, p);
	st->ipv4.delivered++;
	return 1;
drop:
	riad_pbuf_unref(p);
	return 0;
}

void ipv4_hdr_write(uint8_t *h, uint8_t tos, uint16_t total_len, uint16_t id,
                    uint16_t flags_frag, uint8_t ttl, uint8_t proto, uint32_t src, uint32_t dst)
{
	h[offsetof(struct ipv4_hdr, ver_ihl)] = 0x45;
	h[offsetof(struct ipv4_hdr, tos)] = tos;
	wire_put16(h + offsetof(struct ipv4_hdr, total_len), total_len);
	wire_put16(h + offsetof(struct ipv4_hdr, id), id);
	wire_put16(h + offsetof(struct ipv4_hdr, flags_frag), flags_frag);
	h[offsetof(struct ipv4_hdr, ttl)] = ttl;
	h[offsetof(struct ipv4_hdr, proto)] = proto;
	wire_put16(h + offsetof(struct ipv4_hdr, csum), 0);
	wire_put32(h + offsetof(struct ipv4_hdr, src), src);
	wire_put32(h + offsetof(struct ipv4_hdr, dst), dst);
	wire_put16(h + offsetof(struct ipv4_hdr, csum), wire_csum_fold(wire_csum_add(0, h, IPV4_HDR_MIN)));
}

int ipv4_send(struct arp *arp, const struct ipv4_route *rt, struct riad_pbuf *p, int64_t now,
              struct ether_txq *q, struct riad_net_stats *st)
{
	st->ipv4.tx++;
	if (rt->direct)
		return ether_output(q, p, rt->mac, arp->mac, ETHER_TYPE_IPV4, st);
	return arp_output(arp, rt->next_hop, p, now, q, st) < 0 ? -1 : 0;
}

/* RFC 1122 3.3.1: the next hop is the destination itself when it is on a
 * connected network, else the gateway. Broadcasts and multicasts need no
 * resolution (RFC 1112 6.4 for the multicast MAC). */
static bool route(const struct ipv4 *ip, uint32_t dst, struct ipv4_route *rt)
{
	rt->direct = false;
	rt->next_hop = 0;
	if (ipv4_is_bcast(ip, dst)) {
		rt->direct = true;
		memcpy(rt->mac, ether_broadcast, ETHER_ADDR_LEN);
		return true;
	}
	if (IPV4_IS_MULTICAST(dst)) {
		rt->direct = true;
		ether_ipv4_multicast(dst, rt->mac);
		return true;
	}
	/* We do not loop datagrams back to ourselves, nor send to addresses
	 * that cannot be a host. */
	if (!ip->addr || dst == ip->addr || IPV4_IS_CLASS_E(dst) || IPV4_IS_LOOPBACK(dst) ||
	    IPV4_IS_THIS_NET(dst))
		return false;
	if ((dst & ip->netmask) == (ip->addr & ip->netmask)) {
		rt->next_hop = dst;
		return true;
	}
	if (ip->gateway) {
		rt->next_hop = ip->gateway;
		return true;
	}
	return false;
}

int ipv4_output(struct ipv4 *ip, struct arp *arp, struct net_ip_tx *tx, int64_t now,
                struct ether_txq *q, struct riad_net_stats *st)
{
	struct riad_pbuf *p = tx->p;
	tx->p = NULL;
	struct ipv4_route rt;
	if (p->len > IPV4_MAX_LEN - IPV4_HDR_MIN) {
		st->ipv4.tx_bad++;
		goto drop;
	}
	if (!route(ip, tx->dst, &rt)) {
		st->ipv4.no_route++;
		goto drop;
	}
	uint8_t ttl = tx->ttl ? tx->ttl : RIAD_NET_IPV4_TTL;
	uint16_t id = ip->next_id++;
	/* A TSO segment (gso_size set: TCP saw the device offer TSO) is
	 * cut by the device into MTU-sized ones, never fragmented. */
	if (IPV4_HDR_MIN + p->len > ip->mtu && !p->gso_size)
		return ipv4_frag_output(ip->mtu, tx, ttl, id, p, arp, &rt, now, q, st);
	if (riad_pbuf_headroom(p) < IPV4_HDR_MIN + ETHER_HDR_LEN) {
		struct riad_pbuf *c = riad_pbuf_alloc(NET_HEADROOM, p->len);
		if (!c) {
			st->ipv4.tx_no_mem++;
			goto drop;
		}
		memcpy(c->data, p->data, p->len);
		riad_pbuf_copy_marks(c, p);
		riad_pbuf_unref(p);
		p = c;
	}
	uint8_t *h = riad_pbuf_push(p, IPV4_HDR_MIN);
	if (!h) { /* cannot happen after the copy above */
		st->ipv4.tx_no_mem++;
		goto drop;
	}
	ipv4_hdr_write(h, tx->tos, (uint16_t)p->len, id, 0, ttl, tx->proto, tx->src, tx->dst);
	return ipv4_send(arp, &rt, p, now, q, st);
drop:
	riad_pbuf_unref(p);
	return -1;
}

void ipv4_output_txq(struct ipv4 *ip, struct arp *arp, struct net_txq *txq, int64_t now,
                     struct ether_txq *q, struct riad_net_stats *st)
{
	for (size_t i = 0; i < txq->n; i++)
		ipv4_output(ip, arp, &txq->items[i], now, q, st);
	txq->n = 0;
}

int64_t ipv4_timer(struct ipv4 *ip, int64_t now, struct riad_net_stats *st)
{
	return ipv4_frag_timer(&ip->reass, now, st);
}

int64_t ipv4_deadline(const struct ipv4 *ip)
{
	return ipv4_frag_deadline(&ip->reass);
}

void ipv4_flush(struct ipv4 *ip)
{
	ipv4_frag_flush(&ip->reass);
}
