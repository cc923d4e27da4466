/* tests/unit/test_stack.c: the stack glue and the sockets (riad/net.h) with two stacks on the in-memory switch and the fake clock: ARP, ping-free UDP both ways, port unreachable (and its report to the sender), crafted ICMP errors to a UDP socket, malformed IP options answered with a parameter problem, TCP transfers byte for byte, refused connections, deadlines, DHCP without a server, closing a stack under its sockets and creating it again, the RIAD_ARG_IPV4 option type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/net.h>
#include <riad/netif.h>
#include <riad/netif_switch.h>
#include <riad/time.h>

#include "args.h"
#include "check.h"
#include "ipv4.h"
#include "runtime.h"
#include "sched_run.h"
#include "wire.h"

#define A_ADDR RIAD_IPV4(10, 0, 0, 1)
#define B_ADDR RIAD_IPV4(10, 0, 0, 2)

static struct riad_net *a, *b;

/* REQUIRE for the fiber functions, which return int. */
#define NEED(c)                       \
	do {                          \
		if (!(c)) {           \
			CHECK(c);     \
			return 1;     \
		}                     \
	} while (0)

static void two_stacks(void)
{
	struct riad_netif_switch *sw = riad_netif_switch_new();
	REQUIRE(sw);
	struct riad_net_config ca = { .addr = A_ADDR, .prefix = 24 };
	struct riad_net_config cb = { .addr = B_ADDR, .prefix = 24, .gateway = A_ADDR };
	REQUIRE(riad_net_create(riad_netif_switch_port(sw, NULL, 0), "a", &ca, &a) == 0);
	REQUIRE(riad_net_create(riad_netif_switch_port(sw, NULL, 0), "b", &cb, &b) == 0);
}

/* ---- UDP ---- */

static int udp_main(void *arg)
{
	(void)arg;
	two_stacks();
	uint32_t addr, gw;
	unsigned prefix;
	riad_net_ipv4(b, &addr, &prefix, &gw);
	CHECK_INT(addr, B_ADDR);
	CHECK_INT(prefix, 24);
	CHECK_INT(gw, A_ADDR);
	CHECK_STR(riad_net_name(a), "a");
	CHECK_INT(riad_net_wait_up(a, 0), 0);

	struct riad_udp *ua, *ub, *dup;
	NEED(riad_udp_bind(a, 0, &ua) == 0);
	NEED(riad_udp_bind(b, 7, &ub) == 0);
	CHECK(riad_udp_port(ua) >= 49152);
	CHECK_INT(riad_udp_bind(b, 7, &dup), -RIAD_EADDRINUSE);
	CHECK_INT(riad_udp_sendto(ua, B_ADDR, 7, "hello", 5), 5);
	char buf[16];
	uint32_t src;
	uint16_t sport;
	long n = riad_udp_recvfrom(ub, buf, sizeof(buf), &src, &sport, riad_time_ns() + RIAD_NS_PER_S);
	CHECK_INT(n, 5);
	CHECK_MEM(buf, "hello", 5);
	CHECK_INT(src, A_ADDR);
	CHECK_INT(sport, riad_udp_port(ua));
	/* The reply, cut to the caller's buffer: the full length comes back. */
	CHECK_INT(riad_udp_sendto(ub, src, sport, "0123456789", 10), 10);
	n = riad_udp_recvfrom(ua, buf, 4, NULL, NULL, riad_time_ns() + RIAD_NS_PER_S);
	CHECK_INT(n, 10);
	CHECK_MEM(buf, "0123", 4);
	/* Larger than the MTU: fragmented, reassembled. */
	static char big[8000], got[8000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	CHECK_INT(riad_udp_sendto(ua, B_ADDR, 7, big, sizeof(big)), (long)sizeof(big));
	n = riad_udp_recvfrom(ub, got, sizeof(got), NULL, NULL, riad_time_ns() + RIAD_NS_PER_S);
	CHECK_INT(n, (long)sizeof(big));
	CHECK_MEM(got, big, sizeof(big));
	CHECK(riad_net_stats(b)->ipv4.reassembled == 1);
	/* Nothing arrives: the deadline ends the wait. */
	int64_t t0 = riad_time_ns();
	CHECK_INT(riad_udp_recvfrom(ub, buf, sizeof(buf), NULL, NULL, t0 + 50 * RIAD_NS_PER_MS),
	          -RIAD_ETIMEDOUT);
	CHECK(riad_time_ns() >= t0 + 50 * RIAD_NS_PER_MS);
	/* An unbound port: counted, answered with port unreachable. */
	CHECK_INT(riad_udp_sendto(ua, B_ADDR, 9, "x", 1), 1);
	riad_sleep_ns(RIAD_NS_PER_MS);
	CHECK_INT(riad_net_stats(b)->udp.no_port, 1);
	CHECK_INT(riad_net_stats(b)->icmp.err_tx, 1);
	CHECK_INT(riad_net_stats(a)->icmp.err_rx, 1);
	/* ... which the sender's socket returns once (RFC 1122 4.1.3.3). */
	CHECK_INT(riad_net_stats(a)->udp.icmp_err, 1);
	CHECK_INT(riad_udp_recvfrom(ua, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ECONNREFUSED);
	CHECK_INT(riad_udp_recvfrom(ua, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ETIMEDOUT);
	/* Bad arguments. */
	CHECK_INT(riad_udp_sendto(ua, B_ADDR, 0, "x", 1), -RIAD_EINVAL);
	CHECK_INT(riad_udp_sendto(ua, B_ADDR, 7, big, 70000), -RIAD_EMSGSIZE);
	CHECK_INT(riad_udp_sendto(ua, RIAD_IPV4(192, 168, 1, 1), 7, "x", 1), -RIAD_ENETUNREACH);
	CHECK_INT(riad_net_stats(a)->arp.resolved, 1);
	CHECK_INT(riad_net_drops(a), riad_net_stats(a)->ipv4.no_route);
	riad_udp_close(ua);
	riad_udp_close(ub);
	return 0;
}

static void udp_between_two_stacks(void)
{
	CHECK_INT(riad_sched_run(udp_main, NULL), 0);
}

/* A full socket queue drops and counts, and never grows. */
static int udp_queue_main(void *arg)
{
	(void)arg;
	two_stacks();
	struct riad_udp *ua, *ub;
	NEED(riad_udp_bind(a, 0, &ua) == 0);
	NEED(riad_udp_bind(b, 7, &ub) == 0);
	for (int i = 0; i < RIAD_NET_UDP_RCVQ + 10; i++) {
		riad_udp_sendto(ua, B_ADDR, 7, &i, sizeof(i));
		riad_sleep_ns(RIAD_NS_PER_MS);
	}
	CHECK_INT(riad_udp_drops(ub), 10);
	int first;
	CHECK_INT(riad_udp_recvfrom(ub, &first, sizeof(first), NULL, NULL, 0), (long)sizeof(first));
	CHECK_INT(first, 0);
	riad_udp_close(ub); /* with datagrams still queued: they are freed */
	riad_udp_close(ua);
	return 0;
}

static void udp_queue_is_bounded(void)
{
	CHECK_INT(riad_sched_run(udp_queue_main, NULL), 0);
}

/* ---- ICMP errors to UDP sockets, from crafted frames ---- */

#define PEER RIAD_IPV4(10, 0, 0, 7)
#define ROUTER RIAD_IPV4(10, 0, 0, 254)

static struct riad_netif *raw; /* a switch port the test sends crafted frames on */
static const uint8_t *a_mac;

/* An ICMP destination unreachable (code) from ROUTER to A_ADDR quoting a
 * UDP datagram qsrc:sport -> qdst:dport with udp_quote bytes of its UDP
 * header (8: all of it), sent on raw. */
static void send_unreach(uint8_t code, uint32_t qsrc, uint16_t sport, uint32_t qdst,
                         uint16_t dport, size_t udp_quote)
{
	size_t icmp_len = 8 + 20 + udp_quote, len = 14 + 20 + icmp_len;
	struct riad_pbuf *p = riad_pbuf_alloc(64, len);
	REQUIRE(p);
	uint8_t *f = p->data;
	memset(f, 0, len);
	memcpy(f, a_mac, 6);
	memcpy(f + 6, riad_netif_mac(raw), 6);
	wire_put16(f + 12, 0x0800);
	ipv4_hdr_write(f + 14, 0, (uint16_t)(20 + icmp_len), 1, 0, 64, 1, ROUTER, A_ADDR);
	uint8_t *ic = f + 34;
	ic[0] = 3;
	ic[1] = code;
	if (code == 4)
		wire_put16(ic + 6, 1400);
	ipv4_hdr_write(ic + 8, 0, 20 + 8 + 1, 7, 0, 63, 17, qsrc, qdst);
	uint8_t udp[8];
	wire_put16(udp, sport);
	wire_put16(udp + 2, dport);
	wire_put16(udp + 4, 9);
	wire_put16(udp + 6, 0);
	memcpy(ic + 28, udp, udp_quote);
	wire_put16(ic + 2, wire_csum_fold(wire_csum_add(0, ic, icmp_len)));
	riad_netif_send(raw, p);
	riad_sleep_ns(RIAD_NS_PER_MS); /* the stack's receive fiber runs */
}

static int unreach_later(void *arg)
{
	uint16_t port = (uint16_t)(uintptr_t)arg;
	riad_sleep_ns(10 * RIAD_NS_PER_MS);
	send_unreach(1, A_ADDR, port, PEER, 5000, 8);
	return 0;
}

static int udp_icmp_main(void *arg)
{
	(void)arg;
	struct riad_netif_switch *sw = riad_netif_switch_new();
	NEED(sw);
	struct riad_netif *pa = riad_netif_switch_port(sw, NULL, 0);
	raw = riad_netif_switch_port(sw, NULL, 0);
	NEED(pa && raw);
	a_mac = riad_netif_mac(pa);
	struct riad_net_config ca = { .addr = A_ADDR, .prefix = 24 };
	NEED(riad_net_create(pa, "a", &ca, &a) == 0);
	struct riad_udp *u, *other;
	NEED(riad_udp_bind(a, 0, &u) == 0);
	NEED(riad_udp_bind(a, 4000, &other) == 0);
	uint16_t port = riad_udp_port(u);
	const struct riad_udp_stats *st = &riad_net_stats(a)->udp;
	char buf[8];
	/* Before the socket sent anything, nothing is believed. */
	send_unreach(3, A_ADDR, port, PEER, 5000, 8);
	CHECK_INT(st->icmp_ignored, 1);
	/* It sends (the datagram waits for ARP; that does not matter). */
	CHECK_INT(riad_udp_sendto(u, PEER, 5000, "x", 1), 1);
	/* Quotes of what it did not send: ignored, counted, nothing returned. */
	send_unreach(3, A_ADDR, (uint16_t)(port + 1), PEER, 5000, 8); /* another port */
	send_unreach(3, A_ADDR, 4000, PEER, 5000, 8);              /* another socket, which sent nothing */
	send_unreach(3, A_ADDR, port, RIAD_IPV4(10, 0, 0, 8), 5000, 8); /* another peer */
	send_unreach(3, A_ADDR, port, PEER, 5001, 8);              /* another peer port */
	send_unreach(3, RIAD_IPV4(10, 0, 0, 3), port, PEER, 5000, 8); /* not from us (icmp drops it) */
	send_unreach(3, A_ADDR, port, PEER, 5000, 4);              /* truncated quote */
	send_unreach(4, A_ADDR, port, PEER, 5000, 8);              /* needfrag: we never set DF */
	CHECK_INT(st->icmp_ignored, 7);
	CHECK_INT(riad_net_stats(a)->icmp.err_bad, 1);
	CHECK_INT(st->icmp_err, 0);
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ETIMEDOUT);
	CHECK_INT(riad_net_drops(a), 8 + riad_net_stats(a)->arp.unresolved);
	/* Port unreachable about what it sent: returned once, by recvfrom. */
	send_unreach(3, A_ADDR, port, PEER, 5000, 8);
	CHECK_INT(st->icmp_err, 1);
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ECONNREFUSED);
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ETIMEDOUT);
	/* ... or by sendto, which then sends nothing; the next one goes. */
	send_unreach(2, A_ADDR, port, PEER, 5000, 8);
	uint64_t tx = st->tx;
	CHECK_INT(riad_udp_sendto(u, PEER, 5000, "x", 1), -RIAD_ECONNREFUSED);
	CHECK_INT(st->tx, tx);
	CHECK_INT(riad_udp_sendto(u, PEER, 5000, "x", 1), 1);
	/* Network unreachable. */
	send_unreach(0, A_ADDR, port, PEER, 5000, 8);
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ENETUNREACH);
	/* A fiber parked in recvfrom is woken by host unreachable. */
	struct riad_fiber *f = riad_fiber_spawn(unreach_later, (void *)(uintptr_t)port, 0);
	NEED(f);
	int64_t t0 = riad_time_ns();
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, t0 + RIAD_NS_PER_S),
	          -RIAD_EHOSTUNREACH);
	CHECK(riad_time_ns() < t0 + RIAD_NS_PER_S);
	CHECK_INT(riad_fiber_join(f), 0);
	CHECK_INT(st->icmp_err, 4);
	CHECK_INT(st->icmp_ignored, 7);
	riad_udp_close(other);
	riad_udp_close(u);
	return 0;
}

static void udp_icmp_errors(void)
{
	CHECK_INT(riad_sched_run(udp_icmp_main, NULL), 0);
}

/* A UDP datagram from PEER (MAC of raw) to dst with these options, sent on raw. */
static void send_with_options(uint32_t dst, const uint8_t *dst_mac, const uint8_t *opts, size_t olen)
{
	size_t hl = 20 + olen, len = 14 + hl + 8;
	struct riad_pbuf *p = riad_pbuf_alloc(64, len);
	REQUIRE(p);
	uint8_t *f = p->data;
	memset(f, 0, len);
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, riad_netif_mac(raw), 6);
	wire_put16(f + 12, 0x0800);
	uint8_t *h = f + 14;
	ipv4_hdr_write(h, 0, (uint16_t)(hl + 8), 3, 0, 64, 17, PEER, dst);
	h[0] = (uint8_t)(0x40 | hl / 4);
	memcpy(h + 20, opts, olen);
	wire_put16(h + 10, 0);
	wire_put16(h + 10, wire_csum_fold(wire_csum_add(0, h, hl)));
	wire_put16(h + hl, 5000);
	wire_put16(h + hl + 2, 9);
	wire_put16(h + hl + 4, 8);
	riad_netif_send(raw, p);
	riad_sleep_ns(RIAD_NS_PER_MS);
}

/* The glue answers malformed IP options with a parameter problem. */
static int param_problem_main(void *arg)
{
	(void)arg;
	struct riad_netif_switch *sw = riad_netif_switch_new();
	NEED(sw);
	struct riad_netif *pa = riad_netif_switch_port(sw, NULL, 0);
	raw = riad_netif_switch_port(sw, NULL, 0);
	NEED(pa && raw);
	a_mac = riad_netif_mac(pa);
	struct riad_net_config ca = { .addr = A_ADDR, .prefix = 24 };
	NEED(riad_net_create(pa, "a", &ca, &a) == 0);
	/* A learns PEER's MAC from PEER's request for it, so the answer goes at once. */
	struct riad_pbuf *p = riad_pbuf_alloc(64, 42);
	NEED(p);
	uint8_t *f = p->data;
	memset(f, 0, 42);
	memset(f, 0xff, 6);
	memcpy(f + 6, riad_netif_mac(raw), 6);
	wire_put16(f + 12, 0x0806);
	f[15] = 1, f[16] = 8, f[18] = 6, f[19] = 4, f[21] = 1;
	memcpy(f + 22, riad_netif_mac(raw), 6);
	wire_put32(f + 28, PEER);
	wire_put32(f + 38, A_ADDR);
	riad_netif_send(raw, p);
	riad_sleep_ns(RIAD_NS_PER_MS);
	while ((p = riad_netif_recv(raw)) != NULL) /* the reply, gratuitous ARPs */
		riad_pbuf_unref(p);
	/* LSRR of length 2: the pointer names its length octet, 21. */
	static const uint8_t lsrr2[4] = { 131, 2, 1, 0 };
	send_with_options(A_ADDR, a_mac, lsrr2, 4);
	const struct riad_net_stats *st = riad_net_stats(a);
	CHECK_INT(st->ipv4.bad_options, 1);
	CHECK_INT(st->icmp.param_tx, 1);
	int answers = 0;
	while ((p = riad_netif_recv(raw)) != NULL) {
		f = p->data;
		if (p->len >= 14 + 20 + 8 + 28 && wire_get16(f + 12) == 0x0800 && f[14 + 9] == 1) {
			answers++;
			CHECK_INT(wire_get32(f + 14 + 12), A_ADDR);
			CHECK_INT(wire_get32(f + 14 + 16), PEER);
			CHECK_INT(f[34], 12);
			CHECK_INT(f[35], 0);
			CHECK_INT(f[38], 21);
			CHECK_INT(wire_get32(f + 42 + 12), PEER); /* the quoted header */
		}
		riad_pbuf_unref(p);
	}
	CHECK_INT(answers, 1);
	/* To the broadcast address: dropped and counted, not answered. */
	static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	send_with_options(RIAD_IPV4(255, 255, 255, 255), bcast_mac, lsrr2, 4);
	CHECK_INT(st->ipv4.bad_options, 2);
	CHECK_INT(st->icmp.param_tx, 1);
	CHECK_INT(st->icmp.err_suppressed, 1);
	/* Well-formed options: delivered (to no port: port unreachable). */
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
	send_with_options(A_ADDR, a_mac, rr, 8);
	CHECK_INT(st->ipv4.bad_options, 2);
	CHECK_INT(st->udp.no_port, 1);
	while ((p = riad_netif_recv(raw)) != NULL)
		riad_pbuf_unref(p);
	return 0;
}

static void malformed_options_answered(void)
{
	CHECK_INT(riad_sched_run(param_problem_main, NULL), 0);
}

/* ---- TCP ---- */

#define TCP_BYTES (1000 * 1000)

static int echo_server(void *arg)
{
	struct riad_tcp_listener *l = arg;
	struct riad_tcp *c;
	if (riad_tcp_accept(l, &c, RIAD_TIME_NEVER) < 0)
		return -1;
	uint32_t raddr;
	riad_tcp_endpoints(c, NULL, NULL, &raddr, NULL);
	static char buf[5000];
	long total = 0, n;
	while ((n = riad_tcp_read(c, buf, sizeof(buf), RIAD_TIME_NEVER)) > 0) {
		total += n;
		if (riad_tcp_write(c, buf, (size_t)n, RIAD_TIME_NEVER) != n)
			return -2;
	}
	riad_tcp_close(c);
	return raddr == A_ADDR && n == 0 ? (int)(total / 1000) : -3;
}

static int tcp_main(void *arg)
{
	(void)arg;
	two_stacks();
	struct riad_tcp_listener *l, *l2;
	NEED(riad_tcp_listen(b, 80, 8, &l) == 0);
	CHECK_INT(riad_tcp_listen(b, 80, 8, &l2), -RIAD_EADDRINUSE);
	struct riad_fiber *srv = riad_fiber_spawn(echo_server, l, 0);
	struct riad_tcp *c;
	NEED(riad_tcp_connect(a, B_ADDR, 80, &c, riad_time_ns() + 5 * RIAD_NS_PER_S) == 0);
	riad_tcp_set_nodelay(c, true);
	riad_tcp_set_keepalive(c, true, 0, 0, 0);
	uint16_t rport;
	riad_tcp_endpoints(c, NULL, NULL, NULL, &rport);
	CHECK_INT(rport, 80);
	char *out = malloc(TCP_BYTES), *in = malloc(TCP_BYTES);
	NEED(out && in);
	for (size_t i = 0; i < TCP_BYTES; i++)
		out[i] = (char)(i * 31 + i / 4096);
	/* Write and read in turns, so that neither side's buffers fill for ever. */
	size_t sent = 0, got = 0;
	while (got < TCP_BYTES) {
		if (sent < TCP_BYTES) {
			size_t k = TCP_BYTES - sent < 20000 ? TCP_BYTES - sent : 20000;
			NEED(riad_tcp_write(c, out + sent, k, riad_time_ns() + RIAD_NS_PER_S) == (long)k);
			sent += k;
			if (sent == TCP_BYTES)
				CHECK_INT(riad_tcp_shutdown(c), 0);
		}
		while (got < sent) {
			long n = riad_tcp_read(c, in + got, TCP_BYTES - got, riad_time_ns() + RIAD_NS_PER_S);
			NEED(n > 0);
			got += (size_t)n;
			if (got + 20000 < sent)
				continue;
			break;
		}
	}
	CHECK(memcmp(in, out, TCP_BYTES) == 0);
	char x;
	CHECK_INT(riad_tcp_read(c, &x, 1, riad_time_ns() + RIAD_NS_PER_S), 0);
	CHECK_INT(riad_fiber_join(srv), TCP_BYTES / 1000);
	riad_tcp_close(c);
	free(out);
	free(in);
	/* A port nobody listens on refuses; a deadline ends a connect to a
	 * host that does not answer. */
	CHECK_INT(riad_tcp_connect(a, B_ADDR, 81, &c, riad_time_ns() + RIAD_NS_PER_S), -RIAD_ECONNREFUSED);
	int64_t t0 = riad_time_ns();
	CHECK_INT(riad_tcp_connect(a, RIAD_IPV4(10, 0, 0, 99), 80, &c, t0 + 2 * RIAD_NS_PER_S),
	          -RIAD_ETIMEDOUT);
	CHECK(riad_time_ns() >= t0 + 2 * RIAD_NS_PER_S);
	struct riad_tcp *none;
	CHECK_INT(riad_tcp_accept(l, &none, riad_time_ns() + 10 * RIAD_NS_PER_MS), -RIAD_ETIMEDOUT);
	riad_tcp_listener_close(l);
	CHECK_INT(riad_net_stats(b)->tcp.established, 1);
	CHECK(riad_net_stats(a)->tcp.rx_bytes == TCP_BYTES);
	return 0;
}

static void tcp_between_two_stacks(void)
{
	CHECK_INT(riad_sched_run(tcp_main, NULL), 0);
}

/* ---- DHCP without a server, stats ---- */

static int dhcp_main(void *arg)
{
	(void)arg;
	struct riad_netif_switch *sw = riad_netif_switch_new();
	struct riad_net_config cfg = { .dhcp = true };
	struct riad_net *n;
	NEED(riad_net_create(riad_netif_switch_port(sw, NULL, 0), NULL, &cfg, &n) == 0);
	CHECK(strncmp(riad_net_name(n), "sw", 2) == 0);
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "[net] %s: ", riad_net_name(n));
	int64_t t0 = riad_time_ns();
	CHECK_INT(riad_net_wait_up(n, t0 + 30 * RIAD_NS_PER_S), -RIAD_ETIMEDOUT);
	/* DISCOVER at once, again after about 4 s, 8 s, 16 s. */
	CHECK(riad_net_stats(n)->dhcp.tx >= 3 && riad_net_stats(n)->dhcp.tx <= 5);
	struct riad_udp *u;
	CHECK_INT(riad_udp_bind(n, 68, &u), -RIAD_EADDRINUSE);
	NEED(riad_udp_bind(n, 5000, &u) == 0);
	CHECK_INT(riad_udp_sendto(u, RIAD_IPV4(10, 0, 0, 1), 7, "x", 1), -RIAD_ENETUNREACH);
	riad_udp_close(u);
	fake_console_take();
	riad_net_log_stats(n, RIAD_LOG_INFO);
	const char *log = fake_console_take();
	char want[96];
	snprintf(want, sizeof(want), "%sdhcp: tx=", prefix);
	CHECK(strstr(log, want) != NULL);
	snprintf(want, sizeof(want), "%sdrops: 0", prefix);
	CHECK(strstr(log, want) != NULL);
	struct riad_net_config bad = { .addr = 1, .prefix = 33 };
	CHECK_INT(riad_net_create(riad_netif_switch_port(sw, NULL, 0), NULL, &bad, &n), -RIAD_EINVAL);
	return 0;
}

static void dhcp_without_server_times_out(void)
{
	CHECK_INT(riad_sched_run(dhcp_main, NULL), 0);
}

/* ---- closing a stack ---- */

/* Fibers parked in a call on the stack that is closed under them; each
 * returns what its call returned. */
static int park_udp(void *arg)
{
	char buf[8];
	return (int)riad_udp_recvfrom(arg, buf, sizeof(buf), NULL, NULL, RIAD_TIME_NEVER);
}

static int park_read(void *arg)
{
	char buf[8];
	return (int)riad_tcp_read(arg, buf, sizeof(buf), RIAD_TIME_NEVER);
}

static int park_accept(void *arg)
{
	struct riad_tcp *c;
	return riad_tcp_accept(arg, &c, RIAD_TIME_NEVER);
}

static int park_up(void *arg)
{
	return riad_net_wait_up(arg, RIAD_TIME_NEVER);
}

static int close_main(void *arg)
{
	(void)arg;
	size_t live = riad_pbuf_live();
	struct riad_netif_switch *sw = riad_netif_switch_new();
	NEED(sw);
	struct riad_net_config ca = { .addr = A_ADDR, .prefix = 24 };
	struct riad_net_config cb = { .addr = B_ADDR, .prefix = 24 };
	struct riad_net_config cnone = { 0 };
	struct riad_net *sa, *sb, *sc;
	NEED(riad_net_create(riad_netif_switch_port(sw, NULL, 0), "a", &ca, &sa) == 0);
	NEED(riad_net_create(riad_netif_switch_port(sw, NULL, 0), "b", &cb, &sb) == 0);
	NEED(riad_net_create(riad_netif_switch_port(sw, NULL, 0), "c", &cnone, &sc) == 0);

	/* On b: a connection from a with a parked reader, one with unread data, a listener, a UDP
	 * socket with a datagram queued and one with a parked receiver. */
	struct riad_tcp_listener *l, *l2;
	NEED(riad_tcp_listen(sb, 80, 4, &l) == 0);
	NEED(riad_tcp_listen(sb, 81, 4, &l2) == 0);
	struct riad_tcp *c_a, *c_b, *c_a2, *c_b2;
	int64_t dl = riad_time_ns() + RIAD_NS_PER_S;
	NEED(riad_tcp_connect(sa, B_ADDR, 80, &c_a, dl) == 0);
	NEED(riad_tcp_accept(l, &c_b, dl) == 0);
	NEED(riad_tcp_connect(sa, B_ADDR, 80, &c_a2, dl) == 0);
	NEED(riad_tcp_accept(l, &c_b2, dl) == 0);
	CHECK_INT(riad_tcp_write(c_a2, "unread", 6, dl), 6);
	struct riad_udp *u_a, *u_q, *u_p;
	NEED(riad_udp_bind(sa, 0, &u_a) == 0);
	NEED(riad_udp_bind(sb, 7, &u_q) == 0);
	NEED(riad_udp_bind(sb, 8, &u_p) == 0);
	CHECK_INT(riad_udp_sendto(u_a, B_ADDR, 7, "queued", 6), 6);
	riad_sleep_ns(RIAD_NS_PER_S / 100); /* the datagram and the data arrive */
	struct riad_fiber *f_udp = riad_fiber_spawn(park_udp, u_p, 0);
	struct riad_fiber *f_read = riad_fiber_spawn(park_read, c_b, 0);
	struct riad_fiber *f_acc = riad_fiber_spawn(park_accept, l2, 0);
	struct riad_fiber *f_peer = riad_fiber_spawn(park_read, c_a, 0);
	struct riad_fiber *f_up = riad_fiber_spawn(park_up, sc, 0);
	NEED(f_udp && f_read && f_acc && f_peer && f_up);
	riad_fiber_yield(); /* every one of them parks */

	CHECK_INT(riad_net_close(sb), 0);
	CHECK_INT(riad_net_close(sc), 0);
	CHECK_INT(riad_fiber_join(f_udp), -RIAD_ENETDOWN);
	CHECK_INT(riad_fiber_join(f_read), -RIAD_ENETDOWN);
	CHECK_INT(riad_fiber_join(f_acc), -RIAD_ENETDOWN);
	CHECK_INT(riad_fiber_join(f_up), -RIAD_ENETDOWN);
	/* The peer got a RST. */
	CHECK_INT(riad_fiber_join(f_peer), -RIAD_ECONNRESET);

	/* The handles stay valid until closed, and say the stack is down. */
	CHECK_INT(riad_udp_sendto(u_q, A_ADDR, 9, "x", 1), -RIAD_ENETDOWN);
	char buf[8];
	CHECK_INT(riad_udp_recvfrom(u_q, buf, sizeof(buf), NULL, NULL, 0), -RIAD_ENETDOWN);
	CHECK_INT(riad_tcp_write(c_b, "x", 1, 0), -RIAD_ENETDOWN);
	CHECK_INT(riad_tcp_shutdown(c_b), -RIAD_ENETDOWN);
	uint32_t laddr, raddr;
	uint16_t lport;
	riad_tcp_endpoints(c_b, &laddr, &lport, &raddr, NULL);
	CHECK_INT(laddr, B_ADDR);
	CHECK_INT(lport, 80);
	CHECK_INT(raddr, A_ADDR);
	riad_udp_close(u_q);
	riad_udp_close(u_p);
	riad_tcp_close(c_b);
	riad_tcp_listener_close(l);
	riad_tcp_listener_close(l2);
	riad_tcp_close(c_a);
	riad_tcp_close(c_b2);
	riad_tcp_close(c_a2);

	/* The same interface again, on a port of the same switch, works. */
	NEED(riad_net_create(riad_netif_switch_port(sw, NULL, 0), "b", &cb, &sb) == 0);
	dl = riad_time_ns() + RIAD_NS_PER_S;
	NEED(riad_tcp_listen(sb, 80, 4, &l) == 0);
	NEED(riad_tcp_connect(sa, B_ADDR, 80, &c_a, dl) == 0);
	NEED(riad_tcp_accept(l, &c_b, dl) == 0);
	CHECK_INT(riad_tcp_write(c_a, "again", 5, dl), 5);
	CHECK_INT(riad_tcp_read(c_b, buf, sizeof(buf), dl), 5);
	CHECK_MEM(buf, "again", 5);
	NEED(riad_udp_bind(sb, 7, &u_q) == 0);
	CHECK_INT(riad_udp_sendto(u_a, B_ADDR, 7, "dgram", 5), 5);
	CHECK_INT(riad_udp_recvfrom(u_q, buf, sizeof(buf), NULL, NULL, dl), 5);
	/* Closing a stack before its sockets; then the other. */
	CHECK_INT(riad_net_close(sb), 0);
	riad_udp_close(u_q);
	riad_tcp_close(c_b);
	riad_tcp_listener_close(l);
	riad_tcp_close(c_a);
	riad_udp_close(u_a);
	CHECK_INT(riad_net_close(sa), 0);
	/* No pbuf left: not in TCP, ARP, reassembly, UDP queues or the
	 * switch ports (closed with the stacks). */
	CHECK_INT(riad_pbuf_live(), live);
	riad_netif_switch_free(sw);
	return 0;
}

static void close_takes_everything_down(void)
{
	CHECK_INT(riad_sched_run(close_main, NULL), 0);
}

/* ---- RIAD_ARG_IPV4 ---- */

RIAD_ARG_IPV4(t_addr, "addr", "10.0.0.2/24", "test");
RIAD_ARG_IPV4(t_gw, "gw", NULL, "test");

static int parse(int argc, const char **args)
{
	static struct riad_arg *table[2];
	table[0] = &t_addr_riad_arg_;
	table[1] = &t_gw_riad_arg_;
	char *argv[16];
	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	int app_argc;
	char **app_argv;
	return riad_args_parse(table, table + 2, argc, argv, &app_argc, &app_argv);
}

static void ipv4_option_type(void)
{
	CHECK_INT(parse(1, (const char *[]){ "t" }), 0);
	CHECK(t_addr.set && t_addr.addr == RIAD_IPV4(10, 0, 0, 2) && t_addr.prefix == 24);
	CHECK(!t_gw.set && t_gw.prefix == -1);
	CHECK_INT(parse(4, (const char *[]){ "t", "--addr=192.168.1.10", "--gw", "0.0.0.0/0" }), 0);
	CHECK(t_addr.addr == RIAD_IPV4(192, 168, 1, 10) && t_addr.prefix == -1);
	CHECK(t_gw.set && t_gw.addr == 0 && t_gw.prefix == 0);
	CHECK_INT(parse(2, (const char *[]){ "t", "--addr=255.255.255.255/32" }), 0);
	CHECK(t_addr.addr == 0xffffffffu && t_addr.prefix == 32);
	static const char *const bad[] = {
		"--addr=", "--addr=10.0.0", "--addr=10.0.0.256", "--addr=10.0.0.1/33", "--addr=010.0.0.1",
		"--addr=10.0.0.1/", "--addr=10.0.0.1/08", "--addr=10..0.1", "--addr=a.b.c.d",
		"--addr=10.0.0.1x", "--addr=1.2.3.4.5", "--addr=10.0.0.1/24/1", "--addr=99999.1.1.1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake_console_take();
		CHECK_INT(parse(2, (const char *[]){ "t", bad[i] }), 64);
		CHECK(strstr(fake_console_take(), "option '--addr'") != NULL);
	}
	/* riad_ipv4_parse and _format, the API's own. */
	uint32_t v;
	char text[RIAD_IPV4_STRLEN];
	CHECK_INT(riad_ipv4_parse("172.16.254.1", &v), 0);
	CHECK_STR(riad_ipv4_format(v, text), "172.16.254.1");
	CHECK_INT(riad_ipv4_parse("172.16.254", &v), -RIAD_EINVAL);
	CHECK_INT(riad_ipv4_parse("1.2.3.256", &v), -RIAD_EINVAL);
	CHECK_STR(riad_ipv4_format(RIAD_IPV4_BROADCAST, text), "255.255.255.255");
}

/* ---- the common layer over a stack of the test's own (riad/net.h's ops) ---- */

/* A fake implementation: records the calls, never has data unless told. */
struct fake_net {
	struct riad_net h;
	bool up;
	unsigned calls;          /* ops called (but close and free) */
	unsigned calls_after_down;
	bool freed;
	int have_dgram;          /* recvfrom returns this many bytes once, if > 0 */
	size_t write_room;       /* bytes write takes per call before -EAGAIN */
};

struct fake_udp {
	struct riad_udp h;
	struct riad_waitq rq;
	struct fake_net *net;
};

struct fake_tcp {
	struct riad_tcp h;
	struct riad_waitq q;
	struct fake_net *net;
	size_t room;
};

static struct fake_net *fake_of(struct riad_net *h)
{
	return (struct fake_net *)h;
}

static void fake_call(struct fake_net *f)
{
	f->calls++;
	if (f->h.down)
		f->calls_after_down++;
}

static bool fake_up(struct riad_net *h)
{
	fake_call(fake_of(h));
	return fake_of(h)->up;
}

static void fake_ipv4(const struct riad_net *h, uint32_t *addr, unsigned *p, uint32_t *g)
{
	(void)h;
	*addr = RIAD_IPV4(192, 0, 2, 1);
	*p = 24;
	*g = 0;
}

static struct fake_udp *fake_the_udp;
static struct fake_tcp *fake_the_tcp;

static void fake_down(struct riad_net *h)
{
	if (fake_the_udp)
		riad_waitq_wake_all(&fake_the_udp->rq);
	if (fake_the_tcp)
		riad_waitq_wake_all(&fake_the_tcp->q);
	(void)h;
}

static void fake_free(struct riad_net *h)
{
	fake_of(h)->freed = true;
}

static int fake_udp_bind(struct riad_net *h, uint16_t port, struct riad_udp **out)
{
	struct fake_net *f = fake_of(h);
	fake_call(f);
	struct fake_udp *u = calloc(1, sizeof(*u));
	u->h.rq = &u->rq;
	u->h.port = port ? port : 49152;
	u->net = f;
	fake_the_udp = u;
	*out = &u->h;
	return 0;
}

static long fake_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                            size_t len)
{
	(void)dst, (void)dport, (void)buf;
	fake_call(((struct fake_udp *)u)->net);
	return (long)len;
}

static long fake_udp_recvfrom(struct riad_udp *hu, void *buf, size_t len, uint32_t *src,
                              uint16_t *sport)
{
	struct fake_udp *u = (struct fake_udp *)hu;
	(void)buf, (void)len, (void)src, (void)sport;
	fake_call(u->net);
	if (u->net->have_dgram > 0) {
		long n = u->net->have_dgram;
		u->net->have_dgram = 0;
		return n;
	}
	return -RIAD_EAGAIN;
}

static void fake_udp_close(struct riad_udp *u)
{
	if (fake_the_udp == (struct fake_udp *)u)
		fake_the_udp = NULL;
	free(u);
}

static int fake_tcp_listen(struct riad_net *h, uint16_t port, unsigned backlog,
                           struct riad_tcp_listener **out)
{
	(void)h, (void)port, (void)backlog, (void)out;
	return -RIAD_EADDRINUSE;
}

static int fake_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out)
{
	(void)l, (void)out;
	return -RIAD_EAGAIN;
}

static void fake_tcp_listener_close(struct riad_tcp_listener *l)
{
	(void)l;
}

static int fake_tcp_connect(struct riad_net *h, uint32_t dst, uint16_t port,
                            struct riad_tcp **out)
{
	struct fake_net *f = fake_of(h);
	fake_call(f);
	struct fake_tcp *c = calloc(1, sizeof(*c));
	c->h.rq = c->h.wq = &c->q;
	c->h.raddr = dst;
	c->h.rport = port;
	c->net = f;
	fake_the_tcp = c;
	*out = &c->h;
	return 0;
}

static int fake_tcp_connected(struct riad_tcp *c)
{
	fake_call(((struct fake_tcp *)c)->net);
	return 0;
}

static long fake_tcp_read(struct riad_tcp *c, void *buf, size_t len)
{
	(void)buf, (void)len;
	fake_call(((struct fake_tcp *)c)->net);
	return -RIAD_EAGAIN;
}

static bool fake_tcp_readable(struct riad_tcp *c)
{
	fake_call(((struct fake_tcp *)c)->net);
	return false;
}

/* Takes at most 3 bytes a call, write_room bytes in all until told again. */
static long fake_tcp_write(struct riad_tcp *hc, const void *buf, size_t len)
{
	struct fake_tcp *c = (struct fake_tcp *)hc;
	(void)buf;
	fake_call(c->net);
	if (c->net->write_room == 0)
		return -RIAD_EAGAIN;
	size_t n = len < 3 ? len : 3;
	n = n < c->net->write_room ? n : c->net->write_room;
	c->net->write_room -= n;
	return (long)n;
}

static int fake_tcp_shutdown(struct riad_tcp *c)
{
	fake_call(((struct fake_tcp *)c)->net);
	return 0;
}

static void fake_tcp_close(struct riad_tcp *c, bool abort)
{
	(void)abort;
	if (fake_the_tcp == (struct fake_tcp *)c)
		fake_the_tcp = NULL;
	free(c);
}

static void fake_tcp_set_nodelay(struct riad_tcp *c, bool on)
{
	(void)on;
	fake_call(((struct fake_tcp *)c)->net);
}

static void fake_tcp_set_keepalive(struct riad_tcp *c, bool on, int64_t idle, int64_t intvl,
                                   unsigned probes)
{
	(void)on, (void)idle, (void)intvl, (void)probes;
	fake_call(((struct fake_tcp *)c)->net);
}

static const struct riad_net_ops fake_ops = {
	.up = fake_up,
	.ipv4 = fake_ipv4,
	.down = fake_down,
	.free = fake_free,
	.udp_bind = fake_udp_bind,
	.udp_sendto = fake_udp_sendto,
	.udp_recvfrom = fake_udp_recvfrom,
	.udp_close = fake_udp_close,
	.tcp_listen = fake_tcp_listen,
	.tcp_accept = fake_tcp_accept,
	.tcp_listener_close = fake_tcp_listener_close,
	.tcp_connect = fake_tcp_connect,
	.tcp_connected = fake_tcp_connected,
	.tcp_read = fake_tcp_read,
	.tcp_readable = fake_tcp_readable,
	.tcp_write = fake_tcp_write,
	.tcp_shutdown = fake_tcp_shutdown,
	.tcp_close = fake_tcp_close,
	.tcp_set_nodelay = fake_tcp_set_nodelay,
	.tcp_set_keepalive = fake_tcp_set_keepalive,
};

static int fake_make_up(void *arg)
{
	struct fake_net *f = arg;
	riad_sleep_ns(RIAD_NS_PER_S);
	f->up = true;
	riad_waitq_wake_all(&f->h.up_wq);
	return 0;
}

static int fake_main(void *arg)
{
	(void)arg;
	static struct fake_net f;
	riad_net_init(&f.h, &fake_ops, "fake", "fake0");
	struct riad_net *n = &f.h;
	CHECK_STR(riad_net_name(n), "fake0");
	int64_t t0 = riad_time_ns();
	/* wait_up: the deadline, then woken by the implementation. */
	CHECK_INT(riad_net_wait_up(n, t0 + RIAD_NS_PER_S / 2), -RIAD_ETIMEDOUT);
	CHECK(riad_time_ns() >= t0 + RIAD_NS_PER_S / 2);
	struct riad_fiber *upf = riad_fiber_spawn(fake_make_up, &f, 0);
	CHECK_INT(riad_net_wait_up(n, RIAD_TIME_NEVER), 0);
	riad_fiber_join(upf);
	uint32_t addr;
	riad_net_ipv4(n, &addr, NULL, NULL);
	CHECK(addr == RIAD_IPV4(192, 0, 2, 1));

	/* UDP: checks before the op, the op's -EAGAIN turned into parking. */
	struct riad_udp *u;
	NEED(riad_udp_bind(n, 0, &u) == 0);
	CHECK(u->net == n && riad_udp_port(u) == 49152);
	unsigned calls = f.calls;
	char big[1];
	CHECK_INT(riad_udp_sendto(u, 1, 7, big, 65508), -RIAD_EMSGSIZE);
	CHECK_INT(riad_udp_sendto(u, 1, 0, big, 1), -RIAD_EINVAL);
	CHECK_INT(f.calls, calls); /* refused without calling the implementation */
	CHECK_INT(riad_udp_sendto(u, 1, 7, big, 1), 1);
	char buf[16];
	t0 = riad_time_ns();
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, t0 + RIAD_NS_PER_S), -RIAD_ETIMEDOUT);
	CHECK(riad_time_ns() >= t0 + RIAD_NS_PER_S);
	f.have_dgram = 5;
	CHECK_INT(riad_udp_recvfrom(u, buf, sizeof(buf), NULL, NULL, t0), 5); /* deadline past: tries once */

	/* TCP write: partial progress summed, then the bytes taken at the deadline. */
	struct riad_tcp *c;
	NEED(riad_tcp_connect(n, RIAD_IPV4(192, 0, 2, 9), 80, &c, RIAD_TIME_NEVER) == 0);
	uint16_t rp;
	riad_tcp_endpoints(c, NULL, NULL, NULL, &rp);
	CHECK_INT(rp, 80);
	f.write_room = 100;
	CHECK_INT(riad_tcp_write(c, "0123456789", 10, RIAD_TIME_NEVER), 10);
	f.write_room = 4;
	CHECK_INT(riad_tcp_write(c, "0123456789", 10, riad_time_ns() + RIAD_NS_PER_S), 4);
	CHECK_INT(riad_tcp_write(c, "0123456789", 10, riad_time_ns() + RIAD_NS_PER_S), -RIAD_ETIMEDOUT);
	CHECK_INT(riad_tcp_read(c, buf, 0, RIAD_TIME_NEVER), -RIAD_EINVAL);
	struct riad_tcp_listener *l;
	CHECK_INT(riad_tcp_listen(n, 0, 1, &l), -RIAD_EINVAL);
	CHECK_INT(riad_tcp_listen(n, 80, 1, &l), -RIAD_EADDRINUSE);

	/* Close: parked fibers return -ENETDOWN, no op runs again but the
	 * closes, the memory goes with the last handle. */
	struct riad_fiber *fu = riad_fiber_spawn(park_udp, u, 0);
	struct riad_fiber *fr = riad_fiber_spawn(park_read, c, 0);
	riad_sleep_ns(RIAD_NS_PER_MS);
	CHECK_INT(riad_net_close(n), 0);
	CHECK_INT(riad_fiber_join(fu), -RIAD_ENETDOWN);
	CHECK_INT(riad_fiber_join(fr), -RIAD_ENETDOWN);
	CHECK_INT(riad_net_wait_up(n, RIAD_TIME_NEVER), -RIAD_ENETDOWN);
	CHECK_INT(riad_udp_sendto(u, 1, 7, big, 1), -RIAD_ENETDOWN);
	CHECK_INT(riad_tcp_write(c, "x", 1, RIAD_TIME_NEVER), -RIAD_ENETDOWN);
	CHECK_INT(riad_tcp_shutdown(c), -RIAD_ENETDOWN);
	riad_tcp_set_nodelay(c, true);
	riad_net_ipv4(n, &addr, NULL, NULL);
	CHECK(addr == 0);
	CHECK_INT(f.calls_after_down, 0);
	riad_tcp_close(c);
	CHECK(!f.freed);
	riad_udp_close(u);
	CHECK(f.freed);
	return 0;
}

static void ops_common_layer(void)
{
	CHECK_INT(riad_sched_run(fake_main, NULL), 0);
}

int main(void)
{
	riad_random_boot();
	RUN(ipv4_option_type);
	RUN(udp_between_two_stacks);
	RUN(udp_queue_is_bounded);
	RUN(udp_icmp_errors);
	RUN(malformed_options_answered);
	RUN(tcp_between_two_stacks);
	RUN(dhcp_without_server_times_out);
	RUN(close_takes_everything_down);
	RUN(ops_common_layer);
	return check_done();
}
