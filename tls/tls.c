/* tls/tls.c: riad/tls.h's connection functions over any implementation
 * (the ops of struct riad_tls), and the text of BearSSL's error codes. */
#include <stddef.h>

#include <riad/fiber.h>

#include "tls_internal.h"

static int tls_open(struct riad_tls_config *cfg, enum riad_tls_role role, struct riad_tcp *c,
                    const char *server_name, struct riad_tls **out)
{
	int r = -RIAD_EINVAL;
	if (cfg->role != role)
		goto fail;
	if (role == RIAD_TLS_SERVER && cfg->nchains == 0)
		goto fail;
	if (role == RIAD_TLS_CLIENT && cfg->nanchors == 0)
		goto fail;
	/* The only implementation so far: BearSSL's TLS 1.2. */
	r = tls_bearssl_new(cfg, c, server_name, out);
	if (r < 0)
		goto fail;
	/* Every write is whole records, often a flight of several: Nagle
	 * would hold the second until the first is acknowledged, a delayed
	 * ACK (40 ms) per handshake on Linux peers. */
	riad_tcp_set_nodelay(c, true);
	cfg->conns++;
	return 0;
fail:
	riad_tcp_close(c);
	return r;
}

int riad_tls_server(struct riad_tls_config *cfg, struct riad_tcp *c, struct riad_tls **out)
{
	return tls_open(cfg, RIAD_TLS_SERVER, c, NULL, out);
}

int riad_tls_client(struct riad_tls_config *cfg, struct riad_tcp *c, const char *server_name,
                    struct riad_tls **out)
{
	return tls_open(cfg, RIAD_TLS_CLIENT, c, server_name, out);
}

int riad_tls_handshake(struct riad_tls *s, int64_t deadline)
{
	return s->ops->handshake(s, deadline);
}

long riad_tls_read(struct riad_tls *s, void *buf, size_t len, int64_t deadline)
{
	if (len == 0)
		return -RIAD_EINVAL;
	return s->ops->read(s, buf, len, deadline);
}

long riad_tls_write(struct riad_tls *s, const void *buf, size_t len, int64_t deadline)
{
	if (s->shut)
		return -RIAD_EPIPE;
	if (len == 0)
		return 0;
	return s->ops->write(s, buf, len, deadline);
}

int riad_tls_shutdown(struct riad_tls *s, int64_t deadline)
{
	if (s->shut)
		return -RIAD_ENOTCONN;
	s->shut = true;
	int r = s->ops->shutdown(s, deadline);
	if (r < 0)
		return r;
	return riad_tcp_shutdown(s->tcp);
}

int riad_tls_when_readable(struct riad_tls *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
                           size_t stack_size)
{
	return s->ops->when_readable(s, deadline, fn, arg, stack_size);
}

void riad_tls_close(struct riad_tls *s)
{
	struct riad_tcp *c = s->tcp;
	struct riad_tls_config *cfg = s->cfg;
	s->ops->close(s);
	cfg->conns--;
	riad_tcp_close(c);
}

unsigned riad_tls_version(const struct riad_tls *s)
{
	return s->ops->version(s);
}

unsigned riad_tls_suite(const struct riad_tls *s)
{
	return s->ops->suite(s);
}

const char *riad_tls_suite_name(const struct riad_tls *s)
{
	switch (s->ops->suite(s)) {
	case BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
		return "ECDHE-ECDSA-CHACHA20-POLY1305";
	case BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:
		return "ECDHE-RSA-CHACHA20-POLY1305";
	case BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
		return "ECDHE-ECDSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
		return "ECDHE-RSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
		return "ECDHE-ECDSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
		return "ECDHE-RSA-AES256-GCM-SHA384";
	case 0:
		return "none";
	default:
		return "unknown";
	}
}

const char *riad_tls_alpn(const struct riad_tls *s)
{
	return s->ops->alpn(s);
}

const char *riad_tls_server_name(const struct riad_tls *s)
{
	return s->ops->server_name(s);
}

bool riad_tls_resumed(const struct riad_tls *s)
{
	return s->ops->resumed(s);
}

struct riad_tcp *riad_tls_tcp(const struct riad_tls *s)
{
	return s->tcp;
}

int riad_tls_error(const struct riad_tls *s, const char **text)
{
	if (text)
		*text = riad_tls_strerror(s->err);
	return s->err;
}

/* The alerts of RFC 5246 7.2 and RFC 7301 by number. */
static const char *alert_name(int a)
{
	switch (a) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 22: return "record_overflow";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 86: return "inappropriate_fallback";
	case 90: return "user_canceled";
	case 100: return "no_renegotiation";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 120: return "no_application_protocol";
	default: return "unknown alert";
	}
}

const char *riad_tls_strerror(int code)
{
	/* Alerts: one fixed line per alert and direction. */
	static char alert_text[2][80];
	if (code == BR_ERR_RECV_FATAL_ALERT)
		return "peer closed (close_notify) before the handshake ended";
	if (code >= BR_ERR_RECV_FATAL_ALERT && code < BR_ERR_SEND_FATAL_ALERT + 256) {
		int sent = code >= BR_ERR_SEND_FATAL_ALERT;
		int a = code - (sent ? BR_ERR_SEND_FATAL_ALERT : BR_ERR_RECV_FATAL_ALERT);
		char *b = alert_text[sent];
		const char *head = sent ? "sent fatal alert " : "peer sent fatal alert ";
		const char *name = alert_name(a);
		size_t i = 0;
		for (const char *p = head; *p && i < 40; p++)
			b[i++] = *p;
		if (a >= 100)
			b[i++] = (char)('0' + a / 100);
		if (a >= 10)
			b[i++] = (char)('0' + a / 10 % 10);
		b[i++] = (char)('0' + a % 10);
		b[i++] = ' ';
		b[i++] = '(';
		for (const char *p = name; *p && i < sizeof(alert_text[0]) - 2; p++)
			b[i++] = *p;
		b[i++] = ')';
		b[i] = '\0';
		return b;
	}
	switch (code) {
	case BR_ERR_OK: return "no error";
	case BR_ERR_BAD_PARAM: return "bad parameter (internal)";
	case BR_ERR_BAD_STATE: return "the engine stalled (a record the mono buffer cannot hold with its answer)";
	case BR_ERR_UNSUPPORTED_VERSION: return "the peer's protocol version is not supported (TLS 1.2 only)";
	case BR_ERR_BAD_VERSION: return "record version mismatch";
	case BR_ERR_BAD_LENGTH: return "bad record length";
	case BR_ERR_TOO_LARGE: return "record too large";
	case BR_ERR_BAD_MAC: return "record failed authentication (bad MAC)";
	case BR_ERR_NO_RANDOM: return "no random seed";
	case BR_ERR_UNKNOWN_TYPE: return "unknown record type (not TLS?)";
	case BR_ERR_UNEXPECTED: return "unexpected message";
	case BR_ERR_BAD_CCS: return "bad ChangeCipherSpec";
	case BR_ERR_BAD_ALERT: return "malformed alert";
	case BR_ERR_BAD_HANDSHAKE: return "malformed handshake message";
	case BR_ERR_OVERSIZED_ID: return "session ID too long";
	case BR_ERR_BAD_CIPHER_SUITE: return "no cipher suite in common (ECDHE with AES-GCM or ChaCha20-Poly1305 only)";
	case BR_ERR_BAD_COMPRESSION: return "no compression method in common";
	case BR_ERR_BAD_FRAGLEN: return "bad maximum fragment length";
	case BR_ERR_BAD_SECRENEG: return "secure renegotiation failed";
	case BR_ERR_EXTRA_EXTENSION: return "unexpected extension";
	case BR_ERR_BAD_SNI: return "malformed server name";
	case BR_ERR_BAD_HELLO_DONE: return "malformed ServerHelloDone";
	case BR_ERR_LIMIT_EXCEEDED: return "a protocol limit was exceeded";
	case BR_ERR_BAD_FINISHED: return "bad Finished message";
	case BR_ERR_RESUME_MISMATCH: return "resumed session does not match";
	case BR_ERR_INVALID_ALGORITHM: return "unsupported or invalid algorithm";
	case BR_ERR_BAD_SIGNATURE: return "bad signature on the key exchange";
	case BR_ERR_WRONG_KEY_USAGE: return "the certificate's key may not be used for this";
	case BR_ERR_NO_CLIENT_AUTH: return "no client certificate";
	case BR_ERR_IO: return "the connection ended without close_notify";
	case BR_ERR_X509_OK: return "certificate chain valid";
	case BR_ERR_X509_INVALID_VALUE: return "certificate: invalid value in an ASN.1 structure";
	case BR_ERR_X509_TRUNCATED: return "certificate truncated";
	case BR_ERR_X509_EMPTY_CHAIN: return "empty certificate chain";
	case BR_ERR_X509_INNER_TRUNC: return "certificate: inner element truncated";
	case BR_ERR_X509_BAD_TAG_CLASS: return "certificate: unsupported tag class";
	case BR_ERR_X509_BAD_TAG_VALUE: return "certificate: unsupported tag value";
	case BR_ERR_X509_INDEFINITE_LENGTH: return "certificate: indefinite length";
	case BR_ERR_X509_EXTRA_ELEMENT: return "certificate: extra element";
	case BR_ERR_X509_UNEXPECTED: return "certificate: unexpected element";
	case BR_ERR_X509_NOT_CONSTRUCTED: return "certificate: expected constructed element";
	case BR_ERR_X509_NOT_PRIMITIVE: return "certificate: expected primitive element";
	case BR_ERR_X509_PARTIAL_BYTE: return "certificate: bit string not whole bytes";
	case BR_ERR_X509_BAD_BOOLEAN: return "certificate: bad boolean";
	case BR_ERR_X509_OVERFLOW: return "certificate: value overflow";
	case BR_ERR_X509_BAD_DN: return "certificate: malformed distinguished name";
	case BR_ERR_X509_BAD_TIME: return "certificate: malformed validity time";
	case BR_ERR_X509_UNSUPPORTED: return "certificate: unsupported feature";
	case BR_ERR_X509_LIMIT_EXCEEDED: return "certificate: a decoding limit was exceeded";
	case BR_ERR_X509_WRONG_KEY_TYPE: return "certificate: key type does not match the signature";
	case BR_ERR_X509_BAD_SIGNATURE: return "certificate: bad signature";
	case BR_ERR_X509_TIME_UNKNOWN: return "certificate: validity cannot be checked (no time)";
	case BR_ERR_X509_EXPIRED: return "certificate expired or not yet valid";
	case BR_ERR_X509_DN_MISMATCH: return "certificate chain: issuer and subject names do not chain";
	case BR_ERR_X509_BAD_SERVER_NAME: return "server name does not match the certificate";
	case BR_ERR_X509_CRITICAL_EXTENSION: return "certificate: unknown critical extension";
	case BR_ERR_X509_NOT_CA: return "certificate chain: an issuer is not a CA";
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE: return "certificate: key usage forbids TLS server use";
	case BR_ERR_X509_WEAK_PUBLIC_KEY: return "certificate: public key too weak";
	case BR_ERR_X509_NOT_TRUSTED: return "certificate chain: unknown issuer (no trust anchor)";
	default: return "unknown TLS error";
	}
}
