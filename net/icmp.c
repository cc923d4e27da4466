/* net/icmp.c: ICMP echo, errors sent under a token bucket, errors received (RFC 792, RFC 1122 3.2.2).
 *
 * Input:
 *
 *   message --> 8-byte header? --> checksum --> type:
 *     echo request --> to a broadcast? drop (RFC 1122 3.2.2.6) --> reply, same id/seq/data
 *     unreachable, quench, time exceeded, parameter problem
 *                 --> not a broadcast, quoted IPv4 header well formed, from us?
 *                 --> struct icmp_err to the glue
 *     echo reply (we send no echo requests), timestamp, redirect, the rest --> unsupported, drop
 *
 * Errors we send: destination unreachable (protocol, port) and parameter
 * problem (malformed IPv4 options, RFC 1122 3.2.2.5), both for the glue
 * to ask for.
 *
 * Output of errors (RFC 1122 3.2.2, in order): never about an ICMP error,
 * a datagram to a broadcast or multicast address, a non-first fragment, or
 * from a source that is not one host; then one token from the bucket.
 * Echo replies are not rate limited: a ping flood is answered in full.
 *
 * Invariants:
 *  1. The bucket holds at most RIAD_NET_ICMP_ERR_BURST tokens; time going
 *     backwards adds nothing.
 *  2. An error quotes the offending datagram's header and as much of its
 *     data as keeps the error within 576 bytes (RFC 1812 4.3.2.3; RFC 792
 *     asks for at least 8).
 */
#include <string.h>

#include "icmp.h"
#include "wire.h"

#define TOKEN_NS (1000000000LL / RIAD_NET_ICMP_ERR_RATE)
#define BUCKET_NS (TOKEN_NS * RIAD_NET_ICMP_ERR_BURST)

void icmp_init(struct icmp *ic)
{
	memset(ic, 0, sizeof(*ic));
}

static bool take_token(struct icmp *ic, int64_t now)
{
	if (!ic->started) {
		ic->started = true;
		ic->credit_ns = BUCKET_NS;
	} else if (now > ic->last) {
		int64_t gap = now - ic->last;
		ic->credit_ns = gap >= BUCKET_NS - ic->credit_ns ? BUCKET_NS : ic->credit_ns + gap;
	}
	if (now > ic->last)
		ic->last = now;
	if (ic->credit_ns < TOKEN_NS)
		return false;
	ic->credit_ns -= TOKEN_NS;
	return true;
}

static bool is_error_type(uint8_t type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_REDIRECT ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAM_PROBLEM;
}

static void echo_reply(struct ipv4_rx *rx, struct net_txq *out, struct riad_net_stats *st)
{
	struct riad_pbuf *p = rx->p;
	rx->p = NULL;
	/* Answer in place when we hold the only reference (the usual case: the
	 * device's buffer, with the old headers as headroom); else copy. */
	if (p->refs != 1) {
		struct riad_pbuf *c = riad_pbuf_alloc(NET_HEADROOM, p->len);
		if (!c) {
			st->icmp.no_mem++;
			riad_pbuf_unref(p);
			return;
		}
		memcpy(c->data, p->data, p->len);
		riad_pbuf_unref(p);
		p = c;
	}
	p->data[offsetof(struct icmp_hdr, type)] = ICMP_ECHO_REPLY;
	p->data[offsetof(struct icmp_hdr, code)] = 0;
	wire_put16(p->data + offsetof(struct icmp_hdr, csum), 0);
	wire_put16(p->data + offsetof(struct icmp_hdr, csum),
	           wire_csum_fold(wire_csum_add(0, p->data, p->len)));
	if (net_txq_push(out, rx->dst, rx->src, NET_PROTO_ICMP, p) == 0)
		st->icmp.echo_tx++;
}

/* RFC 1122 3.2.2: the quoted datagram must be ours for the transports to
 * look at it: a well-formed header from our address. */
static int parse_error(struct ipv4_rx *rx, struct wire_rd *r, uint8_t type, uint8_t code,
                       uint32_t rest, struct icmp_err *err, struct riad_net_stats *st)
{
	const uint8_t *q = r->p + r->off;
	size_t qlen = wire_left(r);
	struct wire_rd h = wire_rd(q, qlen);
	uint8_t ver_ihl = wire_u8(&h);
	wire_skip(&h, 8);
	uint8_t proto = wire_u8(&h);
	wire_skip(&h, 2);
	uint32_t src = wire_u32(&h), dst = wire_u32(&h);
	size_t hl = (size_t)(ver_ihl & 0xf) * 4;
	/* Errors go to the sender's unicast address; one that came as a
	 * broadcast is forged (and would reach every host's transports). */
	if (h.err || ver_ihl >> 4 != 4 || hl < IPV4_HDR_MIN || hl > qlen || src != rx->dst ||
	    rx->bcast) {
		st->icmp.err_bad++;
		return 0;
	}
	memset(err, 0, sizeof(*err));
	err->type = type;
	err->code = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_UNREACH_NEEDFRAG)
		err->mtu = (uint16_t)rest;
	if (type == ICMP_PARAM_PROBLEM)
		err->pointer = (uint8_t)(rest >> 24);
	err->src = src;
	err->dst = dst;
	err->proto = proto;
	err->l4_len = (uint8_t)(qlen - hl < sizeof(err->l4) ? qlen - hl : sizeof(err->l4));
	memcpy(err->l4, q + hl, err->l4_len);
	st->icmp.err_rx++;
	return 1;
}

int icmp_input(struct icmp *ic, struct ipv4_rx *rx, int64_t now, struct net_txq *out,
               struct icmp_err *err, struct riad_net_stats *st)
{
	(void)ic;
	(void)now;
	int ret = 0;
	st->icmp.rx++;
	struct riad_pbuf *p = rx->p;
	struct wire_rd r = wire_rd(p->data, p->len);
	uint8_t type = wire_u8(&r), code = wire_u8(&r);
	wire_u16(&r);
	uint32_t rest = wire_u32(&r);
	if (r.err) {
		st->icmp.truncated++;
		goto drop;
	}
#ifndef RIAD_FUZZING
	if (wire_csum_fold(wire_csum_add(0, p->data, p->len)) != 0) {
		st->icmp.bad_checksum++;
		goto drop;
	}
#endif
	if (type == ICMP_ECHO_REQUEST) {
		st->icmp.echo_rx++;
		if (rx->bcast) {
			st->icmp.echo_bcast++;
			goto drop;
		}
		echo_reply(rx, out, st);
		return 0;
	}
	/* Redirects are for hosts with a route cache; we have one gateway. */
	if (is_error_type(type) && type != ICMP_REDIRECT) {
		ret = parse_error(rx, &r, type, code, rest, err, st);
		goto drop;
	}
	st->icmp.unsupported++;
drop:
	riad_pbuf_unref(rx->p);
	rx->p = NULL;
	return ret;
}

/* RFC 1122 3.2.2: whether an error about rx may be sent at all. */
static bool error_allowed(uint32_t src, const struct ipv4_rx *rx)
{
	if (!src || rx->bcast || IPV4_IS_MULTICAST(rx->dst) || rx->dst == IPV4_BROADCAST)
		return false;
	uint32_t s = rx->src;
	if (!s || IPV4_IS_MULTICAST(s) || IPV4_IS_CLASS_E(s) || IPV4_IS_LOOPBACK(s) ||
	    IPV4_IS_THIS_NET(s))
		return false;
	if (rx->hdr_len < IPV4_HDR_MIN || rx->len < rx->hdr_len)
		return false;
	if (wire_get16(rx->hdr + offsetof(struct ipv4_hdr, flags_frag)) & IPV4_FRAG_OFFSET_MASK)
		return false;
	if (rx->proto == NET_PROTO_ICMP) {
		/* Queries may get errors; errors, and messages too short to
		 * tell, may not. */
		if (rx->len == rx->hdr_len)
			return false;
		if (is_error_type(rx->hdr[rx->hdr_len]))
			return false;
	}
	return true;
}

/* An error whose 4 type-dependent bytes are rest. */
static int send_error(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, uint8_t type,
                      uint8_t code, uint32_t rest, int64_t now, struct net_txq *out,
                      struct riad_net_stats *st)
{
	if (!error_allowed(src, rx)) {
		st->icmp.err_suppressed++;
		return -1;
	}
	if (!take_token(ic, now)) {
		st->icmp.rate_limited++;
		return -1;
	}
	size_t quote = rx->len;
	if (quote > ICMP_ERR_MAX_LEN - IPV4_HDR_MIN - ICMP_HDR_LEN)
		quote = ICMP_ERR_MAX_LEN - IPV4_HDR_MIN - ICMP_HDR_LEN;
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, ICMP_HDR_LEN + quote);
	if (!p) {
		st->icmp.no_mem++;
		return -1;
	}
	uint8_t *b = p->data;
	memset(b, 0, ICMP_HDR_LEN);
	b[offsetof(struct icmp_hdr, type)] = type;
	b[offsetof(struct icmp_hdr, code)] = code;
	wire_put32(b + offsetof(struct icmp_hdr, rest), rest);
	memcpy(b + ICMP_HDR_LEN, rx->hdr, quote);
	wire_put16(b + offsetof(struct icmp_hdr, csum), wire_csum_fold(wire_csum_add(0, b, p->len)));
	if (net_txq_push(out, src, rx->src, NET_PROTO_ICMP, p) < 0)
		return -1;
	st->icmp.err_tx++;
	return 0;
}

int icmp_error(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, uint8_t type, uint8_t code,
               int64_t now, struct net_txq *out, struct riad_net_stats *st)
{
	return send_error(ic, src, rx, type, code, 0, now, out, st);
}

/* RFC 792: the pointer is the first octet of the rest, the other three
 * are unused (zero). */
int icmp_param_problem(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, uint8_t pointer,
                       int64_t now, struct net_txq *out, struct riad_net_stats *st)
{
	if (send_error(ic, src, rx, ICMP_PARAM_PROBLEM, ICMP_PARAM_POINTER, (uint32_t)pointer << 24,
	               now, out, st) < 0)
		return -1;
	st->icmp.param_tx++;
	return 0;
}
