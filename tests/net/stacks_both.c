/* tests/net/stacks_both.c: riad's own stack and the host-socket stack in one
 * unikernel, talking to each other, built by tests/net/stacks.t with plain
 * `riad build -t unix` and run inside a network namespace with the tap of
 * interface `tap` (riad's stack, --tap-ipv4) whose other end is the host
 * kernel's (--peer, the address the host stack is reached at). A TCP
 * connection each way (the host stack to riad's, riad's to the host
 * stack), with different bytes in each direction compared byte for byte;
 * a UDP datagram each way; the names of the two kinds do not mix; both
 * stacks close. Prints one "CHECK ok NAME" or "CHECK bad NAME (detail)"
 * line per check and "DONE" at the end; stacks.t turns them into PASS and
 * FAIL.
 */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(tap);

RIAD_ARG_INT(port, "port", 0, "The first of the four ports to use.");
RIAD_ARG_STRING(peer, "peer", "", "The host kernel's address on the tap.");
RIAD_ARG_INT(bytes, "bytes", 200000, "Bytes sent each way on each TCP connection.");

static int checks_bad;

static void expect(bool ok, const char *name, long got)
{
	if (ok) {
		printf("CHECK ok %s\n", name);
	} else {
		printf("CHECK bad %s (got %ld)\n", name, got);
		checks_bad++;
	}
	fflush(stdout);
}

/* The byte at offset i of the stream with this seed: both ends compute it. */
static uint8_t pattern(unsigned seed, size_t i)
{
	uint32_t x = (uint32_t)(i * 2654435761u) ^ seed;
	x ^= x >> 13;
	return (uint8_t)(x * 0x5bd1e995u >> 24);
}

struct sender {
	struct riad_tcp *c;
	unsigned seed;
	long result; /* bytes written, or the error */
};

static int send_fiber(void *arg)
{
	struct sender *s = arg;
	uint8_t buf[4096];
	size_t done = 0, total = (size_t)bytes;
	int64_t deadline = riad_time_ns() + 20 * RIAD_NS_PER_S;
	while (done < total) {
		size_t n = total - done < sizeof(buf) ? total - done : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(s->seed, done + i);
		long r = riad_tcp_write(s->c, buf, n, deadline);
		if (r < 0) {
			s->result = r;
			return 0;
		}
		done += (size_t)r;
	}
	s->result = riad_tcp_shutdown(s->c) < 0 ? -1 : (long)done;
	return 0;
}

/* Read until the end of the stream, comparing with the pattern of seed:
 * the bytes read if all matched, else -1 (or the error). */
static long recv_check(struct riad_tcp *c, unsigned seed)
{
	uint8_t buf[4096];
	size_t got = 0;
	int64_t deadline = riad_time_ns() + 20 * RIAD_NS_PER_S;
	for (;;) {
		long r = riad_tcp_read(c, buf, sizeof(buf), deadline);
		if (r < 0)
			return r;
		if (r == 0)
			return (long)got;
		for (long i = 0; i < r; i++)
			if (buf[i] != pattern(seed, got + (size_t)i))
				return -1;
		got += (size_t)r;
	}
}

/* Both directions of one connection at once: a in one fiber writing seed
 * sa while b reads it, b in another writing sb while a reads it. */
static void exchange(struct riad_tcp *a, struct riad_tcp *b, const char *what)
{
	struct sender sa = { a, 0x1234u, 0 }, sb = { b, 0xabcdu, 0 };
	struct riad_fiber *fa = riad_fiber_spawn(send_fiber, &sa, 0);
	struct riad_fiber *fb = riad_fiber_spawn(send_fiber, &sb, 0);
	long rb = recv_check(b, sa.seed);
	long ra = recv_check(a, sb.seed);
	riad_fiber_join(fa);
	riad_fiber_join(fb);
	char name[128];
	snprintf(name, sizeof(name), "%s: the connecting side's bytes arrive intact", what);
	expect(sa.result == bytes && rb == bytes, name, rb);
	snprintf(name, sizeof(name), "%s: the accepting side's bytes arrive intact", what);
	expect(sb.result == bytes && ra == bytes, name, ra);
}

/* A TCP connection from `from` to `to` (listening on lport, reached at
 * addr), bytes both ways. */
static void tcp_between(struct riad_net *from, struct riad_net *to, uint32_t addr,
                        uint16_t lport, const char *what)
{
	int64_t soon = riad_time_ns() + 5 * RIAD_NS_PER_S;
	struct riad_tcp_listener *l;
	struct riad_tcp *c = NULL, *s = NULL;
	char name[128];
	int r = riad_tcp_listen(to, lport, 4, &l);
	snprintf(name, sizeof(name), "%s: listen", what);
	expect(r == 0, name, r);
	if (r < 0)
		return;
	r = riad_tcp_connect(from, addr, lport, &c, soon);
	snprintf(name, sizeof(name), "%s: connect", what);
	expect(r == 0, name, r);
	if (r == 0) {
		r = riad_tcp_accept(l, &s, soon);
		snprintf(name, sizeof(name), "%s: accept", what);
		expect(r == 0, name, r);
	}
	if (c && s) {
		uint32_t la, ra;
		uint16_t lp, rp, slp, srp;
		riad_tcp_endpoints(c, &la, &lp, &ra, &rp);
		riad_tcp_endpoints(s, NULL, &slp, NULL, &srp);
		snprintf(name, sizeof(name), "%s: the endpoints match", what);
		expect(ra == addr && rp == lport && slp == lport && srp == lp, name, rp);
		exchange(c, s, what);
	}
	if (c)
		riad_tcp_close(c);
	if (s)
		riad_tcp_close(s);
	riad_tcp_listener_close(l);
}

/* One datagram from `from` (bound to fport) to `to` (bound to tport,
 * reached at addr); the receiver sees the sender at from_addr:fport. */
static void udp_between(struct riad_udp *from, struct riad_udp *to, uint32_t addr,
                        uint32_t from_addr, const char *text, const char *what)
{
	char name[128], buf[256];
	size_t len = strlen(text);
	long r = riad_udp_sendto(from, addr, riad_udp_port(to), text, len);
	snprintf(name, sizeof(name), "%s: sendto", what);
	expect(r == (long)len, name, r);
	uint32_t src = 0;
	uint16_t sport = 0;
	r = riad_udp_recvfrom(to, buf, sizeof(buf), &src, &sport,
	                      riad_time_ns() + 5 * RIAD_NS_PER_S);
	snprintf(name, sizeof(name), "%s: the datagram arrives intact, from the sender", what);
	expect(r == (long)len && memcmp(buf, text, len) == 0 && src == from_addr &&
	               sport == riad_udp_port(from),
	       name, r);
}

int main(void)
{
	uint32_t peer_addr;
	if (riad_ipv4_parse(peer, &peer_addr) < 0 || port <= 0 || port > 65530) {
		printf("usage: --port=P --peer=A.B.C.D\n");
		return 2;
	}
	int64_t soon = riad_time_ns() + 5 * RIAD_NS_PER_S;
	struct riad_net *own, *host, *again;
	int r = riad_net_open("tap", &own);
	expect(r == 0, "riad's own stack opens on the tap", r);
	if (r < 0)
		return 1;
	r = riad_net_open_host("host", &host);
	expect(r == 0, "the host-socket stack opens next to it", r);
	if (r < 0)
		return 1;
	r = riad_net_wait_up(own, soon);
	expect(r == 0, "riad's stack is up", r);
	expect(riad_net_wait_up(host, soon) == 0, "the host stack is up", 0);
	uint32_t own_addr = 0;
	riad_net_ipv4(own, &own_addr, NULL, NULL);
	r = riad_net_open("tap", &again);
	expect(r == 0 && again == own, "riad_net_open gives the open stack again", r);
	r = riad_net_open_host("host", &again);
	expect(r == 0 && again == host, "riad_net_open_host gives the open stack again", r);
	r = riad_net_open("host", &again);
	expect(r == -RIAD_EBUSY, "riad_net_open on the host stack's name: -EBUSY", r);
	r = riad_net_open_host("tap", &again);
	expect(r == -RIAD_EBUSY, "riad_net_open_host on riad's stack's name: -EBUSY", r);

	uint16_t p = (uint16_t)port;
	tcp_between(host, own, own_addr, p, "TCP host stack -> riad's stack");
	tcp_between(own, host, peer_addr, (uint16_t)(p + 1), "TCP riad's stack -> host stack");

	struct riad_udp *uo, *uh;
	r = riad_udp_bind(own, (uint16_t)(p + 2), &uo);
	expect(r == 0, "UDP: bind on riad's stack", r);
	int r2 = riad_udp_bind(host, (uint16_t)(p + 3), &uh);
	expect(r2 == 0, "UDP: bind on the host stack", r2);
	if (r == 0 && r2 == 0) {
		udp_between(uh, uo, own_addr, peer_addr, "from the host's sockets",
		            "UDP host stack -> riad's stack");
		udp_between(uo, uh, peer_addr, own_addr, "from riad's own stack",
		            "UDP riad's stack -> host stack");
	}
	const struct riad_net_stats *so = riad_net_stats(own), *sh = riad_net_stats(host);
	expect(so->tcp.passive_opens >= 1 && sh->tcp.passive_opens >= 1 && sh->udp.rx >= 1,
	       "each stack counts in its own counters", (long)sh->udp.rx);

	/* Closing one leaves the other working. */
	r = riad_net_close(own);
	expect(r == 0, "riad's stack closes", r);
	if (r == 0 && r2 == 0) {
		long n = riad_udp_sendto(uo, peer_addr, riad_udp_port(uh), "x", 1);
		expect(n == -RIAD_ENETDOWN, "its leftover socket: -ENETDOWN", n);
		riad_udp_close(uo);
		struct riad_udp *u2;
		n = riad_udp_bind(host, 0, &u2);
		expect(n == 0, "the host stack still works after", n);
		if (n == 0) {
			n = riad_udp_sendto(u2, RIAD_IPV4(127, 0, 0, 1), riad_udp_port(uh), "y", 1);
			char b[4];
			long m = riad_udp_recvfrom(uh, b, sizeof(b), NULL, NULL,
			                           riad_time_ns() + 5 * RIAD_NS_PER_S);
			expect(n == 1 && m == 1 && b[0] == 'y', "and carries a datagram", m);
			riad_udp_close(u2);
		}
		riad_udp_close(uh);
	}
	r = riad_net_close(host);
	expect(r == 0, "the host stack closes", r);
	printf("DONE\n");
	return checks_bad ? 1 : 0;
}
