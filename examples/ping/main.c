/* main.c: the ping example: brings up the network interface "service" and
 * answers ARP and pings (the stack does both by itself), logging its
 * counters every --stats-ms with -l debug and once more when it ends.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24
 *	riad run --net service=tap0 -- --run-ms=60000 -l debug
 *
 * It ends after --run-ms, or when a datagram arrives on --quit-port.
 */
#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: no such port).");

int main(void)
{
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	uint32_t addr;
	unsigned prefix;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, &prefix, NULL);
	riad_info(NULL, "ping me at %s", riad_ipv4_format(addr, text));
	if (quit_port < 0 || quit_port > 65535) {
		riad_err(NULL, "--quit-port must be 0..65535");
		return 64;
	}
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port,
	                   stats_ms * RIAD_NS_PER_MS) < 0)
		return 1;
	const struct riad_net_stats *st = riad_net_stats(net);
	riad_info(NULL, "answered %llu pings", (unsigned long long)st->icmp.echo_tx);
	return 0;
}
