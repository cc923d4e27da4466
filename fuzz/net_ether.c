/* fuzz/net_ether.c: libFuzzer target for Ethernet framing and everything below TCP behind it, wired the way the stack glue wires them.
 *
 * Input: one configuration byte (bit 0: start unconfigured and run the DHCP
 * client, which configures the interface when it binds; else 10.0.0.2/24
 * with gateway 10.0.0.1), then records of a time step (one byte, in units
 * of 100 ms), a length (two bytes, big-endian) and that many bytes of
 * Ethernet frame. Each frame goes through ether_input and on to ARP or
 * IPv4; IPv4 datagrams to ICMP, UDP (port 68 to the DHCP client, other
 * ports to the port-unreachable answer) or the protocol-unreachable
 * answer, and those with malformed options to the parameter-problem
 * answer; what they send goes through ipv4_output and ARP to frames.
 * Timers run when due.
 * Checks: every frame sent is from our MAC, at most 14 + 1500 bytes, and
 * an IPv4 one has a valid header checksum and our address (or 0.0.0.0 when
 * unconfigured) as source; counters add up (every frame received is
 * either handed up or counted as a drop); nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "icmp.h"
#include "ipv4.h"
#include "udp.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
static struct arp arp;
static struct ipv4 ip;
static struct icmp ic;
static struct dhcp dh;
static bool use_dhcp;
static struct net_txq txq;
static struct ether_txq q;
static struct riad_net_stats st;

static void apply(enum dhcp_event ev, int64_t now)
{
	if (ev == DHCP_EV_BOUND) {
		ipv4_set_addr(&ip, dh.lease.addr, dh.lease.netmask, dh.lease.router);
		arp_set_ip(&arp, dh.lease.addr, now, &q, &st);
	} else if (ev == DHCP_EV_LOST) {
		ipv4_set_addr(&ip, 0, 0, 0);
		arp_set_ip(&arp, 0, now, &q, &st);
	}
}

static void deliver(struct ipv4_rx *rx, int64_t now)
{
	if (rx->proto == NET_PROTO_ICMP) {
		struct icmp_err err;
		icmp_input(&ic, rx, now, &txq, &err, &st);
		return;
	}
	if (rx->proto == NET_PROTO_UDP) {
		struct udp_rx u;
		if (udp_input(rx, &u, &st) < 0)
			return;
		if (use_dhcp && u.dport == DHCP_CLIENT_PORT && u.sport == DHCP_SERVER_PORT) {
			apply(dhcp_input(&dh, rx->p, now, (uint64_t)now * 0x9e3779b97f4a7c15ull, &txq, &st), now);
			return;
		}
		udp_no_port(&ic, ip.addr, rx, now, &txq, &st);
	} else if (rx->proto != NET_PROTO_TCP) {
		icmp_error(&ic, ip.addr, rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PROTO, now, &txq, &st);
	}
	riad_pbuf_unref(rx->p);
}

static void flush(int64_t now)
{
	ipv4_output_txq(&ip, &arp, &txq, now, &q, &st);
	for (size_t i = 0; i < q.n; i++) {
		const struct riad_pbuf *f = q.frames[i];
		if (f->len < ETHER_HDR_LEN || f->len > ETHER_HDR_LEN + 1500 || memcmp(f->data + 6, mac, 6) != 0)
			abort();
		if (wire_get16(f->data + 12) == ETHER_TYPE_IPV4) {
			const uint8_t *h = f->data + ETHER_HDR_LEN;
			if (f->len < ETHER_HDR_LEN + IPV4_HDR_MIN ||
			    wire_csum_fold(wire_csum_add(0, h, IPV4_HDR_MIN)) != 0 ||
			    wire_get32(h + 12) != ip.addr)
				abort();
		}
	}
	ether_txq_clear(&q);
}

static void timers(int64_t now)
{
	if (arp_deadline(&arp) <= now)
		arp_timer(&arp, now, &q, &st);
	if (ipv4_deadline(&ip) <= now)
		ipv4_timer(&ip, now, &st);
	if (use_dhcp && dhcp_deadline(&dh) <= now)
		apply(dhcp_timer(&dh, now, (uint64_t)now * 0x9e3779b97f4a7c15ull, &txq, &st), now);
	flush(now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	int64_t now = 1000000000000LL;
	arp_init(&arp, mac);
	ipv4_init(&ip, 1500, 7);
	icmp_init(&ic);
	dhcp_init(&dh, mac);
	use_dhcp = data[0] & 1;
	if (use_dhcp) {
		dhcp_start(&dh, now, 0x01020304u, &txq, &st);
	} else {
		ipv4_set_addr(&ip, 0x0a000002u, 0xffffff00u, 0x0a000001u);
		arp_set_ip(&arp, 0x0a000002u, now, &q, &st);
	}
	flush(now);
	size_t off = 1;
	uint64_t frames = 0;
	while (off + 3 <= size) {
		now += data[off] * 100000000LL;
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		timers(now);
		struct riad_pbuf *p = riad_pbuf_alloc(0, len);
		if (!p)
			abort();
		memcpy(p->data, data + off, len);
		off += len;
		frames++;
		struct ether_rx er;
		if (ether_input(mac, p, &er, &st) == 0) {
			if (er.type == ETHER_TYPE_ARP) {
				arp_input(&arp, p, now, &q, &st);
			} else {
				struct ipv4_rx rx;
				int r = ipv4_input(&ip, p, er.bcast, now, &rx, &st);
				if (r == 1) {
					deliver(&rx, now);
				} else if (r == IPV4_RX_PARAM_PROBLEM) {
					icmp_param_problem(&ic, ip.addr, &rx, rx.param_ptr, now, &txq, &st);
					riad_pbuf_unref(rx.p);
				}
			}
		}
		flush(now);
	}
	const struct riad_ether_stats *e = &st.ether;
	if (e->rx + e->runt + e->not_for_us + e->bad_src + e->unknown_type != frames ||
	    e->rx != st.arp.rx + st.ipv4.rx)
		abort();
	arp_flush(&arp);
	ipv4_flush(&ip);
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
