/* fuzz/net_ipv4.c: libFuzzer target for IPv4 input and reassembly over a sequence of packets with time steps, and for fragmentation on output.
 *
 * Input: one byte of configuration (bits 0-5: the MTU, 68 + 24 * n; bit 6:
 * unconfigured; bit 7: reverse the order fragments are fed back), then
 * records: a time step (one byte, in units of 200 ms, so a run of them
 * crosses the reassembly timeout), a length (two bytes, big-endian) and
 * that many bytes of IPv4 packet (fewer if the input ends). Checksums are
 * not verified under RIAD_FUZZING, so every header reaches the later checks.
 *
 * Checks, besides ASan/UBSan: every delivered datagram's bytes are where
 * struct ipv4_rx says, lengths agree; the reassembly table keeps its
 * invariants (sorted disjoint fragments, byte and count bounds); each
 * delivered payload, sent back to the broadcast address, is fragmented to
 * the MTU with valid headers and reassembled by a second instance into
 * the same bytes; a datagram refused for its options
 * (IPV4_RX_PARAM_PROBLEM) points inside its options and, answered, gives
 * a parameter problem carrying that pointer and quoting its header; and
 * when the input ends nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "ipv4.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP 0x0a000002u

static struct ipv4 ip, rcv;
static struct arp arp;
static struct ether_txq q;
static struct icmp ic;
static struct net_txq out;
static struct riad_net_stats st;

static void check_reass(const struct ipv4_reass *r)
{
	size_t total = 0;
	for (size_t i = 0; i < RIAD_NET_IPV4_REASS_MAX; i++) {
		const struct ipv4_reass_dgram *d = &r->d[i];
		if (!d->used) {
			if (d->n || d->bytes)
				abort();
			continue;
		}
		if (d->n > RIAD_NET_IPV4_REASS_FRAGS || (d->poisoned && d->n))
			abort();
		uint32_t bytes = 0, end = 0;
		for (unsigned k = 0; k < d->n; k++) {
			const struct ipv4_frag *f = &d->frags[k];
			if (f->off < end || f->len == 0 || f->off + f->len > IPV4_MAX_LEN - IPV4_HDR_MIN ||
			    f->p->len != f->len)
				abort();
			end = f->off + f->len;
			bytes += f->len;
		}
		if (bytes != d->bytes || (d->have_last && end > d->total))
			abort();
		total += bytes;
	}
	if (total != r->bytes || total > RIAD_NET_IPV4_REASS_BYTES)
		abort();
}

static volatile uint32_t sink;

/* Send the payload back to the broadcast address and reassemble it (when
 * the fragments fit the frame queue and the reassembly bounds). */
static void round_trip(const struct ipv4_rx *rx, bool reverse, int64_t now)
{
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, rx->p->len);
	if (!p)
		abort();
	memcpy(p->data, rx->p->data, rx->p->len);
	size_t chunk = (size_t)(ip.mtu - IPV4_HDR_MIN) & ~(size_t)7;
	size_t n = rx->p->len + IPV4_HDR_MIN <= ip.mtu ? 1 : (rx->p->len + chunk - 1) / chunk;
	struct net_ip_tx tx = { .src = OUR_IP, .dst = IPV4_BROADCAST, .proto = rx->proto, .p = p };
	int r = ipv4_output(&ip, &arp, &tx, now, &q, &st);
	/* Broadcasts need no ARP; only the frame queue's bound can refuse. */
	if ((r < 0) != (n > RIAD_NET_ETHER_TXQ_MAX) || (r == 0 && q.n != n))
		abort();
	if (n > RIAD_NET_IPV4_REASS_FRAGS) {
		for (size_t i = 0; i < q.n; i++)
			if (q.frames[i]->len > ETHER_HDR_LEN + (size_t)ip.mtu)
				abort();
		ether_txq_clear(&q);
		return;
	}
	int got = 0;
	for (size_t k = 0; k < q.n; k++) {
		size_t i = reverse ? q.n - 1 - k : k;
		struct riad_pbuf *f = q.frames[i];
		q.frames[i] = NULL;
		if (f->len > ETHER_HDR_LEN + (size_t)ip.mtu ||
		    wire_csum_fold(wire_csum_add(0, f->data + ETHER_HDR_LEN, IPV4_HDR_MIN)) != 0)
			abort();
		riad_pbuf_pull(f, ETHER_HDR_LEN);
		struct ipv4_rx back;
		int got_one = ipv4_input(&rcv, f, true, now, &back, &st);
		if (got_one == IPV4_RX_PARAM_PROBLEM) /* we send no options */
			abort();
		if (got_one == 1) {
			if (got++ || back.proto != rx->proto || back.p->len != rx->p->len ||
			    memcmp(back.p->data, rx->p->data, rx->p->len) != 0)
				abort();
			riad_pbuf_unref(back.p);
		}
	}
	q.n = 0;
	if (got != 1)
		abort();
}

/* A datagram refused for its options: where it points, and the answer. */
static void param_problem(struct ipv4_rx *rx, int64_t now)
{
	if (rx->hdr_len <= IPV4_HDR_MIN || rx->hdr_len > IPV4_HDR_MAX ||
	    rx->len != rx->hdr_len + rx->p->len || rx->hdr + rx->hdr_len != rx->p->data ||
	    rx->param_ptr < IPV4_HDR_MIN || rx->param_ptr >= rx->hdr_len)
		abort();
	uint64_t sent = st.icmp.param_tx;
	int r = icmp_param_problem(&ic, OUR_IP, rx, rx->param_ptr, now, &out, &st);
	if ((r == 0) != (st.icmp.param_tx == sent + 1) || (r == 0 && rx->bcast))
		abort();
	if (r == 0) {
		const struct riad_pbuf *e = out.items[out.n - 1].p;
		if (e->len < ICMP_HDR_LEN + rx->hdr_len || e->data[0] != ICMP_PARAM_PROBLEM ||
		    e->data[1] != 0 || e->data[4] != rx->param_ptr ||
		    memcmp(e->data + ICMP_HDR_LEN, rx->hdr, rx->hdr_len) != 0)
			abort();
	}
	net_txq_clear(&out);
	riad_pbuf_unref(rx->p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t live = riad_pbuf_live();
	uint8_t cfg = data[0];
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	memset(&st, 0, sizeof(st));
	ipv4_init(&ip, (uint16_t)(68 + 24 * (cfg & 0x3f)), 1);
	ipv4_init(&rcv, 1500, 2);
	if (!(cfg & 0x40))
		ipv4_set_addr(&ip, OUR_IP, 0xffffff00, 0x0a000001);
	ipv4_set_addr(&rcv, 0x0a000063, 0xffffff00, 0);
	arp_init(&arp, mac);
	icmp_init(&ic);
	int64_t now = 1000000000000LL;
	size_t off = 1;
	while (off + 3 <= size) {
		now += data[off] * 200000000LL;
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		if (ipv4_deadline(&ip) <= now)
			ipv4_timer(&ip, now, &st);
		struct riad_pbuf *p = riad_pbuf_alloc(ETHER_HDR_LEN, len);
		if (!p)
			abort();
		memcpy(p->data, data + off, len);
		off += len;
		struct ipv4_rx rx;
		int r = ipv4_input(&ip, p, false, now, &rx, &st);
		if (r == IPV4_RX_PARAM_PROBLEM)
			param_problem(&rx, now);
		if (r == 1) {
			if (rx.hdr_len < IPV4_HDR_MIN || rx.hdr_len > IPV4_HDR_MAX ||
			    rx.len != rx.hdr_len + rx.p->len || rx.hdr + rx.hdr_len != rx.p->data ||
			    wire_get16(rx.hdr + 2) != rx.len)
				abort();
			uint32_t s = 0;
			for (size_t i = 0; i < rx.len; i++)
				s += rx.hdr[i];
			sink = s;
			round_trip(&rx, cfg & 0x80, now);
			riad_pbuf_unref(rx.p);
		}
		check_reass(&ip.reass);
	}
	/* Everything held times out. */
	ipv4_timer(&ip, now + RIAD_NET_IPV4_REASS_TIMEOUT_NS, &st);
	if (ip.reass.bytes || ipv4_deadline(&ip) != INT64_MAX)
		abort();
	ipv4_flush(&rcv);
	arp_flush(&arp);
	ether_txq_clear(&q);
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
