/* main.c: website, a static web site served from a KV store over HTTPS and HTTP/1.1 (riad/http.h, riad/tls.h, riad/store.h; README.md beside this file).
 *
 *	riad run -t spt --block disk=site.img --net service=tap0 -- \
 *		--ipv4=10.0.0.2/24 --store=tar:disk@site \
 *		--tls-cert=/tls/cert.pem --tls-key=/tls/key.pem
 *
 * The store is chosen at boot (--store, --crypt-key: a tar archive, riad's
 * store or the files baked into the image, on a partition, under the
 * encryption overlay); every file in it is served by the static-file
 * handler (ETag, Last-Modified, 304, ranges, precompressed .gz siblings,
 * index.html for directories, the store's 404.html).
 *
 * Listeners. The server and its routes are made once, and any stream can
 * be handed to it (listen_all()):
 *  - HTTPS (with --tls-cert and --tls-key, which name PEM files in the
 *    chosen store, or in the files baked into the image when written
 *    "baked:KEY"): an acceptor on --https-port (443) hands each accepted
 *    riad_tcp to riad_tcp_when_readable; when its first bytes come, a
 *    fiber wraps it in TLS (riad_tls_server: TLS 1.2, ALPN http/1.1, a
 *    session cache of --tls-session-cache bytes), runs the handshake
 *    within --request-ms of the accept and hands the connection to
 *    riad_http_serve_detached with riad_http_tls_ops, as riad_http_listen
 *    does plain TCP: between requests a kept-alive HTTPS connection holds
 *    no fiber, and no TLS record buffer either (riad_tls_when_readable),
 *    about 6 KiB in all; at most --max-conns at once, idle or not;
 *  - plain HTTP on --http-port (80), riad_http_listen, serving as --http
 *    says: "site" (the same site), "redirect" (301 to the same path on
 *    https://; 308 for methods other than GET and HEAD) or "off". Its
 *    default is "redirect" when HTTPS is on, "site" when it is not.
 * With the key in the served store, the key's path (and KEY.gz) is
 * answered 404 whatever --root says: the site never serves its own key.
 *
 * It ends after --run-ms (0: never) or when a datagram arrives on UDP
 * --quit-port, logging the server's counters. Exit status: 0; 1 the
 * network or a listener failed, or the certificate or key could not be
 * read or used (one line saying which); 2 the store could not be opened;
 * 64 bad options (also --tls-cert without --tls-key, or the reverse).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/devices.h>
#include <riad/fiber.h>
#include <riad/http.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/store.h>
#include <riad/time.h>
#include <riad/tls.h>

RIAD_NET_IFACE(service);
/* The one block device --store may name. On hvt and spt the tender wants
 * every declared device attached, so the site needs --block disk=FILE
 * there even with --store=baked (any file of whole sectors will do). */
RIAD_DEVICE_BLOCK(disk);
RIAD_STORE_ARGS("tar:disk");

RIAD_ARG_INT(http_port, "http-port", 80, "The TCP port of plain HTTP.");
RIAD_ARG_STRING(http_mode, "http", NULL,
                "Plain HTTP serves: site, redirect (301 to https://) or off (default: redirect with HTTPS, else site).");
RIAD_ARG_INT(https_port, "https-port", 443, "The TCP port of HTTPS (with --tls-cert and --tls-key).");
RIAD_ARG_STRING(tls_cert, "tls-cert", NULL,
                "HTTPS: the certificate chain, a PEM file in the store (baked:KEY: in the files baked into the image).");
RIAD_ARG_STRING(tls_key, "tls-key", NULL,
                "HTTPS: the certificate's private key, a PEM file in the store (baked:KEY: baked into the image).");
RIAD_ARG_INT(tls_session_cache, "tls-session-cache", RIAD_TLS_SESSION_CACHE_DEFAULT,
             "Bytes of the TLS session cache (0: no resumption).");
RIAD_ARG_STRING(root, "root", "", "Serve the keys below this one (default: the whole store).");
RIAD_ARG_STRING(cache_control, "cache-control", NULL,
                "The Cache-Control field of every file (default: none).");
RIAD_ARG_BOOL(gzip, "gzip", true, "Serve FILE.gz to clients that accept gzip.");
RIAD_ARG_INT(max_conns, "max-conns", 256, "Connections served at once, over HTTP and over HTTPS each.");
RIAD_ARG_INT(idle_ms, "idle-ms", 30000, "Close a keep-alive connection idle this long.");
RIAD_ARG_INT(request_ms, "request-ms", 10000,
             "A request's head (and then its body) must arrive within this (else 408).");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: none).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the network counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

/* ---- HTTPS ---- */

/* The stack of every fiber of the server when HTTPS is on: BearSSL's
 * handshake needs more than the HTTP server's 32 KiB (its RSA and ECDSA
 * code keeps a few KiB on it), and the fibers that serve requests take
 * the same size so that they reuse the stacks the handshakes leave in
 * the scheduler's cache (RIAD_FIBER_STACK_CACHE, by size): with two sizes,
 * the handshakes of 50 new connections filled it with stacks no request
 * could use, and every request then mapped and unmapped one (a third of
 * the rate). A stack is only held while a request is served. */
#define STACK_HTTPS (64 * 1024)

static struct riad_tls_config *tls_cfg;
static struct riad_http_server *tls_srv;
static unsigned tls_open;               /* HTTPS connections open */
static struct riad_waitq tls_slots;     /* the acceptor waits here for one to end */
static unsigned long long tls_conns, tls_resumed, tls_failed;
static char key_key[RIAD_KV_KEY_MAX + 1]; /* the key's key, when the site's store holds it */

/* riad_http_tls_ops with a close that frees the connection's slot: the
 * HTTP server closes the stream when a detached connection ends. */
static struct riad_http_stream_ops https_ops;

static void slot_free(void)
{
	tls_open--;
	riad_waitq_wake_one(&tls_slots);
}

static void https_close(void *s)
{
	riad_tls_close(s);
	slot_free();
}

/* An accepted connection waiting for its ClientHello. */
struct accepted {
	struct riad_tcp *c;
	int64_t deadline; /* of the handshake: --request-ms after the accept */
};

/* One HTTPS connection, once its first bytes came: the handshake, then
 * the HTTP server holds it (in a fiber only while a request is served). */
static int tls_conn(void *arg)
{
	struct accepted a = *(struct accepted *)arg;
	free(arg);
	riad_fiber_set_name(riad_fiber_self(), "https-conn");
	struct riad_tls *s;
	if (riad_tls_server(tls_cfg, a.c, &s) < 0) {
		slot_free();
		return 0;
	}
	int r = riad_tls_handshake(s, a.deadline);
	if (r < 0) {
		const char *why;
		int code = riad_tls_error(s, &why);
		tls_failed++;
		riad_debug(NULL, "TLS handshake failed: %s", code ? why : riad_strerror(r));
		riad_tls_close(s);
		slot_free();
		return 0;
	}
	tls_conns++;
	if (riad_tls_resumed(s))
		tls_resumed++;
	/* No memory to wait without a fiber: serve it in this one. */
	if (riad_http_serve_detached(tls_srv, &https_ops, s) < 0)
		riad_http_serve_conn(tls_srv, &https_ops, s);
	return 0;
}

static int tls_acceptor(void *arg)
{
	struct riad_tcp_listener *l = arg;
	for (;;) {
		while (tls_open >= (unsigned)max_conns)
			riad_waitq_wait(&tls_slots, RIAD_TIME_NEVER);
		struct riad_tcp *c;
		int r = riad_tcp_accept(l, &c, RIAD_TIME_NEVER);
		if (r == -RIAD_ENETDOWN) {
			riad_tcp_listener_close(l);
			return 0;
		}
		if (r < 0)
			continue;
		/* No fiber and no TLS state until the ClientHello comes. */
		struct accepted *a = malloc(sizeof(*a));
		if (a) {
			a->c = c;
			a->deadline = riad_time_ns() + request_ms * RIAD_NS_PER_MS;
		}
		if (!a || riad_tcp_when_readable(c, a->deadline, tls_conn, a, STACK_HTTPS) < 0) {
			free(a);
			riad_tcp_abort(c);
			continue;
		}
		tls_open++;
	}
}

/* "baked:KEY" names a baked file: the baked store in *kv and KEY. */
static const char *pem_source(const char *name, struct riad_kv **kv, struct riad_kv *site)
{
	if (strncmp(name, "baked:", 6) != 0) {
		*kv = site;
		return name;
	}
	static struct riad_kv *baked;
	int err = 0;
	if (!baked)
		baked = riad_kv_baked_open(&err);
	*kv = baked;
	return name + 6;
}

/* Read the PEM file key of kv (named opt=name in messages) into a new
 * buffer: its length, or -1 with one line logged. */
static long pem_read(struct riad_kv *kv, const char *key, const char *opt, const char *name,
                     bool baked, char **out)
{
	struct riad_kv_stat st;
	int r = riad_kv_stat(kv, key, &st);
	if (r == 0 && st.type != RIAD_KV_VALUE)
		r = -RIAD_EISDIR;
	if (r == 0 && (st.size == 0 || st.size > RIAD_TLS_PEM_MAX))
		r = st.size ? -RIAD_EFBIG : -RIAD_EBADMSG;
	char *buf = r == 0 ? malloc((size_t)st.size) : NULL;
	size_t got = 0;
	if (r == 0 && !buf)
		r = -RIAD_ENOMEM;
	if (r == 0 && (r = riad_kv_get(kv, key, 0, buf, (size_t)st.size, &got)) == 0 && got != st.size)
		r = -RIAD_EIO;
	if (r < 0) {
		if (buf) {
			riad_wipe(buf, (size_t)st.size);
			free(buf);
		}
		riad_err(NULL, "--%s=%s: %s in the %s", opt, name,
		         r == -RIAD_ENOENT ? "no such file" : riad_strerror(r),
		         baked ? "baked files" : "store");
		return -1;
	}
	*out = buf;
	return (long)got;
}

/* The TLS configuration from --tls-cert and --tls-key: 0, or 1 with one
 * line logged. The key's bytes are wiped from every buffer here and in
 * the TLS library once decoded. */
static int tls_setup(struct riad_kv *site)
{
	struct riad_kv *ckv, *kkv;
	const char *ck = pem_source(tls_cert, &ckv, site), *kk = pem_source(tls_key, &kkv, site);
	if (!ckv || !kkv) {
		riad_err(NULL, "cannot open the baked files for --tls-cert/--tls-key");
		return 1;
	}
	char *cert = NULL, *key = NULL;
	long clen = pem_read(ckv, ck, "tls-cert", tls_cert, ckv != site, &cert);
	long klen = clen < 0 ? -1 : pem_read(kkv, kk, "tls-key", tls_key, kkv != site, &key);
	if (clen < 0 || klen < 0) {
		free(cert);
		return 1;
	}
	char why[160] = "";
	int r = riad_tls_config_new(RIAD_TLS_SERVER, &tls_cfg);
	if (r == 0)
		r = riad_tls_config_add_chain(tls_cfg, NULL, cert, (size_t)clen, key, (size_t)klen, why,
		                              sizeof(why));
	riad_wipe(key, (size_t)klen);
	free(key);
	free(cert);
	if (r == 0)
		r = riad_tls_config_set_alpn(tls_cfg, "http/1.1");
	if (r == 0 && (r = riad_tls_config_set_session_cache(tls_cfg, (size_t)tls_session_cache)) < 0)
		snprintf(why, sizeof(why), "session cache: %s", riad_strerror(r));
	if (r < 0) {
		riad_err(NULL, "--tls-cert=%s --tls-key=%s: %s", tls_cert, tls_key,
		         why[0] ? why : riad_strerror(r));
		return 1;
	}
	/* Both directions' buffers, not the mono one (half the size), which
	 * is not correct for this server. With it BearSSL holds one record
	 * in or out at a time: while decrypted bytes of a received record
	 * are unread, riad_tls_write fails (-RIAD_EAGAIN). The HTTP server
	 * reads only what it needs before it answers: a request's head (128
	 * bytes at first on an idle connection, then up to head_max less
	 * what it holds), not the body a handler leaves to the drain after
	 * the response, nor pipelined requests past head_max. A record (up
	 * to 16 KiB) holding a small head and then a body, or then several
	 * pipelined requests, is thus still partly unread when the response
	 * is written: the mono buffer would fail it and lose the connection.
	 * Draining the engine into a buffer of our own before each write
	 * would cost the 16 KiB saved. The bigger buffer is only paid for
	 * by connections in the middle of a request: an idle one gives its
	 * buffer back (riad_tls_when_readable, through
	 * riad_http_serve_detached). */
	riad_tls_config_set_buffer(tls_cfg, RIAD_TLS_BUFFER_BIDI);
	if (kkv == site && riad_kv_key_normalise(kk, key_key) < 0)
		key_key[0] = '\0';
	return 0;
}

/* ---- plain HTTP's redirect, and the site ---- */

static bool unreserved(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("-._~/!$&'()*+,;=:@", ch);
}

/* 301 (GET, HEAD) or 308 to the same path and query on https://, at the
 * Host the client asked for (its port replaced by --https-port), or at
 * this interface's address when it sent none or one that is no name. */
static int redirect(void *arg, struct riad_http_request *req, struct riad_http_response *res)
{
	struct riad_net *net = arg;
	char host[256], loc[1024];
	const char *h = req->host;
	size_t hl = strlen(h);
	/* Take the port off: after a ']' for an IPv6 literal. */
	const char *br = h[0] == '[' ? strchr(h, ']') : NULL;
	const char *colon = strrchr(br ? br : h, ':');
	if (colon)
		hl = (size_t)(colon - h);
	/* Only a name or an address goes into Location: anything else
	 * (a '/', '@', '?' ...) is replaced by this interface's address. */
	bool ok = hl > 0 && hl < sizeof(host);
	for (size_t i = 0; ok && i < hl; i++)
		ok = (h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
		     (h[i] >= '0' && h[i] <= '9') || strchr("-.[]:", h[i]);
	if (!ok) {
		uint32_t addr;
		riad_net_ipv4(net, &addr, NULL, NULL);
		riad_ipv4_format(addr, host);
	} else {
		memcpy(host, h, hl);
		host[hl] = '\0';
	}
	size_t n = (size_t)snprintf(loc, sizeof(loc), "https://%s", host);
	if (https_port != 443)
		n += (size_t)snprintf(loc + n, sizeof(loc) - n, ":%lld", (long long)https_port);
	/* The path is decoded: encode it again. */
	for (const unsigned char *p = (const unsigned char *)req->path; *p && n + 4 < sizeof(loc); p++) {
		if (unreserved(*p) && *p != '%')
			loc[n++] = (char)*p;
		else
			n += (size_t)snprintf(loc + n, sizeof(loc) - n, "%%%02X", *p);
	}
	loc[n] = '\0';
	if (req->query[0] && n + 1 + strlen(req->query) < sizeof(loc))
		snprintf(loc + n, sizeof(loc) - n, "?%s", req->query);
	int get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	int r = riad_http_response_field(res, "Location", loc);
	if (r < 0) /* a Host that is no visible text cannot be; still */
		return riad_http_reply(res, 400, "text/plain", "bad Host\n", 9);
	static const char body[] = "moved to https\n";
	return riad_http_reply(res, get ? 301 : 308, "text/plain", body, sizeof(body) - 1);
}

static struct riad_http_static *site_st;

/* The static files, but never the TLS key when the site's store holds
 * it: its path below --root (made as the static handler makes keys),
 * and its .gz sibling, are 404. */
static int site(void *arg, struct riad_http_request *req, struct riad_http_response *res)
{
	(void)arg;
	if (key_key[0]) {
		/* root, then the path's non-empty segments, as the static
		 * handler joins them (the parser has refused "." and ".."). */
		char k[RIAD_KV_KEY_MAX + 1];
		size_t n = 0;
		for (const char *p = root; *p && n < RIAD_KV_KEY_MAX; p++)
			if (*p != '/' || (n && k[n - 1] != '/'))
				k[n++] = *p;
		for (const char *p = req->path; *p && n < RIAD_KV_KEY_MAX; p++)
			if (*p != '/' || (n && k[n - 1] != '/'))
				k[n++] = *p;
		while (n && k[n - 1] == '/')
			n--;
		k[n] = '\0';
		size_t kl = strlen(key_key);
		if (strncmp(k, key_key, kl) == 0 && (!k[kl] || strcmp(k + kl, ".gz") == 0)) {
			static const char body[] = "not found\n";
			return riad_http_reply(res, 404, "text/plain", body, sizeof(body) - 1);
		}
	}
	return riad_http_static(site_st, req, res);
}

/* Start every listener on net (see the top); 0 or an error, logged. */
static int listen_all(struct riad_http_server *srv, struct riad_http_server *plain,
                      struct riad_net *net)
{
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_ipv4_format(addr, text);
	if (tls_cfg) {
		tls_srv = srv;
		https_ops = riad_http_tls_ops;
		https_ops.close = https_close;
		struct riad_tcp_listener *l;
		int r = riad_tcp_listen(net, (uint16_t)https_port, 1024, &l);
		struct riad_fiber *f = r < 0 ? NULL : riad_fiber_spawn(tls_acceptor, l, 0);
		if (!f) {
			if (r == 0)
				riad_tcp_listener_close(l);
			riad_err(NULL, "cannot listen on TCP port %lld: %s", (long long)https_port,
			         riad_strerror(r < 0 ? r : -RIAD_ENOMEM));
			return r < 0 ? r : -RIAD_ENOMEM;
		}
		riad_fiber_set_name(f, "https-accept");
		riad_fiber_detach(f);
		riad_info(NULL, "serving https://%s:%lld/", text, (long long)https_port);
	}
	if (!plain)
		return 0;
	int r = riad_http_listen(plain, net, (uint16_t)http_port, 0);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld: %s", (long long)http_port,
		         riad_strerror(r));
		return r;
	}
	riad_info(NULL, "serving http://%s:%lld/%s", text, (long long)http_port,
	          plain == srv ? "" : " (a redirect to https)");
	return 0;
}

int main(void)
{
	if (http_port < 1 || http_port > 65535 || https_port < 1 || https_port > 65535) {
		riad_err(NULL, "--http-port and --https-port must be 1..65535");
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
	if (!tls_cert != !tls_key) {
		riad_err(NULL, "HTTPS needs both --tls-cert and --tls-key (%s is missing)",
		         tls_cert ? "--tls-key" : "--tls-cert");
		return 64;
	}
	bool https = tls_cert != NULL;
	const char *mode = http_mode ? http_mode : https ? "redirect" : "site";
	if (strcmp(mode, "site") != 0 && strcmp(mode, "redirect") != 0 && strcmp(mode, "off") != 0) {
		riad_err(NULL, "--http must be site, redirect or off");
		return 64;
	}
	if ((strcmp(mode, "redirect") == 0 || strcmp(mode, "off") == 0) && !https) {
		riad_err(NULL, "--http=%s needs HTTPS (--tls-cert and --tls-key)", mode);
		return 64;
	}
	if (tls_session_cache < 0) {
		riad_err(NULL, "--tls-session-cache must be 0 or more bytes");
		return 64;
	}

	int err = 0;
	struct riad_kv *kv = riad_store_open_args(false, &err);
	if (!kv)
		return 2; /* riad_store_open logged which layer, and why */
	if (https && tls_setup(kv) != 0)
		return 1;
	struct riad_http_static_config sc = {
		.kv = kv,
		.root = root,
		.not_found = "404.html",
		.cache_control = cache_control,
		.gzip = gzip,
	};
	site_st = riad_http_static_new(&sc, &err);
	struct riad_http_config cfg;
	riad_http_config_default(&cfg);
	cfg.max_conns = (unsigned)max_conns;
	if (https)
		cfg.stack_size = STACK_HTTPS;
	cfg.idle_ns = idle_ms * RIAD_NS_PER_MS;
	cfg.request_ns = request_ms * RIAD_NS_PER_MS;
	struct riad_http_server *srv = site_st ? riad_http_server_new(&cfg, &err) : NULL;
	if (!srv || (err = riad_http_route(srv, "GET", "/", site, NULL)) < 0) {
		riad_err(NULL, "cannot make the server: %s", riad_strerror(err));
		return 1;
	}

	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	/* Plain HTTP: the same server, or one whose every route redirects. */
	struct riad_http_server *plain = NULL;
	if (strcmp(mode, "site") == 0) {
		plain = srv;
	} else if (strcmp(mode, "redirect") == 0) {
		plain = riad_http_server_new(&cfg, &err);
		if (!plain || (err = riad_http_route(plain, NULL, "/", redirect, net)) < 0) {
			riad_err(NULL, "cannot make the server: %s", riad_strerror(err));
			return 1;
		}
	}
	if (listen_all(srv, plain, net) < 0)
		return 1;
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port,
	                   stats_ms * RIAD_NS_PER_MS) < 0)
		return 1;
	riad_http_log_stats(srv);
	if (plain && plain != srv)
		riad_http_log_stats(plain);
	if (https)
		riad_info(NULL, "https: %llu handshakes (%llu resumed), %llu failed", tls_conns,
		          tls_resumed, tls_failed);
	return 0;
}
