/* fuzz/tls_server.c: libFuzzer target for riad's TLS glue on the server side
 * (tls/): the input is everything a client sends, fed to riad_tls_read
 * through a fake TCP connection, so that BearSSL's record layer and
 * handshake parser and riad's loop around them (SNI choice among two
 * chains, ALPN, the session cache) see arbitrary bytes.
 *
 * Input: byte 0 chooses the largest TCP read (1 + byte0 * 64 bytes, so
 * that records arrive whole or in pieces), bit 7 of byte 1 the mono
 * buffer, and bit 6 whether the connection waits in riad_tls_when_readable
 * before each read (as riad_http_serve_detached has it do), which gives
 * the record buffer back between records and takes it again in the read;
 * the rest is the client's byte stream. Randomness is fixed (the
 * same server random every run), the wall clock too, so a run repeats.
 * Checks: every call returns a count or one of the errors riad/tls.h
 * lists; riad_tls_error names a code with a message; nothing leaks (ASan).
 * The seed corpus is ClientHellos recorded from openssl s_client
 * (fuzz/corpus/tls_server/: TLS 1.2, 1.3, SNI, ALPN, old versions, CBC
 * offers), then the inputs a five-minute run found new coverage with
 * (found-*: minimised with -merge=1).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/random.h>
#include <riad/tls.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A throw-away P-256 key and its self-signed certificate (CN fuzz.test),
 * made for this target only. */
static const char CERT[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBfzCCASWgAwIBAgIUcv90b8LJAbFJidrrYjGjgqhlmNIwCgYIKoZIzj0EAwIw\n"
	"FDESMBAGA1UEAwwJZnV6ei50ZXN0MCAXDTI2MTIwNzA0NTkxNloYDzIxMjYxMTEz\n"
	"MDQ1OTE2WjAUMRIwEAYDVQQDDAlmdXp6LnRlc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
	"PQMBBwNCAARDm4PiKlKaoV8hPTzSrBzR5DgSObNyMZ9vLswIidiUL/y0Gdbwrvqc\n"
	"sDUkNvv2x3f/BZNwzVsX4jQk3sss52umo1MwUTAdBgNVHQ4EFgQU7LQ3zmsgNDYL\n"
	"osjadUWSvKGPu7kwHwYDVR0jBBgwFoAU7LQ3zmsgNDYLosjadUWSvKGPu7kwDwYD\n"
	"VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAu1ISly2mYexhbYnWJJmg\n"
	"yRtq6y47uoDi+zrpRyPSfv8CIAeDc0Dd8tRdsFDOcUZdRDb+mplhwsCeyaNKFC+o\n"
	"bIN7\n"
	"-----END CERTIFICATE-----\n"
;
static const char KEY[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIJNLSRc9u4geaFtSdGFO9ojBYCdHDuz7Hqoa24hSkNUloAoGCCqGSM49\n"
	"AwEHoUQDQgAEQ5uD4ipSmqFfIT080qwc0eQ4EjmzcjGfby7MCInYlC/8tBnW8K76\n"
	"nLA1JDb79sd3/wWTcM1bF+I0JN7LLOdrpg==\n"
	"-----END EC PRIVATE KEY-----\n"
;

void riad_random_bytes(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
}

const char *riad_strerror(int err)
{
	(void)err;
	return "error";
}

/* The KV store is not used (the chains come from memory). */
int riad_kv_size(struct riad_kv *kv, const char *key, uint64_t *size)
{
	(void)kv, (void)key, (void)size;
	return -RIAD_ENOENT;
}

int riad_kv_get(struct riad_kv *kv, const char *key, uint64_t off, void *buf, size_t len,
                size_t *got)
{
	(void)kv, (void)key, (void)off, (void)buf, (void)len, (void)got;
	return -RIAD_ENOENT;
}

/* The fake connection: reads come from the input, writes vanish. */
static struct riad_tcp conn;
static const uint8_t *in;
static size_t in_left, chunk;

long riad_tcp_read(struct riad_tcp *c, void *buf, size_t len, int64_t deadline)
{
	(void)c, (void)deadline;
	if (in_left == 0)
		return 0;
	size_t n = len < in_left ? len : in_left;
	if (n > chunk)
		n = chunk;
	memcpy(buf, in, n);
	in += n;
	in_left -= n;
	return (long)n;
}

long riad_tcp_write(struct riad_tcp *c, const void *buf, size_t len, int64_t deadline)
{
	(void)c, (void)buf, (void)deadline;
	return (long)len;
}

int riad_tcp_shutdown(struct riad_tcp *c)
{
	(void)c;
	return 0;
}

void riad_tcp_close(struct riad_tcp *c)
{
	(void)c;
}

void riad_tcp_set_nodelay(struct riad_tcp *c, bool on)
{
	(void)c, (void)on;
}

/* when_readable never runs fn here: the loop below reads next, as fn
 * would. The fiber calls only have to succeed. */
int riad_tcp_when_readable(struct riad_tcp *c, int64_t deadline, riad_fiber_fn *fn, void *arg,
                           size_t stack_size)
{
	(void)c, (void)deadline, (void)fn, (void)arg, (void)stack_size;
	return 0;
}

int64_t riad_time_ns(void)
{
	return 0;
}

int riad_fiber_spawn_detached(riad_fiber_fn *fn, void *arg, size_t stack_size, const char *name)
{
	(void)fn, (void)arg, (void)stack_size, (void)name;
	return 0;
}

static int never_run(void *arg)
{
	(void)arg;
	abort();
}

static struct riad_tls_config *cfg[2];

static void setup(void)
{
	for (int m = 0; m < 2; m++) {
		if (riad_tls_config_new(RIAD_TLS_SERVER, &cfg[m]) < 0 ||
		    riad_tls_config_add_chain(cfg[m], NULL, CERT, strlen(CERT), KEY, strlen(KEY), NULL,
		                              0) < 0 ||
		    riad_tls_config_add_chain(cfg[m], "fuzz.test,*.fuzz.test", CERT, strlen(CERT), KEY,
		                              strlen(KEY), NULL, 0) < 0 ||
		    riad_tls_config_set_alpn(cfg[m], "h2,http/1.1") < 0 ||
		    riad_tls_config_set_session_cache(cfg[m], 4096) < 0)
			abort();
		riad_tls_config_set_buffer(cfg[m], m ? RIAD_TLS_BUFFER_MONO : RIAD_TLS_BUFFER_BIDI);
	}
}

static void check(long r)
{
	if (r >= 0)
		return;
	switch (-r) {
	case RIAD_EPROTO:
	case RIAD_EBADMSG:
	case RIAD_EACCES:
	case RIAD_EPIPE:
	case RIAD_EAGAIN:
		return;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cfg[0])
		setup();
	if (size < 2)
		return 0;
	chunk = 1 + (size_t)data[0] * 64;
	int mono = data[1] >> 7;
	bool park = data[1] & 0x40;
	in = data + 2;
	in_left = size - 2;
	struct riad_tls *s;
	if (riad_tls_server(cfg[mono], &conn, &s) < 0)
		abort();
	if (park && riad_tls_when_readable(s, 0, never_run, NULL, 0) < 0)
		abort();
	int r = riad_tls_handshake(s, 0);
	check(r);
	char buf[16384];
	for (int i = 0; r == 0 && i < 64; i++) {
		if (park && riad_tls_when_readable(s, 0, never_run, NULL, 0) < 0)
			abort();
		long n = riad_tls_read(s, buf, sizeof(buf), 0);
		check(n);
		if (n <= 0)
			break;
		check(riad_tls_write(s, buf, (size_t)n, 0));
	}
	const char *text;
	int code = riad_tls_error(s, &text);
	/* TLS_FUZZ_DEBUG=1: what a crash input made riad return. */
	if (getenv("TLS_FUZZ_DEBUG"))
		fprintf(stderr, "r=%d code=%d %s\n", r, code, text);
	if (!text || !*text || (code == 0 && r < 0 && r != -RIAD_EPROTO))
		abort();
	(void)riad_tls_suite_name(s);
	(void)riad_tls_server_name(s);
	riad_tls_close(s);
	return 0;
}
