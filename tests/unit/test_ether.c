/* tests/unit/test_ether.c: Ethernet framing: parsing, destination and source filtering, building, the frame queue. */
#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "ether.h"
#include "net.h"
#include "check.h"

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static struct riad_pbuf *frame(const uint8_t *dst, const uint8_t *src, uint16_t type, size_t len)
{
	struct riad_pbuf *p = riad_pbuf_alloc(0, len);
	memset(p->data, 0xab, len);
	if (len >= 6)
		memcpy(p->data, dst, 6);
	if (len >= 12)
		memcpy(p->data + 6, src, 6);
	if (len >= 14) {
		p->data[12] = (uint8_t)(type >> 8);
		p->data[13] = (uint8_t)type;
	}
	return p;
}

static void accepts_ours_and_broadcast(void)
{
	size_t live = riad_pbuf_live();
	struct riad_net_stats st = { 0 };
	struct ether_rx rx;
	struct riad_pbuf *p = frame(our_mac, peer_mac, ETHER_TYPE_IPV4, 60);
	REQUIRE(ether_input(our_mac, p, &rx, &st) == 0);
	CHECK_INT(p->len, 46);
	CHECK_INT(rx.type, ETHER_TYPE_IPV4);
	CHECK(!rx.bcast);
	CHECK_MEM(rx.src, peer_mac, 6);
	riad_pbuf_unref(p);

	/* A broadcast ARP frame, unpadded (42 bytes, as a tap gives it). */
	p = frame(ether_broadcast, peer_mac, ETHER_TYPE_ARP, 42);
	REQUIRE(ether_input(our_mac, p, &rx, &st) == 0);
	CHECK(rx.bcast);
	CHECK_INT(rx.type, ETHER_TYPE_ARP);
	CHECK_INT(p->len, 28);
	riad_pbuf_unref(p);
	CHECK_INT(st.ether.rx, 2);
	CHECK_INT(riad_pbuf_live(), live);
}

static void drops_and_counts(void)
{
	size_t live = riad_pbuf_live();
	struct riad_net_stats st = { 0 };
	struct ether_rx rx;
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 9 };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	/* Runts: every length below the header. */
	for (size_t n = 0; n < ETHER_HDR_LEN; n++)
		CHECK_INT(ether_input(our_mac, frame(our_mac, peer_mac, ETHER_TYPE_IPV4, n), &rx, &st), -1);
	CHECK_INT(st.ether.runt, ETHER_HDR_LEN);
	CHECK_INT(ether_input(our_mac, frame(other, peer_mac, ETHER_TYPE_IPV4, 60), &rx, &st), -1);
	CHECK_INT(ether_input(our_mac, frame(mcast, peer_mac, ETHER_TYPE_IPV4, 60), &rx, &st), -1);
	CHECK_INT(st.ether.not_for_us, 2);
	CHECK_INT(ether_input(our_mac, frame(our_mac, mcast, ETHER_TYPE_IPV4, 60), &rx, &st), -1);
	CHECK_INT(ether_input(our_mac, frame(our_mac, ether_broadcast, ETHER_TYPE_IPV4, 60), &rx, &st), -1);
	CHECK_INT(st.ether.bad_src, 2);
	CHECK_INT(ether_input(our_mac, frame(our_mac, peer_mac, 0x86dd, 60), &rx, &st), -1); /* IPv6 */
	CHECK_INT(ether_input(our_mac, frame(our_mac, peer_mac, ETHER_TYPE_VLAN, 60), &rx, &st), -1);
	CHECK_INT(ether_input(our_mac, frame(our_mac, peer_mac, 46, 60), &rx, &st), -1); /* 802.3 length */
	CHECK_INT(st.ether.unknown_type, 3);
	CHECK_INT(st.ether.rx, 0);
	CHECK_INT(riad_pbuf_live(), live);
}

static void output_builds_header(void)
{
	size_t live = riad_pbuf_live();
	struct riad_net_stats st = { 0 };
	static struct ether_txq q;
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, 4);
	memcpy(p->data, "\x45\x00\x00\x04", 4);
	CHECK_INT(ether_output(&q, p, peer_mac, our_mac, ETHER_TYPE_IPV4, &st), 0);
	REQUIRE(q.n == 1);
	static const uint8_t want[] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
	                                0x45, 0x00, 0x00, 0x04 };
	CHECK_INT(q.frames[0]->len, sizeof(want));
	CHECK_MEM(q.frames[0]->data, want, sizeof(want));
	/* Without headroom the payload is copied. */
	p = riad_pbuf_alloc(0, 4);
	memcpy(p->data, "abcd", 4);
	CHECK_INT(ether_output(&q, p, ether_broadcast, our_mac, ETHER_TYPE_ARP, &st), 0);
	REQUIRE(q.n == 2);
	CHECK_INT(q.frames[1]->len, 18);
	CHECK_MEM(q.frames[1]->data, ether_broadcast, 6);
	CHECK_MEM(q.frames[1]->data + 14, "abcd", 4);
	CHECK_INT(st.ether.tx, 2);
	ether_txq_clear(&q);
	CHECK_INT(q.n, 0);
	CHECK_INT(riad_pbuf_live(), live);
}

static void queue_is_bounded(void)
{
	size_t live = riad_pbuf_live();
	struct riad_net_stats st = { 0 };
	static struct ether_txq q;
	for (size_t i = 0; i < RIAD_NET_ETHER_TXQ_MAX + 3; i++)
		ether_output(&q, riad_pbuf_alloc(NET_HEADROOM, 1), peer_mac, our_mac, ETHER_TYPE_IPV4, &st);
	CHECK_INT(q.n, RIAD_NET_ETHER_TXQ_MAX);
	CHECK_INT(ether_txq_space(&q), 0);
	CHECK_INT(st.ether.tx, RIAD_NET_ETHER_TXQ_MAX);
	CHECK_INT(st.ether.tx_overflow, 3);
	ether_txq_clear(&q);
	CHECK_INT(riad_pbuf_live(), live);
}

static void multicast_mac(void)
{
	uint8_t m[6];
	ether_ipv4_multicast(0xe0ffa8fb, m); /* 224.255.168.251 -> 01:00:5e:7f:a8:fb */
	static const uint8_t want[6] = { 0x01, 0x00, 0x5e, 0x7f, 0xa8, 0xfb };
	CHECK_MEM(m, want, 6);
}

int main(void)
{
	RUN(accepts_ours_and_broadcast);
	RUN(drops_and_counts);
	RUN(output_builds_header);
	RUN(queue_is_bounded);
	RUN(multicast_mac);
	return check_done();
}
