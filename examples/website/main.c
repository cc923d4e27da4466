/* main.c: website, a static web site served from a KV store over HTTP/1.1 (riad/http.h, riad/store.h; README.md beside this file).
 *
 *	riad run -t spt --block disk=site.img --net service=tap0 -- \
 *		--ipv4=10.0.0.2/24 --store=tar:disk@site
 *
 * The store is chosen at boot (--store, --crypt-key: a tar archive, riad's
 * store or the files baked into the image, on a partition, under the
 * encryption overlay); every file in it is served by the static-file
 * handler (ETag, Last-Modified, 304, ranges, precompressed .gz siblings,
 * index.html for directories, the store's 404.html).
 *
 * Listeners. Each listener is one call in listen_all(): the server and
 * its routes are made once, and any stream can be handed to it. Plain
 * HTTP is riad_http_listen (riad's TCP). HTTPS will be a second listener
 * here when TLS (riad/tls.h) lands: an acceptor that wraps each
 * accepted riad_tcp in a TLS stream and calls riad_http_serve_conn(srv,
 * &tls_ops, tls) in a fiber of its own, with --https-port, --tls-cert and
 * --tls-key options. They are not here yet: this example speaks plain
 * HTTP only.
 *
 * It ends after --run-ms (0: never) or when a datagram arrives on UDP
 * --quit-port, logging the server's counters. Exit status: 0; 1 the
 * network or the listener failed; 2 the store could not be opened; 64 bad
 * options.
 */
#include <riad/args.h>
#include <riad/devices.h>
#include <riad/http.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/store.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);
/* The one block device --store may name. On hvt and spt the tender wants
 * every declared device attached, so the site needs --block disk=FILE
 * there even with --store=baked (any file of whole sectors will do). */
RIAD_DEVICE_BLOCK(disk);
RIAD_STORE_ARGS("tar:disk");

RIAD_ARG_INT(http_port, "http-port", 80, "The TCP port of plain HTTP.");
RIAD_ARG_STRING(root, "root", "", "Serve the keys below this one (default: the whole store).");
RIAD_ARG_STRING(cache_control, "cache-control", NULL,
                "The Cache-Control field of every file (default: none).");
RIAD_ARG_BOOL(gzip, "gzip", true, "Serve FILE.gz to clients that accept gzip.");
RIAD_ARG_INT(max_conns, "max-conns", 256, "Connections served at once.");
RIAD_ARG_INT(idle_ms, "idle-ms", 30000, "Close a keep-alive connection idle this long.");
RIAD_ARG_INT(request_ms, "request-ms", 10000,
             "A request's head (and then its body) must arrive within this (else 408).");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: none).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the network counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

/* Start every listener of srv on net (see the top); 0 or an error,
 * logged. */
static int listen_all(struct riad_http_server *srv, struct riad_net *net)
{
	int r = riad_http_listen(srv, net, (uint16_t)http_port, 0);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld: %s", (long long)http_port,
		         riad_strerror(r));
		return r;
	}
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "serving http://%s:%lld/", riad_ipv4_format(addr, text),
	          (long long)http_port);
	return 0;
}

int main(void)
{
	if (http_port < 1 || http_port > 65535) {
		riad_err(NULL, "--http-port must be 1..65535");
		return 64;
	}
	if (quit_port < 0 || quit_port > 65535) {
		riad_err(NULL, "--quit-port must be 0..65535");
		return 64;
	}
	if (max_conns < 1 || idle_ms < 1 || request_ms < 1) {
		riad_err(NULL, "--max-conns, --idle-ms and --request-ms must be at least 1");
		return 64;
	}

	int err = 0;
	struct riad_kv *kv = riad_store_open_args(false, &err);
	if (!kv)
		return 2; /* riad_store_open logged which layer, and why */
	struct riad_http_static_config sc = {
		.kv = kv,
		.root = root,
		.not_found = "404.html",
		.cache_control = cache_control,
		.gzip = gzip,
	};
	struct riad_http_static *st = riad_http_static_new(&sc, &err);
	struct riad_http_config cfg;
	riad_http_config_default(&cfg);
	cfg.max_conns = (unsigned)max_conns;
	cfg.idle_ns = idle_ms * RIAD_NS_PER_MS;
	cfg.request_ns = request_ms * RIAD_NS_PER_MS;
	struct riad_http_server *srv = st ? riad_http_server_new(&cfg, &err) : NULL;
	if (!srv || (err = riad_http_route(srv, "GET", "/", riad_http_static, st)) < 0) {
		riad_err(NULL, "cannot make the server: %s", riad_strerror(err));
		return 1;
	}

	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	if (listen_all(srv, net) < 0)
		return 1;
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port,
	                   stats_ms * RIAD_NS_PER_MS) < 0)
		return 1;
	riad_http_log_stats(srv);
	return 0;
}
