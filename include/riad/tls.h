/* riad/tls.h: TLS over a TCP connection (riad/net.h), as a server or a
 * client, in the same blocking style with deadlines.
 *
 * What it speaks. TLS 1.2 only (RFC 5246), through BearSSL: ECDHE key
 * exchange with AEAD suites only (AES-128/256-GCM and
 * ChaCha20-Poly1305; ECDHE_ECDSA and ECDHE_RSA), curves X25519, P-256,
 * P-384 and P-521, certificates with EC (P-256, P-384, P-521) or RSA
 * keys. Refused (the handshake fails with an alert): SSL 3, TLS 1.0,
 * TLS 1.1, and a client that offers only TLS 1.3 (BearSSL has no TLS 1.3;
 * a client offering 1.2 and 1.3 gets 1.2); CBC, RC4, 3DES, static RSA and anything without forward
 * secrecy; renegotiation (secure or not: it is refused with a
 * no_renegotiation warning, and the connection carries on as it was).
 * Implemented: SNI (the server chooses among several certificate chains
 * by the client's server name), ALPN, session resumption by session ID
 * on the server (a bounded LRU cache shared by the connections of one
 * configuration), chain validation against trust anchors and the host
 * name check on the client (RFC 6125 rules as BearSSL applies them: one
 * leftmost wildcard label). Not implemented: client certificates, session
 * tickets, OCSP stapling, TLS 1.3 (see "implementations" at the end).
 *
 * Configurations. A struct riad_tls_config holds what many connections
 * share: the role, certificate chains and keys (server), trust anchors
 * (client), ALPN names, the session cache, the buffer size. Build one at
 * start-up, then wrap each accepted or connected riad_tcp with
 * riad_tls_server() or riad_tls_client(). A configuration must outlive
 * every connection made from it, and must not change once a connection
 * uses it. Certificates and keys are PEM (decoded with BearSSL's PEM
 * decoder): in memory (a boot argument, say) or read from a KV store
 * (riad/kv.h). Private key bytes are wiped (riad_wipe) from every buffer
 * riad used to decode them, and from the configuration when it is freed.
 *
 * Errors. As riad/net.h: 0 (or a count) on success, a negative RIAD_E*
 * value on failure. The TCP errors pass through unchanged
 * (-RIAD_ETIMEDOUT means the deadline passed, and nothing else;
 * -RIAD_ECONNRESET, -RIAD_ECONNABORTED, -RIAD_ENETDOWN, -RIAD_EINTR). A
 * failure of TLS itself is one of:
 *	-RIAD_EPROTO        the peer broke the protocol, sent a fatal alert,
 *	                    or offered nothing this end accepts (a version,
 *	                    a suite); or the stream ended without a
 *	                    close_notify (a truncation)
 *	-RIAD_EACCES        the client rejected the server's certificate
 *	                    chain (unknown issuer, expired, wrong name, ...)
 *	-RIAD_EBADMSG       a record failed authentication
 * and riad_tls_error() then gives BearSSL's code and a one-line message
 * naming what went wrong ("certificate expired or not yet valid", "server
 * name does not match the certificate", "peer sent fatal alert 40
 * (handshake_failure)"). A connection that failed stays failed: every
 * later read or write returns the same error.
 *
 * Blocking. The functions that take a deadline may park the calling
 * fiber, as the riad_tcp_* calls they make do (deadline: absolute
 * riad_time_ns() nanoseconds, RIAD_TIME_NEVER for ever). A deadline that
 * passes in the middle of a record leaves the connection unusable for
 * further handshakes but not corrupt: a read may be retried; a handshake
 * that timed out should be closed. One fiber at a time uses a connection
 * (unlike riad_tcp, not one reader and one writer: the engine's state is
 * shared).
 *
 * Nagle. riad_tls_server and riad_tls_client turn Nagle off on the TCP
 * connection (riad_tcp_set_nodelay): TLS writes whole records, and
 * Nagle would hold a handshake flight's second record for a delayed ACK.
 *
 * Ownership. riad_tls_server and riad_tls_client take the riad_tcp over:
 * riad_tls_close closes it (the application must not use it directly any
 * more, except riad_tcp_endpoints and the options through riad_tls_tcp).
 * Buffers passed in are only borrowed for the call.
 *
 * Memory. Each connection holds BearSSL's engine state for its whole
 * life, and its record buffer while it is in use: a server connection
 * 37418 bytes with the default bidirectional buffer (RIAD_TLS_BUFFER_BIDI:
 * 33178 of them) and 20949 with the mono buffer (RIAD_TLS_BUFFER_MONO:
 * 16709, one record in one direction at a time, see riad_tls_write); a
 * client connection 2752 bytes more (the X.509 validator). A connection
 * waiting in riad_tls_when_readable between records gives its buffer back
 * (received plaintext wiped) and holds no fiber: 4240 bytes (server). The TCP connection
 * below and the fiber are extra. docs/tls.md has the figures.
 *
 * Limits (chains, certificates in a chain, anchors, ALPN names, PEM size,
 * spare buffers, the session cache's default size) are the RIAD_TLS_*
 * values in riad/opt.h.
 */
#ifndef RIAD_TLS_H
#define RIAD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/errno.h>
#include <riad/fiber.h>
#include <riad/kv.h>
#include <riad/net.h>
#include <riad/opt.h> /* the RIAD_TLS_* limits */

/* Not in riad/errno.h before TLS (Linux numbering). */
#ifndef RIAD_EPROTO
#define RIAD_EPROTO 71
#endif

enum riad_tls_role {
	RIAD_TLS_SERVER = 1,
	RIAD_TLS_CLIENT = 2,
};

enum riad_tls_buffer {
	RIAD_TLS_BUFFER_BIDI = 0, /* full duplex: 33178 bytes a connection (default) */
	RIAD_TLS_BUFFER_MONO = 1, /* half duplex: 16709 bytes a connection */
};

struct riad_tls_config; /* opaque */
struct riad_tls;        /* one connection (the head of an instance; see the end) */

/* ---- configurations ---- */

/* A new, empty configuration for one role. Never parks. 0 and the
 * configuration in *out, or -RIAD_EINVAL (no such role), -RIAD_ENOMEM. */
int riad_tls_config_new(enum riad_tls_role role, struct riad_tls_config **out);

/* Server: add a certificate chain (PEM: the server's certificate first,
 * then the intermediates; "CERTIFICATE" blocks) and its private key (PEM:
 * "EC PRIVATE KEY", "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"). names is
 * a comma-separated list of the host names SNI chooses this chain for
 * ("example.org,*.example.org": a leading "*." matches one label; case
 * does not matter), or NULL: this chain is the default, used when no
 * chain's names match the client's server name or the client sent none
 * (without a default, the first chain added is). Never parks. 0, or
 * -RIAD_EINVAL (role, or a name list that is not names), -RIAD_EBADMSG
 * (no certificate, a malformed PEM or key, a key type other than RSA or
 * EC P-256/P-384/P-521, or a key that does not match the certificate),
 * -RIAD_ENOSPC, -RIAD_ENOMEM. On failure, why[] (if not NULL) holds one
 * line saying which. The caller's PEM buffers are not changed. */
int riad_tls_config_add_chain(struct riad_tls_config *cfg, const char *names, const void *cert_pem,
                              size_t cert_len, const void *key_pem, size_t key_len, char *why,
                              size_t why_len);

/* The same with the PEM read from kv at cert_key and key_key (riad_kv_get;
 * the key's bytes are wiped from riad's buffer after decoding). May park
 * (the store). Also -RIAD_ENOENT and the store's errors, -RIAD_EFBIG (over
 * RIAD_TLS_PEM_MAX). */
int riad_tls_config_add_chain_kv(struct riad_tls_config *cfg, const char *names,
                                 struct riad_kv *kv, const char *cert_key, const char *key_key,
                                 char *why, size_t why_len);

/* Client: trust every certificate in pem (one or more "CERTIFICATE"
 * blocks) as an anchor: a server's chain must lead to one of them. Never
 * parks. 0, or -RIAD_EINVAL (role), -RIAD_EBADMSG, -RIAD_ENOSPC,
 * -RIAD_ENOMEM; why[] as above. */
int riad_tls_config_add_trust(struct riad_tls_config *cfg, const void *pem, size_t len, char *why,
                              size_t why_len);
int riad_tls_config_add_trust_kv(struct riad_tls_config *cfg, struct riad_kv *kv, const char *key,
                                 char *why, size_t why_len);

/* The ALPN protocol names offered (client) or accepted (server), in order
 * of preference, as a comma-separated list ("h2,http/1.1"; each 1..255
 * bytes). A server whose client offers none of them goes on without ALPN
 * (riad_tls_alpn then says NULL). 0, -RIAD_EINVAL, -RIAD_ENOSPC. */
int riad_tls_config_set_alpn(struct riad_tls_config *cfg, const char *names);

/* Server: the session cache's size in bytes (0: no resumption). Before
 * the first connection. 0, -RIAD_EINVAL (role), -RIAD_ENOMEM. */
int riad_tls_config_set_session_cache(struct riad_tls_config *cfg, size_t bytes);

/* The record buffer of each connection made from now on. */
void riad_tls_config_set_buffer(struct riad_tls_config *cfg, enum riad_tls_buffer buffer);

/* Free a configuration (key material wiped). Every connection made from
 * it must be closed first (programmer error otherwise: aborts). */
void riad_tls_config_free(struct riad_tls_config *cfg);

/* ---- connections ---- */

/* Wrap c as the server (riad_tls_server) or the client (riad_tls_client:
 * server_name is sent as SNI and checked against the certificate; NULL
 * sends none and skips the name check, which only a test should do; it
 * is copied). Takes c over, also on failure (then it is closed). Never
 * parks: the handshake happens in riad_tls_handshake, or in the first
 * read or write (with that call's deadline). 0 and the connection in
 * *out, or -RIAD_EINVAL (the configuration's role; a server
 * configuration without chains; a client one without trust anchors),
 * -RIAD_ENOMEM. */
int riad_tls_server(struct riad_tls_config *cfg, struct riad_tcp *c, struct riad_tls **out);
int riad_tls_client(struct riad_tls_config *cfg, struct riad_tcp *c, const char *server_name,
                    struct riad_tls **out);

/* Run the handshake to its end. May park. 0 (also if it was already
 * done), or an error as above. */
int riad_tls_handshake(struct riad_tls *s, int64_t deadline);

/* As riad_tcp_read: up to len bytes of application data. May park.
 * Returns the bytes (> 0), 0 once the peer sent close_notify (and on
 * every call after), or an error (-RIAD_EPROTO for a stream that ended
 * without close_notify, -RIAD_EINVAL for len 0). */
long riad_tls_read(struct riad_tls *s, void *buf, size_t len, int64_t deadline);

/* As riad_tcp_write: all len bytes, sent in records before it returns.
 * May park. Returns len, or, if the deadline passed or an error came
 * first, the bytes already taken if any, else the error (-RIAD_EPIPE
 * after riad_tls_shutdown; -RIAD_EAGAIN with the mono buffer only, when
 * received application data has not all been read yet: the one buffer
 * holds it, so read until riad_tls_read has returned a whole record's
 * worth, or use reads of 16384 bytes, before writing). */
long riad_tls_write(struct riad_tls *s, const void *buf, size_t len, int64_t deadline);

/* As riad_tcp_when_readable (riad/net.h): hand s to a new fiber (of
 * stack_size) that runs fn(arg) once riad_tls_read would not wait for the
 * network: at once if application data is already decrypted (a record
 * holds more than the last read took), records wait to be sent, or the
 * connection failed or was closed; otherwise when the TCP connection below
 * is readable (a record's first bytes, the end of the stream, an error),
 * or at the deadline, whichever comes first. Until then s holds no fiber
 * and no stack, and, if the engine is between records (none half
 * received), not its record buffer either: the part that held received
 * plaintext is wiped (what was sent is ciphertext, encrypted in place),
 * the buffer given back, and the next call on s takes one again (so read, write, handshake and
 * shutdown may then return -RIAD_ENOMEM; close sends no close_notify if no
 * buffer can be had). This is how a server holds thousands of idle
 * kept-alive TLS connections in little memory (riad_http_tls_ops'
 * when_readable, riad_http_serve_detached). Works before the handshake
 * too (waiting for the ClientHello). fn owns s as the caller did, and
 * reads with the same deadline; when a record arrives in pieces, that read
 * waits for its rest. Works over any network stack (riad_tcp_when_readable
 * does). Never parks. 0, or -RIAD_ENOMEM (no memory, or RIAD_FIBERS_MAX
 * fibers), -RIAD_ENETDOWN (the stack is closed), and then fn will not run
 * and s is the caller's as before. */
int riad_tls_when_readable(struct riad_tls *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
                           size_t stack_size);

/* Send close_notify and then the TCP FIN (riad_tcp_shutdown); reading
 * goes on (until the peer's close_notify: 0). May park until the alert
 * is in TCP's send buffer. 0, or an error (-RIAD_ENOTCONN if already
 * shut). */
int riad_tls_shutdown(struct riad_tls *s, int64_t deadline);

/* Send close_notify if not yet sent, without parking (dropped if TCP's
 * send buffer is full), close the TCP connection (riad_tcp_close), wipe
 * and free. A fiber parked on s is a programmer error. */
void riad_tls_close(struct riad_tls *s);

/* After the handshake: what was agreed. version is 0x0303 for TLS 1.2;
 * suite the IANA number; names as text ("TLS1.2",
 * "ECDHE-ECDSA-AES128-GCM-SHA256" in OpenSSL's spelling). alpn: the
 * protocol chosen, or NULL. server_name: the SNI name the client sent
 * (server) or was given (client), or NULL. resumed: whether an earlier
 * session was resumed. */
unsigned riad_tls_version(const struct riad_tls *s);
unsigned riad_tls_suite(const struct riad_tls *s);
const char *riad_tls_suite_name(const struct riad_tls *s);
const char *riad_tls_alpn(const struct riad_tls *s);
const char *riad_tls_server_name(const struct riad_tls *s);
bool riad_tls_resumed(const struct riad_tls *s);

/* The last TLS failure: BearSSL's error code (0: none; 256 + alert: a
 * fatal alert received, 512 + alert: sent) and, if text is not NULL, one
 * line naming it (always a valid string). */
int riad_tls_error(const struct riad_tls *s, const char **text);

/* BearSSL's error code as one line of text (riad_tls_error's). */
const char *riad_tls_strerror(int code);

/* The TCP connection below (for riad_tcp_endpoints, nodelay, keepalive). */
struct riad_tcp *riad_tls_tcp(const struct riad_tls *s);

/* ---- implementations (not for applications) ----
 *
 * A connection is an instance, so that a TLS 1.3 implementation can sit
 * beside BearSSL's 1.2 one later without a change to applications: an
 * implementation embeds struct riad_tls first in its state. The functions
 * above are the only callers of the ops; they check the arguments and keep
 * the deadlines, and pass them on. Today riad_tls_server/client always
 * choose BearSSL's (tls/tls_bearssl.c). */
struct riad_tls_ops {
	int (*handshake)(struct riad_tls *s, int64_t deadline);
	long (*read)(struct riad_tls *s, void *buf, size_t len, int64_t deadline);
	long (*write)(struct riad_tls *s, const void *buf, size_t len, int64_t deadline);
	int (*shutdown)(struct riad_tls *s, int64_t deadline);
	/* Send close_notify without parking if it can, wipe and free s; the
	 * caller closes the TCP connection. */
	void (*close)(struct riad_tls *s);
	/* riad_tls_when_readable as documented: start fn at once (a new
	 * fiber) while the implementation holds anything a read would return
	 * without the network, else hand over to riad_tcp_when_readable on
	 * s->tcp; release what an idle connection need not hold. */
	int (*when_readable)(struct riad_tls *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
	                     size_t stack_size);
	/* What riad_tls_version ... riad_tls_resumed answer. */
	unsigned (*version)(const struct riad_tls *s);
	unsigned (*suite)(const struct riad_tls *s);
	const char *(*alpn)(const struct riad_tls *s);
	const char *(*server_name)(const struct riad_tls *s);
	bool (*resumed)(const struct riad_tls *s);
};

struct riad_tls {
	const struct riad_tls_ops *ops;
	struct riad_tls_config *cfg;
	struct riad_tcp *tcp;
	int err;         /* BearSSL's code of the last failure (riad_tls_error) */
	bool shut;       /* riad_tls_shutdown ran */
};

#endif
