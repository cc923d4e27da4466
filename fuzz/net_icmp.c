/* fuzz/net_icmp.c: libFuzzer target for ICMP input (echo, received errors) and for the errors we send about arbitrary datagrams, over time (the rate limit).
 *
 * Input: records of a time step (one byte, in ms), flags (one byte: bit 0
 * the datagram was a broadcast, bit 1 a fragment other than the first, bits
 * 2-3 the protocol of the datagram: ICMP, UDP, TCP, 99), a length byte and
 * that many bytes of the datagram's payload. Each record is first the
 * subject of an icmp_error (port unreachable), then, for ICMP, fed to
 * icmp_input.
 * Checks: errors are never sent where RFC 1122 3.2.2 forbids; every message
 * sent has a valid checksum and is at most 576 bytes with its IP header;
 * echo replies mirror their request; received errors quote at most 8 bytes
 * and come from our address; nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP 0x0a000002u
#define PEER_IP 0x0a000001u

static struct icmp ic;
static struct net_txq out;
static struct riad_net_stats st;

static struct ipv4_rx make_rx(uint8_t flags, const uint8_t *payload, size_t len)
{
	static const uint8_t protos[4] = { NET_PROTO_ICMP, NET_PROTO_UDP, NET_PROTO_TCP, 99 };
	uint8_t proto = protos[flags >> 2 & 3];
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, IPV4_HDR_MIN + len);
	if (!p)
		abort();
	ipv4_hdr_write(p->data, 0, (uint16_t)(IPV4_HDR_MIN + len), 1, (flags & 2) ? 100 : 0, 64, proto,
	               PEER_IP, (flags & 1) ? IPV4_BROADCAST : OUR_IP);
	memcpy(p->data + IPV4_HDR_MIN, payload, len);
	struct ipv4_rx rx = { .src = PEER_IP, .dst = (flags & 1) ? IPV4_BROADCAST : OUR_IP,
	                      .proto = proto, .bcast = flags & 1, .hdr = p->data,
	                      .hdr_len = IPV4_HDR_MIN, .len = IPV4_HDR_MIN + len };
	riad_pbuf_pull(p, IPV4_HDR_MIN);
	rx.p = p;
	return rx;
}

static void check_out(void)
{
	for (size_t i = 0; i < out.n; i++) {
		const struct net_ip_tx *t = &out.items[i];
		if (t->proto != NET_PROTO_ICMP || t->src != OUR_IP || t->dst != PEER_IP ||
		    t->p->len < ICMP_HDR_LEN || t->p->len > ICMP_ERR_MAX_LEN - IPV4_HDR_MIN ||
		    wire_csum_fold(wire_csum_add(0, t->p->data, t->p->len)) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	icmp_init(&ic);
	int64_t now = 1000000000000LL;
	size_t off = 0;
	while (off + 3 <= size) {
		now += data[off] * 1000000LL;
		uint8_t flags = data[off + 1];
		size_t len = data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		struct ipv4_rx rx = make_rx(flags, data + off, len);
		off += len;

		uint64_t sent = st.icmp.err_tx;
		int r = icmp_error(&ic, OUR_IP, &rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, now, &out, &st);
		bool forbidden = (flags & 3) ||
		                 (rx.proto == NET_PROTO_ICMP &&
		                  (len == 0 || data[off - len] == ICMP_DEST_UNREACH || data[off - len] == 4 ||
		                   data[off - len] == 5 || data[off - len] == 11 || data[off - len] == 12));
		if ((r == 0) != (st.icmp.err_tx == sent + 1) || (r == 0 && forbidden))
			abort();
		if (r == 0) {
			const struct riad_pbuf *e = out.items[out.n - 1].p;
			size_t quote = rx.len < 548 ? rx.len : 548;
			if (e->len != ICMP_HDR_LEN + quote || memcmp(e->data + ICMP_HDR_LEN, rx.hdr, quote) != 0)
				abort();
		}
		check_out();
		net_txq_clear(&out);

		if (rx.proto != NET_PROTO_ICMP) {
			riad_pbuf_unref(rx.p);
			continue;
		}
		uint8_t req[256];
		memcpy(req, rx.p->data, rx.p->len);
		size_t req_len = rx.p->len;
		struct icmp_err err;
		uint64_t echoes = st.icmp.echo_tx;
		if (icmp_input(&ic, &rx, now, &out, &err, &st) == 1) {
			if (err.l4_len > 8 || err.src != OUR_IP || rx.p)
				abort();
		}
		if (st.icmp.echo_tx != echoes) {
			/* The reply is the request with type 0 and a new checksum. */
			const struct riad_pbuf *e = out.items[0].p;
			if (out.n != 1 || e->len != req_len || e->data[0] != ICMP_ECHO_REPLY ||
			    memcmp(e->data + 4, req + 4, req_len - 4) != 0 || (flags & 1))
				abort();
		}
		net_txq_clear(&out);
	}
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
