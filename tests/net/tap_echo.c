/* tests/net/tap_echo.c: the riad side of tests/net/tap.t, a unix unikernel
 * that opens one or two taps with riad_netif_tap_open() and, on each,
 * answers ARP requests and pings for its address and sends test frames
 * (EtherType 0x88b5) back to their sender, reusing the received buffer.
 * A test frame whose payload starts with "QUIT" ends its interface; the
 * program prints one STATS line per interface and exits 0 when all have
 * ended, or 2 if one went --timeout-ms without a frame.
 *
 * For bench/tap_ceiling.sh it also measures riad's own tap path on --tap:
 * --sink-ms counts full-size frames received for that long (after the
 * first), --blast-ms sends full-size UDP frames to --peer-ip/--peer-mac for
 * that long, each in a new pbuf as a stack would; either prints one RATE
 * line and exits. */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/netif.h>
#include <riad/netif_tap.h>
#include <riad/time.h>

RIAD_ARG_STRING(tap1, "tap", "tap0", "The tap to open.");
RIAD_ARG_STRING(ip1, "ip", "10.0.0.2", "The IPv4 address to answer ARP and pings for on --tap.");
RIAD_ARG_STRING(mac1, "mac", "", "The MAC address on --tap (default: random).");
RIAD_ARG_STRING(tap2, "tap2", "", "A second tap to serve at the same time (default: none).");
RIAD_ARG_STRING(ip2, "ip2", "10.0.1.2", "The IPv4 address on --tap2.");
RIAD_ARG_INT(timeout_ms, "timeout-ms", 30000, "Give up after this long without a frame.");
RIAD_ARG_INT(sink_ms, "sink-ms", 0, "Only count full-size frames received for this long.");
RIAD_ARG_INT(blast_ms, "blast-ms", 0, "Only send full-size UDP frames for this long.");
RIAD_ARG_STRING(peer_ip, "peer-ip", "10.0.0.1", "Where --blast-ms sends.");
RIAD_ARG_STRING(peer_mac, "peer-mac", "ff:ff:ff:ff:ff:ff", "The MAC address --blast-ms sends to.");

#define ETH_ARP 0x0806
#define ETH_IPV4 0x0800
#define ETH_TEST 0x88b5

struct iface {
	const char *name;
	uint8_t ip[4];
	struct riad_netif *nif;
	unsigned long long arp, ping, echo, other;
	int status;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Address the frame back to its sender, from us. */
static void turn_around(struct iface *ifc, uint8_t *f)
{
	memcpy(f, f + 6, 6);
	memcpy(f + 6, riad_netif_mac(ifc->nif), 6);
}

/* Returns true if p was answered (and so consumed). */
static bool answer_arp(struct iface *ifc, struct riad_pbuf *p)
{
	uint8_t *f = p->data, *a = f + 14;
	if (p->len < 14 + 28 || get16(a) != 1 || get16(a + 2) != ETH_IPV4 || a[4] != 6 ||
	    a[5] != 4 || get16(a + 6) != 1 || memcmp(a + 24, ifc->ip, 4) != 0)
		return false;
	uint8_t sha[6], spa[4];
	memcpy(sha, a + 8, 6);
	memcpy(spa, a + 14, 4);
	put16(a + 6, 2);
	memcpy(a + 8, riad_netif_mac(ifc->nif), 6);
	memcpy(a + 14, ifc->ip, 4);
	memcpy(a + 18, sha, 6);
	memcpy(a + 24, spa, 4);
	turn_around(ifc, f);
	riad_pbuf_trim(p, 14 + 28);
	ifc->arp++;
	riad_netif_send(ifc->nif, p);
	return true;
}

static bool answer_ping(struct iface *ifc, struct riad_pbuf *p)
{
	uint8_t *f = p->data, *ip = f + 14;
	if (p->len < 14 + 20 + 8 || (ip[0] >> 4) != 4)
		return false;
	size_t ihl = (size_t)(ip[0] & 15) * 4, total = get16(ip + 2);
	if (ihl < 20 || total < ihl + 8 || 14 + total > p->len || ip[9] != 1 ||
	    memcmp(ip + 16, ifc->ip, 4) != 0 || csum(ip, ihl) != 0)
		return false;
	uint8_t *icmp = ip + ihl;
	size_t icmp_len = total - ihl;
	if (icmp[0] != 8 || csum(icmp, icmp_len) != 0)
		return false;
	/* Swapping the addresses keeps the IPv4 checksum right. */
	uint8_t src[4];
	memcpy(src, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, src, 4);
	icmp[0] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 2, csum(icmp, icmp_len));
	turn_around(ifc, f);
	riad_pbuf_trim(p, 14 + total);
	ifc->ping++;
	riad_netif_send(ifc->nif, p);
	return true;
}

static int serve(void *arg)
{
	struct iface *ifc = arg;
	for (;;) {
		struct riad_pbuf *p =
			riad_netif_recv_until(ifc->nif, riad_time_ns() + timeout_ms * RIAD_NS_PER_MS);
		if (!p) {
			ifc->status = 2;
			break;
		}
		uint16_t type = get16(p->data + 12);
		if (type == ETH_ARP && answer_arp(ifc, p))
			continue;
		if (type == ETH_IPV4 && answer_ping(ifc, p))
			continue;
		if (type == ETH_TEST) {
			bool quit = p->len >= 18 && memcmp(p->data + 14, "QUIT", 4) == 0;
			if (quit) {
				riad_pbuf_unref(p);
				break;
			}
			turn_around(ifc, p->data);
			ifc->echo++;
			riad_netif_send(ifc->nif, p);
			continue;
		}
		ifc->other++;
		riad_pbuf_unref(p);
	}
	const struct riad_netif_stats *s = riad_netif_stats(ifc->nif);
	printf("STATS tap=%s rx=%llu tx=%llu rx_bytes=%llu tx_bytes=%llu drops=%llu arp=%llu "
	       "ping=%llu echo=%llu other=%llu\n",
	       ifc->name, (unsigned long long)s->rx_frames, (unsigned long long)s->tx_frames,
	       (unsigned long long)s->rx_bytes, (unsigned long long)s->tx_bytes,
	       (unsigned long long)(s->rx_drop_queue + s->rx_drop_nomem + s->rx_drop_size +
	                            s->rx_drop_error + s->tx_drop_queue + s->tx_drop_nomem +
	                            s->tx_drop_size + s->tx_drop_error),
	       ifc->arp, ifc->ping, ifc->echo, ifc->other);
	fflush(stdout);
	return 0;
}

static bool parse_ip(const char *s, uint8_t ip[4])
{
	unsigned a, b, c, d;
	char end;
	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) != 4 || a > 255 || b > 255 ||
	    c > 255 || d > 255)
		return false;
	ip[0] = (uint8_t)a, ip[1] = (uint8_t)b, ip[2] = (uint8_t)c, ip[3] = (uint8_t)d;
	return true;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned m[6];
	char end;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &end) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		if (m[i] > 255)
			return false;
		mac[i] = (uint8_t)m[i];
	}
	return true;
}

static int open_iface(struct iface *ifc, const char *name, const char *ip, const char *mac)
{
	uint8_t m[6];
	ifc->name = name;
	if (!parse_ip(ip, ifc->ip)) {
		printf("tap_echo: bad IPv4 address %s\n", ip);
		return 64;
	}
	if (*mac && !parse_mac(mac, m)) {
		printf("tap_echo: bad MAC address %s\n", mac);
		return 64;
	}
	int err = 0;
	ifc->nif = riad_netif_tap_open(name, *mac ? m : NULL, &err);
	if (!ifc->nif)
		return 1;
	const uint8_t *a = riad_netif_mac(ifc->nif);
	printf("READY tap=%s mac=%02x:%02x:%02x:%02x:%02x:%02x mtu=%u\n", name, a[0], a[1], a[2],
	       a[3], a[4], a[5], riad_netif_mtu(ifc->nif));
	fflush(stdout);
	return 0;
}

static void rate(const char *what, unsigned long long frames, int64_t ns, unsigned mtu)
{
	double fps = (double)frames * 1e9 / (double)ns;
	printf("RATE %s frames=%llu ns=%lld fps=%.0f gbps=%.2f\n", what, frames, (long long)ns, fps,
	       fps * (mtu + 14) * 8 / 1e9);
	fflush(stdout);
}

static int sink(struct iface *ifc)
{
	unsigned mtu = riad_netif_mtu(ifc->nif);
	unsigned long long n = 0;
	struct riad_pbuf *p = riad_netif_recv_until(ifc->nif, riad_time_ns() + 10 * RIAD_NS_PER_S);
	if (!p)
		return 2;
	riad_pbuf_unref(p);
	int64_t t0 = riad_time_ns(), end = t0 + sink_ms * RIAD_NS_PER_MS;
	while ((p = riad_netif_recv_until(ifc->nif, end))) {
		n += p->len == mtu + 14u;
		riad_pbuf_unref(p);
	}
	rate("read", n, riad_time_ns() - t0, mtu);
	return 0;
}

static int blast(struct iface *ifc)
{
	uint8_t dst[6], dip[4];
	if (!parse_mac(peer_mac, dst) || !parse_ip(peer_ip, dip))
		return 64;
	unsigned mtu = riad_netif_mtu(ifc->nif);
	size_t len = mtu + 14u;
	static uint8_t f[65536];
	memcpy(f, dst, 6);
	memcpy(f + 6, riad_netif_mac(ifc->nif), 6);
	put16(f + 12, ETH_IPV4);
	uint8_t *ip = f + 14, *udp = ip + 20;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)mtu);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, ifc->ip, 4);
	memcpy(ip + 16, dip, 4);
	put16(ip + 10, csum(ip, 20));
	put16(udp, 9999);
	put16(udp + 2, 9);
	put16(udp + 4, (uint16_t)(mtu - 20));
	unsigned long long n = 0;
	int64_t t0 = riad_time_ns(), end = t0 + blast_ms * RIAD_NS_PER_MS, t = t0;
	while (t < end) {
		for (int i = 0; i < 256; i++) {
			struct riad_pbuf *p = riad_pbuf_alloc(128, len);
			if (!p)
				return 1;
			memcpy(p->data, f, len);
			n += riad_netif_send(ifc->nif, p) == 0;
		}
		t = riad_time_ns();
	}
	rate("write", n, t - t0, mtu);
	return 0;
}

int main(void)
{
	static struct iface ifc[2];
	int n = *tap2 ? 2 : 1, r;
	if ((r = open_iface(&ifc[0], tap1, ip1, mac1)) != 0)
		return r;
	if (sink_ms > 0)
		return sink(&ifc[0]);
	if (blast_ms > 0)
		return blast(&ifc[0]);
	if (n == 2 && (r = open_iface(&ifc[1], tap2, ip2, "")) != 0)
		return r;
	struct riad_fiber *f[2];
	for (int i = 0; i < n; i++)
		f[i] = riad_fiber_spawn(serve, &ifc[i], 0);
	int status = 0;
	for (int i = 0; i < n; i++) {
		riad_fiber_join(f[i]);
		if (ifc[i].status)
			status = ifc[i].status;
		riad_netif_close(ifc[i].nif);
	}
	return status;
}
