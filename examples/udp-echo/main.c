/* main.c: the UDP echo example: every datagram that arrives on --port of
 * the interface "service" goes back to its sender unchanged.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24 --port=7
 *	echo hello | nc -u -w1 10.0.0.2 7
 *
 * It ends after --run-ms (0: never) or after a datagram that is exactly
 * "QUIT\n", logging the counters (and every --stats-ms with -l debug).
 */
#include <string.h>

#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 7, "The UDP port to echo on.");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

static unsigned char buf[65536];

int main(void)
{
	struct riad_net *net;
	struct riad_udp *u;
	if (port < 1 || port > 65535) {
		riad_err(NULL, "--port must be 1..65535");
		return 64;
	}
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	int r = riad_udp_bind(net, (uint16_t)port, &u);
	if (r < 0) {
		riad_err(NULL, "cannot bind UDP port %lld (error %d)", (long long)port, -r);
		return 1;
	}
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "echoing UDP on %s:%lld", riad_ipv4_format(addr, text), (long long)port);
	int64_t end = run_ms > 0 ? riad_time_ns() + run_ms * RIAD_NS_PER_MS : RIAD_TIME_NEVER;
	int64_t tick = stats_ms > 0 ? stats_ms * RIAD_NS_PER_MS : RIAD_NS_PER_S;
	int64_t next_tick = riad_time_ns() + tick;
	unsigned long long echoed = 0;
	for (;;) {
		int64_t deadline = next_tick < end ? next_tick : end;
		uint32_t src;
		uint16_t sport;
		long n = riad_udp_recvfrom(u, buf, sizeof(buf), &src, &sport, deadline);
		if (n >= 0) {
			if (n == 5 && memcmp(buf, "QUIT\n", 5) == 0)
				break;
			if (riad_udp_sendto(u, src, sport, buf, (size_t)n) == n)
				echoed++;
			continue;
		}
		int64_t now = riad_time_ns();
		if (now >= end)
			break;
		if (now >= next_tick) {
			riad_net_log_stats(net, RIAD_LOG_DEBUG);
			next_tick = now + tick;
		}
	}
	riad_info(NULL, "echoed %llu datagrams, %llu dropped at the socket", echoed,
	          (unsigned long long)riad_udp_drops(u));
	riad_net_log_stats(net, RIAD_LOG_INFO);
	riad_udp_close(u);
	return 0;
}
