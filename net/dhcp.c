/* net/dhcp.c: the DHCP client state machine (RFC 2131 sections 3.1, 4.1, 4.3.2, 4.4; options RFC 2132).
 *
 *            dhcp_start
 *   INIT ------------------> SELECTING  --+ timer: DISCOVER again, backoff 4, 8 .. 64 s +-1 s
 *    ^    (DISCOVER, new xid)    |   ^  <--+
 *    |                     OFFER |   | NAK, or no ACK after
 *    |   (REQUEST, broadcast)    v   | RIAD_NET_DHCP_REQUEST_TRIES REQUESTs (new DISCOVER)
 *    |                       REQUESTING --+ timer: REQUEST again, same backoff
 *    |                           |     <--+
 *    |                       ACK | (EV_PROBE: the glue sends an ARP probe)
 *    |                           v
 *    |                        PROBING --+ timer, fewer than RIAD_NET_DHCP_PROBE_NUM probes:
 *    |                           |   <--+ EV_PROBE again, RIAD_NET_DHCP_PROBE_INTERVAL_NS on
 *    |                           | timer, one interval after the last probe (EV_BOUND)
 *    |                           v
 *    |                         BOUND <---------------+------------------+
 *    |                           | T1                | ACK (EV_BOUND)   | ACK (EV_BOUND)
 *    |     (REQUEST unicast      v                   |                  |
 *    |      to the server)   RENEWING ---------------+                  |
 *    |                           | T2    timer: again at half the time  |
 *    |     (REQUEST broadcast)   v       left to T2, at least 60 s      |
 *    |                       REBINDING ---------------------------------+
 *    |                           |       timer: again at half the time left to expiry, >= 60 s
 *    +---------------------------+ expiry, or NAK in RENEWING/REBINDING (EV_LOST; new DISCOVER)
 *
 * Conflicts (RFC 5227 2.1.1, dhcp_arp): in PROBING, an ARP packet from the
 * address, or another host's probe for it, sends a DECLINE and enters
 * DECLINED (EV_DECLINED); its timer, RIAD_NET_DHCP_DECLINE_WAIT_NS later,
 * starts over in SELECTING (RFC 2131 3.1 step 5).
 *
 * Invariants:
 *  1. A message is taken only if it is a BOOTREPLY for Ethernet with the
 *     magic cookie, our xid and our MAC, its options parse within their
 *     fields and the options field ends with END.
 *  2. In SELECTING, REQUESTING, RENEWING and REBINDING, deadline is the
 *     next retransmission; in PROBING the next probe or the end of the
 *     window; in DECLINED the time to start over; in BOUND it is T1;
 *     deadline never lies past the lease's expiry while we hold one.
 *  3. The lease's times count from the first REQUEST of the exchange that
 *     obtained it (RFC 2131 4.4.1), so a late ACK never stretches it.
 *  4. Every retransmission delay is chosen by the caller's random bits; the
 *     client holds no generator.
 *  5. An address is configured (EV_BOUND out of PROBING) only after
 *     RIAD_NET_DHCP_PROBE_NUM probes found nobody using it (RFC 2131
 *     4.4.1's SHOULD; RFC 5227 2.1.1's conflict rules).
 */
#include <string.h>

#include "dhcp.h"
#include "ipv4_wire.h"
#include "udp.h"
#include "wire.h"

#define NS_PER_S 1000000000LL
/* RFC 2131 4.1: first retransmission after 4 s, doubling up to 64 s. */
#define BACKOFF_FIRST_S 4
#define BACKOFF_MAX_S 64
/* RFC 2131 4.4.5: in RENEWING and REBINDING, retransmit no sooner than 60 s. */
#define RENEW_MIN_NS (60 * NS_PER_S)

void dhcp_init(struct dhcp *d, const uint8_t mac[ETHER_ADDR_LEN])
{
	memset(d, 0, sizeof(*d));
	memcpy(d->mac, mac, ETHER_ADDR_LEN);
	d->deadline = INT64_MAX;
}

/* RFC 2131 4.1: 4 s doubled per retransmission, at most 64 s, randomized by
 * a uniform -1..+1 s (to the millisecond). */
static int64_t backoff(unsigned tries, uint64_t rnd)
{
	int64_t s = BACKOFF_FIRST_S;
	for (unsigned i = 1; i < tries && s < BACKOFF_MAX_S; i++)
		s *= 2;
	if (s > BACKOFF_MAX_S)
		s = BACKOFF_MAX_S;
	int64_t jitter_ms = (int64_t)((rnd >> 32) % 2001) - 1000;
	return s * NS_PER_S + jitter_ms * 1000000;
}

/* RFC 2131 4.4.5: half the time left to limit, at least 60 s, never past it. */
static int64_t half_way(int64_t now, int64_t limit)
{
	if (limit == INT64_MAX)
		return INT64_MAX;
	int64_t wait = (limit - now) / 2;
	if (wait < RENEW_MIN_NS)
		wait = RENEW_MIN_NS;
	return now + wait < limit ? now + wait : limit;
}

/* ---- building messages ---- */

struct opt_w {
	uint8_t *p, *end;
};

static void opt_put(struct opt_w *w, uint8_t code, const void *data, uint8_t len)
{
	if (w->end - w->p < 2 + len)
		return; /* cannot happen: our options fit in 300 bytes */
	*w->p++ = code;
	*w->p++ = len;
	memcpy(w->p, data, len);
	w->p += len;
}

static void opt_put32(struct opt_w *w, uint8_t code, uint32_t v)
{
	uint8_t b[4];
	wire_put32(b, v);
	opt_put(w, code, b, 4);
}

/* Queue a message of this type. The options are the type, our client
 * identifier (RFC 2132 9.14: type 1 and the MAC), requested_ip and
 * server_id when non-zero, and (except in RELEASE) the parameters we want. */
static void send_msg(struct dhcp *d, uint8_t type, uint32_t ciaddr, uint32_t requested_ip,
                     uint32_t server_id, uint32_t ip_src, uint32_t ip_dst, int64_t now,
                     struct net_txq *out, struct riad_net_stats *st)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, DHCP_MIN_LEN);
	if (!p) {
		st->dhcp.no_mem++;
		return;
	}
	uint8_t *b = p->data;
	memset(b, 0, p->len);
	b[offsetof(struct dhcp_msg, op)] = DHCP_OP_REQUEST;
	b[offsetof(struct dhcp_msg, htype)] = DHCP_HTYPE_ETHER;
	b[offsetof(struct dhcp_msg, hlen)] = ETHER_ADDR_LEN;
	wire_put32(b + offsetof(struct dhcp_msg, xid), d->xid);
	int64_t secs = (now - d->start) / NS_PER_S;
	wire_put16(b + offsetof(struct dhcp_msg, secs), (uint16_t)(secs < 0 ? 0 : secs > 0xffff ? 0xffff : secs));
	/* RFC 2131 4.1: without an address we may not receive unicast before
	 * the IP layer is configured, so ask for broadcast answers (table 5:
	 * not in DECLINE and RELEASE, which get none). */
	if (!ciaddr && type != DHCP_RELEASE && type != DHCP_DECLINE)
		wire_put16(b + offsetof(struct dhcp_msg, flags), DHCP_FLAG_BROADCAST);
	wire_put32(b + offsetof(struct dhcp_msg, ciaddr), ciaddr);
	memcpy(b + offsetof(struct dhcp_msg, chaddr), d->mac, ETHER_ADDR_LEN);
	wire_put32(b + DHCP_FIXED_LEN, DHCP_MAGIC);

	struct opt_w w = { b + DHCP_FIXED_LEN + 4, b + DHCP_MIN_LEN };
	opt_put(&w, DHCP_OPT_MSG_TYPE, &type, 1);
	uint8_t cid[1 + ETHER_ADDR_LEN] = { DHCP_HTYPE_ETHER };
	memcpy(cid + 1, d->mac, ETHER_ADDR_LEN);
	opt_put(&w, DHCP_OPT_CLIENT_ID, cid, sizeof(cid));
	if (requested_ip)
		opt_put32(&w, DHCP_OPT_REQUESTED_IP, requested_ip);
	if (server_id)
		opt_put32(&w, DHCP_OPT_SERVER_ID, server_id);
	if (type != DHCP_RELEASE && type != DHCP_DECLINE) {
		static const uint8_t params[] = { DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER, DHCP_OPT_DNS,
		                                  DHCP_OPT_LEASE_TIME, DHCP_OPT_T1, DHCP_OPT_T2 };
		opt_put(&w, DHCP_OPT_PARAM_LIST, params, sizeof(params));
	}
	*w.p = DHCP_OPT_END; /* the rest is PAD (zeros) up to 300 bytes */

	if (udp_output(ip_src, DHCP_CLIENT_PORT, ip_dst, DHCP_SERVER_PORT, p, out, st) == 0)
		st->dhcp.tx++;
}

static void send_discover(struct dhcp *d, int64_t now, struct net_txq *out, struct riad_net_stats *st)
{
	send_msg(d, DHCP_DISCOVER, 0, 0, 0, IPV4_ANY, IPV4_BROADCAST, now, out, st);
}

/* RFC 2131 4.3.2 table 4: REQUEST in SELECTING names the offer and its
 * server; in RENEWING (unicast) and REBINDING (broadcast) it carries our
 * address in ciaddr and nothing else. */
static void send_request(struct dhcp *d, int64_t now, struct net_txq *out, struct riad_net_stats *st)
{
	switch (d->state) {
	case DHCP_REQUESTING:
		send_msg(d, DHCP_REQUEST, 0, d->offer.addr, d->offer.server, IPV4_ANY, IPV4_BROADCAST,
		         now, out, st);
		break;
	case DHCP_RENEWING:
		send_msg(d, DHCP_REQUEST, d->lease.addr, 0, 0, d->lease.addr, d->lease.server, now, out, st);
		break;
	default:
		send_msg(d, DHCP_REQUEST, d->lease.addr, 0, 0, d->lease.addr, IPV4_BROADCAST, now, out, st);
		break;
	}
}

void dhcp_start(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                struct riad_net_stats *st)
{
	memset(&d->offer, 0, sizeof(d->offer));
	d->state = DHCP_SELECTING;
	d->xid = (uint32_t)rnd;
	d->start = now;
	d->tries = 1;
	d->deadline = now + backoff(d->tries, rnd);
	send_discover(d, now, out, st);
}

/* Start over after a lease ended (or an exchange failed). */
static enum dhcp_event restart(struct dhcp *d, enum dhcp_event ev, int64_t now, uint64_t rnd,
                               struct net_txq *out, struct riad_net_stats *st)
{
	memset(&d->lease, 0, sizeof(d->lease));
	d->t1 = d->t2 = d->expiry = 0;
	dhcp_start(d, now, rnd, out, st);
	return ev;
}

/* ---- parsing ---- */

struct dhcp_opts {
	uint8_t type;
	uint8_t overload;
	bool has_mask, has_lease, has_server, has_t1, has_t2;
	uint32_t mask, router, lease, server, t1, t2;
	uint32_t dns[RIAD_NET_DHCP_DNS_MAX];
	uint8_t n_dns;
};

static bool mask_ok(uint32_t m)
{
	return m != 0 && (~m & (~m + 1)) == 0; /* ones then zeros */
}

/* One options area (RFC 2132 section 2): PAD, END, or code, length, data.
 * An option whose length runs past the area is an error; so is reaching
 * the end without END where need_end. Later copies of an option replace
 * earlier ones (we do not concatenate as RFC 3396 would: no option we read
 * is that long). */
static bool parse_area(const uint8_t *b, size_t len, bool need_end, bool main_area,
                       struct dhcp_opts *o)
{
	struct wire_rd r = wire_rd(b, len);
	for (;;) {
		if (wire_left(&r) == 0)
			return !need_end;
		uint8_t code = wire_u8(&r);
		if (code == DHCP_OPT_PAD)
			continue;
		if (code == DHCP_OPT_END)
			return true;
		uint8_t olen = wire_u8(&r);
		const uint8_t *v = wire_take(&r, olen);
		if (!v)
			return false;
		switch (code) {
		case DHCP_OPT_MSG_TYPE:
			if (olen != 1)
				return false;
			o->type = v[0];
			break;
		case DHCP_OPT_OVERLOAD:
			if (olen != 1 || v[0] < 1 || v[0] > 3)
				return false;
			if (main_area)
				o->overload = v[0];
			break;
		case DHCP_OPT_SUBNET_MASK:
			if (olen != 4 || !mask_ok(wire_get32(v)))
				return false;
			o->has_mask = true;
			o->mask = wire_get32(v);
			break;
		case DHCP_OPT_ROUTER:
			if (olen < 4 || olen % 4)
				return false;
			o->router = wire_get32(v);
			break;
		case DHCP_OPT_DNS:
			if (olen < 4 || olen % 4)
				return false;
			o->n_dns = 0;
			for (size_t i = 0; i < olen / 4u && o->n_dns < RIAD_NET_DHCP_DNS_MAX; i++)
				o->dns[o->n_dns++] = wire_get32(v + 4 * i);
			break;
		case DHCP_OPT_LEASE_TIME:
		case DHCP_OPT_SERVER_ID:
		case DHCP_OPT_T1:
		case DHCP_OPT_T2:
			if (olen != 4)
				return false;
			if (code == DHCP_OPT_LEASE_TIME) {
				o->has_lease = true;
				o->lease = wire_get32(v);
			} else if (code == DHCP_OPT_SERVER_ID) {
				o->has_server = true;
				o->server = wire_get32(v);
			} else if (code == DHCP_OPT_T1) {
				o->has_t1 = true;
				o->t1 = wire_get32(v);
			} else {
				o->has_t2 = true;
				o->t2 = wire_get32(v);
			}
			break;
		default:
			break; /* RFC 2132 2: skip what we do not know */
		}
	}
}

/* RFC 2131 4.1 and RFC 2132 9.3: the options field (after the cookie) must
 * end with END; with option 52, 'file' and then 'sname' hold options too. */
static bool parse_opts(const uint8_t *msg, size_t len, struct dhcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (!parse_area(msg + DHCP_FIXED_LEN + 4, len - DHCP_FIXED_LEN - 4, true, true, o))
		return false;
	if ((o->overload & 1) &&
	    !parse_area(msg + offsetof(struct dhcp_msg, file), 128, false, false, o))
		return false;
	if ((o->overload & 2) &&
	    !parse_area(msg + offsetof(struct dhcp_msg, sname), 64, false, false, o))
		return false;
	return o->type != 0;
}

static bool addr_usable(uint32_t a)
{
	return a && !IPV4_IS_MULTICAST(a) && !IPV4_IS_CLASS_E(a) && !IPV4_IS_LOOPBACK(a) &&
	       !IPV4_IS_THIS_NET(a);
}

/* RFC 1122 3.3.1.1's classful mask, for a server that sent none. */
static uint32_t class_mask(uint32_t a)
{
	if (!(a & 0x80000000u))
		return 0xff000000u;
	if ((a & 0xc0000000u) == 0x80000000u)
		return 0xffff0000u;
	return 0xffffff00u;
}

/* RFC 2131 4.3.1 table 3: an OFFER or ACK carries the address, the server
 * identifier and the lease time. */
static bool lease_from(uint32_t yiaddr, const struct dhcp_opts *o, struct dhcp_lease *l)
{
	if (!addr_usable(yiaddr) || !o->has_server || !o->server || !o->has_lease || o->lease == 0)
		return false;
	memset(l, 0, sizeof(*l));
	l->addr = yiaddr;
	l->netmask = o->has_mask ? o->mask : class_mask(yiaddr);
	l->router = o->router;
	l->server = o->server;
	memcpy(l->dns, o->dns, sizeof(l->dns));
	l->n_dns = o->n_dns;
	l->lease_s = o->lease;
	/* RFC 2131 4.4.5: T1 defaults to half the lease, T2 to 7/8 of it;
	 * server values are kept when T1 <= T2 <= lease. */
	uint32_t L = o->lease;
	l->t2_s = o->has_t2 && o->t2 <= L ? o->t2 : (uint32_t)((uint64_t)L * 7 / 8);
	l->t1_s = o->has_t1 && o->t1 <= l->t2_s ? o->t1 : (L / 2 < l->t2_s ? L / 2 : l->t2_s);
	return true;
}

static int64_t at(int64_t from, uint32_t s, uint32_t lease_s)
{
	if (lease_s == DHCP_LEASE_INFINITE)
		return INT64_MAX;
	return from + (int64_t)s * NS_PER_S;
}

static enum dhcp_event bind_lease(struct dhcp *d, const struct dhcp_lease *l)
{
	d->lease = *l;
	d->t1 = at(d->req_at, l->t1_s, l->lease_s);
	d->t2 = at(d->req_at, l->t2_s, l->lease_s);
	d->expiry = at(d->req_at, l->lease_s, l->lease_s);
	d->state = DHCP_BOUND;
	d->tries = 0;
	d->deadline = d->t1;
	return DHCP_EV_BOUND;
}

enum dhcp_event dhcp_input(struct dhcp *d, struct riad_pbuf *p, int64_t now, uint64_t rnd,
                           struct net_txq *out, struct riad_net_stats *st)
{
	enum dhcp_event ev = DHCP_EV_NONE;
	st->dhcp.rx++;
	struct wire_rd r = wire_rd(p->data, p->len);
	uint8_t op = wire_u8(&r), htype = wire_u8(&r), hlen = wire_u8(&r);
	wire_u8(&r); /* hops */
	uint32_t xid = wire_u32(&r);
	wire_skip(&r, 8); /* secs, flags, ciaddr */
	uint32_t yiaddr = wire_u32(&r);
	wire_skip(&r, 8); /* siaddr, giaddr */
	uint8_t chaddr[ETHER_ADDR_LEN];
	wire_bytes(&r, chaddr, ETHER_ADDR_LEN);
	wire_skip(&r, DHCP_FIXED_LEN - offsetof(struct dhcp_msg, chaddr) - ETHER_ADDR_LEN);
	uint32_t magic = wire_u32(&r);
	if (r.err) {
		st->dhcp.truncated++;
		goto drop;
	}
	if (op != DHCP_OP_REPLY || htype != DHCP_HTYPE_ETHER || hlen != ETHER_ADDR_LEN ||
	    magic != DHCP_MAGIC) {
		st->dhcp.bad_header++;
		goto drop;
	}
	if (xid != d->xid || memcmp(chaddr, d->mac, ETHER_ADDR_LEN) != 0) {
		st->dhcp.bad_xid++;
		goto drop;
	}
	if (d->state == DHCP_INIT || d->state == DHCP_BOUND || d->state == DHCP_PROBING ||
	    d->state == DHCP_DECLINED) {
		st->dhcp.unexpected++;
		goto drop;
	}
	struct dhcp_opts o;
	if (!parse_opts(p->data, p->len, &o)) {
		st->dhcp.bad_options++;
		goto drop;
	}
	struct dhcp_lease l;
	if (d->state == DHCP_SELECTING) {
		/* RFC 2131 4.4.1: take the first acceptable offer. */
		if (o.type != DHCP_OFFER) {
			st->dhcp.unexpected++;
			goto drop;
		}
		if (!lease_from(yiaddr, &o, &l)) {
			st->dhcp.bad_lease++;
			goto drop;
		}
		st->dhcp.offers++;
		d->offer = l;
		d->state = DHCP_REQUESTING;
		d->tries = 1;
		d->req_at = now;
		d->deadline = now + backoff(d->tries, rnd);
		send_request(d, now, out, st);
		goto drop;
	}
	/* REQUESTING, RENEWING, REBINDING: an ACK or a NAK from the server we
	 * asked (REBINDING asks them all). */
	uint32_t server = d->state == DHCP_REQUESTING ? d->offer.server : d->lease.server;
	if ((o.type != DHCP_ACK && o.type != DHCP_NAK) ||
	    (d->state != DHCP_REBINDING && (!o.has_server || o.server != server))) {
		st->dhcp.unexpected++;
		goto drop;
	}
	if (o.type == DHCP_NAK) {
		/* RFC 2131 4.4.1 / 4.4.5: back to INIT. */
		st->dhcp.naks++;
		ev = restart(d, d->state == DHCP_REQUESTING ? DHCP_EV_NONE : DHCP_EV_LOST, now, rnd, out, st);
		goto drop;
	}
	if (!lease_from(yiaddr, &o, &l)) {
		st->dhcp.bad_lease++;
		goto drop;
	}
	st->dhcp.acks++;
	if (d->state == DHCP_REQUESTING && RIAD_NET_DHCP_PROBE_NUM > 0) {
		/* RFC 2131 4.4.1: probe the new address before using it. */
		d->offer = l;
		d->state = DHCP_PROBING;
		d->tries = 1;
		d->deadline = now + RIAD_NET_DHCP_PROBE_INTERVAL_NS;
		ev = DHCP_EV_PROBE;
		goto drop;
	}
	ev = bind_lease(d, &l);
drop:
	riad_pbuf_unref(p);
	return ev;
}

enum dhcp_event dhcp_timer(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                           struct riad_net_stats *st)
{
	if (now < d->deadline)
		return DHCP_EV_NONE;
	switch (d->state) {
	case DHCP_INIT:
		d->deadline = INT64_MAX;
		break;
	case DHCP_SELECTING:
		d->tries++;
		d->deadline = now + backoff(d->tries, rnd);
		send_discover(d, now, out, st);
		break;
	case DHCP_REQUESTING:
		if (d->tries >= RIAD_NET_DHCP_REQUEST_TRIES)
			return restart(d, DHCP_EV_NONE, now, rnd, out, st);
		d->tries++;
		d->deadline = now + backoff(d->tries, rnd);
		send_request(d, now, out, st);
		break;
	case DHCP_PROBING:
		if (d->tries < RIAD_NET_DHCP_PROBE_NUM) {
			d->tries++;
			d->deadline = now + RIAD_NET_DHCP_PROBE_INTERVAL_NS;
			return DHCP_EV_PROBE;
		}
		/* Nobody answered for the address: it is ours (the glue
		 * configures and announces it, RFC 5227 2.3). */
		return bind_lease(d, &d->offer);
	case DHCP_DECLINED:
		dhcp_start(d, now, rnd, out, st);
		break;
	case DHCP_BOUND:
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		if (now >= d->expiry) {
			st->dhcp.expired++;
			return restart(d, DHCP_EV_LOST, now, rnd, out, st);
		}
		if (d->state == DHCP_BOUND || (d->state == DHCP_RENEWING && now >= d->t2)) {
			/* T1 (RENEWING) or T2 (REBINDING): a new exchange. */
			d->state = d->state == DHCP_BOUND && now < d->t2 ? DHCP_RENEWING : DHCP_REBINDING;
			d->xid = (uint32_t)rnd;
			d->start = now;
			d->req_at = now;
			d->tries = 0;
		}
		d->tries++;
		d->deadline = half_way(now, d->state == DHCP_RENEWING ? d->t2 : d->expiry);
		send_request(d, now, out, st);
		break;
	}
	return DHCP_EV_NONE;
}

enum dhcp_event dhcp_arp(struct dhcp *d, const uint8_t sha[ETHER_ADDR_LEN], uint32_t spa,
                         uint32_t tpa, int64_t now, struct net_txq *out,
                         struct riad_net_stats *st)
{
	if (d->state != DHCP_PROBING)
		return DHCP_EV_NONE;
	/* RFC 5227 2.1.1: any ARP from the address means a host has it; a
	 * probe for it from another interface means a host is about to take
	 * it (ours never come back: the glue passes none from our MAC). */
	bool from_it = spa == d->offer.addr;
	bool probe_for_it = spa == 0 && tpa == d->offer.addr &&
	                    memcmp(sha, d->mac, ETHER_ADDR_LEN) != 0;
	if (!from_it && !probe_for_it)
		return DHCP_EV_NONE;
	/* RFC 2131 3.1 step 5, table 5: DECLINE from 0.0.0.0, broadcast,
	 * naming the address and the server, with the exchange's xid. */
	memcpy(d->conflict_mac, sha, ETHER_ADDR_LEN);
	send_msg(d, DHCP_DECLINE, 0, d->offer.addr, d->offer.server, IPV4_ANY, IPV4_BROADCAST, now,
	         out, st);
	st->dhcp.declines++;
	d->state = DHCP_DECLINED;
	d->tries = 0;
	d->deadline = now + RIAD_NET_DHCP_DECLINE_WAIT_NS;
	return DHCP_EV_DECLINED;
}

void dhcp_release(struct dhcp *d, int64_t now, uint64_t rnd, struct net_txq *out,
                  struct riad_net_stats *st)
{
	if (d->state == DHCP_BOUND || d->state == DHCP_RENEWING || d->state == DHCP_REBINDING) {
		d->xid = (uint32_t)rnd;
		d->start = now;
		send_msg(d, DHCP_RELEASE, d->lease.addr, 0, d->lease.server, d->lease.addr,
		         d->lease.server, now, out, st);
	}
	memset(&d->lease, 0, sizeof(d->lease));
	memset(&d->offer, 0, sizeof(d->offer));
	d->state = DHCP_INIT;
	d->tries = 0;
	d->deadline = INT64_MAX;
}
