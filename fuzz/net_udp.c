/* fuzz/net_udp.c: libFuzzer target for UDP parsing, building (round trip) and the port-unreachable answer.
 *
 * Input: records of flags (one byte: bit 0 the datagram was a broadcast),
 * a length (two bytes, big-endian) and that many bytes of UDP datagram.
 * Checks: an accepted datagram's payload is exactly what its length field
 * says; the payload, sent with udp_output between the same addresses,
 * has a checksum that verifies and parses back to the same ports and
 * bytes; udp_no_port answers only unicasts, with a valid ICMP message;
 * nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "udp.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP 0x0a000002u
#define PEER_IP 0x0a000001u

static struct icmp ic;
static struct net_txq out;
static struct riad_net_stats st;

static struct ipv4_rx make_rx(uint32_t src, uint32_t dst, bool bcast, const uint8_t *b, size_t len)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, IPV4_HDR_MIN + len);
	if (!p)
		abort();
	ipv4_hdr_write(p->data, 0, (uint16_t)(IPV4_HDR_MIN + len), 1, 0, 64, NET_PROTO_UDP, src, dst);
	memcpy(p->data + IPV4_HDR_MIN, b, len);
	struct ipv4_rx rx = { .src = src, .dst = dst, .proto = NET_PROTO_UDP, .bcast = bcast,
	                      .hdr = p->data, .hdr_len = IPV4_HDR_MIN, .len = IPV4_HDR_MIN + len };
	riad_pbuf_pull(p, IPV4_HDR_MIN);
	rx.p = p;
	return rx;
}

static void round_trip(const struct udp_rx *u)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, u->p->len);
	if (!p)
		abort();
	memcpy(p->data, u->p->data, u->p->len);
	if (udp_output(PEER_IP, u->sport, OUR_IP, u->dport, p, &out, &st) != 0 || out.n != 1)
		abort();
	struct riad_pbuf *d = out.items[0].p;
	uint32_t sum = wire_csum_pseudo4(PEER_IP, OUR_IP, NET_PROTO_UDP, (uint16_t)d->len);
	if (wire_csum_fold(wire_csum_add(sum, d->data, d->len)) != 0 || wire_get16(d->data + 6) == 0)
		abort();
	struct ipv4_rx rx = make_rx(PEER_IP, OUR_IP, false, d->data, d->len);
	net_txq_clear(&out);
	struct udp_rx v;
	if (udp_input(&rx, &v, &st) != 0 || v.sport != u->sport || v.dport != u->dport ||
	    v.p->len != u->p->len || memcmp(v.p->data, u->p->data, v.p->len) != 0)
		abort();
	riad_pbuf_unref(rx.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	icmp_init(&ic);
	int64_t now = 1000000000000LL;
	size_t off = 0;
	while (off + 3 <= size) {
		bool bcast = data[off] & 1;
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		struct ipv4_rx rx = make_rx(PEER_IP, bcast ? IPV4_BROADCAST : OUR_IP, bcast, data + off, len);
		off += len;
		now += 1000000;
		struct udp_rx u;
		if (udp_input(&rx, &u, &st) != 0) {
			if (rx.p)
				abort();
			continue;
		}
		if (u.p != rx.p || u.p->len + UDP_HDR_LEN != wire_get16(rx.hdr + IPV4_HDR_MIN + 4))
			abort();
		round_trip(&u);
		uint64_t errs = st.icmp.err_tx;
		udp_no_port(&ic, OUR_IP, &rx, now, &out, &st);
		if (bcast ? out.n != 0 : out.n != (st.icmp.err_tx - errs))
			abort();
		for (size_t i = 0; i < out.n; i++) {
			const struct riad_pbuf *e = out.items[i].p;
			if (e->data[0] != ICMP_DEST_UNREACH || e->data[1] != ICMP_UNREACH_PORT ||
			    wire_csum_fold(wire_csum_add(0, e->data, e->len)) != 0)
				abort();
		}
		net_txq_clear(&out);
		riad_pbuf_unref(rx.p);
	}
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
