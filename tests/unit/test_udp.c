/* tests/unit/test_udp.c: UDP: header and checksum built and verified (0 meaning none, a computed 0 sent as 0xffff), bad lengths and checksums dropped and counted, port unreachable. */
#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "icmp.h"
#include "ipv4.h"
#include "net.h"
#include "udp.h"
#include "wire.h"
#include "check.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SEC 1000000000LL

static const uint32_t our_ip = IP(10, 0, 0, 2), peer_ip = IP(10, 0, 0, 1);

static struct net_txq out;
static struct riad_net_stats st;
static const int64_t now = 1000 * SEC;

/* rx for a UDP datagram whose bytes (header included) are b[0..len),
 * inside a pbuf that also holds the IPv4 header, as ipv4_input gives it. */
static struct ipv4_rx rx_of(uint32_t src, uint32_t dst, const uint8_t *b, size_t len, bool bcast)
{
	struct riad_pbuf *p = riad_pbuf_alloc(64, 20 + len);
	ipv4_hdr_write(p->data, 0, (uint16_t)(20 + len), 1, 0, 64, NET_PROTO_UDP, src, dst);
	memcpy(p->data + 20, b, len);
	struct ipv4_rx rx = { .src = src, .dst = dst, .proto = NET_PROTO_UDP, .bcast = bcast,
	                      .hdr = p->data, .hdr_len = 20, .len = 20 + len };
	riad_pbuf_pull(p, 20);
	rx.p = p;
	return rx;
}

static struct riad_pbuf *payload(const void *d, size_t n)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, n);
	memcpy(p->data, d, n);
	return p;
}

static void builds_and_parses(void)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	CHECK_INT(udp_output(our_ip, 5353, peer_ip, 53, payload("hello", 5), &out, &st), 0);
	REQUIRE(out.n == 1);
	struct net_ip_tx *t = &out.items[0];
	CHECK_INT(t->src, our_ip);
	CHECK_INT(t->dst, peer_ip);
	CHECK_INT(t->proto, NET_PROTO_UDP);
	REQUIRE(t->p->len == 13);
	const uint8_t *b = t->p->data;
	CHECK_INT(wire_get16(b), 5353);
	CHECK_INT(wire_get16(b + 2), 53);
	CHECK_INT(wire_get16(b + 4), 13);
	CHECK_MEM(b + 8, "hello", 5);
	/* Checksum: RFC 768's pseudo-header sum over the whole datagram is 0. */
	uint32_t sum = wire_csum_pseudo4(our_ip, peer_ip, NET_PROTO_UDP, 13);
	CHECK_INT(wire_csum_fold(wire_csum_add(sum, b, 13)), 0);
	CHECK(wire_get16(b + 6) != 0);
	/* The other side parses it. */
	struct ipv4_rx rx = rx_of(our_ip, peer_ip, b, 13, false);
	struct udp_rx u;
	REQUIRE(udp_input(&rx, &u, &st) == 0);
	CHECK_INT(u.sport, 5353);
	CHECK_INT(u.dport, 53);
	CHECK(u.p == rx.p);
	CHECK_INT(u.p->len, 5);
	CHECK_MEM(u.p->data, "hello", 5);
	riad_pbuf_unref(rx.p);
	net_txq_clear(&out);
	CHECK_INT(st.udp.tx, 1);
	CHECK_INT(st.udp.rx, 1);
	CHECK_INT(riad_pbuf_live(), live);
}

static void zero_checksum(void)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	/* No checksum (0) is accepted as is. */
	uint8_t b[10] = { 0, 7, 0, 9, 0, 10, 0, 0, 'h', 'i' };
	struct ipv4_rx rx = rx_of(peer_ip, our_ip, b, 10, false);
	struct udp_rx u;
	CHECK_INT(udp_input(&rx, &u, &st), 0);
	riad_pbuf_unref(rx.p);
	/* A payload chosen so the computed checksum is 0: sent as 0xffff
	 * (RFC 768), which verifies. */
	CHECK_INT(udp_output(our_ip, 1, peer_ip, 2, payload("\0\0", 2), &out, &st), 0);
	uint16_t c = wire_get16(out.items[0].p->data + 6);
	net_txq_clear(&out);
	uint8_t w[2];
	wire_put16(w, c);
	CHECK_INT(udp_output(our_ip, 1, peer_ip, 2, payload(w, 2), &out, &st), 0);
	CHECK_INT(wire_get16(out.items[0].p->data + 6), 0xffff);
	rx = rx_of(our_ip, peer_ip, out.items[0].p->data, 10, false);
	CHECK_INT(udp_input(&rx, &u, &st), 0);
	riad_pbuf_unref(rx.p);
	net_txq_clear(&out);
	CHECK_INT(riad_pbuf_live(), live);
}

static void bad_datagrams_dropped_and_counted(void)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	struct udp_rx u;
	struct ipv4_rx rx;
	uint8_t b[16] = { 0, 7, 0, 9, 0, 16, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	for (size_t n = 0; n < UDP_HDR_LEN; n++) {
		rx = rx_of(peer_ip, our_ip, b, n, false);
		CHECK_INT(udp_input(&rx, &u, &st), -1);
		CHECK(rx.p == NULL);
	}
	CHECK_INT(st.udp.truncated, UDP_HDR_LEN);
	/* Length field below the header, and beyond the IP payload. */
	const uint16_t lens[] = { 0, 7, 17, 0xffff };
	for (size_t i = 0; i < 4; i++) {
		wire_put16(b + 4, lens[i]);
		rx = rx_of(peer_ip, our_ip, b, 16, false);
		CHECK_INT(udp_input(&rx, &u, &st), -1);
	}
	CHECK_INT(st.udp.bad_len, 4);
	/* A length shorter than the IP payload: the rest is trimmed. */
	wire_put16(b + 4, 10);
	rx = rx_of(peer_ip, our_ip, b, 16, false);
	REQUIRE(udp_input(&rx, &u, &st) == 0);
	CHECK_INT(u.p->len, 2);
	riad_pbuf_unref(rx.p);
	/* A wrong checksum; and a right one with a wrong pseudo-header. */
	udp_output(peer_ip, 7, our_ip, 9, payload("abcdef", 6), &out, &st);
	memcpy(b, out.items[0].p->data, 14);
	net_txq_clear(&out);
	b[13] ^= 0x40;
	rx = rx_of(peer_ip, our_ip, b, 14, false);
	CHECK_INT(udp_input(&rx, &u, &st), -1);
	b[13] ^= 0x40;
	rx = rx_of(peer_ip, IP(10, 0, 0, 3), b, 14, false);
	CHECK_INT(udp_input(&rx, &u, &st), -1);
	CHECK_INT(st.udp.bad_checksum, 2);
	rx = rx_of(peer_ip, our_ip, b, 14, false);
	CHECK_INT(udp_input(&rx, &u, &st), 0);
	riad_pbuf_unref(rx.p);
	/* Too long to send. */
	struct riad_pbuf *big = riad_pbuf_alloc(NET_HEADROOM, 65508);
	CHECK_INT(udp_output(our_ip, 1, peer_ip, 2, big, &out, &st), -1);
	CHECK_INT(st.udp.tx_bad, 1);
	/* Without headroom: copied. */
	struct riad_pbuf *p = riad_pbuf_alloc(0, 3);
	memcpy(p->data, "abc", 3);
	CHECK_INT(udp_output(our_ip, 1, peer_ip, 2, p, &out, &st), 0);
	CHECK_MEM(out.items[0].p->data + 8, "abc", 3);
	net_txq_clear(&out);
	CHECK_INT(riad_pbuf_live(), live);
}

static void port_unreachable(void)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	struct icmp ic;
	icmp_init(&ic);
	uint8_t b[10] = { 0x30, 0x39, 0x1f, 0x90, 0, 10, 0, 0, 'h', 'i' };
	struct ipv4_rx rx = rx_of(peer_ip, our_ip, b, 10, false);
	struct udp_rx u;
	REQUIRE(udp_input(&rx, &u, &st) == 0);
	udp_no_port(&ic, our_ip, &rx, now, &out, &st);
	CHECK_INT(st.udp.no_port, 1);
	REQUIRE(out.n == 1);
	const uint8_t *m = out.items[0].p->data;
	CHECK(m[0] == ICMP_DEST_UNREACH && m[1] == ICMP_UNREACH_PORT);
	CHECK_INT(out.items[0].dst, peer_ip);
	/* It quotes the UDP header, though udp_input pulled it. */
	CHECK_MEM(m + 8 + 20, b, 10);
	riad_pbuf_unref(rx.p);
	net_txq_clear(&out);
	/* A broadcast gets no answer, but is counted. */
	rx = rx_of(peer_ip, IPV4_BROADCAST, b, 10, true);
	REQUIRE(udp_input(&rx, &u, &st) == 0);
	udp_no_port(&ic, our_ip, &rx, now, &out, &st);
	CHECK_INT(st.udp.no_port, 2);
	CHECK_INT(out.n, 0);
	CHECK_INT(st.icmp.err_suppressed, 1);
	riad_pbuf_unref(rx.p);
	CHECK_INT(riad_pbuf_live(), live);
}

int main(void)
{
	RUN(builds_and_parses);
	RUN(zero_checksum);
	RUN(bad_datagrams_dropped_and_counted);
	RUN(port_unreachable);
	return check_done();
}
