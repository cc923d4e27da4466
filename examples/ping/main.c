/* main.c: the ping example: brings up the network interface "service" and
 * answers ARP and pings (the stack does both by itself), logging its
 * counters every --stats-ms with -l debug and once more when it ends.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24
 *	riad run --net service=tap0 -- --run-ms=60000 -l debug
 *
 * It ends after --run-ms, or when a datagram arrives on --quit-port.
 */
#include <stdbool.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

static bool quit;
static struct riad_waitq quit_wq;

RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: no such port).");

static int quit_fiber(void *arg)
{
	struct riad_udp *u = arg;
	char b[16];
	riad_udp_recvfrom(u, b, sizeof(b), NULL, NULL, RIAD_TIME_NEVER);
	quit = true;
	riad_waitq_wake_all(&quit_wq);
	return 0;
}

int main(void)
{
	struct riad_net *net;
	if (riad_net_open("service", &net) < 0)
		return 1;
	if (riad_net_wait_up(net, riad_time_ns() + up_ms * RIAD_NS_PER_MS) < 0) {
		riad_err(NULL, "no address after %lld ms", (long long)up_ms);
		return 1;
	}
	uint32_t addr;
	unsigned prefix;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, &prefix, NULL);
	riad_info(NULL, "ping me at %s", riad_ipv4_format(addr, text));
	if (quit_port > 0 && quit_port < 65536) {
		struct riad_udp *u;
		if (riad_udp_bind(net, (uint16_t)quit_port, &u) == 0)
			riad_fiber_detach(riad_fiber_spawn(quit_fiber, u, 0));
	}
	int64_t end = run_ms > 0 ? riad_time_ns() + run_ms * RIAD_NS_PER_MS : RIAD_TIME_NEVER;
	int64_t tick = stats_ms > 0 ? stats_ms * RIAD_NS_PER_MS : RIAD_NS_PER_S;
	for (;;) {
		int64_t next = riad_time_ns() + tick;
		if (next > end)
			next = end;
		riad_waitq_wait(&quit_wq, next);
		if (quit || riad_time_ns() >= end)
			break;
		riad_net_log_stats(net, RIAD_LOG_DEBUG);
	}
	const struct riad_net_stats *st = riad_net_stats(net);
	riad_info(NULL, "answered %llu pings", (unsigned long long)st->icmp.echo_tx);
	riad_net_log_stats(net, RIAD_LOG_INFO);
	return 0;
}
