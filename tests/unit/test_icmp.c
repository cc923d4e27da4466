/* tests/unit/test_icmp.c: ICMP: echo replies byte by byte with their checksum, unreachables and parameter problems and what they quote, the RFC 1122 cases where no error may be sent, the token bucket, received errors. */
#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "icmp.h"
#include "ipv4.h"
#include "net.h"
#include "wire.h"
#include "check.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define SEC 1000000000LL

static const uint32_t our_ip = IP(10, 0, 0, 2), peer_ip = IP(10, 0, 0, 1);

static struct ipv4 ip;
static struct icmp ic;
static struct net_txq out;
static struct riad_net_stats st;
static int64_t now;

static void setup(void)
{
	ipv4_init(&ip, 1500, 1);
	ipv4_set_addr(&ip, our_ip, 0xffffff00, 0);
	icmp_init(&ic);
	memset(&st, 0, sizeof(st));
	now = 1000 * SEC;
}

static void teardown(void)
{
	net_txq_clear(&out);
}

/* A datagram through ipv4_input: header (flags_frag as given) + payload. */
static bool receive(uint32_t src, uint32_t dst, uint8_t proto, uint16_t flags_frag,
                    const uint8_t *payload, size_t len, struct ipv4_rx *rx)
{
	struct riad_pbuf *p = riad_pbuf_alloc(64, 20 + len);
	ipv4_hdr_write(p->data, 0, (uint16_t)(20 + len), 99, flags_frag, 64, proto, src, dst);
	memcpy(p->data + 20, payload, len);
	if (flags_frag & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET_MASK)) {
		/* ipv4_input would reassemble: build the rx by hand. */
		rx->src = src, rx->dst = dst, rx->proto = proto, rx->bcast = false;
		rx->hdr = p->data, rx->hdr_len = 20, rx->len = 20 + len;
		riad_pbuf_pull(p, 20);
		rx->p = p;
		return true;
	}
	return ipv4_input(&ip, p, false, now, rx, &st) == 1;
}

/* An ICMP message with its checksum. */
static size_t icmp_msg(uint8_t *b, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *data, size_t len)
{
	b[0] = type;
	b[1] = code;
	wire_put16(b + 2, 0);
	wire_put32(b + 4, rest);
	memcpy(b + 8, data, len);
	wire_put16(b + 2, wire_csum_fold(wire_csum_add(0, b, 8 + len)));
	return 8 + len;
}

static void answers_echo(void)
{
	size_t live = riad_pbuf_live();
	setup();
	uint8_t m[64];
	size_t n = icmp_msg(m, ICMP_ECHO_REQUEST, 0, 0x12340001, (const uint8_t *)"abcdefghijk", 11);
	struct ipv4_rx rx;
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	struct riad_pbuf *in = rx.p;
	struct icmp_err err;
	CHECK_INT(icmp_input(&ic, &rx, now, &out, &err, &st), 0);
	CHECK(rx.p == NULL);
	REQUIRE(out.n == 1);
	struct net_ip_tx *t = &out.items[0];
	CHECK(t->p == in); /* answered in place */
	CHECK_INT(t->src, our_ip);
	CHECK_INT(t->dst, peer_ip);
	CHECK_INT(t->proto, NET_PROTO_ICMP);
	REQUIRE(t->p->len == n);
	uint8_t want[64];
	icmp_msg(want, ICMP_ECHO_REPLY, 0, 0x12340001, (const uint8_t *)"abcdefghijk", 11);
	CHECK_MEM(t->p->data, want, n);
	CHECK_INT(wire_csum_fold(wire_csum_add(0, t->p->data, n)), 0);
	CHECK_INT(st.icmp.echo_rx, 1);
	CHECK_INT(st.icmp.echo_tx, 1);
	net_txq_clear(&out);

	/* Odd length, and a pbuf someone else also holds: copied. */
	n = icmp_msg(m, ICMP_ECHO_REQUEST, 0, 0xabcd0002, (const uint8_t *)"xyz", 3);
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	in = rx.p;
	riad_pbuf_ref(in);
	icmp_input(&ic, &rx, now, &out, &err, &st);
	REQUIRE(out.n == 1);
	CHECK(out.items[0].p != in);
	CHECK_INT(out.items[0].p->data[0], ICMP_ECHO_REPLY);
	CHECK_INT(wire_csum_fold(wire_csum_add(0, out.items[0].p->data, n)), 0);
	CHECK_MEM(in->data, m, n); /* the other holder's bytes are untouched */
	riad_pbuf_unref(in);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void ignores_echo_to_broadcast_and_bad_messages(void)
{
	size_t live = riad_pbuf_live();
	setup();
	uint8_t m[64];
	struct ipv4_rx rx;
	struct icmp_err err;
	size_t n = icmp_msg(m, ICMP_ECHO_REQUEST, 0, 1, (const uint8_t *)"a", 1);
	REQUIRE(receive(peer_ip, IP(10, 0, 0, 255), NET_PROTO_ICMP, 0, m, n, &rx));
	icmp_input(&ic, &rx, now, &out, &err, &st);
	CHECK_INT(st.icmp.echo_bcast, 1);
	/* Truncated: every length below 8. */
	for (size_t k = 0; k < ICMP_HDR_LEN; k++) {
		REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, k, &rx));
		icmp_input(&ic, &rx, now, &out, &err, &st);
	}
	CHECK_INT(st.icmp.truncated, ICMP_HDR_LEN);
	m[4] ^= 1;
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	icmp_input(&ic, &rx, now, &out, &err, &st);
	CHECK_INT(st.icmp.bad_checksum, 1);
	/* Types we do not do: timestamp, redirect, an echo reply we never asked for. */
	const uint8_t types[] = { ICMP_TIMESTAMP, ICMP_REDIRECT, ICMP_ECHO_REPLY, 200 };
	for (size_t i = 0; i < sizeof(types); i++) {
		n = icmp_msg(m, types[i], 0, 0, m + 40, 20);
		REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
		CHECK_INT(icmp_input(&ic, &rx, now, &out, &err, &st), 0);
	}
	CHECK_INT(st.icmp.unsupported, sizeof(types));
	CHECK_INT(out.n, 0);
	CHECK_INT(st.icmp.rx, 1 + ICMP_HDR_LEN + 1 + sizeof(types));
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static uint8_t big[1200];

static void sends_port_unreachable(void)
{
	size_t live = riad_pbuf_live();
	setup();
	uint8_t udp[12] = { 0x30, 0x39, 0x00, 0x35, 0x00, 0x0c, 0, 0, 'q', 'u', 'e', 'r' };
	struct ipv4_rx rx;
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_UDP, 0, udp, sizeof(udp), &rx));
	CHECK_INT(icmp_error(&ic, our_ip, &rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, now, &out, &st), 0);
	REQUIRE(out.n == 1);
	struct net_ip_tx *t = &out.items[0];
	CHECK_INT(t->src, our_ip);
	CHECK_INT(t->dst, peer_ip);
	CHECK_INT(t->proto, NET_PROTO_ICMP);
	/* Type 3 code 3, 4 unused bytes, then the whole (short) datagram. */
	REQUIRE(t->p->len == 8 + 20 + sizeof(udp));
	const uint8_t *b = t->p->data;
	CHECK_INT(b[0], 3);
	CHECK_INT(b[1], 3);
	CHECK_INT(wire_get32(b + 4), 0);
	CHECK_MEM(b + 8, rx.hdr, 20 + sizeof(udp));
	CHECK_INT(wire_csum_fold(wire_csum_add(0, b, t->p->len)), 0);
	riad_pbuf_unref(rx.p);
	net_txq_clear(&out);
	/* A large datagram: the error stays within 576 bytes of IP. */
	REQUIRE(receive(peer_ip, our_ip, 99, 0, big, sizeof(big), &rx));
	CHECK_INT(icmp_error(&ic, our_ip, &rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PROTO, now, &out, &st), 0);
	REQUIRE(out.n == 1);
	CHECK_INT(out.items[0].p->len, 576 - 20);
	CHECK_INT(out.items[0].p->data[1], ICMP_UNREACH_PROTO);
	riad_pbuf_unref(rx.p);
	CHECK_INT(st.icmp.err_tx, 2);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void sends_parameter_problem(void)
{
	size_t live = riad_pbuf_live();
	setup();
	uint8_t udp[8] = { 0, 1, 0, 2, 0, 8, 0, 0 };
	struct ipv4_rx rx;
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_UDP, 0, udp, 8, &rx));
	/* Type 12 code 0, the pointer in the first octet of the rest (RFC 792). */
	CHECK_INT(icmp_param_problem(&ic, our_ip, &rx, 22, now, &out, &st), 0);
	REQUIRE(out.n == 1);
	const uint8_t *b = out.items[0].p->data;
	REQUIRE(out.items[0].p->len == 8 + 28);
	CHECK_INT(b[0], ICMP_PARAM_PROBLEM);
	CHECK_INT(b[1], ICMP_PARAM_POINTER);
	CHECK_INT(wire_get32(b + 4), 22u << 24);
	CHECK_MEM(b + 8, rx.hdr, 28);
	CHECK_INT(wire_csum_fold(wire_csum_add(0, b, 8 + 28)), 0);
	CHECK_INT(out.items[0].dst, peer_ip);
	CHECK_INT(st.icmp.param_tx, 1);
	CHECK_INT(st.icmp.err_tx, 1);
	/* The same rules and bucket as every error: not about a broadcast. */
	rx.bcast = true;
	CHECK_INT(icmp_param_problem(&ic, our_ip, &rx, 22, now, &out, &st), -1);
	CHECK_INT(st.icmp.err_suppressed, 1);
	rx.bcast = false;
	int sent = 0;
	for (int i = 0; i < 2 * RIAD_NET_ICMP_ERR_BURST; i++)
		sent += icmp_param_problem(&ic, our_ip, &rx, 20, now, &out, &st) == 0;
	CHECK_INT(sent, RIAD_NET_ICMP_ERR_BURST - 1);
	CHECK_INT(st.icmp.param_tx, RIAD_NET_ICMP_ERR_BURST);
	CHECK_INT(st.icmp.rate_limited, RIAD_NET_ICMP_ERR_BURST + 1);
	riad_pbuf_unref(rx.p);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void never_errors_where_forbidden(void)
{
	size_t live = riad_pbuf_live();
	setup();
	struct ipv4_rx rx;
	uint8_t m[64];
	uint8_t udp[8] = { 0, 1, 0, 2, 0, 8, 0, 0 };
	/* To a broadcast. */
	REQUIRE(receive(peer_ip, IPV4_BROADCAST, NET_PROTO_UDP, 0, udp, 8, &rx));
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st), -1);
	riad_pbuf_unref(rx.p);
	/* A unicast datagram in a link-layer broadcast. */
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_UDP, 0, udp, 8, &rx));
	rx.bcast = true;
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st), -1);
	rx.bcast = false;
	/* Without an address of our own. */
	CHECK_INT(icmp_error(&ic, 0, &rx, 3, 3, now, &out, &st), -1);
	riad_pbuf_unref(rx.p);
	/* A fragment other than the first. */
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_UDP, 185, udp, 8, &rx));
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st), -1);
	riad_pbuf_unref(rx.p);
	/* About an ICMP error. */
	size_t n = icmp_msg(m, ICMP_DEST_UNREACH, 1, 0, m + 40, 20);
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 2, now, &out, &st), -1);
	riad_pbuf_unref(rx.p);
	/* From a source that is not one host (by hand: ipv4_input drops them). */
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_UDP, 0, udp, 8, &rx));
	const uint32_t srcs[] = { 0, IPV4_BROADCAST, IP(224, 1, 2, 3), IP(127, 0, 0, 1) };
	for (size_t i = 0; i < 4; i++) {
		rx.src = srcs[i];
		CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st), -1);
	}
	riad_pbuf_unref(rx.p);
	CHECK_INT(st.icmp.err_suppressed, 9);
	CHECK_INT(out.n, 0);
	/* An ICMP query may get an error. */
	n = icmp_msg(m, ICMP_TIMESTAMP, 0, 0, m + 40, 12);
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 2, now, &out, &st), 0);
	riad_pbuf_unref(rx.p);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void errors_are_rate_limited(void)
{
	size_t live = riad_pbuf_live();
	setup();
	uint8_t udp[8] = { 0, 1, 0, 2, 0, 8, 0, 0 };
	struct ipv4_rx rx;
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_UDP, 0, udp, 8, &rx));
	int sent = 0;
	for (int i = 0; i < 3 * RIAD_NET_ICMP_ERR_BURST; i++)
		sent += icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st) == 0;
	CHECK_INT(sent, RIAD_NET_ICMP_ERR_BURST);
	CHECK_INT(st.icmp.rate_limited, 2 * RIAD_NET_ICMP_ERR_BURST);
	net_txq_clear(&out);
	/* One token per 1/RATE s. */
	const int64_t token = SEC / RIAD_NET_ICMP_ERR_RATE;
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now + token - 1, &out, &st), -1);
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now + token, &out, &st), 0);
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now + token, &out, &st), -1);
	/* Time going backwards adds nothing. */
	CHECK_INT(icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st), -1);
	/* A long silence refills the bucket, no further than the burst. */
	now += 3600 * SEC;
	sent = 0;
	for (int i = 0; i < 2 * RIAD_NET_ICMP_ERR_BURST; i++)
		sent += icmp_error(&ic, our_ip, &rx, 3, 3, now, &out, &st) == 0;
	CHECK_INT(sent, RIAD_NET_ICMP_ERR_BURST);
	riad_pbuf_unref(rx.p);
	net_txq_clear(&out);
	/* Echo replies are not limited: a flood is answered in full. */
	uint8_t m[16];
	size_t n = icmp_msg(m, ICMP_ECHO_REQUEST, 0, 7, (const uint8_t *)"p", 1);
	for (int i = 0; i < 1000; i++) {
		struct icmp_err err;
		REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
		icmp_input(&ic, &rx, now, &out, &err, &st);
		if (out.n == RIAD_NET_TXQ_MAX)
			net_txq_clear(&out);
	}
	CHECK_INT(st.icmp.echo_tx, 1000);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

static void hands_received_errors_up(void)
{
	size_t live = riad_pbuf_live();
	setup();
	/* The datagram we sent: UDP from us:5353 to 10.0.0.9:53. */
	uint8_t orig[28];
	ipv4_hdr_write(orig, 0, 28 + 100, 5, 0, 64, NET_PROTO_UDP, our_ip, IP(10, 0, 0, 9));
	const uint8_t l4[8] = { 0x14, 0xe9, 0x00, 0x35, 0x00, 0x6c, 0xaa, 0xbb };
	memcpy(orig + 20, l4, 8);
	uint8_t m[64];
	size_t n = icmp_msg(m, ICMP_DEST_UNREACH, ICMP_UNREACH_NEEDFRAG, 1400, orig, sizeof(orig));
	struct ipv4_rx rx;
	struct icmp_err err;
	REQUIRE(receive(IP(10, 0, 0, 254), our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	REQUIRE(icmp_input(&ic, &rx, now, &out, &err, &st) == 1);
	CHECK_INT(err.type, ICMP_DEST_UNREACH);
	CHECK_INT(err.code, ICMP_UNREACH_NEEDFRAG);
	CHECK_INT(err.mtu, 1400);
	CHECK_INT(err.src, our_ip);
	CHECK_INT(err.dst, IP(10, 0, 0, 9));
	CHECK_INT(err.proto, NET_PROTO_UDP);
	CHECK_INT(err.l4_len, 8);
	CHECK_MEM(err.l4, l4, 8);
	/* Time exceeded quoting only 4 bytes of transport header. */
	n = icmp_msg(m, ICMP_TIME_EXCEEDED, 0, 0, orig, 24);
	REQUIRE(receive(IP(10, 0, 0, 254), our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	REQUIRE(icmp_input(&ic, &rx, now, &out, &err, &st) == 1);
	CHECK_INT(err.l4_len, 4);
	CHECK_INT(err.mtu, 0);
	CHECK_INT(st.icmp.err_rx, 2);
	/* Not about a datagram of ours, a quote too short, a bad quoted header. */
	uint8_t other[28];
	memcpy(other, orig, 28);
	wire_put32(other + 12, IP(10, 0, 0, 3));
	n = icmp_msg(m, ICMP_DEST_UNREACH, 3, 0, other, 28);
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	CHECK_INT(icmp_input(&ic, &rx, now, &out, &err, &st), 0);
	n = icmp_msg(m, ICMP_DEST_UNREACH, 3, 0, orig, 19);
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	CHECK_INT(icmp_input(&ic, &rx, now, &out, &err, &st), 0);
	memcpy(other, orig, 28);
	other[0] = 0x4f; /* IHL 15: 60 bytes, only 28 quoted */
	n = icmp_msg(m, ICMP_PARAM_PROBLEM, 0, 0, other, 28);
	REQUIRE(receive(peer_ip, our_ip, NET_PROTO_ICMP, 0, m, n, &rx));
	CHECK_INT(icmp_input(&ic, &rx, now, &out, &err, &st), 0);
	/* Sent to a broadcast address (quoting it as the source, so only
	 * the broadcast gives it away): forged. */
	memcpy(other, orig, 28);
	wire_put32(other + 12, IPV4_BROADCAST);
	n = icmp_msg(m, ICMP_DEST_UNREACH, 3, 0, other, 28);
	REQUIRE(receive(peer_ip, IPV4_BROADCAST, NET_PROTO_ICMP, 0, m, n, &rx));
	CHECK_INT(icmp_input(&ic, &rx, now, &out, &err, &st), 0);
	CHECK_INT(st.icmp.err_bad, 4);
	CHECK_INT(out.n, 0);
	teardown();
	CHECK_INT(riad_pbuf_live(), live);
}

int main(void)
{
	RUN(answers_echo);
	RUN(ignores_echo_to_broadcast_and_bad_messages);
	RUN(sends_port_unreachable);
	RUN(sends_parameter_problem);
	RUN(never_errors_where_forbidden);
	RUN(errors_are_rate_limited);
	RUN(hands_received_errors_up);
	return check_done();
}
