/* main.c: the UDP client example: sends --count datagrams from the
 * interface "service" to --peer:--port, one at a time, and waits up to
 * --timeout-ms for each reply: the unikernel asking a Linux UDP service.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24 --peer=10.0.0.1 --port=7
 *
 * When the peer's side answers with an ICMP destination unreachable (no
 * one listens on --port, say), the socket's next recvfrom or sendto
 * returns it (docs/net-api.md, "ICMP errors on UDP sockets") and the
 * example says so in one line and stops.
 *
 * Exit status: 0 when every datagram got its reply, 1 when some timed out,
 * 2 on an ICMP error (port, host or network unreachable). The counters
 * are logged at the end.
 */
#include <stdio.h>

#include <riad/args.h>
#include <riad/console.h>
#include <riad/errno.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_IPV4(peer, "peer", "10.0.0.1", "The peer's address.");
RIAD_ARG_INT(port, "port", 7, "The peer's UDP port.");
RIAD_ARG_INT(count, "count", 3, "How many datagrams to send.");
RIAD_ARG_INT(timeout_ms, "timeout-ms", 2000, "How long to wait for each reply.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

/* What an ICMP error returned by a UDP socket means, or NULL for any
 * other error. */
static const char *icmp_error_text(long r)
{
	switch (r) {
	case -RIAD_ECONNREFUSED:
		return "port unreachable (connection refused)";
	case -RIAD_EHOSTUNREACH:
		return "host unreachable";
	case -RIAD_ENETUNREACH:
		return "network unreachable";
	}
	return NULL;
}

static unsigned char buf[65536];

int main(void)
{
	if (port < 1 || port > 65535 || peer.prefix >= 0 || count < 1) {
		riad_err(NULL, "--port must be 1..65535, --peer an address without /prefix, --count 1 or more");
		return 64;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	struct riad_udp *u;
	int r = riad_udp_bind(net, 0, &u);
	if (r < 0) {
		riad_err(NULL, "cannot bind a UDP port (error %d)", -r);
		return 1;
	}
	char text[RIAD_IPV4_STRLEN];
	riad_ipv4_format(peer.addr, text);
	riad_info(NULL, "sending %lld datagrams to %s:%lld from port %u", (long long)count, text,
	          (long long)port, riad_udp_port(u));
	long long replies = 0;
	long err = 0;
	for (long long i = 1; i <= count && !err; i++) {
		char msg[64];
		int len = snprintf(msg, sizeof(msg), "datagram %lld from riad\n", i);
		long n = riad_udp_sendto(u, peer.addr, (uint16_t)port, msg, (size_t)len);
		if (n < 0) {
			err = n;
			break;
		}
		int64_t deadline = riad_time_ns() + timeout_ms * RIAD_NS_PER_MS;
		for (;;) {
			uint32_t src;
			uint16_t sport;
			n = riad_udp_recvfrom(u, buf, sizeof(buf), &src, &sport, deadline);
			if (n == -RIAD_ETIMEDOUT) {
				riad_warn(NULL, "no reply to datagram %lld within %lld ms", i, (long long)timeout_ms);
				break;
			}
			if (n < 0) {
				err = n;
				break;
			}
			/* Anyone may send to our port: only the peer's datagrams are replies. */
			if (src != peer.addr || sport != port)
				continue;
			size_t shown = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf);
			if (shown && buf[shown - 1] == '\n')
				shown--;
			riad_console_printf("reply %lld: %.*s\n", i, (int)shown, (const char *)buf);
			replies++;
			break;
		}
	}
	int status = replies == count ? 0 : 1;
	if (err) {
		const char *what = icmp_error_text(err);
		if (what) {
			riad_err(NULL, "%s:%lld: %s", text, (long long)port, what);
			status = 2;
		} else {
			riad_err(NULL, "%s:%lld: error %ld", text, (long long)port, -err);
		}
	}
	riad_info(NULL, "%lld of %lld replies", replies, (long long)count);
	riad_net_log_stats(net, RIAD_LOG_INFO);
	riad_udp_close(u);
	return status;
}
