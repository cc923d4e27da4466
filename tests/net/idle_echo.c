/* tests/net/idle_echo.c: an echo server that holds its idle connections
 * without a fiber (riad_tcp_when_readable), built by tests/net/idle.t for
 * each target and sent thousands of idle connections. Each connection is
 * a fiber only while it has bytes to echo: the fiber reads what is there,
 * writes it back, hands the connection back to riad_tcp_when_readable and
 * ends. A UDP datagram to --quit-port ends it; it then prints one line,
 * "IDLE accepted=N echoed=N closed=N refused=N stackless=N live=N", that
 * idle.t checks.
 */
#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 7, "TCP port to echo on.");
RIAD_ARG_INT(quit_port, "quit-port", 9, "UDP port whose first datagram ends the server.");
RIAD_ARG_INT(backlog, "backlog", 1024, "Connections waiting to be accepted.");

/* The stack of the fiber that echoes: what the deepest call needs (the
 * stack's output path under riad_tcp_write), with room to spare. */
#define ECHO_STACK (16 * 1024)

static unsigned long long accepted, echoed, closed, refused;

static int echo_once(void *arg);

static void rearm(struct riad_tcp *c)
{
	if (riad_tcp_when_readable(c, RIAD_TIME_NEVER, echo_once, c, ECHO_STACK) < 0) {
		refused++;
		riad_tcp_abort(c);
	}
}

static int echo_once(void *arg)
{
	struct riad_tcp *c = arg;
	char buf[2048];
	/* readable now: the read does not park */
	long n = riad_tcp_read(c, buf, sizeof(buf), riad_time_ns());
	if (n <= 0) {
		closed++;
		riad_tcp_close(c);
		return 0;
	}
	if (riad_tcp_write(c, buf, (size_t)n, riad_time_ns() + 5 * RIAD_NS_PER_S) != n) {
		closed++;
		riad_tcp_close(c);
		return 0;
	}
	echoed++;
	rearm(c);
	return 0;
}

static int acceptor(void *arg)
{
	struct riad_tcp_listener *l = arg;
	for (;;) {
		struct riad_tcp *c;
		if (riad_tcp_accept(l, &c, RIAD_TIME_NEVER) < 0)
			continue;
		accepted++;
		rearm(c);
	}
	return 0;
}

int main(void)
{
	struct riad_net *net;
	if (riad_net_up("service", 10 * RIAD_NS_PER_S, &net) < 0)
		return 1;
	struct riad_tcp_listener *l;
	int r = riad_tcp_listen(net, (uint16_t)port, (unsigned)backlog, &l);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld (error %d)", (long long)port, -r);
		return 1;
	}
	riad_fiber_detach(riad_fiber_spawn(acceptor, l, 0));
	riad_info(NULL, "echoing on port %lld", (long long)port);
	if (riad_net_serve(net, 0, (uint16_t)quit_port, 0) < 0)
		return 1;
	struct riad_sched_stats st;
	riad_sched_stats(&st);
	riad_info(NULL, "IDLE accepted=%llu echoed=%llu closed=%llu refused=%llu stackless=%llu live=%llu",
	          accepted, echoed, closed, refused, (unsigned long long)st.stackless,
	          (unsigned long long)st.live);
	return 0;
}
