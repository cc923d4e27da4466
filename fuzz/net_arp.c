/* fuzz/net_arp.c: libFuzzer target for the ARP cache as a state machine: received packets, packets to send, time, address changes.
 *
 * Input: a sequence of operations, each one byte then its operands:
 *   0 (mod 4): arp_input of the next packet (one length byte, then bytes);
 *   1: arp_output of a packet to 10.0.0.N (one byte N);
 *   2: time moves by N * 250 ms (one byte), then arp_timer if due;
 *   3: arp_set_ip(10.0.0.N), or no address when N is 0.
 * Checks: the frames produced are whole Ethernet frames from our MAC (ARP
 * ones 60 bytes, well formed, sender our MAC); the entries keep the
 * invariants drawn in net/arp.c; when the input ends and the cache is
 * flushed, nothing is left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arp.h"
#include "arp_wire.h"
#include "ipv4_wire.h"
#include "net.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
static struct arp a;
static struct ether_txq q;
static struct riad_net_stats st;

static void check_frames(void)
{
	for (size_t i = 0; i < q.n; i++) {
		const struct riad_pbuf *f = q.frames[i];
		if (f->len < ETHER_HDR_LEN || memcmp(f->data + 6, mac, 6) != 0)
			abort();
		uint16_t type = wire_get16(f->data + 12);
		if (type == ETHER_TYPE_ARP) {
			const uint8_t *b = f->data + ETHER_HDR_LEN;
			uint16_t op = wire_get16(b + 6);
			if (f->len != ETHER_MIN_FRAME || wire_get16(b) != ARP_HTYPE_ETHER ||
			    wire_get16(b + 2) != ARP_PTYPE_IPV4 || b[4] != 6 || b[5] != 4 ||
			    (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) || memcmp(b + 8, mac, 6) != 0)
				abort();
			/* A reply goes to the asker only. */
			if (op == ARP_OP_REPLY && (memcmp(f->data, b + 18, 6) != 0 || a.ip == 0))
				abort();
		} else if (type != ETHER_TYPE_IPV4 || ether_addr_is_multicast(f->data)) {
			abort();
		}
	}
	ether_txq_clear(&q);
}

static void check_cache(bool dups)
{
	for (size_t i = 0; i < RIAD_NET_ARP_CACHE_SIZE; i++) {
		const struct arp_entry *e = &a.cache[i];
		if (e->state > ARP_REFRESH || e->pending.count > RIAD_NET_ARP_QUEUE_MAX)
			abort();
		if (e->state != ARP_INCOMPLETE && e->pending.count)
			abort();
		if (e->state == ARP_FREE)
			continue;
		if (e->deadline == INT64_MAX || (e->state != ARP_INCOMPLETE && ether_addr_is_multicast(e->mac)))
			abort();
		if (IPV4_IS_MULTICAST(e->ip) || (a.ip && e->ip == a.ip && e->state != ARP_INCOMPLETE))
			abort();
		for (size_t k = i + 1; dups && k < RIAD_NET_ARP_CACHE_SIZE; k++)
			if (a.cache[k].state != ARP_FREE && a.cache[k].ip == e->ip)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = riad_pbuf_live();
	memset(&st, 0, sizeof(st));
	arp_init(&a, mac);
	int64_t now = 1000000000000LL;
	size_t off = 0, ops = 0;
	while (off + 2 <= size) {
		uint8_t op = data[off] & 3, n = data[off + 1];
		off += 2;
		if (op == 0) {
			size_t len = n;
			if (len > size - off)
				len = size - off;
			struct riad_pbuf *p = riad_pbuf_alloc(ETHER_HDR_LEN, len);
			if (!p)
				abort();
			memcpy(p->data, data + off, len);
			off += len;
			arp_input(&a, p, now, &q, &st);
		} else if (op == 1) {
			struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, 20);
			if (!p)
				abort();
			memset(p->data, n, 20);
			arp_output(&a, 0x0a000000u | n, p, now, &q, &st);
		} else if (op == 2) {
			now += n * 250000000LL;
			if (arp_deadline(&a) <= now && arp_timer(&a, now, &q, &st) <= now)
				abort();
		} else {
			arp_set_ip(&a, n ? 0x0a000000u | n : 0, now, &q, &st);
		}
		check_frames();
		check_cache(++ops % 16 == 0);
	}
	check_cache(true);
	arp_flush(&a);
	if (arp_deadline(&a) != INT64_MAX && !a.announce_left)
		abort();
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
