/* tests/unit/test_ipv4.c: IPv4: header validation and filtering (each bad header dropped and counted), options (malformed ones refused with the parameter problem's pointer, well-formed ones skipped), reassembly in any order with overlaps, duplicates, endless and oversized fragments, bounds and timeouts; output headers, routing, fragmentation. */
#include <stdlib.h>

#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "arp.h"
#include "arp_wire.h"
#include "icmp.h"
#include "ipv4.h"
#include "net.h"
#include "wire.h"
#include "check.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SEC 1000000000LL

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t gw_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe };
static const uint32_t our_ip = IP(10, 0, 0, 2), peer_ip = IP(10, 0, 0, 1), gw_ip = IP(10, 0, 0, 254);

static struct ipv4 ip;
static struct arp arp;
static struct ether_txq q;
static struct riad_net_stats st;
static int64_t now;

static void setup(void)
{
	ipv4_init(&ip, 1500, 0x1234);
	ipv4_set_addr(&ip, our_ip, 0xffffff00, gw_ip);
	arp_init(&arp, our_mac);
	arp.ip = our_ip;
	memset(&st, 0, sizeof(st));
	now = 1000 * SEC;
}

static void teardown(void)
{
	ipv4_flush(&ip);
	arp_flush(&arp);
	ether_txq_clear(&q);
}

/* Teach the cache a neighbour (a request from it to us), discarding the reply. */
static void learn(uint32_t addr, const uint8_t *mac)
{
	struct riad_pbuf *p = riad_pbuf_alloc(0, ARP_LEN);
	uint8_t *b = p->data;
	memset(b, 0, ARP_LEN);
	b[1] = 1, b[2] = 8, b[4] = 6, b[5] = 4, b[7] = 1;
	memcpy(b + 8, mac, 6);
	wire_put32(b + 14, addr);
	wire_put32(b + 24, our_ip);
	arp_input(&arp, p, now, &q, &st);
	ether_txq_clear(&q);
}

struct pkt_spec {
	uint32_t src, dst;
	uint8_t proto, ttl, tos;
	uint16_t id, flags_frag;
	const uint8_t *opts;
	size_t opt_len;
	int ihl;          /* -1: from opt_len */
	int total_len;    /* -1: right */
	size_t pad;       /* bytes of link padding after the datagram */
	bool bad_csum;
};

static struct pkt_spec spec(uint32_t src, uint32_t dst, uint8_t proto)
{
	return (struct pkt_spec){ .src = src, .dst = dst, .proto = proto, .ttl = 64, .id = 7, .ihl = -1, .total_len = -1 };
}

/* A datagram as ipv4_input sees it (Ethernet header pulled). */
static struct riad_pbuf *pkt(const struct pkt_spec *s, const uint8_t *payload, size_t plen)
{
	size_t hl = IPV4_HDR_MIN + s->opt_len;
	struct riad_pbuf *p = riad_pbuf_alloc(ETHER_HDR_LEN, hl + plen + s->pad);
	uint8_t *h = p->data;
	memset(h, 0, p->len);
	ipv4_hdr_write(h, s->tos, (uint16_t)(s->total_len >= 0 ? s->total_len : (int)(hl + plen)), s->id,
	               s->flags_frag, s->ttl, s->proto, s->src, s->dst);
	h[0] = (uint8_t)(0x40 | (s->ihl >= 0 ? s->ihl : (int)hl / 4));
	if (s->opt_len)
		memcpy(h + IPV4_HDR_MIN, s->opts, s->opt_len);
	wire_put16(h + 10, 0);
	size_t csum_len = s->ihl >= 0 ? (size_t)s->ihl * 4 : hl;
	wire_put16(h + 10, wire_csum_fold(wire_csum_add(0, h, csum_len > p->len ? p->len : csum_len)));
	if (s->bad_csum)
		h[10] ^= 0x55;
	if (plen)
		memcpy(h + hl, payload, plen);
	return p;
}

static uint8_t data[70000];

static void fill_data(void)
{
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + (i >> 8));
}

static void delivers_and_trims_padding(void)
{
	size_t live = riad_pbuf_live();
	setup();
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
	s.pad = 12;
	s.tos = 0x10;
	s.ttl = 1; /* a host takes a TTL of 1 (RFC 1122 3.2.1.7) */
	struct ipv4_rx rx;
	REQUIRE(ipv4_input(&ip, pkt(&s, (const uint8_t *)"hello", 5), false, now, &rx, &st) == 1);
	CHECK_INT(rx.src, peer_ip);
	CHECK_INT(rx.dst, our_ip);
	CHECK_INT(rx.proto, NET_PROTO_UDP);
	CHECK_INT(rx.tos, 0x10);
	CHECK_INT(rx.ttl, 1);
	CHECK(!rx.bcast && !rx.reassembled);
	CHECK_INT(rx.p->len, 5);
	CHECK_MEM(rx.p->data, "hello", 5);
	CHECK_INT(rx.hdr_len, 20);
	CHECK_INT(rx.len, 25);
	CHECK(rx.hdr + 20 == rx.p->data);
	CHECK_INT(rx.hdr[0], 0x45);
	riad_pbuf_unref(rx.p);
	CHECK_INT(st.ipv4.rx, 1);
	CHECK_INT(st.ipv4.delivered, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void skips_options(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* NOP, record route (7) of 11 bytes, NOP, EOL, then garbage after EOL. */
	static const uint8_t opts[16] = { 1, 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0xff, 0xff };
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_TCP);
	s.opts = opts;
	s.opt_len = sizeof(opts);
	struct ipv4_rx rx;
	REQUIRE(ipv4_input(&ip, pkt(&s, (const uint8_t *)"xy", 2), false, now, &rx, &st) == 1);
	CHECK_INT(rx.hdr_len, 36);
	CHECK_MEM(rx.p->data, "xy", 2);
	riad_pbuf_unref(rx.p);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* Feed s; it must be dropped and counted in *counter. */
static void expect_drop(struct pkt_spec s, size_t plen, const uint64_t *counter, int line)
{
	uint64_t before = *counter;
	struct ipv4_rx rx;
	int r = ipv4_input(&ip, pkt(&s, data, plen), false, now, &rx, &st);
	if (r != 0 || *counter != before + 1) {
		check_fail(__FILE__, line, "expected a drop counted in the given counter");
		if (r == 1)
			riad_pbuf_unref(rx.p);
	}
}

static void bad_headers_dropped_and_counted(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	/* Runts: every length below 20. */
	for (size_t n = 0; n < IPV4_HDR_MIN; n++) {
		struct riad_pbuf *p = riad_pbuf_alloc(0, n);
		memset(p->data, 0x45, n);
		struct ipv4_rx rx;
		CHECK_INT(ipv4_input(&ip, p, false, now, &rx, &st), 0);
	}
	CHECK_INT(st.ipv4.truncated, IPV4_HDR_MIN);
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
	struct pkt_spec b = s;
	/* Version 6 in an otherwise good header. */
	{
		struct riad_pbuf *p = pkt(&s, data, 8);
		p->data[0] = 0x65;
		struct ipv4_rx rx;
		CHECK_INT(ipv4_input(&ip, p, false, now, &rx, &st), 0);
		CHECK_INT(st.ipv4.bad_version, 1);
	}
	/* IHL below 5, and IHL beyond the frame. */
	for (int ihl = 0; ihl < 5; ihl++) {
		b = s;
		b.ihl = ihl;
		expect_drop(b, 8, &st.ipv4.bad_hlen, __LINE__);
	}
	b = s;
	b.ihl = 15; /* 60 bytes of header in a 28-byte packet */
	expect_drop(b, 8, &st.ipv4.bad_hlen, __LINE__);
	b = s;
	b.bad_csum = true;
	expect_drop(b, 8, &st.ipv4.bad_checksum, __LINE__);
	/* Total length below the header, and beyond the frame. */
	b = s;
	b.total_len = 19;
	expect_drop(b, 8, &st.ipv4.bad_len, __LINE__);
	b.total_len = 0;
	expect_drop(b, 8, &st.ipv4.bad_len, __LINE__);
	b.total_len = 29;
	expect_drop(b, 8, &st.ipv4.bad_len, __LINE__);
	b.total_len = 0xffff;
	expect_drop(b, 8, &st.ipv4.bad_len, __LINE__);
	/* Malformed options: malformed_options_answered. */
	/* Sources that are not one host (RFC 1122 3.2.1.3). */
	const uint32_t bad_srcs[] = { 0, IP(0, 1, 2, 3), IPV4_BROADCAST, IP(224, 0, 0, 1), IP(127, 0, 0, 1),
	                              IP(240, 0, 0, 1), IP(10, 0, 0, 255), IP(10, 0, 0, 0) };
	for (size_t i = 0; i < sizeof(bad_srcs) / sizeof(bad_srcs[0]); i++) {
		b = s;
		b.src = bad_srcs[i];
		expect_drop(b, 8, &st.ipv4.bad_src, __LINE__);
	}
	/* Not for us: another host, a multicast group we are not in. */
	b = s;
	b.dst = IP(10, 0, 0, 3);
	expect_drop(b, 8, &st.ipv4.not_for_us, __LINE__);
	b.dst = IP(224, 0, 0, 251);
	expect_drop(b, 8, &st.ipv4.not_for_us, __LINE__);
	CHECK_INT(st.ipv4.delivered, 0);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* One set of options (a multiple of 4 bytes) and, if malformed, the octet
 * of the header the parameter problem must point at (0: well formed). */
struct opt_case {
	const char *what;
	uint8_t opts[12];
	size_t len;
	uint8_t ptr;
};

static const struct opt_case bad_opt_cases[] = {
	{ "zero-length option", { 7, 0, 0, 0 }, 4, 20 },
	{ "length 1", { 7, 1, 0, 0 }, 4, 20 },
	{ "unknown option of length 0", { 0x99, 0, 0, 0 }, 4, 20 },
	{ "option running past the header", { 1, 1, 7, 8 }, 4, 22 },
	{ "type without its length octet", { 1, 1, 1, 0x83 }, 4, 23 },
	{ "LSRR length 2", { 131, 2, 1, 0 }, 4, 21 },
	{ "SSRR length 2", { 1, 137, 2, 0 }, 4, 22 },
	{ "RR pointer 3", { 7, 7, 3, 0, 0, 0, 0, 0 }, 8, 22 },
	{ "RR pointer 0", { 7, 3, 0, 0 }, 4, 22 },
	{ "RR pointer inside the last address", { 7, 7, 5, 0, 0, 0, 0, 0 }, 8, 22 },
	{ "LSRR pointer 3", { 1, 131, 7, 3, 1, 2, 3, 4 }, 8, 23 },
	{ "timestamp length 3", { 68, 3, 5, 0 }, 4, 21 },
	{ "timestamp length 2", { 68, 2, 0, 0 }, 4, 21 },
	{ "timestamp pointer 4", { 68, 8, 4, 0, 0, 0, 0, 0 }, 8, 22 },
	{ "timestamp pointer 1", { 68, 4, 1, 0 }, 4, 22 },
	{ "timestamp pointer with 3 bytes left", { 68, 8, 6, 0, 0, 0, 0, 0 }, 8, 22 },
	{ "address timestamp with room for 4 bytes", { 68, 8, 5, 1, 0, 0, 0, 0 }, 8, 22 },
	{ "prespecified timestamp with room for 4 bytes", { 68, 8, 5, 3, 0, 0, 0, 0 }, 8, 22 },
	{ "two record routes", { 7, 3, 4, 7, 3, 4, 0, 0 }, 8, 23 },
	{ "LSRR and SSRR", { 131, 3, 4, 137, 3, 4, 0, 0 }, 8, 23 },
	{ "two timestamps", { 68, 4, 5, 0, 68, 4, 5, 0 }, 8, 24 },
	{ "router alert length 2", { 148, 2, 0, 0 }, 4, 21 },
	{ "bad one after good ones", { 1, 7, 3, 4, 148, 4, 0, 0, 68, 3, 5, 0 }, 12, 29 },
};

static const struct opt_case good_opt_cases[] = {
	{ "NOPs and EOL", { 1, 1, 1, 0 }, 4, 0 },
	{ "EOL, then what would be malformed", { 0, 7, 0, 0 }, 4, 0 },
	{ "RR with room", { 7, 7, 4, 0, 0, 0, 0, 0 }, 8, 0 },
	{ "RR full", { 7, 7, 8, 10, 0, 0, 1, 0 }, 8, 0 },
	{ "RR with no room at all", { 7, 3, 4, 0 }, 4, 0 },
	{ "RR pointer far past the length", { 7, 3, 200, 0 }, 4, 0 },
	{ "LSRR complete", { 131, 7, 8, 10, 0, 0, 1, 0 }, 8, 0 },
	{ "SSRR with a hop left", { 137, 11, 8, 10, 0, 0, 1, 10, 0, 0, 3, 0 }, 12, 0 },
	{ "unknown option with a valid length", { 0x99, 4, 0xaa, 0xbb }, 4, 0 },
	{ "unknown option of length 2", { 0x19, 2, 1, 0 }, 4, 0 },
	{ "timestamp with room", { 68, 12, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 12, 0 },
	{ "address timestamp with room", { 68, 12, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, 12, 0 },
	{ "timestamp length 4, pointer 5 (full, as Linux)", { 68, 4, 5, 0 }, 4, 0 },
	{ "timestamp full, overflow 15", { 68, 8, 9, 0xf0, 0, 0, 0, 1 }, 8, 0 },
	{ "timestamp with an unknown flag", { 68, 8, 5, 2, 0, 0, 0, 0 }, 8, 0 },
	{ "router alert", { 148, 4, 0, 0 }, 4, 0 },
	{ "RR, timestamp and LSRR once each", { 7, 3, 4, 68, 4, 5, 0, 131, 3, 4, 1, 0 }, 12, 0 },
};

static void malformed_options_answered(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	struct icmp ic;
	icmp_init(&ic);
	static struct net_txq out;
	for (size_t i = 0; i < sizeof(bad_opt_cases) / sizeof(bad_opt_cases[0]); i++) {
		const struct opt_case *c = &bad_opt_cases[i];
		struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
		s.opts = c->opts;
		s.opt_len = c->len;
		struct ipv4_rx rx;
		uint64_t bad = st.ipv4.bad_options, sent = st.icmp.param_tx, errs = st.icmp.err_tx;
		int r = ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st);
		if (r != IPV4_RX_PARAM_PROBLEM) {
			check_fail(__FILE__, __LINE__, c->what);
			if (r == 1)
				riad_pbuf_unref(rx.p);
			continue;
		}
		CHECK_INT(st.ipv4.bad_options, bad + 1);
		CHECK_INT(rx.param_ptr, c->ptr);
		CHECK_INT(rx.hdr_len, 20 + c->len);
		CHECK_INT(icmp_param_problem(&ic, our_ip, &rx, rx.param_ptr, now, &out, &st), 0);
		CHECK_INT(st.icmp.param_tx, sent + 1);
		CHECK_INT(st.icmp.err_tx, errs + 1);
		REQUIRE(out.n == 1);
		const struct net_ip_tx *t = &out.items[0];
		CHECK_INT(t->src, our_ip);
		CHECK_INT(t->dst, peer_ip);
		CHECK_INT(t->proto, NET_PROTO_ICMP);
		/* Type 12 code 0, the pointer, three zero bytes, then the whole datagram. */
		REQUIRE(t->p->len == 8 + 20 + c->len + 8);
		const uint8_t *b = t->p->data;
		CHECK_INT(b[0], ICMP_PARAM_PROBLEM);
		CHECK_INT(b[1], 0);
		CHECK_INT(wire_get32(b + 4), (uint32_t)c->ptr << 24);
		CHECK_MEM(b + 8, rx.hdr, 20 + c->len + 8);
		CHECK_INT(wire_csum_fold(wire_csum_add(0, b, t->p->len)), 0);
		net_txq_clear(&out);
		riad_pbuf_unref(rx.p);

		/* To a broadcast (IP, or link): dropped and counted, never answered. */
		const uint32_t dsts[] = { IPV4_BROADCAST, IP(10, 0, 0, 255), our_ip };
		for (size_t k = 0; k < 3; k++) {
			s.dst = dsts[k];
			uint64_t quiet = st.icmp.err_suppressed;
			r = ipv4_input(&ip, pkt(&s, data, 8), k == 2, now, &rx, &st);
			REQUIRE(r == IPV4_RX_PARAM_PROBLEM);
			CHECK(rx.bcast);
			CHECK_INT(icmp_param_problem(&ic, our_ip, &rx, rx.param_ptr, now, &out, &st), -1);
			CHECK_INT(st.icmp.err_suppressed, quiet + 1);
			riad_pbuf_unref(rx.p);
		}
		CHECK_INT(out.n, 0);
		CHECK_INT(st.ipv4.bad_options, bad + 4);
	}
	/* A fragment with malformed options is not reassembled, nor answered
	 * unless it is the first. */
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
	s.opts = bad_opt_cases[0].opts;
	s.opt_len = 4;
	s.flags_frag = IPV4_FLAG_MF | 1;
	struct ipv4_rx rx;
	REQUIRE(ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st) == IPV4_RX_PARAM_PROBLEM);
	CHECK_INT(icmp_param_problem(&ic, our_ip, &rx, rx.param_ptr, now, &out, &st), -1);
	riad_pbuf_unref(rx.p);
	CHECK_INT(st.ipv4.frag_rx, 0);
	CHECK_INT(ip.reass.bytes, 0);
	/* Not ours: dropped as such, before the options are looked at. */
	s = spec(peer_ip, IP(10, 0, 0, 3), NET_PROTO_UDP);
	s.opts = bad_opt_cases[0].opts;
	s.opt_len = 4;
	uint64_t bad = st.ipv4.bad_options;
	expect_drop(s, 8, &st.ipv4.not_for_us, __LINE__);
	CHECK_INT(st.ipv4.bad_options, bad);
	CHECK_INT(st.ipv4.delivered, 0);
	CHECK_INT(out.n, 0);

	/* Well-formed options are skipped, the datagram delivered. */
	for (size_t i = 0; i < sizeof(good_opt_cases) / sizeof(good_opt_cases[0]); i++) {
		const struct opt_case *c = &good_opt_cases[i];
		s = spec(peer_ip, our_ip, NET_PROTO_UDP);
		s.opts = c->opts;
		s.opt_len = c->len;
		int r = ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st);
		if (r != 1) {
			check_fail(__FILE__, __LINE__, c->what);
			if (r == IPV4_RX_PARAM_PROBLEM)
				riad_pbuf_unref(rx.p);
			continue;
		}
		CHECK_INT(rx.hdr_len, 20 + c->len);
		CHECK_INT(rx.param_ptr, 0);
		CHECK_MEM(rx.p->data, data, 8);
		riad_pbuf_unref(rx.p);
	}
	CHECK_INT(st.ipv4.delivered, sizeof(good_opt_cases) / sizeof(good_opt_cases[0]));
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void broadcasts_and_unconfigured(void)
{
	size_t live = riad_pbuf_live();
	setup();
	struct ipv4_rx rx;
	const uint32_t bcasts[] = { IPV4_BROADCAST, IP(10, 0, 0, 255), IP(10, 0, 0, 0) };
	for (size_t i = 0; i < 3; i++) {
		struct pkt_spec s = spec(peer_ip, bcasts[i], NET_PROTO_UDP);
		REQUIRE(ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st) == 1);
		CHECK(rx.bcast);
		riad_pbuf_unref(rx.p);
	}
	/* Unicast IP in a link broadcast frame is marked too (no ICMP errors). */
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
	REQUIRE(ipv4_input(&ip, pkt(&s, data, 8), true, now, &rx, &st) == 1);
	CHECK(rx.bcast);
	riad_pbuf_unref(rx.p);
	/* Before DHCP: UDP to any unicast address (an offer sent to the
	 * offered address), broadcasts; not TCP. */
	ipv4_set_addr(&ip, 0, 0, 0);
	s = spec(IP(192, 168, 1, 1), IP(192, 168, 1, 50), NET_PROTO_UDP);
	REQUIRE(ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st) == 1);
	riad_pbuf_unref(rx.p);
	s.proto = NET_PROTO_TCP;
	CHECK_INT(ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.not_for_us, 1);
	s.dst = IPV4_BROADCAST;
	REQUIRE(ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st) == 1);
	riad_pbuf_unref(rx.p);
	/* A /31 has no broadcast address (RFC 3021): .1 of 10.0.0.0/31 is a host. */
	ipv4_set_addr(&ip, IP(10, 0, 0, 0), 0xfffffffe, 0);
	s = spec(IP(10, 0, 0, 1), IP(10, 0, 0, 0), NET_PROTO_UDP);
	REQUIRE(ipv4_input(&ip, pkt(&s, data, 8), false, now, &rx, &st) == 1);
	CHECK(!rx.bcast);
	riad_pbuf_unref(rx.p);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* ---- reassembly ---- */

/* Fragment i of a datagram of n bytes cut in pieces of `piece` bytes. */
static struct riad_pbuf *frag(uint16_t id, size_t off, size_t len, bool mf)
{
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
	s.id = id;
	s.flags_frag = (uint16_t)(off / 8) | (mf ? IPV4_FLAG_MF : 0);
	return pkt(&s, data + off, len);
}

/* Feed the fragments of an n-byte datagram in the order given by perm;
 * returns the delivery count and checks the payload. */
static int feed(uint16_t id, size_t n, size_t piece, const size_t *perm, size_t count)
{
	int delivered = 0;
	for (size_t k = 0; k < count; k++) {
		size_t off = perm[k] * piece;
		size_t len = n - off < piece ? n - off : piece;
		struct ipv4_rx rx;
		if (ipv4_input(&ip, frag(id, off, len, off + len < n), false, now, &rx, &st) == 1) {
			delivered++;
			CHECK(k == count - 1);
			CHECK(rx.reassembled);
			CHECK_INT(rx.p->len, n);
			CHECK_MEM(rx.p->data, data, n);
			CHECK_INT(rx.hdr_len, 20);
			CHECK_INT(rx.len, 20 + n);
			CHECK_INT(wire_get16(rx.hdr + 2), 20 + n);
			CHECK_INT(wire_get16(rx.hdr + 6), 0);
			CHECK_INT(wire_csum_fold(wire_csum_add(0, rx.hdr, 20)), 0);
			CHECK(rx.hdr + 20 == rx.p->data);
			riad_pbuf_unref(rx.p);
		}
	}
	return delivered;
}

static void reassembles_in_any_order(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	size_t perm[64];
	/* 4000 bytes in 1480-byte pieces: 3 fragments, every order. */
	static const size_t orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	for (int o = 0; o < 6; o++)
		CHECK_INT(feed((uint16_t)(100 + o), 4000, 1480, orders[o], 3), 1);
	/* 65000 bytes in 1024-byte pieces (64 fragments), shuffled. */
	for (size_t i = 0; i < 64; i++)
		perm[i] = i;
	srand(4);
	for (size_t i = 63; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	CHECK_INT(feed(200, 65000, 1024, perm, 64), 1);
	CHECK_INT(st.ipv4.reassembled, 7);
	CHECK_INT(st.ipv4.frag_rx, 6 * 3 + 64);
	CHECK_INT(ip.reass.bytes, 0);
	CHECK_INT(ipv4_deadline(&ip), INT64_MAX);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void duplicates_and_overlaps(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	struct ipv4_rx rx;
	/* An exact duplicate is dropped alone; the datagram completes. */
	CHECK_INT(ipv4_input(&ip, frag(1, 0, 800, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(1, 0, 800, true), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_dup, 1);
	REQUIRE(ipv4_input(&ip, frag(1, 800, 100, false), false, now, &rx, &st) == 1);
	CHECK_MEM(rx.p->data, data, 900);
	riad_pbuf_unref(rx.p);
	/* An overlap (RFC 5722 style) throws the datagram away, and every
	 * later fragment of it. */
	CHECK_INT(ipv4_input(&ip, frag(2, 0, 800, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(2, 792, 16, true), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_overlap, 1);
	CHECK_INT(ip.reass.bytes, 0);
	CHECK_INT(ipv4_input(&ip, frag(2, 808, 100, false), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(2, 800, 8, true), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_poisoned, 2);
	/* Overlap by containment, and by a same-offset different length. */
	CHECK_INT(ipv4_input(&ip, frag(3, 8, 16, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(3, 0, 800, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(4, 0, 16, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(4, 0, 24, true), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_overlap, 3);
	/* Inconsistent ends: a second last fragment, data past the last. */
	CHECK_INT(ipv4_input(&ip, frag(5, 800, 100, false), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(5, 1600, 100, false), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(6, 800, 100, false), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(6, 1600, 8, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(7, 1600, 8, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(7, 800, 8, false), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_too_big, 3);
	CHECK_INT(st.ipv4.delivered, 1);
	/* Poisoned datagrams hold nothing and go at their deadline, uncounted
	 * as timeouts. */
	CHECK_INT(ip.reass.bytes, 0);
	now += RIAD_NET_IPV4_REASS_TIMEOUT_NS;
	CHECK_INT(ipv4_timer(&ip, now, &st), INT64_MAX);
	CHECK_INT(st.ipv4.frag_timeout, 0);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void bad_and_endless_fragments(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	struct ipv4_rx rx;
	/* MF with a length not a multiple of 8, or empty; beyond 65535. */
	CHECK_INT(ipv4_input(&ip, frag(1, 0, 801, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(1, 8, 0, true), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(1, 8191 * 8, 8, false), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_too_big, 3);
	/* A first fragment with 40 bytes of options and a last one that ends
	 * at 65512: within the 65515 bound of a 20-byte header, but 60 + 65512
	 * is more than 65535. */
	static const uint8_t opts[40] = { 1 };
	struct pkt_spec s = spec(peer_ip, our_ip, NET_PROTO_UDP);
	s.id = 9;
	s.opts = opts;
	s.opt_len = sizeof(opts);
	s.flags_frag = IPV4_FLAG_MF;
	CHECK_INT(ipv4_input(&ip, pkt(&s, data, 65472), false, now, &rx, &st), 0);
	CHECK_INT(ipv4_input(&ip, frag(9, 65472, 40, false), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_too_big, 4);
	CHECK_INT(ip.reass.bytes, 0);
	/* Endless: 8-byte fragments, never a last one; the datagram is thrown
	 * away at RIAD_NET_IPV4_REASS_FRAGS + 1. */
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_FRAGS + 10; i++)
		CHECK_INT(ipv4_input(&ip, frag(2, i * 16, 8, true), false, now, &rx, &st), 0);
	CHECK_INT(st.ipv4.frag_too_many, 1);
	CHECK_INT(st.ipv4.frag_poisoned, 9);
	CHECK_INT(ip.reass.bytes, 0);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void bounded_slots_bytes_and_time(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	struct ipv4_rx rx;
	/* One datagram more than the slots: the oldest goes. */
	for (int i = 0; i <= RIAD_NET_IPV4_REASS_MAX; i++) {
		now += 1;
		CHECK_INT(ipv4_input(&ip, frag((uint16_t)(10 + i), 0, 8, true), false, now, &rx, &st), 0);
	}
	CHECK_INT(st.ipv4.frag_evicted, 1);
	CHECK_INT(ipv4_input(&ip, frag(10, 8, 8, false), false, now, &rx, &st), 0); /* restarted, incomplete */
	CHECK_INT(st.ipv4.frag_evicted, 2);
	ipv4_flush(&ip);
	/* Bytes: datagrams of 64 * 1024 - 8 bytes missing their last byte
	 * range; RIAD_NET_IPV4_REASS_BYTES / that many fit. */
	size_t per = 63 * 1024;
	size_t fit = RIAD_NET_IPV4_REASS_BYTES / per;
	for (size_t d = 0; d <= fit && d < RIAD_NET_IPV4_REASS_MAX; d++) {
		now += 1;
		for (size_t k = 0; k < 63; k++)
			ipv4_input(&ip, frag((uint16_t)(50 + d), k * 1024, 1024, true), false, now, &rx, &st);
		CHECK(ip.reass.bytes <= RIAD_NET_IPV4_REASS_BYTES);
	}
	CHECK(st.ipv4.frag_evicted >= 3);
	CHECK(ip.reass.bytes <= RIAD_NET_IPV4_REASS_BYTES);
	/* Time: what is left goes at the deadline, counted. */
	uint64_t open = 0;
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++)
		open += ip.reass.d[i].used;
	CHECK(open > 0);
	int64_t dl = ipv4_deadline(&ip);
	CHECK(dl > now && dl <= now + RIAD_NET_IPV4_REASS_TIMEOUT_NS);
	ipv4_timer(&ip, dl - 1, &st);
	CHECK_INT(st.ipv4.frag_timeout, 0);
	ipv4_timer(&ip, now + RIAD_NET_IPV4_REASS_TIMEOUT_NS, &st);
	CHECK_INT(st.ipv4.frag_timeout, open);
	CHECK_INT(ip.reass.bytes, 0);
	CHECK_INT(ipv4_deadline(&ip), INT64_MAX);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* ---- output ---- */

static struct net_ip_tx tx_of(uint32_t dst, uint8_t proto, size_t len)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, len);
	memcpy(p->data, data, len);
	return (struct net_ip_tx){ .src = our_ip, .dst = dst, .proto = proto, .p = p };
}

static void sends_header_through_arp(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	struct net_ip_tx tx = tx_of(peer_ip, NET_PROTO_UDP, 10);
	tx.tos = 0x10;
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	CHECK(tx.p == NULL);
	REQUIRE(q.n == 1); /* the ARP request; the datagram waits */
	CHECK(q.frames[0]->data[12] == 0x08 && q.frames[0]->data[13] == 0x06);
	CHECK_INT(wire_get32(q.frames[0]->data + 14 + 24), peer_ip);
	ether_txq_clear(&q);
	learn(peer_ip, peer_mac);
	/* learn() cleared the queue: resend to see the frame itself. */
	tx = tx_of(peer_ip, NET_PROTO_UDP, 10);
	tx.ttl = 9;
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	REQUIRE(q.n == 1);
	const uint8_t *f = q.frames[0]->data;
	CHECK_INT(q.frames[0]->len, 14 + 20 + 10);
	CHECK_MEM(f, peer_mac, 6);
	CHECK_MEM(f + 6, our_mac, 6);
	const uint8_t want[20] = { 0x45, 0x00, 0x00, 30, 0x12, 0x35, 0x00, 0x00, 9, 17, 0, 0,
	                           10, 0, 0, 2, 10, 0, 0, 1 };
	uint8_t got[20];
	memcpy(got, f + 14, 20);
	CHECK_INT(wire_csum_fold(wire_csum_add(0, got, 20)), 0);
	got[10] = got[11] = 0;
	CHECK_MEM(got, want, 20);
	CHECK_MEM(f + 34, data, 10);
	CHECK_INT(st.ipv4.tx, 2);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void routes(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	learn(gw_ip, gw_mac);
	learn(peer_ip, peer_mac);
	struct net_ip_tx tx;
	/* Off-link: to the gateway's MAC; on-link: the host's. */
	tx = tx_of(IP(8, 8, 8, 8), NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	tx = tx_of(peer_ip, NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	/* Broadcasts, limited and directed, and multicast: no ARP. */
	tx = tx_of(IPV4_BROADCAST, NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	tx = tx_of(IP(10, 0, 0, 255), NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	tx = tx_of(IP(224, 0, 0, 251), NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	REQUIRE(q.n == 5);
	CHECK_MEM(q.frames[0]->data, gw_mac, 6);
	CHECK_INT(wire_get32(q.frames[0]->data + 14 + 16), IP(8, 8, 8, 8));
	CHECK_MEM(q.frames[1]->data, peer_mac, 6);
	CHECK_MEM(q.frames[2]->data, ether_broadcast, 6);
	CHECK_MEM(q.frames[3]->data, ether_broadcast, 6);
	static const uint8_t mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	CHECK_MEM(q.frames[4]->data, mc, 6);
	/* No route: ourselves, loopback, and off-link without a gateway. */
	tx = tx_of(our_ip, NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), -1);
	tx = tx_of(IP(127, 0, 0, 1), NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), -1);
	ipv4_set_addr(&ip, our_ip, 0xffffff00, 0);
	tx = tx_of(IP(8, 8, 8, 8), NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), -1);
	CHECK_INT(st.ipv4.no_route, 3);
	/* Unconfigured (DHCP): only broadcasts go. */
	ipv4_set_addr(&ip, 0, 0, 0);
	tx = tx_of(IPV4_BROADCAST, NET_PROTO_UDP, 8);
	tx.src = 0;
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	tx = tx_of(peer_ip, NET_PROTO_UDP, 8);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), -1);
	CHECK_INT(q.n, 6);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

/* Fragment a datagram at this MTU, check offsets, MF bits, lengths and
 * ids, then reassemble the frames (in reverse) and compare. */
static void check_fragmentation(uint16_t mtu, size_t n)
{
	setup();
	ipv4_init(&ip, mtu, 0x4242);
	ipv4_set_addr(&ip, our_ip, 0xffffff00, gw_ip);
	learn(peer_ip, peer_mac);
	struct net_ip_tx tx = tx_of(peer_ip, NET_PROTO_UDP, n);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	size_t chunk = (size_t)(mtu - 20) & ~(size_t)7;
	size_t frags = (n + chunk - 1) / chunk;
	REQUIRE(q.n == frags);
	CHECK_INT(st.ipv4.frag_tx, frags);
	for (size_t i = 0; i < frags; i++) {
		const uint8_t *h = q.frames[i]->data + 14;
		size_t len = i + 1 < frags ? chunk : n - i * chunk;
		CHECK(q.frames[i]->len - 14 <= mtu);
		CHECK_INT(wire_get16(h + 2), 20 + len);
		CHECK_INT(wire_get16(h + 4), 0x4242);
		uint16_t ff = wire_get16(h + 6);
		CHECK_INT((ff & IPV4_FRAG_OFFSET_MASK) * 8, i * chunk);
		CHECK_INT(!!(ff & IPV4_FLAG_MF), i + 1 < frags);
		CHECK_INT(wire_csum_fold(wire_csum_add(0, h, 20)), 0);
		CHECK_MEM(h + 20, data + i * chunk, len);
	}
	/* The receiving side: our own reassembly, addressed the other way. */
	struct ipv4 rcv;
	ipv4_init(&rcv, 1500, 0);
	ipv4_set_addr(&rcv, peer_ip, 0xffffff00, 0);
	int got = 0;
	for (size_t i = frags; i-- > 0;) {
		struct riad_pbuf *f = q.frames[i];
		q.frames[i] = NULL;
		riad_pbuf_pull(f, 14);
		struct ipv4_rx rx;
		if (ipv4_input(&rcv, f, false, now, &rx, &st) == 1) {
			got++;
			CHECK_INT(rx.p->len, n);
			CHECK_MEM(rx.p->data, data, n);
			riad_pbuf_unref(rx.p);
		}
	}
	q.n = 0;
	CHECK_INT(got, 1);
	ipv4_flush(&rcv);
	teardown();
}

static void fragments_to_the_mtu(void)
{
	size_t live = riad_pbuf_live();
	fill_data();
	check_fragmentation(1500, 4000);
	check_fragmentation(1500, 2961);
	check_fragmentation(576, 1500);
	check_fragmentation(68, 1000);
	check_fragmentation(1500, 65515);
	CHECK_INT(riad_pbuf_live(), live);
}

static void output_limits(void)
{
	size_t live = riad_pbuf_live();
	setup();
	fill_data();
	learn(peer_ip, peer_mac);
	struct net_ip_tx tx = tx_of(peer_ip, NET_PROTO_UDP, 65516);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), -1);
	CHECK_INT(st.ipv4.tx_bad, 1);
	/* Without headroom the payload is copied; at the MTU exactly, one frame. */
	struct riad_pbuf *p = riad_pbuf_alloc(0, 1480);
	memcpy(p->data, data, 1480);
	tx = (struct net_ip_tx){ .src = our_ip, .dst = peer_ip, .proto = NET_PROTO_TCP, .p = p };
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), 0);
	REQUIRE(q.n == 1);
	CHECK_INT(q.frames[0]->len, 1514);
	CHECK_INT(st.ipv4.frag_tx, 0);
	/* Not enough room in the frame queue for all fragments: none sent. */
	while (ether_txq_space(&q) > 2)
		ether_txq_push(&q, riad_pbuf_alloc(0, 1), &st);
	tx = tx_of(peer_ip, NET_PROTO_UDP, 4000);
	CHECK_INT(ipv4_output(&ip, &arp, &tx, now, &q, &st), -1);
	CHECK_INT(ether_txq_space(&q), 2);
	/* ipv4_output_txq drains a transport queue in order. */
	ether_txq_clear(&q);
	static struct net_txq tq;
	net_txq_push(&tq, our_ip, peer_ip, NET_PROTO_UDP, riad_pbuf_alloc(NET_HEADROOM, 3));
	net_txq_push(&tq, our_ip, IPV4_BROADCAST, NET_PROTO_UDP, riad_pbuf_alloc(NET_HEADROOM, 4));
	ipv4_output_txq(&ip, &arp, &tq, now, &q, &st);
	CHECK_INT(tq.n, 0);
	REQUIRE(q.n == 2);
	CHECK_INT(q.frames[0]->len, 14 + 20 + 3);
	CHECK_INT(q.frames[1]->len, 14 + 20 + 4);
	CHECK_INT(q.frames[1]->data[14 + 8], RIAD_NET_IPV4_TTL);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

int main(void)
{
	RUN(delivers_and_trims_padding);
	RUN(skips_options);
	RUN(bad_headers_dropped_and_counted);
	RUN(malformed_options_answered);
	RUN(broadcasts_and_unconfigured);
	RUN(reassembles_in_any_order);
	RUN(duplicates_and_overlaps);
	RUN(bad_and_endless_fragments);
	RUN(bounded_slots_bytes_and_time);
	RUN(sends_header_through_arp);
	RUN(routes);
	RUN(fragments_to_the_mtu);
	RUN(output_limits);
	return check_done();
}
