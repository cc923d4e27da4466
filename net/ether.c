/* net/ether.c: Ethernet II framing, destination filtering and the output frame queue. */
#include <string.h>

#include "ether.h"
#include "net.h"
#include "wire.h"

const uint8_t ether_broadcast[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int ether_txq_push(struct ether_txq *q, struct riad_pbuf *p, struct riad_net_stats *st)
{
	if (q->n == RIAD_NET_ETHER_TXQ_MAX) {
		st->ether.tx_overflow++;
		riad_pbuf_unref(p);
		return -1;
	}
	q->frames[q->n++] = p;
	st->ether.tx++;
	return 0;
}

void ether_txq_clear(struct ether_txq *q)
{
	for (size_t i = 0; i < q->n; i++)
		riad_pbuf_unref(q->frames[i]);
	q->n = 0;
}

int ether_input(const uint8_t mac[ETHER_ADDR_LEN], struct riad_pbuf *p, struct ether_rx *rx,
                struct riad_net_stats *st)
{
	struct wire_rd r = wire_rd(p->data, p->len);
	uint8_t dst[ETHER_ADDR_LEN];
	wire_bytes(&r, dst, ETHER_ADDR_LEN);
	wire_bytes(&r, rx->src, ETHER_ADDR_LEN);
	rx->type = wire_u16(&r);
	if (r.err) {
		st->ether.runt++;
		goto drop;
	}
	rx->bcast = memcmp(dst, ether_broadcast, ETHER_ADDR_LEN) == 0;
	/* We join no multicast group, so a multicast frame is not for us. */
	if (!rx->bcast && memcmp(dst, mac, ETHER_ADDR_LEN) != 0) {
		st->ether.not_for_us++;
		goto drop;
	}
	/* IEEE 802.3 4.2.3.1: a source address is always an individual one. */
	if (ether_addr_is_multicast(rx->src)) {
		st->ether.bad_src++;
		goto drop;
	}
	/* Below ETHER_TYPE_MIN the field is an 802.3 length (LLC frames); VLAN
	 * tags and the rest are types we do not speak. */
	if (rx->type != ETHER_TYPE_IPV4 && rx->type != ETHER_TYPE_ARP) {
		st->ether.unknown_type++;
		goto drop;
	}
	riad_pbuf_pull(p, ETHER_HDR_LEN);
	st->ether.rx++;
	return 0;
drop:
	riad_pbuf_unref(p);
	return -1;
}

int ether_output(struct ether_txq *q, struct riad_pbuf *p, const uint8_t dst[ETHER_ADDR_LEN],
                 const uint8_t src[ETHER_ADDR_LEN], uint16_t type, struct riad_net_stats *st)
{
	if (riad_pbuf_headroom(p) < ETHER_HDR_LEN) {
		struct riad_pbuf *c = riad_pbuf_alloc(NET_HEADROOM, p->len);
		if (!c) {
			st->ether.tx_no_mem++;
			riad_pbuf_unref(p);
			return -1;
		}
		memcpy(c->data, p->data, p->len);
		riad_pbuf_copy_marks(c, p);
		riad_pbuf_unref(p);
		p = c;
	}
	uint8_t *h = riad_pbuf_push(p, ETHER_HDR_LEN);
	if (!h) { /* cannot happen after the copy; keeps the compiler's bounds checks happy */
		st->ether.tx_no_mem++;
		riad_pbuf_unref(p);
		return -1;
	}
	memcpy(h + offsetof(struct ether_hdr, dst), dst, ETHER_ADDR_LEN);
	memcpy(h + offsetof(struct ether_hdr, src), src, ETHER_ADDR_LEN);
	wire_put16(h + offsetof(struct ether_hdr, type), type);
	return ether_txq_push(q, p, st);
}

void ether_ipv4_multicast(uint32_t group, uint8_t out[ETHER_ADDR_LEN])
{
	out[0] = 0x01;
	out[1] = 0x00;
	out[2] = 0x5e;
	out[3] = (uint8_t)(group >> 16 & 0x7f);
	out[4] = (uint8_t)(group >> 8);
	out[5] = (uint8_t)group;
}
