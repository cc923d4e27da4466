/* tests/unit/test_tls.c: riad's TLS client against riad's TLS server, two
 * stacks on the in-memory switch under the fake clock: the handshake and
 * what both ends report (version, suite, SNI, ALPN), data both ways in
 * pieces larger than a record with both buffer sizes, close_notify each
 * way (a read then returns 0, a write after riad_tls_shutdown -RIAD_EPIPE),
 * a stream cut without close_notify (-RIAD_EPROTO, named), a handshake
 * deadline kept to the nanosecond, and the client's refusals (expired,
 * wrong name) with their codes, and a leaf pinned as its own anchor. The certificates (a P-256 CA and a leaf for tls.test,
 * valid 1970-2100) were made for this test with python3-cryptography. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>

#include <riad/net.h>
#include <riad/netif_switch.h>
#include <riad/time.h>
#include <riad/tls.h>

#include "check.h"
#include "runtime.h"
#include "sched_run.h"

static const char CA_CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBJzCBzqADAgECAgEBMAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB3VuaXQtY2Ew\n"
	"IBcNNzAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBIxEDAOBgNVBAMMB3Vu\n"
	"aXQtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARj/944NpuXGt7nrHqssc5h\n"
	"6hW9UneqwoATfnMIRrwYn3ZVfrX+UqBvCrH6FoTPdozxbHyqx2nt+mdnSmgO/+Qw\n"
	"oxMwETAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIBTcoDVuxEop\n"
	"ZbQSH1dtluyy98IfP57oiVCzrJGWhUxAAiEAxutnxNbGDiMLqgxp5Ind51i6nvcc\n"
	"jCQupyhlheU6Rj4=\n"
	"-----END CERTIFICATE-----\n"
;
static const char LEAF_CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBLDCB06ADAgECAgECMAoGCCqGSM49BAMCMBIxEDAOBgNVBAMMB3VuaXQtY2Ew\n"
	"IBcNNzAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBMxETAPBgNVBAMMCHRs\n"
	"cy50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAET+0ML3qDY5CInQnm+zk9\n"
	"EH+sl8twAoprS78RmKSFz+yk3F3gHfQ8Zeto7g+Z/I14mYMoFM8bCrZgwO0XXJIP\n"
	"HaMXMBUwEwYDVR0RBAwwCoIIdGxzLnRlc3QwCgYIKoZIzj0EAwIDSAAwRQIgaj6z\n"
	"W+Fm9b4nFtBw5ek3x54+YlfIfBDyESNj8R1u7QMCIQDx0ptxNYvwWpsk5KFNGBfH\n"
	"agMpFe3GG2DhTtJNTam/+A==\n"
	"-----END CERTIFICATE-----\n"
;
static const char LEAF_KEY[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIAm/t+WHRbXsjnbs89JR8g0hpaWzUp2G9qAPmU9z9qkhoAoGCCqGSM49\n"
	"AwEHoUQDQgAET+0ML3qDY5CInQnm+zk9EH+sl8twAoprS78RmKSFz+yk3F3gHfQ8\n"
	"Zeto7g+Z/I14mYMoFM8bCrZgwO0XXJIPHQ==\n"
	"-----END EC PRIVATE KEY-----\n"
;

#define A_ADDR RIAD_IPV4(10, 0, 0, 1)
#define B_ADDR RIAD_IPV4(10, 0, 0, 2)
#define BIG 100000

#define NEED(c)                       \
	do {                          \
		if (!(c)) {           \
			CHECK(c);     \
			return 1;     \
		}                     \
	} while (0)

static struct riad_net *a, *b;
static struct riad_tcp_listener *lis;
static struct riad_tls_config *scfg, *ccfg;
static enum riad_tls_buffer buffer;

static void setup(void)
{
	static bool done;
	char why[160];
	if (!done) {
		struct riad_netif_switch *sw = riad_netif_switch_new();
		struct riad_net_config ca = { .addr = A_ADDR, .prefix = 24 };
		struct riad_net_config cb = { .addr = B_ADDR, .prefix = 24 };
		riad_net_create(riad_netif_switch_port(sw, NULL, 0), "a", &ca, &a);
		riad_net_create(riad_netif_switch_port(sw, NULL, 0), "b", &cb, &b);
		riad_tcp_listen(b, 443, 8, &lis);
		done = true;
	}
	riad_tls_config_new(RIAD_TLS_SERVER, &scfg);
	CHECK_INT(riad_tls_config_add_chain(scfg, "tls.test", LEAF_CERT, strlen(LEAF_CERT), LEAF_KEY,
	                                    strlen(LEAF_KEY), why, sizeof(why)),
	          0);
	CHECK_INT(riad_tls_config_set_alpn(scfg, "h2,http/1.1"), 0);
	riad_tls_config_set_buffer(scfg, buffer);
	riad_tls_config_new(RIAD_TLS_CLIENT, &ccfg);
	CHECK_INT(riad_tls_config_add_trust(ccfg, CA_CERT, strlen(CA_CERT), why, sizeof(why)), 0);
	CHECK_INT(riad_tls_config_set_alpn(ccfg, "http/1.1"), 0);
	riad_tls_config_set_buffer(ccfg, buffer);
}

static struct riad_tls *client(const char *name)
{
	struct riad_tcp *c;
	struct riad_tls *s;
	if (riad_tcp_connect(a, B_ADDR, 443, &c, riad_time_ns() + RIAD_NS_PER_S) < 0)
		return NULL;
	if (riad_tls_client(ccfg, c, name, &s) < 0)
		return NULL;
	return s;
}

/* The server: one connection; echoes until close_notify, then closes its
 * side too; returns bytes echoed / 1000, or a negative step. */
static int server_err, server_code;
static int echo_server(void *arg)
{
	(void)arg;
	struct riad_tcp *c;
	struct riad_tls *s;
	if (riad_tcp_accept(lis, &c, RIAD_TIME_NEVER) < 0)
		return -1;
	if (riad_tls_server(scfg, c, &s) < 0)
		return -2;
	int r = riad_tls_handshake(s, riad_time_ns() + 5 * RIAD_NS_PER_S);
	if (r < 0) {
		server_err = r;
		server_code = riad_tls_error(s, NULL);
		riad_tls_close(s);
		return -3;
	}
	const char *sni = riad_tls_server_name(s), *alpn = riad_tls_alpn(s);
	if (!sni || strcmp(sni, "tls.test") != 0 || !alpn || strcmp(alpn, "http/1.1") != 0 ||
	    riad_tls_version(s) != 0x0303) {
		fprintf(stderr, "server: sni %s alpn %s version %#x\n", sni ? sni : "-", alpn ? alpn : "-", riad_tls_version(s));
		riad_tls_close(s);
		return -4;
	}
	char *buf = malloc(16384);
	long n, total = 0;
	while ((n = riad_tls_read(s, buf, 16384, riad_time_ns() + 5 * RIAD_NS_PER_S)) > 0) {
		total += n;
		if (riad_tls_write(s, buf, (size_t)n, riad_time_ns() + 5 * RIAD_NS_PER_S) != n)
			return -5;
	}
	free(buf);
	server_err = (int)n;
	server_code = riad_tls_error(s, NULL);
	if (n == 0 && riad_tls_shutdown(s, riad_time_ns() + RIAD_NS_PER_S) != 0)
		return -6;
	riad_tls_close(s);
	return (int)(total / 1000);
}

static int echo_main(void *arg)
{
	(void)arg;
	riad_random_boot();
	setup();
	struct riad_fiber *srv = riad_fiber_spawn(echo_server, NULL, 0);
	struct riad_tls *s = client("tls.test");
	NEED(s);
	NEED(riad_tls_handshake(s, riad_time_ns() + 5 * RIAD_NS_PER_S) == 0);
	CHECK_INT(riad_tls_version(s), 0x0303);
	/* AES-128-GCM first where BearSSL has AES-NI and PCLMULQDQ, else
	 * ChaCha20 (the client offers both). */
	CHECK_STR(riad_tls_suite_name(s), br_aes_x86ni_ctr_get_vtable() && br_ghash_pclmul_get()
	                                          ? "ECDHE-ECDSA-AES128-GCM-SHA256"
	                                          : "ECDHE-ECDSA-CHACHA20-POLY1305");
	CHECK_STR(riad_tls_alpn(s), "http/1.1");
	CHECK_STR(riad_tls_server_name(s), "tls.test");
	CHECK(!riad_tls_resumed(s));
	char *out = malloc(BIG), *in = malloc(BIG);
	NEED(out && in);
	for (size_t i = 0; i < BIG; i++)
		out[i] = (char)(i * 7 + i / 1000);
	/* 20000-byte writes (more than a record), each read back whole. */
	size_t done = 0;
	while (done < BIG) {
		size_t k = BIG - done < 20000 ? BIG - done : 20000;
		NEED(riad_tls_write(s, out + done, k, riad_time_ns() + RIAD_NS_PER_S) == (long)k);
		size_t got = 0;
		while (got < k) {
			long n = riad_tls_read(s, in + done + got, k - got, riad_time_ns() + RIAD_NS_PER_S);
			NEED(n > 0);
			got += (size_t)n;
		}
		done += k;
	}
	CHECK(memcmp(in, out, BIG) == 0);
	/* close_notify: the server's read ends (0), it answers with its own,
	 * and ours ends too; writing after shutdown is a broken pipe. */
	CHECK_INT(riad_tls_shutdown(s, riad_time_ns() + RIAD_NS_PER_S), 0);
	CHECK_INT(riad_tls_shutdown(s, riad_time_ns() + RIAD_NS_PER_S), -RIAD_ENOTCONN);
	CHECK_INT(riad_tls_write(s, "x", 1, riad_time_ns() + RIAD_NS_PER_S), -RIAD_EPIPE);
	CHECK_INT(riad_tls_read(s, in, 10, riad_time_ns() + RIAD_NS_PER_S), 0);
	CHECK_INT(riad_tls_read(s, in, 10, riad_time_ns() + RIAD_NS_PER_S), 0);
	CHECK_INT(riad_tls_error(s, NULL), 0);
	CHECK_INT(riad_fiber_join(srv), BIG / 1000);
	CHECK_INT(server_err, 0);
	riad_tls_close(s);
	free(out);
	free(in);
	riad_tls_config_free(scfg);
	riad_tls_config_free(ccfg);
	return 0;
}

static void echo_bidi(void)
{
	buffer = RIAD_TLS_BUFFER_BIDI;
	CHECK_INT(riad_sched_run(echo_main, NULL), 0);
}

static void echo_mono(void)
{
	buffer = RIAD_TLS_BUFFER_MONO;
	CHECK_INT(riad_sched_run(echo_main, NULL), 0);
}

/* A stream cut without close_notify, and a handshake that never comes. */
static int cut_main(void *arg)
{
	(void)arg;
	setup();
	struct riad_fiber *srv = riad_fiber_spawn(echo_server, NULL, 0);
	struct riad_tls *s = client("tls.test");
	NEED(s);
	NEED(riad_tls_handshake(s, riad_time_ns() + 5 * RIAD_NS_PER_S) == 0);
	NEED(riad_tls_write(s, "hello", 5, riad_time_ns() + RIAD_NS_PER_S) == 5);
	char buf[16];
	CHECK_INT(riad_tls_read(s, buf, sizeof(buf), riad_time_ns() + RIAD_NS_PER_S), 5);
	/* The FIN under TLS, without the alert. */
	CHECK_INT(riad_tcp_shutdown(riad_tls_tcp(s)), 0);
	CHECK_INT(riad_fiber_join(srv), 0);
	CHECK_INT(server_err, -RIAD_EPROTO);
	CHECK_STR(riad_tls_strerror(server_code), "the connection ended without close_notify");
	riad_tls_close(s);

	/* A client that connects and says nothing: the server's handshake
	 * ends at its deadline, exactly. */
	struct riad_tcp *c, *sc;
	NEED(riad_tcp_connect(a, B_ADDR, 443, &c, riad_time_ns() + RIAD_NS_PER_S) == 0);
	NEED(riad_tcp_accept(lis, &sc, riad_time_ns() + RIAD_NS_PER_S) == 0);
	struct riad_tls *t;
	NEED(riad_tls_server(scfg, sc, &t) == 0);
	int64_t deadline = riad_time_ns() + 1500 * RIAD_NS_PER_MS;
	CHECK_INT(riad_tls_handshake(t, deadline), -RIAD_ETIMEDOUT);
	CHECK(riad_time_ns() == deadline);
	riad_tls_close(t);
	riad_tcp_close(c);
	riad_tls_config_free(scfg);
	riad_tls_config_free(ccfg);
	return 0;
}

static void cut(void)
{
	buffer = RIAD_TLS_BUFFER_BIDI;
	CHECK_INT(riad_sched_run(cut_main, NULL), 0);
}

/* The client's refusals, each with its code; the server hears an alert. */
static int refuse_one(const char *name, int code)
{
	struct riad_fiber *srv = riad_fiber_spawn(echo_server, NULL, 0);
	struct riad_tls *s = client(name);
	NEED(s);
	CHECK_INT(riad_tls_handshake(s, riad_time_ns() + 5 * RIAD_NS_PER_S), -RIAD_EACCES);
	CHECK_INT(riad_tls_error(s, NULL), code);
	/* Failed stays failed. */
	char x;
	CHECK_INT(riad_tls_read(s, &x, 1, riad_time_ns() + RIAD_NS_PER_S), -RIAD_EACCES);
	riad_tls_close(s);
	/* The server's handshake fails too (BearSSL's client closes without
	 * an alert on a certificate error: the server sees the end). */
	CHECK_INT(riad_fiber_join(srv), -3);
	CHECK_INT(server_err, -RIAD_EPROTO);
	CHECK_INT(server_code, 31 /* BR_ERR_IO */);
	return 0;
}

static void client_cfg(const char *trust)
{
	char why[160];
	riad_tls_config_free(ccfg);
	riad_tls_config_new(RIAD_TLS_CLIENT, &ccfg);
	riad_tls_config_add_trust(ccfg, trust, strlen(trust), why, sizeof(why));
	riad_tls_config_set_alpn(ccfg, "http/1.1");
}

static int refuse_main(void *arg)
{
	(void)arg;
	setup();
	refuse_one("other.test", 56 /* BR_ERR_X509_BAD_SERVER_NAME */);
	fake_wall_set(200LL * 365 * 86400 * RIAD_NS_PER_S); /* 2170 */
	client_cfg(CA_CERT); /* the time is read when a client is made */
	refuse_one("tls.test", 54 /* BR_ERR_X509_EXPIRED */);
	fake_wall_set(0);
	/* The leaf's own certificate as the anchor pins it (BearSSL: an
	 * anchor that is not a CA matches the end certificate itself). */
	client_cfg(LEAF_CERT);
	struct riad_fiber *srv = riad_fiber_spawn(echo_server, NULL, 0);
	struct riad_tls *s = client("tls.test");
	NEED(s);
	CHECK_INT(riad_tls_handshake(s, riad_time_ns() + 5 * RIAD_NS_PER_S), 0);
	CHECK_INT(riad_tls_shutdown(s, riad_time_ns() + RIAD_NS_PER_S), 0);
	riad_tls_close(s);
	CHECK_INT(riad_fiber_join(srv), 0);
	riad_tls_config_free(scfg);
	riad_tls_config_free(ccfg);
	return 0;
}

static void refusals(void)
{
	buffer = RIAD_TLS_BUFFER_BIDI;
	CHECK_INT(riad_sched_run(refuse_main, NULL), 0);
}

int main(void)
{
	RUN(echo_bidi);
	RUN(echo_mono);
	RUN(cut);
	RUN(refusals);
	return check_done();
}
