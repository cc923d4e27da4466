/* tests/unit/test_dhcp.c: the DHCP client: DISCOVER and REQUEST byte by byte, every state transition with its timers (backoff with the caller's jitter, T1, T2, expiry), NAKs, the ARP probe window (no conflict; a reply from the address or another host's probe: DECLINE byte by byte, the wait, a new DISCOVER), and bad replies (overrunning options, missing END...) dropped and counted. */
#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "dhcp.h"
#include "net.h"
#include "udp_wire.h"
#include "wire.h"
#include "check.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SEC 1000000000LL
/* rnd: low 32 bits the xid, high 32 the jitter; 1000 in the high half is
 * a jitter of exactly 0 ms. */
#define RND(xid, j) ((uint64_t)(j) << 32 | (uint32_t)(xid))
#define NOJIT(xid) RND(xid, 1000)

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint32_t server = IP(10, 0, 0, 1), offered = IP(10, 0, 0, 50);

static struct dhcp d;
static struct net_txq out;
static struct riad_net_stats st;
static int64_t now;

static void setup(void)
{
	dhcp_init(&d, mac);
	memset(&st, 0, sizeof(st));
	now = 1000 * SEC;
}

static void teardown(void)
{
	net_txq_clear(&out);
}

/* The DHCP message of out.items[i] (after the UDP header), checking the
 * UDP header and IP addresses. */
static const uint8_t *sent(size_t i, uint32_t src, uint32_t dst)
{
	if (i >= out.n) {
		check_fail(__FILE__, __LINE__, "no such message");
		return NULL;
	}
	struct net_ip_tx *t = &out.items[i];
	CHECK_INT(t->src, src);
	CHECK_INT(t->dst, dst);
	CHECK_INT(t->proto, NET_PROTO_UDP);
	CHECK_INT(t->p->len, UDP_HDR_LEN + DHCP_MIN_LEN);
	CHECK_INT(wire_get16(t->p->data), 68);
	CHECK_INT(wire_get16(t->p->data + 2), 67);
	CHECK_INT(wire_get16(t->p->data + 4), UDP_HDR_LEN + DHCP_MIN_LEN);
	uint32_t sum = wire_csum_pseudo4(src, dst, NET_PROTO_UDP, (uint16_t)t->p->len);
	CHECK_INT(wire_csum_fold(wire_csum_add(sum, t->p->data, t->p->len)), 0);
	return t->p->data + UDP_HDR_LEN;
}

/* The fixed part and the options we expect in a message from the client. */
static void check_msg(const uint8_t *m, uint32_t xid, uint16_t secs, uint16_t flags, uint32_t ciaddr,
                      const uint8_t *opts, size_t opt_len)
{
	if (!m)
		return;
	uint8_t want[DHCP_MIN_LEN] = { 0 };
	want[0] = 1, want[1] = 1, want[2] = 6, want[3] = 0;
	wire_put32(want + 4, xid);
	wire_put16(want + 8, secs);
	wire_put16(want + 10, flags);
	wire_put32(want + 12, ciaddr);
	memcpy(want + 28, mac, 6);
	wire_put32(want + 236, DHCP_MAGIC);
	memcpy(want + 240, opts, opt_len);
	CHECK_MEM(m, want, DHCP_MIN_LEN);
}

#define CID 61, 7, 1, 0x02, 0, 0, 0, 0, 0x01
#define PRL 55, 6, 1, 3, 6, 51, 58, 59

static void discover_layout(void)
{
	size_t live = riad_pbuf_live();
	setup();
	dhcp_start(&d, now, RND(0xdeadbeef, 0), &out, &st);
	CHECK_INT(d.state, DHCP_SELECTING);
	CHECK_INT(dhcp_deadline(&d), now + 3 * SEC); /* 4 s - 1 s of jitter */
	static const uint8_t opts[] = { 53, 1, DHCP_DISCOVER, CID, PRL, 255 };
	check_msg(sent(0, 0, 0xffffffff), 0xdeadbeef, 0, 0x8000, 0, opts, sizeof(opts));
	CHECK_INT(st.dhcp.tx, 1);
	CHECK_INT(st.udp.tx, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* Server replies. */
struct reply {
	uint8_t type;
	uint32_t xid, yiaddr;
	const uint8_t *mac;
	uint8_t opts[300];
	size_t opt_len;
	bool no_end;
	size_t len; /* 0: the full message */
	uint8_t op, htype, hlen;
	uint32_t magic;
};

static void opt(struct reply *r, uint8_t code, uint8_t len, const uint8_t *v)
{
	r->opts[r->opt_len++] = code;
	r->opts[r->opt_len++] = len;
	memcpy(r->opts + r->opt_len, v, len);
	r->opt_len += len;
}

static void opt32(struct reply *r, uint8_t code, uint32_t v)
{
	uint8_t b[4];
	wire_put32(b, v);
	opt(r, code, 4, b);
}

/* An offer or ACK with the usual options: mask, router, 2 DNS, lease. */
static struct reply reply(uint8_t type, uint32_t xid, uint32_t lease)
{
	struct reply r = { .type = type, .xid = xid, .yiaddr = offered, .mac = mac, .op = 2, .htype = 1,
	                   .hlen = 6, .magic = DHCP_MAGIC };
	opt(&r, 53, 1, &type);
	opt32(&r, DHCP_OPT_SERVER_ID, server);
	opt32(&r, DHCP_OPT_SUBNET_MASK, 0xffffff00);
	opt32(&r, DHCP_OPT_ROUTER, server);
	uint8_t dns[8];
	wire_put32(dns, IP(9, 9, 9, 9));
	wire_put32(dns + 4, IP(1, 1, 1, 1));
	opt(&r, DHCP_OPT_DNS, 8, dns);
	if (lease)
		opt32(&r, DHCP_OPT_LEASE_TIME, lease);
	return r;
}

static struct riad_pbuf *build(const struct reply *r)
{
	size_t full = DHCP_FIXED_LEN + 4 + r->opt_len + !r->no_end;
	if (full < DHCP_MIN_LEN)
		full = DHCP_MIN_LEN;
	size_t len = r->len ? r->len : full;
	uint8_t b[1024] = { 0 };
	b[0] = r->op, b[1] = r->htype, b[2] = r->hlen;
	wire_put32(b + 4, r->xid);
	wire_put32(b + 16, r->yiaddr);
	wire_put32(b + 20, server);
	memcpy(b + 28, r->mac, 6);
	wire_put32(b + 236, r->magic);
	memcpy(b + 240, r->opts, r->opt_len);
	if (!r->no_end)
		b[240 + r->opt_len] = 255;
	struct riad_pbuf *p = riad_pbuf_alloc(64, len);
	memcpy(p->data, b, len);
	return p;
}

static enum dhcp_event feed(const struct reply *r, uint64_t rnd)
{
	return dhcp_input(&d, build(r), now, rnd, &out, &st);
}

/* PROBING after the ACK (which asked for the first probe): the timer asks
 * for the other probes an interval apart, then ends the window. Returns
 * its last event; now is left at the end of the window. */
static enum dhcp_event probe_window(void)
{
	CHECK_INT(d.state, DHCP_PROBING);
	for (int i = 1; i < RIAD_NET_DHCP_PROBE_NUM; i++) {
		CHECK_INT(dhcp_deadline(&d), now + RIAD_NET_DHCP_PROBE_INTERVAL_NS);
		CHECK_INT(dhcp_timer(&d, dhcp_deadline(&d) - 1, NOJIT(0), &out, &st), DHCP_EV_NONE);
		now = dhcp_deadline(&d);
		CHECK_INT(dhcp_timer(&d, now, NOJIT(0), &out, &st), DHCP_EV_PROBE);
	}
	CHECK_INT(dhcp_deadline(&d), now + RIAD_NET_DHCP_PROBE_INTERVAL_NS);
	now = dhcp_deadline(&d);
	return dhcp_timer(&d, now, NOJIT(0), &out, &st);
}

/* INIT -> SELECTING -> REQUESTING -> PROBING with xid 0x1111, leaving out empty. */
static void get_ack(uint32_t lease)
{
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	net_txq_clear(&out);
	struct reply r = reply(DHCP_OFFER, 0x1111, lease);
	feed(&r, NOJIT(0));
	net_txq_clear(&out);
	r = reply(DHCP_ACK, 0x1111, lease);
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_PROBE);
}

/* ... -> BOUND after a probe window nobody answered. */
static void get_lease(uint32_t lease)
{
	get_ack(lease);
	CHECK_INT(probe_window(), DHCP_EV_BOUND);
}

static void full_exchange(void)
{
	size_t live = riad_pbuf_live();
	setup();
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	net_txq_clear(&out);
	now += 2 * SEC;
	struct reply r = reply(DHCP_OFFER, 0x1111, 3600);
	CHECK_INT(feed(&r, NOJIT(0x9999)), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_REQUESTING);
	CHECK_INT(st.dhcp.offers, 1);
	CHECK_INT(dhcp_deadline(&d), now + 4 * SEC);
	/* RFC 2131 4.3.2: same xid as the offer, requested IP and server id,
	 * broadcast, ciaddr 0; secs counts from the DISCOVER. */
	static const uint8_t opts[] = { 53, 1, DHCP_REQUEST, CID, 50, 4, 10, 0, 0, 50, 54, 4, 10, 0, 0, 1, PRL, 255 };
	check_msg(sent(0, 0, 0xffffffff), 0x1111, 2, 0x8000, 0, opts, sizeof(opts));
	net_txq_clear(&out);
	int64_t req_at = now;
	now += SEC / 2;
	r = reply(DHCP_ACK, 0x1111, 3600);
	/* RFC 2131 4.4.1: the address is probed before it is used. */
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_PROBE);
	CHECK_INT(d.state, DHCP_PROBING);
	CHECK_INT(d.offer.addr, offered);
	CHECK_INT(out.n, 0);
	CHECK_INT(probe_window(), DHCP_EV_BOUND);
	CHECK_INT(d.state, DHCP_BOUND);
	CHECK_INT(d.lease.addr, offered);
	CHECK_INT(d.lease.netmask, 0xffffff00);
	CHECK_INT(d.lease.router, server);
	CHECK_INT(d.lease.server, server);
	CHECK_INT(d.lease.n_dns, 2);
	CHECK_INT(d.lease.dns[0], IP(9, 9, 9, 9));
	CHECK_INT(d.lease.dns[1], IP(1, 1, 1, 1));
	CHECK_INT(d.lease.lease_s, 3600);
	/* Times count from the REQUEST (RFC 2131 4.4.1), T1 1/2, T2 7/8. */
	CHECK_INT(d.t1, req_at + 1800 * SEC);
	CHECK_INT(d.t2, req_at + 3150 * SEC);
	CHECK_INT(d.expiry, req_at + 3600 * SEC);
	CHECK_INT(dhcp_deadline(&d), d.t1);
	CHECK_INT(st.dhcp.acks, 1);
	CHECK_INT(out.n, 0);
	/* A duplicate ACK while bound is unexpected. */
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_NONE);
	CHECK_INT(st.dhcp.unexpected, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void renews_rebinds_and_expires(void)
{
	size_t live = riad_pbuf_live();
	setup();
	get_lease(3600);
	int64_t t1 = d.t1, t2 = d.t2, expiry = d.expiry;
	CHECK_INT(dhcp_timer(&d, t1 - 1, NOJIT(0x2222), &out, &st), DHCP_EV_NONE);
	CHECK_INT(out.n, 0);
	now = t1;
	CHECK_INT(dhcp_timer(&d, now, NOJIT(0x2222), &out, &st), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_RENEWING);
	/* Unicast to the server from our address, ciaddr set, no broadcast
	 * flag, no requested IP or server id; a new xid. */
	static const uint8_t ropts[] = { 53, 1, DHCP_REQUEST, CID, PRL, 255 };
	check_msg(sent(0, offered, server), 0x2222, 0, 0, offered, ropts, sizeof(ropts));
	/* Next try at half the time to T2 (1350 s / 2). */
	CHECK_INT(dhcp_deadline(&d), now + (t2 - now) / 2);
	net_txq_clear(&out);
	/* Silence: retries halve the interval down to 60 s, never past T2. */
	int tries = 1;
	while (d.state == DHCP_RENEWING) {
		now = dhcp_deadline(&d);
		CHECK(now <= t2);
		dhcp_timer(&d, now, NOJIT(0x3333), &out, &st);
		tries++;
		CHECK(out.n == 1);
		net_txq_clear(&out);
		CHECK(tries < 20);
	}
	CHECK_INT(d.state, DHCP_REBINDING);
	CHECK_INT(now, t2);
	CHECK_INT(d.xid, 0x3333);
	/* Rebinding retries are broadcast, until the lease runs out. */
	while (d.state == DHCP_REBINDING) {
		now = dhcp_deadline(&d);
		CHECK(now <= expiry);
		enum dhcp_event ev = dhcp_timer(&d, now, NOJIT(0x4444), &out, &st);
		REQUIRE(out.n == 1);
		if (d.state == DHCP_REBINDING) {
			CHECK_INT(ev, DHCP_EV_NONE);
			check_msg(sent(0, offered, 0xffffffff), 0x3333, (uint16_t)((now - t2) / SEC), 0, offered,
			          ropts, sizeof(ropts));
		} else {
			CHECK_INT(ev, DHCP_EV_LOST);
		}
		net_txq_clear(&out);
	}
	CHECK_INT(now, expiry);
	CHECK_INT(d.state, DHCP_SELECTING); /* started over with a DISCOVER */
	CHECK_INT(d.xid, 0x4444);
	CHECK_INT(d.lease.addr, 0);
	CHECK_INT(st.dhcp.expired, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void renewal_ack_and_rebinding_ack(void)
{
	size_t live = riad_pbuf_live();
	setup();
	get_lease(1000);
	now = d.t1;
	dhcp_timer(&d, now, NOJIT(0x2222), &out, &st);
	net_txq_clear(&out);
	now += 10 * SEC;
	struct reply r = reply(DHCP_ACK, 0x2222, 2000);
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_BOUND);
	CHECK_INT(d.state, DHCP_BOUND);
	CHECK_INT(d.expiry, now - 10 * SEC + 2000 * SEC); /* from the renewal REQUEST */
	/* Into REBINDING, where any server may answer. */
	now = d.t2;
	dhcp_timer(&d, now, NOJIT(0x5555), &out, &st);
	CHECK_INT(d.state, DHCP_REBINDING); /* T1 missed: straight to T2's state */
	net_txq_clear(&out);
	r = reply(DHCP_ACK, 0x5555, 600);
	r.opt_len = 0;
	uint8_t t = DHCP_ACK;
	opt(&r, 53, 1, &t);
	opt32(&r, DHCP_OPT_SERVER_ID, IP(10, 0, 0, 9));
	opt32(&r, DHCP_OPT_LEASE_TIME, 600);
	opt32(&r, DHCP_OPT_T1, 100);
	opt32(&r, DHCP_OPT_T2, 200);
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_BOUND);
	CHECK_INT(d.lease.server, IP(10, 0, 0, 9));
	CHECK_INT(d.lease.netmask, 0xff000000); /* none sent: class A */
	CHECK_INT(d.lease.router, 0);
	CHECK_INT(d.lease.n_dns, 0);
	CHECK_INT(d.t1, now + 100 * SEC); /* the server's T1 and T2 */
	CHECK_INT(d.t2, now + 200 * SEC);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void naks(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* In REQUESTING: back to DISCOVER, nothing was bound. */
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	struct reply r = reply(DHCP_OFFER, 0x1111, 3600);
	feed(&r, NOJIT(0));
	net_txq_clear(&out);
	struct reply nak = { .type = DHCP_NAK, .xid = 0x1111, .mac = mac, .op = 2, .htype = 1, .hlen = 6,
	                     .magic = DHCP_MAGIC };
	uint8_t t = DHCP_NAK;
	opt(&nak, 53, 1, &t);
	opt32(&nak, DHCP_OPT_SERVER_ID, IP(10, 0, 0, 7)); /* another server's NAK: not ours */
	CHECK_INT(feed(&nak, NOJIT(0x7777)), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_REQUESTING);
	CHECK_INT(st.dhcp.unexpected, 1);
	nak.opt_len = 0;
	opt(&nak, 53, 1, &t);
	opt32(&nak, DHCP_OPT_SERVER_ID, server);
	CHECK_INT(feed(&nak, NOJIT(0x7777)), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_SELECTING);
	CHECK_INT(d.xid, 0x7777);
	REQUIRE(out.n == 1);
	CHECK_INT(out.items[0].p->data[UDP_HDR_LEN + 242], DHCP_DISCOVER);
	net_txq_clear(&out);
	/* In RENEWING: the lease is lost. */
	setup();
	get_lease(3600);
	now = d.t1;
	dhcp_timer(&d, now, NOJIT(0x2222), &out, &st);
	nak.xid = 0x2222;
	CHECK_INT(feed(&nak, NOJIT(0x8888)), DHCP_EV_LOST);
	CHECK_INT(d.state, DHCP_SELECTING);
	CHECK_INT(st.dhcp.naks, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void backoff_with_jitter(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* RFC 2131 4.1: 4, 8, 16, 32, 64, 64 s, each +-1 s from the caller's bits. */
	static const int64_t base[] = { 4, 8, 16, 32, 64, 64, 64 };
	static const uint32_t jit[] = { 0, 2000, 1000, 1500, 500, 2001 + 1000, 4000 };
	static const int64_t jit_ms[] = { -1000, 1000, 0, 500, -500, 0, 999 };
	dhcp_start(&d, now, RND(1, jit[0]), &out, &st);
	CHECK_INT(dhcp_deadline(&d), now + base[0] * SEC + jit_ms[0] * 1000000);
	for (size_t i = 1; i < 7; i++) {
		now = dhcp_deadline(&d);
		dhcp_timer(&d, now, RND(99, jit[i]), &out, &st);
		CHECK_INT(dhcp_deadline(&d), now + base[i] * SEC + jit_ms[i] * 1000000);
	}
	CHECK_INT(out.n, 7);
	CHECK_INT(d.xid, 1); /* retransmissions keep the xid */
	net_txq_clear(&out);
	/* REQUESTING gives up after RIAD_NET_DHCP_REQUEST_TRIES. */
	struct reply r = reply(DHCP_OFFER, 1, 3600);
	feed(&r, NOJIT(0));
	for (int i = 1; i < RIAD_NET_DHCP_REQUEST_TRIES; i++) {
		now = dhcp_deadline(&d);
		dhcp_timer(&d, now, NOJIT(0), &out, &st);
		CHECK_INT(d.state, DHCP_REQUESTING);
	}
	CHECK_INT(out.n, RIAD_NET_DHCP_REQUEST_TRIES);
	now = dhcp_deadline(&d);
	dhcp_timer(&d, now, NOJIT(0xabc), &out, &st);
	CHECK_INT(d.state, DHCP_SELECTING);
	CHECK_INT(d.xid, 0xabc);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* Feed r in SELECTING; it must be dropped, counted in *counter, nothing sent. */
static void expect_drop(const struct reply *r, const uint64_t *counter, int line)
{
	uint64_t before = *counter;
	enum dhcp_state s = d.state;
	size_t n = out.n;
	feed(r, NOJIT(0));
	if (*counter != before + 1 || d.state != s || out.n != n)
		check_fail(__FILE__, line, "expected a drop counted in the given counter");
}

static void bad_replies_dropped_and_counted(void)
{
	size_t live = riad_pbuf_live();
	setup();
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	net_txq_clear(&out);
	struct reply good = reply(DHCP_OFFER, 0x1111, 3600), r;
	/* Truncated anywhere before the end of the magic cookie. */
	const size_t cuts[] = { 1, 27, 235, 236, 239 };
	for (size_t i = 0; i < 5; i++) {
		r = good;
		r.len = cuts[i];
		expect_drop(&r, &st.dhcp.truncated, __LINE__);
	}
	dhcp_input(&d, riad_pbuf_alloc(0, 0), now, NOJIT(0), &out, &st);
	CHECK_INT(st.dhcp.truncated, 6);
	r = good, r.op = 1;
	expect_drop(&r, &st.dhcp.bad_header, __LINE__);
	r = good, r.htype = 6;
	expect_drop(&r, &st.dhcp.bad_header, __LINE__);
	r = good, r.hlen = 16;
	expect_drop(&r, &st.dhcp.bad_header, __LINE__);
	r = good, r.magic = 0x63825364;
	expect_drop(&r, &st.dhcp.bad_header, __LINE__);
	r = good, r.xid = 0x1112;
	expect_drop(&r, &st.dhcp.bad_xid, __LINE__);
	static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 9 };
	r = good, r.mac = other_mac;
	expect_drop(&r, &st.dhcp.bad_xid, __LINE__);
	/* Options: missing END; an option overrunning the message; wrong
	 * lengths; a mask with holes; no message type. */
	r = good, r.no_end = true, r.len = DHCP_FIXED_LEN + 4 + r.opt_len;
	expect_drop(&r, &st.dhcp.bad_options, __LINE__);
	r = good, r.no_end = true;
	r.opts[r.opt_len++] = DHCP_OPT_DNS;
	r.opts[r.opt_len++] = 200; /* runs 200 bytes past a 300-byte message */
	r.len = DHCP_FIXED_LEN + 4 + r.opt_len + 10;
	expect_drop(&r, &st.dhcp.bad_options, __LINE__);
	r = good, r.no_end = true;
	r.opts[r.opt_len++] = DHCP_OPT_ROUTER; /* code, no length byte */
	r.len = DHCP_FIXED_LEN + 4 + r.opt_len;
	expect_drop(&r, &st.dhcp.bad_options, __LINE__);
	const uint8_t bad[][6] = {
		{ DHCP_OPT_SUBNET_MASK, 3, 255, 255, 255 }, { DHCP_OPT_SUBNET_MASK, 4, 255, 0, 255, 0 },
		{ DHCP_OPT_LEASE_TIME, 2, 1, 1 },           { DHCP_OPT_MSG_TYPE, 2, 2, 2 },
		{ DHCP_OPT_ROUTER, 3, 1, 2, 3 },            { DHCP_OPT_DNS, 5, 1, 2, 3, 4 },
		{ DHCP_OPT_OVERLOAD, 1, 4 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = good;
		opt(&r, bad[i][0], bad[i][1], bad[i] + 2);
		expect_drop(&r, &st.dhcp.bad_options, __LINE__);
	}
	r = good;
	r.opt_len = 0;
	opt32(&r, DHCP_OPT_SERVER_ID, server);
	opt32(&r, DHCP_OPT_LEASE_TIME, 60);
	expect_drop(&r, &st.dhcp.bad_options, __LINE__);
	/* Offers we cannot use: no server id, no or zero lease, address 0 or
	 * multicast. */
	uint8_t t = DHCP_OFFER;
	r = good;
	r.opt_len = 0;
	opt(&r, 53, 1, &t);
	opt32(&r, DHCP_OPT_LEASE_TIME, 60);
	expect_drop(&r, &st.dhcp.bad_lease, __LINE__);
	r = reply(DHCP_OFFER, 0x1111, 0);
	expect_drop(&r, &st.dhcp.bad_lease, __LINE__);
	opt32(&r, DHCP_OPT_LEASE_TIME, 0);
	expect_drop(&r, &st.dhcp.bad_lease, __LINE__);
	r = good, r.yiaddr = 0;
	expect_drop(&r, &st.dhcp.bad_lease, __LINE__);
	r = good, r.yiaddr = IP(224, 0, 0, 1);
	expect_drop(&r, &st.dhcp.bad_lease, __LINE__);
	/* An ACK while selecting. */
	r = reply(DHCP_ACK, 0x1111, 3600);
	expect_drop(&r, &st.dhcp.unexpected, __LINE__);
	CHECK_INT(st.dhcp.offers, 0);
	/* And the good one still works. */
	CHECK_INT(feed(&good, NOJIT(0)), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_REQUESTING);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void options_in_file_and_sname(void)
{
	size_t live = riad_pbuf_live();
	setup();
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	/* Option 52 = 3: the message type in 'file', the server id in 'sname'. */
	struct reply r = { .type = DHCP_OFFER, .xid = 0x1111, .yiaddr = offered, .mac = mac, .op = 2,
	                   .htype = 1, .hlen = 6, .magic = DHCP_MAGIC };
	uint8_t v = 3;
	opt(&r, DHCP_OPT_OVERLOAD, 1, &v);
	opt32(&r, DHCP_OPT_LEASE_TIME, 3600);
	struct riad_pbuf *p = build(&r);
	uint8_t *file = p->data + 108, *sname = p->data + 44;
	file[0] = 53, file[1] = 1, file[2] = DHCP_OFFER, file[3] = 255;
	sname[0] = 54, sname[1] = 4;
	wire_put32(sname + 2, server); /* no END: the field's end ends it */
	memset(sname + 6, 0, 58);
	CHECK_INT(dhcp_input(&d, p, now, NOJIT(0), &out, &st), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_REQUESTING);
	CHECK_INT(d.offer.server, server);
	/* An option overrunning the 'file' field is an error. */
	setup();
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	v = 1;
	r.opt_len = 0;
	opt(&r, DHCP_OPT_OVERLOAD, 1, &v);
	p = build(&r);
	file = p->data + 108;
	memset(file, 0, 128);
	file[124] = 6, file[125] = 8;
	CHECK_INT(dhcp_input(&d, p, now, NOJIT(0), &out, &st), DHCP_EV_NONE);
	CHECK_INT(st.dhcp.bad_options, 1);
	CHECK_INT(d.state, DHCP_SELECTING);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void odd_lease_times(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* T1 after T2: both defaults. */
	dhcp_start(&d, now, NOJIT(0x1111), &out, &st);
	struct reply r = reply(DHCP_OFFER, 0x1111, 1000);
	feed(&r, NOJIT(0));
	r = reply(DHCP_ACK, 0x1111, 1000);
	opt32(&r, DHCP_OPT_T1, 900);
	opt32(&r, DHCP_OPT_T2, 800);
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_PROBE);
	CHECK_INT(probe_window(), DHCP_EV_BOUND);
	CHECK_INT(d.lease.t2_s, 800);
	CHECK_INT(d.lease.t1_s, 500);
	/* Infinite: never renews. */
	setup();
	get_lease(DHCP_LEASE_INFINITE);
	CHECK_INT(dhcp_deadline(&d), INT64_MAX);
	CHECK_INT(d.expiry, INT64_MAX);
	CHECK_INT(dhcp_timer(&d, INT64_MAX - 1, NOJIT(0), &out, &st), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_BOUND);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void release(void)
{
	size_t live = riad_pbuf_live();
	setup();
	get_lease(3600);
	dhcp_release(&d, now, NOJIT(0x6666), &out, &st);
	static const uint8_t opts[] = { 53, 1, DHCP_RELEASE, CID, 54, 4, 10, 0, 0, 1, 255 };
	check_msg(sent(0, offered, server), 0x6666, 0, 0, offered, opts, sizeof(opts));
	CHECK_INT(d.state, DHCP_INIT);
	CHECK_INT(dhcp_deadline(&d), INT64_MAX);
	CHECK_INT(dhcp_timer(&d, now + 10000 * SEC, NOJIT(0), &out, &st), DHCP_EV_NONE);
	CHECK_INT(out.n, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* ---- the ARP probe window (RFC 2131 4.4.1, RFC 5227 2.1.1) ---- */

static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };

static void probe_window_without_conflict(void)
{
	size_t live = riad_pbuf_live();
	setup();
	get_ack(3600);
	int64_t acked = now;
	/* Not conflicts: ARP about other addresses, a host asking who has
	 * the address (its sender is another address), our own probe. */
	CHECK_INT(dhcp_arp(&d, other_mac, IP(10, 0, 0, 7), IP(10, 0, 0, 1), now, &out, &st),
	          DHCP_EV_NONE);
	CHECK_INT(dhcp_arp(&d, other_mac, IP(10, 0, 0, 7), offered, now, &out, &st), DHCP_EV_NONE);
	CHECK_INT(dhcp_arp(&d, other_mac, 0, IP(10, 0, 0, 51), now, &out, &st), DHCP_EV_NONE);
	CHECK_INT(dhcp_arp(&d, mac, 0, offered, now, &out, &st), DHCP_EV_NONE);
	CHECK_INT(probe_window(), DHCP_EV_BOUND);
	CHECK_INT(now, acked + (RIAD_NET_DHCP_PROBE_NUM)*RIAD_NET_DHCP_PROBE_INTERVAL_NS);
	CHECK_INT(d.lease.addr, offered);
	CHECK_INT(out.n, 0);
	CHECK_INT(st.dhcp.declines, 0);
	/* Bound: ARP no longer matters to the client. */
	CHECK_INT(dhcp_arp(&d, other_mac, offered, 0, now, &out, &st), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_BOUND);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* A conflict from dhcp_arp(sha, spa, tpa) after `after` ns of the window:
 * DECLINE byte by byte, the wait, then a new DISCOVER. */
static void declined(uint32_t spa, uint32_t tpa, int64_t after)
{
	int64_t started = now; /* dhcp_start of get_ack */
	get_ack(3600);
	now += after;
	if (after >= RIAD_NET_DHCP_PROBE_INTERVAL_NS)
		CHECK_INT(dhcp_timer(&d, now, NOJIT(0), &out, &st), DHCP_EV_PROBE);
	CHECK_INT(dhcp_arp(&d, other_mac, spa, tpa, now, &out, &st), DHCP_EV_DECLINED);
	CHECK_INT(d.state, DHCP_DECLINED);
	CHECK_MEM(d.conflict_mac, other_mac, 6);
	CHECK_INT(d.offer.addr, offered);
	CHECK_INT(st.dhcp.declines, 1);
	/* RFC 2131 table 5: from 0.0.0.0, broadcast, ciaddr 0, no broadcast
	 * flag, the exchange's xid; requested IP and server id, no parameter
	 * list. */
	static const uint8_t opts[] = { 53, 1, DHCP_DECLINE, CID, 50, 4, 10, 0, 0, 50,
	                                54, 4, 10, 0, 0, 1, 255 };
	check_msg(sent(0, 0, 0xffffffff), 0x1111, (uint16_t)((now - started) / SEC), 0, 0, opts,
	          sizeof(opts));
	CHECK_INT(out.n, 1);
	net_txq_clear(&out);
	/* Nothing more while waiting: not the next probe, not a late ACK. */
	CHECK_INT(dhcp_deadline(&d), now + RIAD_NET_DHCP_DECLINE_WAIT_NS);
	CHECK(RIAD_NET_DHCP_DECLINE_WAIT_NS >= 10 * SEC);
	struct reply r = reply(DHCP_ACK, 0x1111, 3600);
	CHECK_INT(feed(&r, NOJIT(0)), DHCP_EV_NONE);
	CHECK_INT(st.dhcp.unexpected, 1);
	CHECK_INT(dhcp_arp(&d, other_mac, spa, tpa, now, &out, &st), DHCP_EV_NONE);
	CHECK_INT(dhcp_timer(&d, dhcp_deadline(&d) - 1, NOJIT(0x7777), &out, &st), DHCP_EV_NONE);
	CHECK_INT(out.n, 0);
	/* Then discovery again with a new xid. */
	now = dhcp_deadline(&d);
	CHECK_INT(dhcp_timer(&d, now, NOJIT(0x7777), &out, &st), DHCP_EV_NONE);
	CHECK_INT(d.state, DHCP_SELECTING);
	static const uint8_t dopts[] = { 53, 1, DHCP_DISCOVER, CID, PRL, 255 };
	check_msg(sent(0, 0, 0xffffffff), 0x7777, 0, 0x8000, 0, dopts, sizeof(dopts));
	CHECK_INT(st.dhcp.declines, 1);
}

static void conflicting_reply_declines(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* An ARP reply (or any ARP) from the address, right after the first probe. */
	declined(offered, 0, 1000);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void conflicting_probe_declines(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* Another host probing for the address, after our second probe. */
	declined(0, offered, RIAD_NET_DHCP_PROBE_INTERVAL_NS + 1000);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

int main(void)
{
	RUN(discover_layout);
	RUN(full_exchange);
	RUN(renews_rebinds_and_expires);
	RUN(renewal_ack_and_rebinding_ack);
	RUN(naks);
	RUN(backoff_with_jitter);
	RUN(bad_replies_dropped_and_counted);
	RUN(options_in_file_and_sname);
	RUN(odd_lease_times);
	RUN(release);
	RUN(probe_window_without_conflict);
	RUN(conflicting_reply_declines);
	RUN(conflicting_probe_declines);
	return check_done();
}
