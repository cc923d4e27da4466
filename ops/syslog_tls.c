/* ops/syslog_tls.c: syslog over TLS (RFC 5425: RFC 5424 messages,
 * octet-counted, over TLS 1.2), the third transport of the syslog client
 * (ops/syslog.c, docs/syslog.md).
 *
 * Why a call and not just the option: the collector's CA comes from a KV
 * store, and which store a unikernel has (--store, baked files, none) is
 * the application's choice; the network library cannot open one without
 * every network unikernel linking the storage stack, nor TLS without
 * every one linking BearSSL. So the application hands its store over with
 * riad_syslog_tls(kv) (riad/syslog.h), which is the only way into this
 * file: a unikernel that never calls it carries neither TLS nor storage
 * code for syslog, and its sender waits, holding the queue, with one
 * error line, if --syslog=tls:// is given anyway.
 *
 * Each connection is new from the ground: the CA file is read from the
 * store again (a rotated CA takes effect at the next connection), a
 * client configuration is built, and the handshake is a full one. riad's
 * TLS library has no client session cache (riad/tls.h: resumption is a
 * server feature), so there is no resumption; a collector is reconnected
 * rarely (after a restart or a network failure), so it costs little. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/errno.h>
#include <riad/kv.h>
#include <riad/net.h>
#include <riad/syslog.h>
#include <riad/time.h>
#include <riad/tls.h>

#include "syslog.h"

/* The handshake's time limit, as the TCP connect's. */
#define SYSLOG_TLS_HANDSHAKE_NS (5 * RIAD_NS_PER_S)

static struct riad_kv *ca_store;

/* One connection: the TLS stream and the configuration it was made from,
 * which must outlive it. */
struct tls_conn {
	struct riad_tls *s;
	struct riad_tls_config *cfg;
};

static int tls_open(struct riad_net *net, const struct syslog_url *u, void **conn, char *why,
                    size_t len)
{
	if (!syslog_opt_ca) {
		snprintf(why, len, "no --syslog-ca: the collector's certificate cannot be checked");
		return -RIAD_EINVAL;
	}
	struct tls_conn *t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(why, len, "no memory");
		return -RIAD_ENOMEM;
	}
	int r = riad_tls_config_new(RIAD_TLS_CLIENT, &t->cfg);
	if (r < 0) {
		snprintf(why, len, "no TLS configuration: %s", riad_strerror(r));
		free(t);
		return r;
	}
	char text[120];
	r = riad_tls_config_add_trust_kv(t->cfg, ca_store, syslog_opt_ca, text, sizeof(text));
	if (r < 0) {
		snprintf(why, len, "cannot read the CA (--syslog-ca): %s", text);
		goto fail;
	}
	struct riad_tcp *c;
	r = riad_tcp_connect(net, u->addr, u->port, &c, riad_time_ns() + 5 * RIAD_NS_PER_S);
	if (r < 0) {
		snprintf(why, len, "cannot connect: %s", riad_strerror(r));
		goto fail;
	}
	/* The name checked against the certificate: the given one, else
	 * the address as text (BearSSL checks DNS names and the common
	 * name, not iPAddress entries). */
	char addr[RIAD_IPV4_STRLEN];
	riad_ipv4_format(u->addr, addr);
	const char *name = syslog_opt_tls_name ? syslog_opt_tls_name : addr;
	r = riad_tls_client(t->cfg, c, name, &t->s);
	if (r < 0) {
		snprintf(why, len, "no TLS connection: %s", riad_strerror(r));
		goto fail;
	}
	r = riad_tls_handshake(t->s, riad_time_ns() + SYSLOG_TLS_HANDSHAKE_NS);
	if (r < 0) {
		const char *what;
		riad_tls_error(t->s, &what);
		if (r == -RIAD_EACCES)
			snprintf(why, len, "the collector's certificate is refused (name '%s'): %s", name,
			         what);
		else if (r == -RIAD_ETIMEDOUT || riad_tls_error(t->s, NULL) == 0)
			snprintf(why, len, "TLS handshake failed: %s", riad_strerror(r));
		else
			snprintf(why, len, "TLS handshake failed: %s", what);
		riad_tls_close(t->s);
		t->s = NULL;
		goto fail;
	}
	*conn = t;
	return 0;
fail:
	riad_tls_config_free(t->cfg);
	free(t);
	return r;
}

/* Whether the collector closed (close_notify or FIN) or reset the
 * connection; a collector never sends application data, and any is
 * ignored. */
static bool tls_lost(void *conn)
{
	struct tls_conn *t = conn;
	char b[64];
	long r = riad_tls_read(t->s, b, sizeof(b), 0);
	return r == 0 || (r < 0 && r != -RIAD_ETIMEDOUT);
}

static long tls_write(void *conn, const void *buf, size_t len)
{
	struct tls_conn *t = conn;
	return riad_tls_write(t->s, buf, len, RIAD_TIME_NEVER);
}

static void tls_finish(void *conn, int64_t deadline)
{
	struct tls_conn *t = conn;
	char b[64];
	if (riad_tls_shutdown(t->s, deadline) < 0)
		return;
	/* rsyslog answers close_notify with its own or just closes: either
	 * ends the read (0 or -RIAD_EPROTO). */
	while (riad_tls_read(t->s, b, sizeof(b), deadline) > 0)
		;
}

static void tls_close(void *conn)
{
	struct tls_conn *t = conn;
	riad_tls_close(t->s);
	riad_tls_config_free(t->cfg);
	free(t);
}

static const struct syslog_stream_ops tls_ops = {
	.open = tls_open,
	.lost = tls_lost,
	.write = tls_write,
	.finish = tls_finish,
	.close = tls_close,
};

void riad_syslog_tls(struct riad_kv *kv)
{
	ca_store = kv;
	syslog_tls_ops = kv ? &tls_ops : NULL;
}
