/* main.c: the HTTP example: the smallest server on riad's HTTP library
 * (riad/http.h): GET and HEAD of / (and /index.html) answer a fixed page,
 * other paths 404, other methods 405 (with Allow); the library does the
 * rest (keep-alive, pipelining, Date, 400 and the other refusals, a
 * fiber per connection only while a request is in progress).
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24
 *	curl http://10.0.0.2/
 *
 * It ends after --run-ms (0: never) or when a datagram arrives on UDP
 * --quit-port, logging the server's and the stack's counters.
 */
#include <string.h>

#include <riad/args.h>
#include <riad/http.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 80, "The TCP port to listen on.");
RIAD_ARG_INT(backlog, "backlog", 1024, "Connections waiting to be accepted.");
RIAD_ARG_INT(idle_ms, "idle-ms", 30000, "Close a keep-alive connection idle this long.");
RIAD_ARG_INT(max_conns, "max-conns", 1000000, "Connections open at once, idle or not; more wait in the backlog.");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: none).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");
RIAD_ARG_BOOL(log_requests, "log-requests", false,
              "Log every request at info level (to the console, and to --syslog if given).");

static const char page[] =
	"<!DOCTYPE html>\n<html><head><title>riad</title></head>\n"
	"<body><h1>Hello from a riad unikernel</h1>\n"
	"<p>This page was served by riad's own TCP/IP stack.</p></body></html>\n";

static int hello(void *arg, struct riad_http_request *req, struct riad_http_response *res)
{
	(void)arg;
	bool found = strcmp(req->path, "/") == 0 || strcmp(req->path, "/index.html") == 0;
	if (log_requests)
		riad_info(NULL, "%s %s %d", req->method, req->path, found ? 200 : 404);
	if (!found)
		return riad_http_reply(res, 404, "text/plain", "not found\n", 10);
	return riad_http_reply(res, 200, "text/html", page, sizeof(page) - 1);
}

int main(void)
{
	if (port < 1 || port > 65535) {
		riad_err(NULL, "--port must be 1..65535");
		return 64;
	}
	if (quit_port < 0 || quit_port > 65535) {
		riad_err(NULL, "--quit-port must be 0..65535");
		return 64;
	}
	if (idle_ms < 1) {
		riad_err(NULL, "--idle-ms must be at least 1");
		return 64;
	}
	if (max_conns < 1 || max_conns > 1000000) {
		riad_err(NULL, "--max-conns must be 1..1000000");
		return 64;
	}
	struct riad_http_config cfg;
	riad_http_config_default(&cfg);
	cfg.idle_ns = idle_ms * RIAD_NS_PER_MS;
	/* Connections are bounded by memory, not by a count: an idle one
	 * holds no fiber and no stack, only TCP's record and the server's
	 * (about 1.2 KiB on unix in all; bench/net_mem.sh). A stack exists
	 * only while a request is answered; 8 KiB holds hello() and the
	 * server and TCP under it (tests/net/http.t runs it under curl on
	 * every target; about 4 KiB of it is touched, docs/http.md); an
	 * overflow would stop the unikernel at the guard page, never
	 * corrupt it. */
	cfg.max_conns = (unsigned)max_conns;
	cfg.stack_size = 8 * 1024;
	int r;
	struct riad_http_server *srv = riad_http_server_new(&cfg, &r);
	if (!srv || (r = riad_http_route(srv, "GET", "/", hello, NULL)) < 0) {
		riad_err(NULL, "cannot make the server (error %d)", -r);
		return 1;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	r = riad_http_listen(srv, net, (uint16_t)port, (unsigned)backlog);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld (error %d)", (long long)port, -r);
		return 1;
	}
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "serving http://%s:%lld/", riad_ipv4_format(addr, text), (long long)port);
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port,
	                   stats_ms * RIAD_NS_PER_MS) < 0)
		return 1;
	riad_http_log_stats(srv);
	return 0;
}
