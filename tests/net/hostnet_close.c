/* tests/net/hostnet_close.c: riad_net_close on the host-socket stack, built
 * by tests/net/hostnet.t with riad build --hostnet. Over loopback, with a
 * plain host socket as the peer: fibers parked in accept, read and recvfrom
 * return -RIAD_ENETDOWN, the peer is reset, leftover handles answer
 * -RIAD_ENETDOWN until closed, and the interface opens again. Prints one
 * "CHECK ok NAME" or "CHECK bad NAME (detail)" line per check and
 * "DONE" at the end; hostnet.t turns them into PASS and FAIL.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 0, "The TCP and UDP port to use on 127.0.0.1.");

static void expect(bool ok, const char *name, long got)
{
	if (ok)
		printf("CHECK ok %s\n", name);
	else
		printf("CHECK bad %s (got %ld)\n", name, got);
	fflush(stdout);
}

/* A plain host socket connected to 127.0.0.1:port (the kernel completes
 * the handshake from the listener's backlog), or -1. */
static int peer_connect(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static struct riad_tcp_listener *the_listener;
static struct riad_tcp *the_conn;
static struct riad_udp *the_udp;
static long accept_r = 1, read_r = 1, recv_r = 1;

static int parked_accept(void *arg)
{
	(void)arg;
	struct riad_tcp *c = NULL;
	accept_r = riad_tcp_accept(the_listener, &c, RIAD_TIME_NEVER);
	if (accept_r == 0)
		riad_tcp_close(c);
	return 0;
}

static int parked_read(void *arg)
{
	(void)arg;
	char b[64];
	read_r = riad_tcp_read(the_conn, b, sizeof(b), RIAD_TIME_NEVER);
	return 0;
}

static int parked_recvfrom(void *arg)
{
	(void)arg;
	char b[64];
	recv_r = riad_udp_recvfrom(the_udp, b, sizeof(b), NULL, NULL, RIAD_TIME_NEVER);
	return 0;
}

int main(void)
{
	int64_t soon = riad_time_ns() + 5 * RIAD_NS_PER_S;
	struct riad_net *net;
	if (riad_net_open("service", &net) < 0 ||
	    riad_tcp_listen(net, (uint16_t)port, 4, &the_listener) < 0 ||
	    riad_udp_bind(net, (uint16_t)port, &the_udp) < 0) {
		expect(false, "setup: open, listen, bind", 0);
		return 1;
	}
	int p1 = peer_connect();
	long r = p1 < 0 ? -1 : riad_tcp_accept(the_listener, &the_conn, soon);
	if (r < 0) {
		expect(false, "setup: the peer connects and is accepted", r);
		return 1;
	}

	struct riad_fiber *fa = riad_fiber_spawn(parked_accept, NULL, 0);
	struct riad_fiber *fr = riad_fiber_spawn(parked_read, NULL, 0);
	struct riad_fiber *fu = riad_fiber_spawn(parked_recvfrom, NULL, 0);
	riad_sleep_ns(50 * RIAD_NS_PER_MS); /* all three park */
	expect(accept_r == 1 && read_r == 1 && recv_r == 1, "three fibers parked", 0);

	r = riad_net_close(net);
	expect(r == 0, "riad_net_close returns 0", r);
	riad_fiber_join(fa);
	riad_fiber_join(fr);
	riad_fiber_join(fu);
	expect(accept_r == -RIAD_ENETDOWN, "a parked accept returns -ENETDOWN", accept_r);
	expect(read_r == -RIAD_ENETDOWN, "a parked TCP read returns -ENETDOWN", read_r);
	expect(recv_r == -RIAD_ENETDOWN, "a parked recvfrom returns -ENETDOWN", recv_r);

	char b[16];
	errno = 0;
	ssize_t n = recv(p1, b, sizeof(b), 0);
	expect(n < 0 && errno == ECONNRESET, "the host peer is reset (ECONNRESET)",
	       n < 0 ? -errno : n);
	close(p1);

	r = riad_tcp_read(the_conn, b, sizeof(b), soon);
	expect(r == -RIAD_ENETDOWN, "read on a leftover connection: -ENETDOWN", r);
	r = riad_tcp_write(the_conn, "x", 1, soon);
	expect(r == -RIAD_ENETDOWN, "write on a leftover connection: -ENETDOWN", r);
	r = riad_tcp_shutdown(the_conn);
	expect(r == -RIAD_ENETDOWN, "shutdown on a leftover connection: -ENETDOWN", r);
	riad_tcp_set_nodelay(the_conn, true);
	uint16_t lport = 0;
	riad_tcp_endpoints(the_conn, NULL, &lport, NULL, NULL);
	expect(lport == port, "riad_tcp_endpoints still answers", lport);
	struct riad_tcp *c = NULL;
	r = riad_tcp_accept(the_listener, &c, soon);
	expect(r == -RIAD_ENETDOWN, "accept on a leftover listener: -ENETDOWN", r);
	r = riad_udp_sendto(the_udp, RIAD_IPV4(127, 0, 0, 1), (uint16_t)port, "x", 1);
	expect(r == -RIAD_ENETDOWN, "sendto on a leftover UDP socket: -ENETDOWN", r);
	r = riad_udp_recvfrom(the_udp, b, sizeof(b), NULL, NULL, soon);
	expect(r == -RIAD_ENETDOWN, "recvfrom on a leftover UDP socket: -ENETDOWN", r);
	expect(riad_udp_port(the_udp) == port, "riad_udp_port still answers", riad_udp_port(the_udp));
	riad_tcp_close(the_conn);
	riad_tcp_listener_close(the_listener);
	riad_udp_close(the_udp);
	expect(true, "the leftover handles close", 0);

	/* Again, on the same name and port. */
	struct riad_net *net2;
	r = riad_net_open("service", &net2);
	expect(r == 0, "the interface opens again", r);
	if (r < 0)
		return 1;
	expect(riad_net_wait_up(net2, soon) == 0, "it is up", 0);
	struct riad_tcp_listener *l2;
	r = riad_tcp_listen(net2, (uint16_t)port, 4, &l2);
	expect(r == 0, "it listens on the same port", r);
	if (r < 0)
		return 1;
	int p2 = peer_connect();
	struct riad_tcp *c2 = NULL;
	r = p2 < 0 ? -1 : riad_tcp_accept(l2, &c2, soon);
	expect(r == 0, "and accepts a new connection", r);
	if (r == 0) {
		r = riad_tcp_write(c2, "hi", 2, soon);
		n = recv(p2, b, sizeof(b), 0);
		expect(r == 2 && n == 2 && memcmp(b, "hi", 2) == 0, "which carries data", n);
		riad_tcp_close(c2);
	}
	if (p2 >= 0)
		close(p2);
	riad_tcp_listener_close(l2);
	r = riad_net_close(net2);
	expect(r == 0, "a stack with no sockets left closes", r);
	printf("DONE\n");
	return 0;
}
