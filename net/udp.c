/* net/udp.c: UDP datagrams in and out (RFC 768), and port unreachable (RFC 1122 4.1.3.1).
 *
 * Input: 8-byte header? --> IP payload >= length field >= 8 (trim the rest)
 *        --> checksum, when not 0 --> the glue finds the port.
 */
#include <string.h>

#include "udp.h"
#include "wire.h"

int udp_input(struct ipv4_rx *rx, struct udp_rx *u, struct riad_net_stats *st)
{
	st->udp.rx++;
	struct riad_pbuf *p = rx->p;
	struct wire_rd r = wire_rd(p->data, p->len);
	u->sport = wire_u16(&r);
	u->dport = wire_u16(&r);
	uint16_t len = wire_u16(&r);
	uint16_t csum = wire_u16(&r);
	if (r.err) {
		st->udp.truncated++;
		goto drop;
	}
	if (len < UDP_HDR_LEN || len > p->len) {
		st->udp.bad_len++;
		goto drop;
	}
	riad_pbuf_trim(p, len);
#ifndef RIAD_FUZZING
	/* RIAD_PBUF_RX_CSUM_OK: the device or the host behind it checked
	 * (the field may then hold only a partial sum). */
	if (csum != 0 && !(p->offload & RIAD_PBUF_RX_CSUM_OK)) {
		uint32_t sum = wire_csum_pseudo4(rx->src, rx->dst, NET_PROTO_UDP, len);
		if (wire_csum_fold(wire_csum_add(sum, p->data, len)) != 0) {
			st->udp.bad_checksum++;
			goto drop;
		}
	}
#else
	(void)csum;
#endif
	riad_pbuf_pull(p, UDP_HDR_LEN);
	u->p = p;
	return 0;
drop:
	riad_pbuf_unref(p);
	rx->p = NULL;
	u->p = NULL;
	return -1;
}

int udp_output(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, struct riad_pbuf *p,
               struct net_txq *out, struct riad_net_stats *st)
{
	if (p->len > IPV4_MAX_LEN - IPV4_HDR_MIN - UDP_HDR_LEN) {
		st->udp.tx_bad++;
		riad_pbuf_unref(p);
		return -1;
	}
	if (riad_pbuf_headroom(p) < UDP_HDR_LEN) {
		struct riad_pbuf *c = riad_pbuf_alloc(NET_HEADROOM, p->len);
		if (!c) {
			st->udp.no_mem++;
			riad_pbuf_unref(p);
			return -1;
		}
		memcpy(c->data, p->data, p->len);
		riad_pbuf_unref(p);
		p = c;
	}
	uint8_t *h = riad_pbuf_push(p, UDP_HDR_LEN);
	if (!h) { /* cannot happen after the copy */
		st->udp.no_mem++;
		riad_pbuf_unref(p);
		return -1;
	}
	uint16_t len = (uint16_t)p->len;
	wire_put16(h + offsetof(struct udp_hdr, sport), sport);
	wire_put16(h + offsetof(struct udp_hdr, dport), dport);
	wire_put16(h + offsetof(struct udp_hdr, len), len);
	wire_put16(h + offsetof(struct udp_hdr, csum), 0);
	uint16_t csum = wire_csum_fold(wire_csum_add(wire_csum_pseudo4(src, dst, NET_PROTO_UDP, len),
	                                             p->data, len));
	wire_put16(h + offsetof(struct udp_hdr, csum), csum ? csum : 0xffff);
	if (net_txq_push(out, src, dst, NET_PROTO_UDP, p) < 0)
		return -1;
	st->udp.tx++;
	return 0;
}

void udp_no_port(struct icmp *ic, uint32_t src, const struct ipv4_rx *rx, int64_t now,
                 struct net_txq *out, struct riad_net_stats *st)
{
	st->udp.no_port++;
	icmp_error(ic, src, rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, now, out, st);
}
