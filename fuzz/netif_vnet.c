/* fuzz/netif_vnet.c: libFuzzer target for a frame received behind its virtio-net header (netif/netif_vnet.h), taken as the devices take it and handed up as the stack's glue hands it.
 *
 * Input: what one read from a device with offloads returns: the 10-byte
 * header, then the frame. As runtime/unix/netif_tap.c and
 * runtime/solo5/netif_solo5.c take it: a read shorter than the header is
 * dropped, the header gives the marks (riad_netif_vnet_rx_marks), and the
 * rest is a frame if riad_netif_vnet_rx_len_ok keeps it (up to
 * RIAD_NETIF_GSO_MAX bytes, past the MTU: a coalesced segment), in a
 * buffer of the device's with RIAD_NETIF_RX_HEADROOM before it. The frame,
 * marked, goes to ether_input and on to ARP or IPv4, ICMP, UDP and TCP as
 * stack/stack.c's input() wires them, inside one burst (tcp_input_begin,
 * tcp_input_end); then the application reads what arrived, and TCP's
 * timers run 1.5 s on (a held ACK, a retransmission).
 *
 * Each run starts from the same state: 10.0.0.2/24 with TCP's checksum and
 * TSO offloads on (as over such a device), the peer 10.0.0.1 in the ARP
 * cache, a listener on port 80, and a connection to it from 10.0.0.1:4000
 * (peer ISN 1000, MSS 1460, window scale 7) accepted, with 8000 bytes
 * written to it (a TSO segment of five MSS goes out). Our ISN is a fixed
 * function of the tuple, the clock and the secret (tcp_isn.c), so a seed
 * can carry data for that connection (fuzz/netif_vnet_seeds.sh computes it).
 *
 * Checks: the marks are RIAD_PBUF_RX_CSUM_OK exactly when the header has
 * NEEDS_CSUM or DATA_VALID; a kept frame is 14..RIAD_NETIF_GSO_MAX bytes;
 * riad_netif_vnet_fill over the received bytes (marked as if for sending,
 * gso_size from the header) stays inside them (ASan: the buffer is exactly
 * that long) and points inside the frame. Every frame sent is from our
 * MAC, of a length the device takes (riad_netif_tx_len_ok with CSUM4 and
 * TSO4), gets a header (riad_netif_vnet_fill), all zero if unmarked; a
 * marked one, completed as the host completes it (the sum from csum_start
 * to the end stored at csum_start + csum_offset), has a valid TCP
 * checksum, and a GSO one's hdr_len is its headers with more than
 * gso_size bytes behind. Counters add up; nothing is left allocated.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/pbuf.h>

#include "icmp.h"
#include "ipv4.h"
#include "netif_vnet.h"
#include "tcp.h"
#include "tcp_seg.h"
#include "tcp_wire.h"
#include "udp.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define US 0x0a000002u
#define PEER 0x0a000001u
#define PEER_PORT 4000
#define PORT 80
#define PEER_ISN 1000u
#define NOW 1000000000000LL
#define APP_SEND 8000

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 2 };

static struct riad_netif nif;
static struct arp arp;
static struct ipv4 ip;
static struct icmp ic;
static struct tcp_stack *tcp;
static struct tcp_listener *lis;
static struct tcp_conn *conn;  /* the peer's, accepted */
static struct net_txq txq;
static struct ether_txq q;
static struct riad_net_stats st;
static uint64_t frames_in;   /* handed to ether_input */
static size_t dev_live;      /* device buffers not yet released */
static uint32_t synack_seq;  /* our ISN, seen on the SYN-ACK */

/* A receive buffer of the device's own, exactly as long as the frame (so
 * that ASan sees a read past it), released through the pbuf's hook. */
static void dev_release(struct riad_pbuf *p)
{
	dev_live--;
	free(p);
}

static struct riad_pbuf *dev_frame(const uint8_t *frame, size_t len)
{
	size_t size = RIAD_NETIF_RX_HEADROOM + len;
	struct riad_pbuf *p = malloc(sizeof(*p) + size);
	if (!p)
		abort();
	riad_pbuf_init(p, p + 1, size, RIAD_NETIF_RX_HEADROOM, len, dev_release, NULL);
	memcpy(p->data, frame, len);
	dev_live++;
	return p;
}

/* What a device does with a frame marked for sending (tap_send,
 * s5_send), and what the host then does with the header. */
static void check_tx(struct riad_pbuf *f)
{
	if (f->len < ETHER_HDR_LEN || memcmp(f->data + 6, mac, 6) != 0 || !riad_netif_tx_len_ok(&nif, f))
		abort();
	struct riad_vnet_hdr vh;
	if (riad_netif_vnet_fill(&vh, f) < 0)
		abort();
	if (!(f->offload & RIAD_PBUF_TX_CSUM_TCP4) && !f->gso_size) {
		static const struct riad_vnet_hdr zero;
		if (memcmp(&vh, &zero, sizeof(vh)) != 0)
			abort();
		return;
	}
	uint8_t *d = f->data;
	size_t cs = vh.csum_start, at = cs + vh.csum_offset;
	if (vh.flags != RIAD_VNET_F_NEEDS_CSUM || cs < ETHER_HDR_LEN + IPV4_HDR_MIN || at + 2 > f->len)
		abort();
	if (vh.gso_type == RIAD_VNET_GSO_TCPV4) {
		if (vh.gso_size != f->gso_size || vh.hdr_len < cs + 20 || vh.hdr_len > f->len ||
		    f->len - vh.hdr_len <= vh.gso_size)
			abort();
	} else if (vh.gso_type != RIAD_VNET_GSO_NONE) {
		abort();
	}
	wire_put16(d + at, wire_csum_fold(wire_csum_add(0, d + cs, f->len - cs)));
	const uint8_t *h = d + ETHER_HDR_LEN;
	if (!tcp_seg_csum_ok(d + cs, f->len - cs, wire_get32(h + 12), wire_get32(h + 16)))
		abort();
}

/* Everything queued, to frames and through the device's checks; our ISN
 * from the SYN-ACK to the peer. */
static void flush_at(int64_t now)
{
	ipv4_output_txq(&ip, &arp, &txq, now, &q, &st);
	for (size_t i = 0; i < q.n; i++) {
		struct riad_pbuf *f = q.frames[i];
		check_tx(f);
		const uint8_t *t = f->data + ETHER_HDR_LEN + IPV4_HDR_MIN;
		if (wire_get16(f->data + 12) == ETHER_TYPE_IPV4 && f->data[ETHER_HDR_LEN + 9] == NET_PROTO_TCP &&
		    (t[13] & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
			synack_seq = wire_get32(t + 4);
	}
	ether_txq_clear(&q);
}

static void flush(void)
{
	flush_at(NOW);
}

/* stack/stack.c's input(), without the DHCP client and the sockets: UDP
 * gets the port-unreachable answer. */
static void input(struct riad_pbuf *p)
{
	frames_in++;
	struct ether_rx erx;
	if (ether_input(mac, p, &erx, &st) < 0)
		return;
	if (erx.type == ETHER_TYPE_ARP) {
		arp_input(&arp, p, NOW, &q, &st);
		return;
	}
	struct ipv4_rx rx;
	int r = ipv4_input(&ip, p, erx.bcast, NOW, &rx, &st);
	if (r == IPV4_RX_PARAM_PROBLEM) {
		icmp_param_problem(&ic, ip.addr, &rx, rx.param_ptr, NOW, &txq, &st);
		riad_pbuf_unref(rx.p);
		return;
	}
	if (r != 1)
		return;
	if (rx.proto == NET_PROTO_ICMP) {
		struct icmp_err e;
		if (icmp_input(&ic, &rx, NOW, &txq, &e, &st) == 1 && e.proto == NET_PROTO_TCP)
			tcp_icmp_error(tcp, e.src, e.dst, e.l4, e.l4_len, e.type, e.code, e.mtu, NOW, &txq);
		return;
	}
	if (rx.proto == NET_PROTO_TCP) {
		tcp_input(tcp, rx.src, rx.dst, rx.p, NOW, &txq);
		return;
	}
	if (rx.proto == NET_PROTO_UDP) {
		struct udp_rx u;
		if (udp_input(&rx, &u, &st) < 0)
			return;
		udp_no_port(&ic, ip.addr, &rx, NOW, &txq, &st);
	} else {
		icmp_error(&ic, ip.addr, &rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PROTO, NOW, &txq, &st);
	}
	riad_pbuf_unref(rx.p);
}

/* The peer's ARP request for our address (which puts it in the cache). */
static void peer_arp(void)
{
	uint8_t f[42] = { 0 };
	memset(f, 0xff, 6);
	memcpy(f + 6, peer_mac, 6);
	wire_put16(f + 12, ETHER_TYPE_ARP);
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	memcpy(f + 14, hdr, sizeof(hdr));
	memcpy(f + 22, peer_mac, 6);
	wire_put32(f + 28, PEER);
	wire_put32(f + 38, US);
	input(dev_frame(f, sizeof(f)));
}

/* A segment from the peer's connection; opts are its options (a multiple
 * of four bytes). */
static void peer_tcp(uint8_t flags, uint32_t seq, uint32_t ack, const uint8_t *opts, size_t olen)
{
	uint8_t f[ETHER_HDR_LEN + IPV4_HDR_MIN + 20 + 40] = { 0 };
	size_t tl = 20 + olen;
	memcpy(f, mac, 6);
	memcpy(f + 6, peer_mac, 6);
	wire_put16(f + 12, ETHER_TYPE_IPV4);
	ipv4_hdr_write(f + ETHER_HDR_LEN, 0, (uint16_t)(IPV4_HDR_MIN + tl), 1, 0, 64, NET_PROTO_TCP, PEER, US);
	uint8_t *t = f + ETHER_HDR_LEN + IPV4_HDR_MIN;
	wire_put16(t, PEER_PORT);
	wire_put16(t + 2, PORT);
	wire_put32(t + 4, seq);
	wire_put32(t + 8, ack);
	t[12] = (uint8_t)(tl / 4 << 4);
	t[13] = flags;
	wire_put16(t + 14, 1024); /* << 7: 128 KiB */
	if (olen)
		memcpy(t + 20, opts, olen);
	wire_put16(t + 16, wire_csum_fold(wire_csum_add(wire_csum_pseudo4(PEER, US, NET_PROTO_TCP, (uint16_t)tl), t, tl)));
	input(dev_frame(f, ETHER_HDR_LEN + IPV4_HDR_MIN + tl));
}

static void setup(void)
{
	memset(&st, 0, sizeof(st));
	memset(&nif.stats, 0, sizeof(nif.stats));
	frames_in = 0;
	synack_seq = 0;
	memcpy(nif.mac, mac, 6);
	nif.mtu = 1500;
	nif.features = RIAD_NETIF_F_CSUM4 | RIAD_NETIF_F_TSO4 | RIAD_NETIF_F_RX_LARGE | RIAD_NETIF_F_RX_CSUM;
	arp_init(&arp, mac);
	ipv4_init(&ip, 1500, 7);
	icmp_init(&ic);
	ipv4_set_addr(&ip, US, 0xffffff00u, PEER);
	arp_set_ip(&arp, US, NOW, &q, &st);
	static const uint8_t secret[32] = { 7 };
	tcp = tcp_stack_create(secret, &st.tcp);
	if (!tcp || tcp_listen(tcp, 0, PORT, 4, &lis) != 0)
		abort();
	tcp_stack_set_mss(tcp, 1460);
	tcp_stack_set_offload(tcp, TCP_OFFLOAD_CSUM | TCP_OFFLOAD_TSO);
	flush();
	peer_arp();
	flush();
	/* MSS 1460, NOP, window scale 7. */
	static const uint8_t syn_opts[8] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7 };
	peer_tcp(TCP_SYN, PEER_ISN, 0, syn_opts, sizeof(syn_opts));
	flush();
	peer_tcp(TCP_ACK, PEER_ISN + 1, synack_seq + 1, NULL, 0);
	flush();
	conn = tcp_accept(lis);
	if (!conn)
		abort();
	static uint8_t out[APP_SEND];
	if (tcp_send(conn, out, sizeof(out), NOW, &txq) != (long)sizeof(out))
		abort();
	flush();
}

/* riad_netif_vnet_fill over bytes nobody checked: inside them, whatever
 * it answers. */
static void fill_received(struct riad_pbuf *p, uint16_t gso_size)
{
	struct riad_pbuf m = *p;
	m.offload = RIAD_PBUF_TX_CSUM_TCP4;
	m.gso_size = gso_size;
	struct riad_vnet_hdr vh;
	if (riad_netif_vnet_fill(&vh, &m) < 0)
		return;
	if ((size_t)vh.csum_start + vh.csum_offset + 2 > m.len)
		abort();
	if (vh.gso_type && (vh.hdr_len > m.len || m.len - vh.hdr_len <= vh.gso_size))
		abort();
}

/* The application's side after the burst: what the connection got is
 * read, and connections the frame made are taken. */
static void app(void)
{
	static uint8_t buf[16384];
	while (tcp_recv(conn, buf, sizeof(buf), NOW, &txq) > 0)
		;
	while (tcp_accept(lis) != NULL)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Longer than any device's read (riad-spt's: header and
	 * RIAD_NETIF_GSO_MAX; the tap's a byte more, to see one too long). */
	if (size > RIAD_VNET_HDR_LEN + RIAD_NETIF_GSO_MAX + 1)
		return 0;
	size_t live = riad_pbuf_live();
	setup();
	uint64_t before = frames_in;

	struct riad_vnet_hdr vh;
	if (size < RIAD_VNET_HDR_LEN) {
		nif.stats.rx_drop_size++;
		goto out;
	}
	memcpy(&vh, data, sizeof(vh));
	uint8_t marks = riad_netif_vnet_rx_marks(&vh);
	if (marks != ((vh.flags & (RIAD_VNET_F_NEEDS_CSUM | RIAD_VNET_F_DATA_VALID)) ? RIAD_PBUF_RX_CSUM_OK : 0))
		abort();
	size_t len = size - RIAD_VNET_HDR_LEN;
	bool ok = riad_netif_vnet_rx_len_ok(&nif, true, len);
	if (ok != (len >= RIAD_NETIF_HDR_MIN && len <= RIAD_NETIF_GSO_MAX))
		abort();
	if (!ok) {
		nif.stats.rx_drop_size++;
		goto out;
	}
	struct riad_pbuf *p = dev_frame(data + RIAD_VNET_HDR_LEN, len);
	p->offload = marks;
	nif.stats.rx_frames++;
	fill_received(p, vh.gso_size);
	tcp_input_begin(tcp);
	input(p);
	tcp_input_end(tcp, NOW, &txq);
	flush();
	app();
	flush();
	/* The held ACK and a retransmission. */
	int64_t later = NOW + 1500000000LL;
	tcp_timers(tcp, later, &txq);
	flush_at(later);
out:;
	const struct riad_ether_stats *e = &st.ether;
	if (e->rx + e->runt + e->not_for_us + e->bad_src + e->unknown_type != frames_in ||
	    e->rx != st.arp.rx + st.ipv4.rx || frames_in - before != nif.stats.rx_frames ||
	    nif.stats.rx_frames + nif.stats.rx_drop_size != 1)
		abort();
	tcp_stack_destroy(tcp);
	arp_flush(&arp);
	ipv4_flush(&ip);
	net_txq_clear(&txq);
	if (riad_pbuf_live() != live || dev_live != 0)
		abort();
	return 0;
}
