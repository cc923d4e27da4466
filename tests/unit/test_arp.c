/* tests/unit/test_arp.c: ARP: replies byte by byte, resolution with retries and a bounded wait queue, the bounded cache, expiry and refresh, gratuitous ARP, bad packets, probes sent (RFC 5227) and what arp_input_rx reports for the DHCP client. */
#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "arp.h"
#include "arp_wire.h"
#include "net.h"
#include "wire.h"
#include "check.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SEC 1000000000LL

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t zero6[6];
static const uint32_t our_ip = IP(10, 0, 0, 2), peer_ip = IP(10, 0, 0, 1);

static struct arp a;
static struct ether_txq q;
static struct riad_net_stats st;
static int64_t now;

static void setup(bool with_ip)
{
	arp_init(&a, our_mac);
	memset(&st, 0, sizeof(st));
	now = 1000 * SEC;
	if (with_ip) {
		a.ip = our_ip; /* without the announcement */
	}
}

static void teardown(void)
{
	arp_flush(&a);
	ether_txq_clear(&q);
}

/* An ARP packet as arp_input sees it (Ethernet header pulled), len bytes. */
static struct riad_pbuf *pkt(uint16_t htype, uint16_t ptype, uint8_t hlen, uint8_t plen, uint16_t op,
                             const uint8_t *sha, uint32_t spa, const uint8_t *tha, uint32_t tpa,
                             size_t len)
{
	uint8_t b[ARP_LEN];
	wire_put16(b, htype);
	wire_put16(b + 2, ptype);
	b[4] = hlen;
	b[5] = plen;
	wire_put16(b + 6, op);
	memcpy(b + 8, sha, 6);
	wire_put32(b + 14, spa);
	memcpy(b + 18, tha, 6);
	wire_put32(b + 24, tpa);
	struct riad_pbuf *p = riad_pbuf_alloc(ETHER_HDR_LEN, len);
	memset(p->data, 0, len);
	memcpy(p->data, b, len < ARP_LEN ? len : ARP_LEN);
	return p;
}

static struct riad_pbuf *arp(uint16_t op, const uint8_t *sha, uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
	return pkt(ARP_HTYPE_ETHER, ARP_PTYPE_IPV4, 6, 4, op, sha, spa, tha, tpa, ARP_LEN);
}

/* Checks frame i of q is an ARP packet with these fields in a 60-byte frame. */
static void check_arp_frame(size_t i, const uint8_t *eth_dst, uint16_t op, uint32_t spa,
                            const uint8_t *tha, uint32_t tpa)
{
	REQUIRE(i < q.n);
	const uint8_t *f = q.frames[i]->data;
	CHECK_INT(q.frames[i]->len, ETHER_MIN_FRAME);
	uint8_t want[ETHER_MIN_FRAME] = { 0 };
	memcpy(want, eth_dst, 6);
	memcpy(want + 6, our_mac, 6);
	want[12] = 0x08;
	want[13] = 0x06;
	uint8_t *w = want + 14;
	w[0] = 0, w[1] = 1, w[2] = 0x08, w[3] = 0, w[4] = 6, w[5] = 4;
	wire_put16(w + 6, op);
	memcpy(w + 8, our_mac, 6);
	wire_put32(w + 14, spa);
	memcpy(w + 18, tha, 6);
	wire_put32(w + 24, tpa);
	CHECK_MEM(f, want, ETHER_MIN_FRAME);
}

/* A queued IPv4 packet: 20 bytes whose first byte is tag. */
static struct riad_pbuf *ip_packet(uint8_t tag)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, 20);
	memset(p->data, tag, 20);
	return p;
}

static void replies_to_request_for_us(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, peer_ip, zero6, our_ip), now, &q, &st);
	REQUIRE(q.n == 1);
	check_arp_frame(0, peer_mac, ARP_OP_REPLY, our_ip, peer_mac, peer_ip);
	/* The byte layout once more, literally (RFC 826, IPv4 over Ethernet). */
	static const uint8_t lit[42] = {
		0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
		0x02, 0, 0, 0, 0, 1, 10, 0, 0, 2,
		0x02, 0, 0, 0, 0, 2, 10, 0, 0, 1,
	};
	CHECK_MEM(q.frames[0]->data, lit, sizeof(lit));
	CHECK_INT(st.arp.tx_reply, 1);
	/* RFC 826: the requester was added to the cache. */
	const uint8_t *m = arp_lookup(&a, peer_ip);
	REQUIRE(m);
	CHECK_MEM(m, peer_mac, 6);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void ignores_requests_for_others(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, peer_ip, zero6, IP(10, 0, 0, 77)), now, &q, &st);
	CHECK_INT(q.n, 0);
	CHECK(arp_lookup(&a, peer_ip) == NULL); /* not cached: not talking to us */
	CHECK_INT(st.arp.not_for_us, 1);
	/* Without an address we answer nothing. */
	setup(false);
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, peer_ip, zero6, our_ip), now, &q, &st);
	CHECK_INT(q.n, 0);
	CHECK_INT(st.arp.not_for_us, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void resolves_and_sends_waiting(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	CHECK_INT(arp_output(&a, peer_ip, ip_packet(1), now, &q, &st), 1);
	CHECK_INT(arp_output(&a, peer_ip, ip_packet(2), now, &q, &st), 1);
	REQUIRE(q.n == 1); /* one request for both */
	check_arp_frame(0, ether_broadcast, ARP_OP_REQUEST, our_ip, zero6, peer_ip);
	CHECK_INT(arp_deadline(&a), now + RIAD_NET_ARP_RETRY_NS);
	ether_txq_clear(&q);

	now += SEC / 10;
	arp_input(&a, arp(ARP_OP_REPLY, peer_mac, peer_ip, our_mac, our_ip), now, &q, &st);
	REQUIRE(q.n == 2);
	for (size_t i = 0; i < 2; i++) {
		const uint8_t *f = q.frames[i]->data;
		CHECK_MEM(f, peer_mac, 6);
		CHECK_MEM(f + 6, our_mac, 6);
		CHECK(f[12] == 0x08 && f[13] == 0x00);
		CHECK_INT(f[14], i + 1); /* in order */
	}
	CHECK_INT(st.arp.resolved, 1);
	ether_txq_clear(&q);
	/* Now known: straight out. */
	CHECK_INT(arp_output(&a, peer_ip, ip_packet(3), now, &q, &st), 0);
	CHECK_INT(q.n, 1);
	CHECK_INT(arp_deadline(&a), now + RIAD_NET_ARP_TIMEOUT_NS);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void retries_then_gives_up(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	arp_output(&a, peer_ip, ip_packet(1), now, &q, &st);
	for (int i = 1; i < RIAD_NET_ARP_TRIES; i++) {
		CHECK_INT(arp_timer(&a, now + RIAD_NET_ARP_RETRY_NS - 1, &q, &st), now + RIAD_NET_ARP_RETRY_NS);
		CHECK_INT(q.n, (size_t)i); /* nothing early */
		now += RIAD_NET_ARP_RETRY_NS;
		arp_timer(&a, now, &q, &st);
		CHECK_INT(q.n, (size_t)i + 1);
		check_arp_frame((size_t)i, ether_broadcast, ARP_OP_REQUEST, our_ip, zero6, peer_ip);
	}
	CHECK_INT(st.arp.tx_request, RIAD_NET_ARP_TRIES);
	now += RIAD_NET_ARP_RETRY_NS;
	CHECK_INT(arp_timer(&a, now, &q, &st), INT64_MAX);
	CHECK_INT(q.n, RIAD_NET_ARP_TRIES);
	CHECK_INT(st.arp.unresolved, 1);
	CHECK(arp_lookup(&a, peer_ip) == NULL);
	/* A late reply is addressed to us, so RFC 826 learns it anyway. */
	ether_txq_clear(&q);
	arp_input(&a, arp(ARP_OP_REPLY, peer_mac, peer_ip, our_mac, our_ip), now, &q, &st);
	CHECK(arp_lookup(&a, peer_ip) != NULL);
	CHECK_INT(q.n, 0);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void wait_queue_is_bounded(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	for (int i = 0; i < RIAD_NET_ARP_QUEUE_MAX + 2; i++)
		arp_output(&a, peer_ip, ip_packet((uint8_t)i), now, &q, &st);
	CHECK_INT(st.arp.queue_overflow, 2);
	ether_txq_clear(&q);
	arp_input(&a, arp(ARP_OP_REPLY, peer_mac, peer_ip, our_mac, our_ip), now, &q, &st);
	REQUIRE(q.n == RIAD_NET_ARP_QUEUE_MAX);
	CHECK_INT(q.frames[0]->data[14], 2); /* the oldest two went */
	CHECK_INT(q.frames[RIAD_NET_ARP_QUEUE_MAX - 1]->data[14], RIAD_NET_ARP_QUEUE_MAX + 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void cache_is_bounded(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	uint8_t mac[6] = { 0x02, 0, 0, 0, 1, 0 };
	for (int i = 0; i < RIAD_NET_ARP_CACHE_SIZE + 1; i++) {
		mac[5] = (uint8_t)i;
		now += 1;
		arp_input(&a, arp(ARP_OP_REQUEST, mac, IP(10, 0, 1, i), zero6, our_ip), now, &q, &st);
	}
	CHECK_INT(st.arp.evicted, 1);
	CHECK(arp_lookup(&a, IP(10, 0, 1, 0)) == NULL); /* least recently used */
	CHECK(arp_lookup(&a, IP(10, 0, 1, 1)) != NULL);
	CHECK(arp_lookup(&a, IP(10, 0, 1, RIAD_NET_ARP_CACHE_SIZE)) != NULL);
	/* Evicting an entry that has packets waiting counts them. */
	ether_txq_clear(&q);
	arp_flush(&a);
	for (int i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++)
		arp_output(&a, IP(10, 0, 2, i), ip_packet(0), now + i, &q, &st);
	arp_output(&a, IP(10, 0, 3, 0), ip_packet(0), now + 100, &q, &st);
	CHECK_INT(st.arp.evicted, 2);
	CHECK_INT(st.arp.unresolved, 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void entries_expire_or_refresh(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	static const uint8_t p2[6] = { 0x02, 0, 0, 0, 0, 3 };
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, peer_ip, zero6, our_ip), now, &q, &st);
	arp_input(&a, arp(ARP_OP_REQUEST, p2, IP(10, 0, 0, 3), zero6, our_ip), now, &q, &st);
	ether_txq_clear(&q);
	arp_output(&a, peer_ip, ip_packet(1), now + SEC, &q, &st); /* peer is used, 10.0.0.3 not */
	ether_txq_clear(&q);
	now += RIAD_NET_ARP_TIMEOUT_NS;
	arp_timer(&a, now, &q, &st);
	CHECK(arp_lookup(&a, IP(10, 0, 0, 3)) == NULL);
	CHECK(arp_lookup(&a, peer_ip) != NULL); /* still usable while refreshing */
	REQUIRE(q.n == 1);
	check_arp_frame(0, peer_mac, ARP_OP_REQUEST, our_ip, zero6, peer_ip); /* unicast poll */
	ether_txq_clear(&q);
	/* The answer confirms it for another period. */
	arp_input(&a, arp(ARP_OP_REPLY, peer_mac, peer_ip, our_mac, our_ip), now, &q, &st);
	CHECK_INT(arp_deadline(&a), now + RIAD_NET_ARP_TIMEOUT_NS);
	/* Used again, but this time silent: freed after the tries. */
	arp_output(&a, peer_ip, ip_packet(1), now, &q, &st);
	now += RIAD_NET_ARP_TIMEOUT_NS;
	for (int i = 0; i < RIAD_NET_ARP_TRIES; i++) {
		arp_timer(&a, now, &q, &st);
		CHECK(arp_lookup(&a, peer_ip) != NULL);
		now += RIAD_NET_ARP_RETRY_NS;
	}
	arp_timer(&a, now, &q, &st);
	CHECK(arp_lookup(&a, peer_ip) == NULL);
	CHECK_INT(arp_deadline(&a), INT64_MAX);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void gratuitous_on_address_set(void)
{
	size_t live = riad_pbuf_live();
	setup(false);
	arp_set_ip(&a, our_ip, now, &q, &st);
	REQUIRE(q.n == 1);
	check_arp_frame(0, ether_broadcast, ARP_OP_REQUEST, our_ip, zero6, our_ip);
	CHECK_INT(arp_deadline(&a), now + 2 * SEC);
	arp_timer(&a, now + 2 * SEC, &q, &st);
	REQUIRE(q.n == 2);
	check_arp_frame(1, ether_broadcast, ARP_OP_REQUEST, our_ip, zero6, our_ip);
	CHECK_INT(arp_deadline(&a), INT64_MAX);
	arp_set_ip(&a, our_ip, now, &q, &st); /* the same again: no announcement */
	CHECK_INT(q.n, 2);
	/* Taking an address the cache knew as a neighbour's forgets it. */
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, peer_ip, zero6, our_ip), now, &q, &st);
	REQUIRE(arp_lookup(&a, peer_ip) != NULL);
	arp_set_ip(&a, peer_ip, now, &q, &st);
	CHECK(arp_lookup(&a, peer_ip) == NULL);
	CHECK_INT(q.n, 4); /* the reply, then the new announcement */
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void bad_packets_dropped_and_counted(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	static const uint8_t mc[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	for (size_t n = 0; n < ARP_LEN; n++)
		arp_input(&a, pkt(1, 0x800, 6, 4, 1, peer_mac, peer_ip, zero6, our_ip, n), now, &q, &st);
	CHECK_INT(st.arp.truncated, ARP_LEN);
	arp_input(&a, pkt(6, 0x800, 6, 4, 1, peer_mac, peer_ip, zero6, our_ip, ARP_LEN), now, &q, &st);
	arp_input(&a, pkt(1, 0x86dd, 6, 4, 1, peer_mac, peer_ip, zero6, our_ip, ARP_LEN), now, &q, &st);
	arp_input(&a, pkt(1, 0x800, 8, 4, 1, peer_mac, peer_ip, zero6, our_ip, ARP_LEN), now, &q, &st);
	arp_input(&a, pkt(1, 0x800, 6, 16, 1, peer_mac, peer_ip, zero6, our_ip, ARP_LEN), now, &q, &st);
	CHECK_INT(st.arp.bad_format, 4);
	arp_input(&a, pkt(1, 0x800, 6, 4, 3, peer_mac, peer_ip, zero6, our_ip, ARP_LEN), now, &q, &st);
	arp_input(&a, pkt(1, 0x800, 6, 4, 0, peer_mac, peer_ip, zero6, our_ip, ARP_LEN), now, &q, &st);
	CHECK_INT(st.arp.bad_op, 2);
	arp_input(&a, arp(ARP_OP_REQUEST, mc, peer_ip, zero6, our_ip), now, &q, &st);
	arp_input(&a, arp(ARP_OP_REQUEST, ether_broadcast, peer_ip, zero6, our_ip), now, &q, &st);
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, 0xffffffff, zero6, our_ip), now, &q, &st);
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, IP(224, 0, 0, 1), zero6, our_ip), now, &q, &st);
	CHECK_INT(st.arp.bad_sender, 4);
	/* Someone else claims our address: never cached, counted. */
	arp_input(&a, arp(ARP_OP_REPLY, peer_mac, our_ip, zero6, our_ip), now, &q, &st);
	CHECK_INT(st.arp.conflict, 1);
	CHECK(arp_lookup(&a, our_ip) == NULL);
	CHECK_INT(q.n, 0);
	CHECK_INT(st.arp.rx, ARP_LEN + 4 + 2 + 4 + 1);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void answers_probe_without_caching(void)
{
	size_t live = riad_pbuf_live();
	setup(true);
	/* RFC 5227 probe: sender IP 0. */
	arp_input(&a, arp(ARP_OP_REQUEST, peer_mac, 0, zero6, our_ip), now, &q, &st);
	REQUIRE(q.n == 1);
	check_arp_frame(0, peer_mac, ARP_OP_REPLY, our_ip, peer_mac, 0);
	CHECK_INT(arp_deadline(&a), INT64_MAX); /* nothing cached */
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void probes_and_reports(void)
{
	size_t live = riad_pbuf_live();
	const uint32_t probed = IP(10, 0, 0, 50);
	setup(false);
	/* RFC 5227 2.1.1: broadcast request, sender IP 0, target the address,
	 * target MAC 0. */
	arp_probe(&a, probed, &q, &st);
	check_arp_frame(0, ether_broadcast, ARP_OP_REQUEST, 0, zero6, probed);
	CHECK_INT(st.arp.tx_request, 1);
	ether_txq_clear(&q);
	/* A reply from the address is reported with its sender. */
	struct arp_rx rx;
	arp_input_rx(&a, arp(ARP_OP_REPLY, peer_mac, probed, our_mac, 0), now, &q, &st, &rx);
	CHECK(rx.ok);
	CHECK_INT(rx.op, ARP_OP_REPLY);
	CHECK_INT(rx.spa, probed);
	CHECK_INT(rx.tpa, 0);
	CHECK_MEM(rx.sha, peer_mac, 6);
	/* Another host's probe too. */
	arp_input_rx(&a, arp(ARP_OP_REQUEST, peer_mac, 0, zero6, probed), now, &q, &st, &rx);
	CHECK(rx.ok && rx.spa == 0 && rx.tpa == probed);
	/* Not our own looped back, nor a malformed packet. */
	arp_input_rx(&a, arp(ARP_OP_REQUEST, our_mac, 0, zero6, probed), now, &q, &st, &rx);
	CHECK(!rx.ok);
	arp_input_rx(&a, pkt(ARP_HTYPE_ETHER, ARP_PTYPE_IPV4, 6, 4, 9, peer_mac, probed, zero6, 0, ARP_LEN),
	             now, &q, &st, &rx);
	CHECK(!rx.ok);
	CHECK_INT(q.n, 0);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

int main(void)
{
	RUN(replies_to_request_for_us);
	RUN(ignores_requests_for_others);
	RUN(resolves_and_sends_waiting);
	RUN(retries_then_gives_up);
	RUN(wait_queue_is_bounded);
	RUN(cache_is_bounded);
	RUN(entries_expire_or_refresh);
	RUN(gratuitous_on_address_set);
	RUN(bad_packets_dropped_and_counted);
	RUN(answers_probe_without_caching);
	RUN(probes_and_reports);
	return check_done();
}
