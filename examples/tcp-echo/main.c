/* main.c: the TCP echo example: on --port of the interface "service", each
 * connection gets what it sends back (--mode=echo, RFC 862), or is read
 * and thrown away (discard, RFC 863), or is sent an endless stream of
 * bytes (chargen, RFC 864) until it closes: the last two measure
 * throughput each way with nc and dd. One fiber per connection.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24 --port=7
 *	echo hello | nc -N 10.0.0.2 7
 *
 * It ends after --run-ms (0: never) or when a datagram arrives on UDP
 * --quit-port, logging the counters (and every --stats-ms with -l debug).
 */
#include <stdbool.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 7, "The TCP port to listen on.");
RIAD_ARG_STRING(mode, "mode", "echo", "echo, discard or chargen.");
RIAD_ARG_INT(backlog, "backlog", 128, "Connections waiting to be accepted.");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: none).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

enum { ECHO, DISCARD, CHARGEN };
static int the_mode;
static unsigned long long conns, bytes_in, bytes_out;

static int serve(void *arg)
{
	struct riad_tcp *c = arg;
	char buf[16384];
	if (the_mode == CHARGEN) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)(' ' + i % 95);
		for (;;) {
			long n = riad_tcp_write(c, buf, sizeof(buf), RIAD_TIME_NEVER);
			if (n <= 0)
				break;
			bytes_out += (unsigned long long)n;
		}
	} else {
		for (;;) {
			long n = riad_tcp_read(c, buf, sizeof(buf), RIAD_TIME_NEVER);
			if (n <= 0)
				break;
			bytes_in += (unsigned long long)n;
			if (the_mode == ECHO) {
				long w = riad_tcp_write(c, buf, (size_t)n, RIAD_TIME_NEVER);
				if (w != n)
					break;
				bytes_out += (unsigned long long)w;
			}
		}
	}
	riad_tcp_close(c);
	return 0;
}

static int acceptor(void *arg)
{
	struct riad_tcp_listener *l = arg;
	for (;;) {
		struct riad_tcp *c;
		if (riad_tcp_accept(l, &c, RIAD_TIME_NEVER) < 0)
			continue;
		conns++;
		struct riad_fiber *f = riad_fiber_spawn(serve, c, 0);
		if (!f) {
			riad_tcp_abort(c);
			continue;
		}
		riad_fiber_detach(f);
	}
	return 0;
}

int main(void)
{
	if (strcmp(mode, "echo") == 0)
		the_mode = ECHO;
	else if (strcmp(mode, "discard") == 0)
		the_mode = DISCARD;
	else if (strcmp(mode, "chargen") == 0)
		the_mode = CHARGEN;
	else {
		riad_err(NULL, "--mode must be echo, discard or chargen");
		return 64;
	}
	if (port < 1 || port > 65535) {
		riad_err(NULL, "--port must be 1..65535");
		return 64;
	}
	if (quit_port < 0 || quit_port > 65535) {
		riad_err(NULL, "--quit-port must be 0..65535");
		return 64;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	struct riad_tcp_listener *l;
	int r = riad_tcp_listen(net, (uint16_t)port, (unsigned)backlog, &l);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld (error %d)", (long long)port, -r);
		return 1;
	}
	riad_fiber_detach(riad_fiber_spawn(acceptor, l, 0));
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "%s on TCP %s:%lld", mode, riad_ipv4_format(addr, text), (long long)port);
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port,
	                   stats_ms * RIAD_NS_PER_MS) < 0)
		return 1;
	riad_info(NULL, "%llu connections, %llu bytes in, %llu bytes out", conns, bytes_in, bytes_out);
	return 0;
}
