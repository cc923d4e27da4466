/* main.c: the TCP client example: connects from the interface "service"
 * to --server:--port, sends --line and a newline, prints the reply (up to
 * the first newline, or what came before the server closed) and ends: the
 * unikernel reaching a Linux service.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24 --server=10.0.0.1 --port=7
 *
 * Exit status: 0 with a reply, 1 when the connection failed or no reply
 * came within --timeout-ms. The counters are logged at the end.
 */
#include <string.h>

#include <riad/args.h>
#include <riad/console.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_IPV4(server, "server", "10.0.0.1", "The server's address.");
RIAD_ARG_INT(port, "port", 7, "The server's TCP port.");
RIAD_ARG_STRING(line, "line", "hello from riad", "What to send (a newline follows).");
RIAD_ARG_INT(timeout_ms, "timeout-ms", 10000, "How long to wait for the connection and the reply.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

int main(void)
{
	if (port < 1 || port > 65535 || server.prefix >= 0) {
		riad_err(NULL, "--port must be 1..65535 and --server an address without /prefix");
		return 64;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	int64_t deadline = riad_time_ns() + timeout_ms * RIAD_NS_PER_MS;
	char text[RIAD_IPV4_STRLEN];
	riad_ipv4_format(server.addr, text);
	struct riad_tcp *c;
	int r = riad_tcp_connect(net, server.addr, (uint16_t)port, &c, deadline);
	if (r < 0) {
		riad_err(NULL, "cannot connect to %s:%lld (error %d)", text, (long long)port, -r);
		riad_net_log_stats(net, RIAD_LOG_INFO);
		return 1;
	}
	riad_info(NULL, "connected to %s:%lld", text, (long long)port);
	size_t n = strlen(line);
	int status = 1;
	if (riad_tcp_write(c, line, n, deadline) == (long)n && riad_tcp_write(c, "\n", 1, deadline) == 1) {
		char reply[4096];
		size_t got = 0;
		while (got < sizeof(reply) - 1) {
			long k = riad_tcp_read(c, reply + got, sizeof(reply) - 1 - got, deadline);
			if (k <= 0)
				break;
			got += (size_t)k;
			if (memchr(reply, '\n', got))
				break;
		}
		char *nl = memchr(reply, '\n', got);
		if (nl)
			got = (size_t)(nl - reply);
		if (got || nl) {
			riad_console_printf("reply: %.*s\n", (int)got, reply);
			status = 0;
		} else {
			riad_err(NULL, "no reply from %s:%lld", text, (long long)port);
		}
	}
	riad_tcp_shutdown(c);
	riad_tcp_close(c);
	/* Let the FIN and the last ACKs leave before the unikernel ends. */
	riad_sleep_ns(100 * RIAD_NS_PER_MS);
	riad_net_log_stats(net, RIAD_LOG_INFO);
	return status;
}
