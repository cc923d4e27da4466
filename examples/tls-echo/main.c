/* main.c: the TLS example: an echo server over TLS 1.2 (riad/tls.h) on
 * --port of the interface "service", or with --connect a client that
 * sends --message to a TLS server and prints the answer.
 *
 * Server. Certificates and keys come from the files baked into the image
 * (riad build --bake DIR) or from the boot arguments:
 *
 *	riad build --bake certs -C examples/tls-echo
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24 \
 *		--chains='*=ec.crt+ec.key www.test,*.www.test=rsa.crt+rsa.key'
 *	openssl s_client -connect 10.0.0.2:4433 -servername www.test
 *
 * --chains lists NAMES=CERT+KEY, separated by spaces: NAMES is "*" (the
 * default chain) or host names separated by commas that SNI picks the
 * chain for, CERT and KEY keys of the baked store. --cert-pem and
 * --key-pem give one default chain's PEM text instead. Each connection
 * gets one fiber: the handshake (within --handshake-ms), one info line
 * saying what was agreed (version, suite, SNI name, ALPN, resumed), then
 * every byte it sends back until it closes or is silent --idle-ms.
 *
 * Client. --connect=A.B.C.D --connect-port=N --server-name=NAME --ca=KEY
 * (a baked PEM of trust anchors): connects, runs the handshake, sends
 * --message and a newline, prints the first answer as "received: ...",
 * sends close_notify and exits 0; a failed handshake prints "handshake
 * failed: " and the reason (for example "server name does not match the
 * certificate") and exits 1.
 *
 * The server ends after --run-ms (0: never) or when a datagram arrives on
 * UDP --quit-port, logging its counters.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/random.h>
#include <riad/time.h>
#include <riad/tls.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 4433, "The TCP port to listen on.");
RIAD_ARG_STRING(chains, "chains", "*=server.crt+server.key",
                "Certificate chains: NAMES=CERT+KEY ... (keys of the baked store; NAMES * for the default).");
RIAD_ARG_STRING(cert_pem, "cert-pem", NULL, "The default chain's certificates as PEM text.");
RIAD_ARG_STRING(key_pem, "key-pem", NULL, "The default chain's private key as PEM text.");
RIAD_ARG_STRING(alpn, "alpn", NULL, "ALPN protocol names, comma-separated, preferred first.");
RIAD_ARG_INT(session_cache, "session-cache", RIAD_TLS_SESSION_CACHE_DEFAULT,
             "Bytes of the session cache (0: no resumption).");
RIAD_ARG_STRING(buffer, "buffer", "bidi", "Record buffer of each connection: bidi or mono.");
RIAD_ARG_INT(handshake_ms, "handshake-ms", 10000, "Close a connection whose handshake takes longer.");
RIAD_ARG_INT(idle_ms, "idle-ms", 60000, "Close a connection silent this long.");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: none).");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");
RIAD_ARG_STRING(connect_to, "connect", NULL, "Be a client of the TLS server at this IPv4 address.");
RIAD_ARG_INT(connect_port, "connect-port", 4433, "The client's server port.");
RIAD_ARG_STRING(server_name, "server-name", NULL, "The client's SNI name, checked against the certificate.");
RIAD_ARG_STRING(ca, "ca", "ca.crt", "The client's trust anchors (a key of the baked store).");
RIAD_ARG_STRING(message, "message", "hello", "What the client sends.");

static struct riad_tls_config *cfg;
static unsigned long long conns, handshakes, failures, resumed, bytes;

static int serve(void *arg)
{
	struct riad_tcp *c = arg;
	uint32_t raddr;
	char who[RIAD_IPV4_STRLEN];
	riad_tcp_endpoints(c, NULL, NULL, &raddr, NULL);
	riad_ipv4_format(raddr, who);
	struct riad_tls *s;
	if (riad_tls_server(cfg, c, &s) < 0)
		return 0;
	int r = riad_tls_handshake(s, riad_time_ns() + handshake_ms * RIAD_NS_PER_MS);
	if (r < 0) {
		const char *why;
		int code = riad_tls_error(s, &why);
		failures++;
		riad_info(NULL, "%s: handshake failed: %s", who,
		          code ? why : riad_strerror(r));
		riad_tls_close(s);
		return 0;
	}
	handshakes++;
	if (riad_tls_resumed(s))
		resumed++;
	const char *sni = riad_tls_server_name(s), *proto = riad_tls_alpn(s);
	riad_info(NULL, "%s: TLS %s %s sni=%s alpn=%s resumed=%s", who,
	          riad_tls_version(s) == 0x0303 ? "1.2" : "?", riad_tls_suite_name(s),
	          sni ? sni : "-", proto ? proto : "-", riad_tls_resumed(s) ? "yes" : "no");
	/* A whole record's plaintext (16 KiB) in one read: with the mono
	 * buffer, a write must wait until every received byte is read. */
	char buf[16384]; /* on the fiber's 64 KiB stack */
	for (;;) {
		long n = riad_tls_read(s, buf, sizeof(buf), riad_time_ns() + idle_ms * RIAD_NS_PER_MS);
		if (n <= 0) {
			if (n < 0) {
				const char *why;
				int code = riad_tls_error(s, &why);
				riad_info(NULL, "%s: closed: %s", who, code ? why : riad_strerror((int)n));
			}
			break;
		}
		bytes += (unsigned long long)n;
		if (riad_tls_write(s, buf, (size_t)n, riad_time_ns() + idle_ms * RIAD_NS_PER_MS) != n)
			break;
	}
	riad_tls_close(s);
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

/* --chains: NAMES=CERT+KEY, space-separated. */
static int load_chains(struct riad_kv *kv)
{
	char why[160];
	if (cert_pem || key_pem) {
		if (!cert_pem || !key_pem) {
			riad_err(NULL, "--cert-pem and --key-pem go together");
			return -RIAD_EINVAL;
		}
		int r = riad_tls_config_add_chain(cfg, NULL, cert_pem, strlen(cert_pem), key_pem,
		                                  strlen(key_pem), why, sizeof(why));
		/* The key's text among the arguments is not needed again. */
		riad_wipe((char *)key_pem, strlen(key_pem));
		if (r < 0)
			riad_err(NULL, "--cert-pem/--key-pem: %s", why);
		return r;
	}
	char *spec = strdup(chains);
	if (!spec)
		return -RIAD_ENOMEM;
	int r = 0;
	for (char *save = NULL, *e = strtok_r(spec, " ", &save); e; e = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(e, '='), *plus = eq ? strchr(eq, '+') : NULL;
		if (!eq || !plus) {
			riad_err(NULL, "--chains: \"%s\" is not NAMES=CERT+KEY", e);
			r = -RIAD_EINVAL;
			break;
		}
		*eq = *plus = '\0';
		const char *names = strcmp(e, "*") == 0 ? NULL : e;
		r = riad_tls_config_add_chain_kv(cfg, names, kv, eq + 1, plus + 1, why, sizeof(why));
		if (r < 0) {
			riad_err(NULL, "--chains: %s: %s", e, why);
			break;
		}
	}
	free(spec);
	return r;
}

static int client(struct riad_net *net, struct riad_kv *kv)
{
	uint32_t addr;
	char why[160];
	if (riad_ipv4_parse(connect_to, &addr) < 0 || connect_port < 1 || connect_port > 65535) {
		riad_err(NULL, "--connect must be A.B.C.D and --connect-port 1..65535");
		return 64;
	}
	if (riad_tls_config_new(RIAD_TLS_CLIENT, &cfg) < 0 ||
	    riad_tls_config_add_trust_kv(cfg, kv, ca, why, sizeof(why)) < 0) {
		riad_err(NULL, "--ca=%s: %s", ca, why);
		return 1;
	}
	if (alpn && riad_tls_config_set_alpn(cfg, alpn) < 0) {
		riad_err(NULL, "--alpn: not a list of protocol names");
		return 64;
	}
	struct riad_tcp *c;
	int64_t deadline = riad_time_ns() + handshake_ms * RIAD_NS_PER_MS;
	int r = riad_tcp_connect(net, addr, (uint16_t)connect_port, &c, deadline);
	if (r < 0) {
		riad_err(NULL, "cannot connect to %s:%lld: %s", connect_to, (long long)connect_port,
		         riad_strerror(r));
		return 1;
	}
	struct riad_tls *s;
	if (riad_tls_client(cfg, c, server_name, &s) < 0)
		return 1;
	r = riad_tls_handshake(s, deadline);
	if (r < 0) {
		const char *text;
		int code = riad_tls_error(s, &text);
		riad_err(NULL, "handshake failed: %s (error %d)", code ? text : riad_strerror(r), code);
		riad_tls_close(s);
		return 1;
	}
	const char *proto = riad_tls_alpn(s);
	riad_info(NULL, "connected: TLS 1.2 %s alpn=%s", riad_tls_suite_name(s), proto ? proto : "-");
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s\n", message);
	size_t len = strlen(buf);
	if (riad_tls_write(s, buf, len, deadline) != (long)len) {
		riad_err(NULL, "write failed");
		riad_tls_close(s);
		return 1;
	}
	long n = riad_tls_read(s, buf, sizeof(buf) - 1, deadline);
	if (n <= 0) {
		const char *text;
		riad_tls_error(s, &text);
		riad_err(NULL, "no answer: %s", n == 0 ? "end of stream" : text);
		riad_tls_close(s);
		return 1;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	riad_info(NULL, "received: %s", buf);
	riad_tls_shutdown(s, deadline);
	riad_tls_close(s);
	riad_tls_config_free(cfg);
	return 0;
}

int main(void)
{
	if (port < 1 || port > 65535 || quit_port < 0 || quit_port > 65535) {
		riad_err(NULL, "--port must be 1..65535 and --quit-port 0..65535");
		return 64;
	}
	if (strcmp(buffer, "bidi") != 0 && strcmp(buffer, "mono") != 0) {
		riad_err(NULL, "--buffer must be bidi or mono");
		return 64;
	}
	int err;
	struct riad_kv *kv = riad_kv_baked_open(&err);
	if (!kv) {
		riad_err(NULL, "cannot open the baked store: %s", riad_strerror(err));
		return 1;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	if (connect_to)
		return client(net, kv);

	if (riad_tls_config_new(RIAD_TLS_SERVER, &cfg) < 0)
		return 1;
	if (load_chains(kv) < 0)
		return 1;
	if (alpn && riad_tls_config_set_alpn(cfg, alpn) < 0) {
		riad_err(NULL, "--alpn: not a list of protocol names");
		return 64;
	}
	if (session_cache < 0 || riad_tls_config_set_session_cache(cfg, (size_t)session_cache) < 0) {
		riad_err(NULL, "--session-cache must be 0 or more bytes");
		return 64;
	}
	riad_tls_config_set_buffer(cfg, strcmp(buffer, "mono") == 0 ? RIAD_TLS_BUFFER_MONO
	                                                            : RIAD_TLS_BUFFER_BIDI);
	struct riad_tcp_listener *l;
	int r = riad_tcp_listen(net, (uint16_t)port, 128, &l);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld: %s", (long long)port, riad_strerror(r));
		return 1;
	}
	riad_fiber_detach(riad_fiber_spawn(acceptor, l, 0));
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "TLS echo on %s:%lld", riad_ipv4_format(addr, text), (long long)port);
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port, 0) < 0)
		return 1;
	riad_info(NULL, "%llu connections, %llu handshakes (%llu resumed), %llu failed, %llu bytes echoed",
	          conns, handshakes, resumed, failures, bytes);
	return 0;
}
