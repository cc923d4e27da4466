/* fuzz/net_dhcp.c: libFuzzer target for the DHCP client state machine over a sequence of server messages and timer events.
 *
 * The client starts with dhcp_start at a fixed time with transaction id
 * 0x01020304 and MAC 02:00:00:00:00:01, so that seeds can carry replies it
 * takes. Input: records of one kind byte (mod 4: 0 a message, 1 the timer
 * at its deadline, 2 time moves by N seconds (the next byte) and the timer
 * runs if due, 3 a release and a new start, or with bit 6 set an ARP
 * packet showing the probed address in use: from it, or with bit 5 a
 * probe for it from another host), then for a message a length
 * (two bytes, big-endian) and its bytes. The random bits the client gets
 * are taken from the input too (one byte per call, spread over the word).
 * Checks: the state is always one of the eight; PROBE and DECLINED come
 * with the states they name; a bound client's lease is
 * usable and its times ordered (T1 <= T2 <= expiry); after a timer call the
 * next deadline lies in the future; every message sent is a 300-byte
 * BOOTREQUEST from port 68 to 67 with a valid UDP checksum, carrying our
 * xid and MAC; nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "ipv4_wire.h"
#include "udp_wire.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
static struct dhcp d;
static struct net_txq out;
static struct riad_net_stats st;

static uint64_t rnd_of(uint8_t b)
{
	return (uint64_t)b * 0x0101010101010101ull;
}

static void check(int64_t now, enum dhcp_event ev, bool after_timer)
{
	if (d.state > DHCP_REBINDING)
		abort();
	if (ev == DHCP_EV_BOUND && d.state != DHCP_BOUND)
		abort();
	if ((ev == DHCP_EV_PROBE && d.state != DHCP_PROBING) ||
	    (ev == DHCP_EV_DECLINED && d.state != DHCP_DECLINED))
		abort();
	if (d.state >= DHCP_BOUND) {
		uint32_t a = d.lease.addr;
		if (!a || IPV4_IS_MULTICAST(a) || IPV4_IS_CLASS_E(a) || !d.lease.server)
			abort();
		if (d.t1 > d.t2 || d.t2 > d.expiry || d.lease.t1_s > d.lease.t2_s ||
		    d.lease.t2_s > d.lease.lease_s || d.lease.n_dns > RIAD_NET_DHCP_DNS_MAX)
			abort();
		if (d.state != DHCP_BOUND && d.deadline > d.expiry)
			abort();
	} else if (d.state != DHCP_INIT && d.deadline == INT64_MAX) {
		abort();
	}
	if (after_timer && d.deadline <= now)
		abort();
	for (size_t i = 0; i < out.n; i++) {
		const struct net_ip_tx *t = &out.items[i];
		const uint8_t *u = t->p->data;
		if (t->proto != NET_PROTO_UDP || t->p->len != UDP_HDR_LEN + DHCP_MIN_LEN ||
		    wire_get16(u) != DHCP_CLIENT_PORT || wire_get16(u + 2) != DHCP_SERVER_PORT)
			abort();
		uint32_t sum = wire_csum_pseudo4(t->src, t->dst, NET_PROTO_UDP, (uint16_t)t->p->len);
		if (wire_csum_fold(wire_csum_add(sum, u, t->p->len)) != 0)
			abort();
		const uint8_t *m = u + UDP_HDR_LEN;
		if (m[0] != DHCP_OP_REQUEST || wire_get32(m + 4) != d.xid || memcmp(m + 28, mac, 6) != 0 ||
		    wire_get32(m + DHCP_FIXED_LEN) != DHCP_MAGIC)
			abort();
	}
	net_txq_clear(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	dhcp_init(&d, mac);
	int64_t now = 1000000000000LL;
	dhcp_start(&d, now, 0x01020304u | (uint64_t)1000 << 32, &out, &st);
	check(now, DHCP_EV_NONE, false);
	size_t off = 0;
	while (off + 2 <= size) {
		uint8_t kind = data[off] & 3, arg = data[off + 1];
		bool arp = (data[off] & 0x40) != 0, probe = (data[off] & 0x20) != 0;
		off += 2;
		enum dhcp_event ev = DHCP_EV_NONE;
		bool timer = false;
		if (kind == 0) {
			if (off + 2 > size)
				break;
			size_t len = (size_t)data[off] << 8 | data[off + 1];
			off += 2;
			if (len > size - off)
				len = size - off;
			struct riad_pbuf *p = riad_pbuf_alloc(64, len);
			if (!p)
				abort();
			memcpy(p->data, data + off, len);
			off += len;
			ev = dhcp_input(&d, p, now, rnd_of(arg), &out, &st);
		} else if (kind == 1) {
			if (dhcp_deadline(&d) != INT64_MAX && dhcp_deadline(&d) > now)
				now = dhcp_deadline(&d);
			ev = dhcp_timer(&d, now, rnd_of(arg), &out, &st);
			timer = d.deadline != INT64_MAX;
		} else if (kind == 2) {
			now += (int64_t)arg * 1000000000LL;
			if (dhcp_deadline(&d) <= now) {
				ev = dhcp_timer(&d, now, rnd_of(arg), &out, &st);
				timer = true;
			}
		} else if (arp) {
			static const uint8_t other[6] = { 2, 0, 0, 0, 0, 2 };
			uint32_t a = d.offer.addr;
			ev = dhcp_arp(&d, other, probe ? 0 : a, probe ? a : arg, now, &out, &st);
		} else {
			dhcp_release(&d, now, rnd_of(arg), &out, &st);
			check(now, ev, false);
			dhcp_start(&d, now, 0x01020304u | (uint64_t)arg << 32, &out, &st);
		}
		check(now, ev, timer && d.state != DHCP_BOUND);
	}
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
