/* tls/tls_bearssl.c: the TLS 1.2 implementation of riad/tls.h over
 * BearSSL's engine: the blocking loop that moves records between the
 * engine and a riad_tcp, the server's SNI choice of chain, the session
 * cache wrapper that notes resumptions, the client's X.509 validation.
 *
 * The loop (BearSSL's engine is a state machine with four buffers):
 *
 *	SENDREC: records to send    -> riad_tcp_write, then ack what TCP took
 *	RECVREC: room for records   -> riad_tcp_read into it, then ack
 *	SENDAPP: room for app data  (write: copy in, ack, flush)
 *	RECVAPP: app data received  (read: copy out, ack)
 *	CLOSED:  failed, or closed by close_notify both ways
 *
 * Sending always comes first, so that the engine's answers (handshake
 * messages, alerts) go out before this end waits for the peer. Every wait
 * is a riad_tcp call with the caller's deadline. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <riad/clock.h>
#include <riad/random.h>

#include "tls_internal.h"

/* The suites, in the server's order of preference. ECDHE with an AEAD
 * only. ChaCha20 first where AES has no hardware (hvt guests, built without
 * SSE: BearSSL's aes_ct64 is constant-time and several times slower than
 * ChaCha20); AES-128-GCM first where the engine got AES-NI and PCLMULQDQ
 * (unix, spt on such a CPU): there BearSSL's AES-GCM outruns its
 * ChaCha20 (record_impls decides, once). */
static const uint16_t tls_suites_chacha_first[] = {
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};
static const uint16_t tls_suites_aes_first[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};
#define SUITES_N (sizeof(tls_suites_aes_first) / sizeof(tls_suites_aes_first[0]))
_Static_assert(sizeof(tls_suites_aes_first) == sizeof(tls_suites_chacha_first), "one set of suites");

/* The engines, allocated for the role only (a server connection does
 * not carry the client's 3 KiB validator). */
struct tls_conn;
struct tls_server {
	br_ssl_server_context sc; /* first: the session cache maps back */
	struct tls_conn *t;
};
struct tls_client {
	br_ssl_client_context cc;
	br_x509_minimal_context x509;
};

struct tls_conn {
	struct riad_tls head;
	br_ssl_engine_context *eng;
	struct tls_server *srv;
	struct tls_client *cli;
	/* Server: the SNI policy, called by the engine in place of a single
	 * chain's; it installs the chosen chain's and forwards to it. */
	const br_ssl_server_policy_class *policy;
	char *server_name;
	bool resumed;
	bool handshake_done;
	bool dead;          /* failed outside the engine: truncated, stalled */
	/* The record buffer (BearSSL's ibuf and obuf live in it, obuf at
	 * obuf_off), or NULL while the connection waits in when_readable
	 * (see buf_release). */
	unsigned char *buf;
	size_t buf_len, obuf_off;
	size_t in_used;     /* how far from buf records came in since it was taken */
};

#define CONN_OF(field_ptr, field) \
	((struct tls_conn *)(void *)((char *)(field_ptr) - offsetof(struct tls_conn, field)))

/* ---- server: SNI and the session cache ---- */

static int policy_choose(const br_ssl_server_policy_class **pctx, const br_ssl_server_context *scc,
                         br_ssl_server_choices *choices)
{
	struct tls_conn *t = CONN_OF(pctx, policy);
	br_ssl_server_context *cc = &t->srv->sc;
	(void)scc;
	const struct tls_chain *ch =
		tls_config_chain(t->head.cfg, br_ssl_engine_get_server_name(&cc->eng));
	/* ECDHE only: the key signs, and never decrypts (no static RSA).
	 * The implementations are BearSSL's defaults, which are its fastest
	 * on x86-64 in the unix library (Debian's) and in both guest
	 * flavours (checked in BearSSL 0.6's source and with nm): RSA
	 * br_rsa_i62_private and i62 PKCS#1 signing (BR_INT128: gcc has
	 * __int128 everywhere), EC br_ec_all_m31 (P-256 by br_ec_p256_m31,
	 * X25519 by br_ec_c25519_m31; 0.6 has no m62/m64 code, and m15 is for
	 * CPUs with a slow multiplier), ECDSA br_ecdsa_i31 (i15: the same).
	 * For ECDHE the server takes X25519, BearSSL's fastest curve,
	 * whenever the client offers it (a fixed order in its handshake
	 * code: X25519, P-256, P-384, P-521). docs/tls.md has the profile. */
	if (ch->key_type == BR_KEYTYPE_RSA)
		br_ssl_server_set_single_rsa(cc, ch->certs, ch->ncerts, &ch->rsa, BR_KEYTYPE_SIGN,
		                             br_rsa_private_get_default(),
		                             br_rsa_pkcs1_sign_get_default());
	else
		br_ssl_server_set_single_ec(cc, ch->certs, ch->ncerts, &ch->ec, BR_KEYTYPE_SIGN,
		                            BR_KEYTYPE_EC, br_ec_get_default(),
		                            br_ecdsa_sign_asn1_get_default());
	/* cc->policy_vtable now points at that chain's handler; the engine
	 * reads it again for do_sign. */
	return (*cc->policy_vtable)->choose(cc->policy_vtable, cc, choices);
}

static uint32_t policy_do_keyx(const br_ssl_server_policy_class **pctx, unsigned char *data,
                               size_t *len)
{
	(void)pctx, (void)data, (void)len;
	return 0; /* never called: choose replaced the policy */
}

static size_t policy_do_sign(const br_ssl_server_policy_class **pctx, unsigned algo_id,
                             unsigned char *data, size_t hv_len, size_t len)
{
	(void)pctx, (void)algo_id, (void)data, (void)hv_len, (void)len;
	return 0;
}

static const br_ssl_server_policy_class tls_policy = {
	sizeof(const br_ssl_server_policy_class *), policy_choose, policy_do_keyx, policy_do_sign,
};

static void cache_save(const br_ssl_session_cache_class **ctx, br_ssl_server_context *cc,
                       const br_ssl_session_parameters *params)
{
	struct tls_cache *c = (struct tls_cache *)(void *)ctx;
	c->lru.vtable->save(&c->lru.vtable, cc, params);
}

static int cache_load(const br_ssl_session_cache_class **ctx, br_ssl_server_context *cc,
                      br_ssl_session_parameters *params)
{
	struct tls_cache *c = (struct tls_cache *)(void *)ctx;
	int r = c->lru.vtable->load(&c->lru.vtable, cc, params);
	if (r)
		((struct tls_server *)(void *)cc)->t->resumed = true;
	return r;
}

static const br_ssl_session_cache_class tls_cache_class = {
	sizeof(struct tls_cache), cache_save, cache_load,
};

/* ---- the engine's set-up, common to both roles ---- */

/* The record ciphers' implementations (AES-CTR, GHASH, ChaCha20,
 * Poly1305), chosen once per process. BearSSL's set_default_aes_gcm and
 * set_default_chapol pick the fastest the CPU has (AES-NI, PCLMULQDQ,
 * SSE2; the nosse guests have none compiled in) by asking CPUID at every
 * call, and CPUID traps to the hypervisor in a virtual machine: perf
 * showed br_aes_x86ni_supported and br_ghash_pclmul_get at 2 % of a
 * server's handshake time (bench/tls_handshake.sh). The first engine
 * asks; the others get the same choice. The fiber scheduler is
 * cooperative: no race. */
static struct {
	bool done;
	const br_block_ctr_class *aes_ctr;
	br_ghash ghash;
	br_chacha20_run chacha20;
	br_poly1305_run poly1305;
	bool aes_hw;  /* AES-NI and PCLMULQDQ: AES-GCM first */
} record_impl;

static void record_impls(br_ssl_engine_context *eng)
{
	if (!record_impl.done) {
		br_ssl_engine_set_default_aes_gcm(eng);
		br_ssl_engine_set_default_chapol(eng);
		record_impl.aes_ctr = eng->iaes_ctr;
		record_impl.ghash = eng->ighash;
		record_impl.chacha20 = eng->ichacha;
		record_impl.poly1305 = eng->ipoly;
		record_impl.aes_hw = br_aes_x86ni_ctr_get_vtable() != NULL &&
		                     record_impl.aes_ctr == br_aes_x86ni_ctr_get_vtable() &&
		                     br_ghash_pclmul_get() != 0 &&
		                     record_impl.ghash == br_ghash_pclmul_get();
		record_impl.done = true;
		return;
	}
	br_ssl_engine_set_gcm(eng, &br_sslrec_in_gcm_vtable, &br_sslrec_out_gcm_vtable);
	br_ssl_engine_set_aes_ctr(eng, record_impl.aes_ctr);
	br_ssl_engine_set_ghash(eng, record_impl.ghash);
	br_ssl_engine_set_chapol(eng, &br_sslrec_in_chapol_vtable, &br_sslrec_out_chapol_vtable);
	br_ssl_engine_set_chacha20(eng, record_impl.chacha20);
	br_ssl_engine_set_poly1305(eng, record_impl.poly1305);
}

static void engine_common(struct tls_conn *t, struct riad_tls_config *cfg)
{
	br_ssl_engine_context *eng = t->eng;
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_default_ec(eng);
	br_ssl_engine_set_hash(eng, br_sha224_ID, &br_sha224_vtable);
	br_ssl_engine_set_hash(eng, br_sha256_ID, &br_sha256_vtable);
	br_ssl_engine_set_hash(eng, br_sha384_ID, &br_sha384_vtable);
	br_ssl_engine_set_hash(eng, br_sha512_ID, &br_sha512_vtable);
	br_ssl_engine_set_prf_sha256(eng, &br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(eng, &br_tls12_sha384_prf);
	record_impls(eng);
	br_ssl_engine_set_suites(eng, record_impl.aes_hw ? tls_suites_aes_first : tls_suites_chacha_first,
	                         SUITES_N);
	if (cfg->nalpn)
		br_ssl_engine_set_protocol_names(eng, cfg->alpn, cfg->nalpn);
	br_ssl_engine_set_buffer(eng, t->buf, t->buf_len, cfg->buffer != RIAD_TLS_BUFFER_MONO);
	t->obuf_off = (size_t)(eng->obuf - t->buf);
	/* Randomness from riad's generator only: the seed goes in, and the
	 * engine is told it has already asked the OS (it must not: the
	 * guests have no OS source, and one generator is the design). */
	unsigned char seed[32];
	riad_random_bytes(seed, sizeof(seed));
	br_ssl_engine_inject_entropy(eng, seed, sizeof(seed));
	riad_wipe(seed, sizeof(seed));
	eng->rng_os_rand_done = 1;
}

static int tls_new_server(struct tls_conn *t, struct riad_tls_config *cfg)
{
	t->srv = malloc(sizeof(*t->srv));
	if (!t->srv)
		return -RIAD_ENOMEM;
	t->srv->t = t;
	br_ssl_server_context *cc = &t->srv->sc;
	br_ssl_server_zero(cc);
	t->eng = &cc->eng;
	engine_common(t, cfg);
	br_ssl_engine_set_all_flags(t->eng,
	                            BR_OPT_ENFORCE_SERVER_PREFERENCES | BR_OPT_NO_RENEGOTIATION);
	t->policy = &tls_policy;
	cc->policy_vtable = &t->policy;
	if (cfg->cache_bytes && !cfg->cache_ready) {
		cfg->cache_mem = malloc(cfg->cache_bytes);
		if (!cfg->cache_mem)
			return -RIAD_ENOMEM;
		br_ssl_session_cache_lru_init(&cfg->cache.lru, cfg->cache_mem, cfg->cache_bytes);
		cfg->cache.vtable = &tls_cache_class;
		cfg->cache_ready = true;
	}
	if (cfg->cache_ready)
		br_ssl_server_set_cache(cc, &cfg->cache.vtable);
	return br_ssl_server_reset(cc) ? 0 : -RIAD_EINVAL;
}

/* Days since 1 January of year 0 (proleptic Gregorian) of the Unix
 * epoch, the origin br_x509_minimal_set_time counts from. */
#define TLS_EPOCH_DAYS 719528

static int tls_new_client(struct tls_conn *t, struct riad_tls_config *cfg, const char *server_name)
{
	t->cli = malloc(sizeof(*t->cli));
	if (!t->cli)
		return -RIAD_ENOMEM;
	br_ssl_client_context *cc = &t->cli->cc;
	br_ssl_client_zero(cc);
	t->eng = &cc->eng;
	engine_common(t, cfg);
	br_ssl_engine_set_all_flags(t->eng, BR_OPT_NO_RENEGOTIATION);
	br_ssl_client_set_default_rsapub(cc);
	br_ssl_engine_set_default_rsavrfy(t->eng);
	br_ssl_engine_set_default_ecdsa(t->eng);

	br_x509_minimal_context *x = &t->cli->x509;
	br_x509_minimal_init(x, &br_sha256_vtable, cfg->anchors, cfg->nanchors);
	br_x509_minimal_set_hash(x, br_sha1_ID, &br_sha1_vtable);
	br_x509_minimal_set_hash(x, br_sha224_ID, &br_sha224_vtable);
	br_x509_minimal_set_hash(x, br_sha256_ID, &br_sha256_vtable);
	br_x509_minimal_set_hash(x, br_sha384_ID, &br_sha384_vtable);
	br_x509_minimal_set_hash(x, br_sha512_ID, &br_sha512_vtable);
	br_x509_minimal_set_rsa(x, br_rsa_pkcs1_vrfy_get_default());
	br_x509_minimal_set_ecdsa(x, br_ec_get_default(), br_ecdsa_vrfy_asn1_get_default());
	/* Validity is checked against riad's wall clock at connection time. */
	int64_t s = riad_clock_wall_ns() / 1000000000;
	int64_t days = s / 86400, secs = s % 86400;
	if (secs < 0)
		secs += 86400, days--;
	br_x509_minimal_set_time(x, (uint32_t)(TLS_EPOCH_DAYS + days), (uint32_t)secs);
	br_ssl_engine_set_x509(t->eng, &x->vtable);

	if (server_name) {
		size_t n = strlen(server_name);
		t->server_name = malloc(n + 1);
		if (!t->server_name)
			return -RIAD_ENOMEM;
		memcpy(t->server_name, server_name, n + 1);
	}
	return br_ssl_client_reset(cc, t->server_name, 0) ? 0 : -RIAD_EINVAL;
}

/* ---- errors ---- */

/* The engine's failure as riad's error (tls.h): recorded in head.err. */
static int tls_fail(struct tls_conn *t)
{
	int err = br_ssl_engine_last_error(t->eng);
	t->head.err = err;
	if (err == BR_ERR_OK)
		return 0;
	if (err == BR_ERR_BAD_MAC)
		return -RIAD_EBADMSG;
	if (err >= BR_ERR_X509_OK && err < BR_ERR_RECV_FATAL_ALERT)
		return -RIAD_EACCES;
	return -RIAD_EPROTO;
}

/* ---- the record buffer of an idle connection ----
 *
 * Between records the buffer means nothing to the engine: BearSSL keeps
 * its place in it as offsets (ixa, ixb, ixc for records in, oxa, oxb, oxc
 * for records out) from ibuf and obuf, and holds pointers into it only
 * while its handshake code runs (hbuf_in, hbuf_out: set afresh at each
 * run, in jump_handshake). So a connection that waits in when_readable,
 * nothing of a record received, nothing written and not yet sent, no
 * application data to hand over, gives its buffer back (its received
 * plaintext wiped: buf_release), and the next call on it takes one again,
 * and puts ibuf and obuf back at the same offsets. An idle kept-alive HTTPS connection then
 * costs the engine's state (about 4 KiB) instead of that and 16 or 32 KiB.
 * BearSSL's API has no call for it (br_ssl_engine_set_buffer starts the
 * engine over): the fields are written here, which ties this to BearSSL
 * 0.6's engine layout (the version riad builds and Debian ships). */

/* Whether the engine is between records, as above (buffer attached). */
static bool between_records(const br_ssl_engine_context *eng)
{
	unsigned st = br_ssl_engine_current_state(eng);
	/* RECVREC: ready for a record's bytes (in the mono buffer, also
	 * that no record is going out); ixa 0: none of its header came yet;
	 * oxa == oxc: no application data sits unsent in a record begun. */
	return (st & (BR_SSL_CLOSED | BR_SSL_SENDREC | BR_SSL_RECVAPP)) == 0 &&
	       (st & BR_SSL_RECVREC) && eng->ixa == 0 && eng->oxa == eng->oxc;
}

/* A record buffer of len bytes: a spare of the configuration's, or new. */
static unsigned char *buf_get(struct riad_tls_config *cfg, size_t len)
{
	for (unsigned i = cfg->nspare; i-- > 0;) {
		if (cfg->spare[i].len != len)
			continue;
		unsigned char *b = cfg->spare[i].buf;
		cfg->nspare--;
		memmove(&cfg->spare[i], &cfg->spare[i + 1], (cfg->nspare - i) * sizeof(cfg->spare[0]));
		return b;
	}
	return malloc(len);
}

/* Wipe the first dirty bytes of b (those that may hold plaintext) and keep
 * it as a spare, or free it. The oldest spare goes if it has not been
 * wanted for TLS_SPARE_NS, so that the spares follow the number of
 * connections busy at once: after a burst, one goes with each buffer
 * given back. */
static void buf_put(struct riad_tls_config *cfg, unsigned char *b, size_t len, size_t dirty)
{
	riad_wipe(b, dirty);
	int64_t now = riad_time_ns();
	unsigned n = cfg->nspare;
	if (n && now - cfg->spare[0].since > TLS_SPARE_NS) {
		free(cfg->spare[0].buf);
		memmove(&cfg->spare[0], &cfg->spare[1], --n * sizeof(cfg->spare[0]));
	}
	if (n < RIAD_TLS_SPARES)
		cfg->spare[n++] = (struct tls_spare){ b, len, now };
	else
		free(b);
	cfg->nspare = n;
}

/* Between records, plaintext is only where received records were
 * decrypted in place: ibuf (at buf) up to in_used. Records sent were
 * encrypted in place and went out, so obuf holds what the wire saw.
 * (Wiping all 32 KiB at every request cost 5 to 10 % of the 1 KiB HTTPS
 * rate in bench/web_http.sh: the memset and the cache it evicts.) */
static void buf_release(struct tls_conn *t)
{
	buf_put(t->head.cfg, t->buf, t->buf_len, t->in_used);
	t->buf = NULL;
	t->eng->ibuf = t->eng->obuf = NULL; /* an engine call now would crash, not corrupt */
}

/* The buffer back before any call into the engine: 0 or -RIAD_ENOMEM. */
static int buf_take(struct tls_conn *t)
{
	if (t->buf)
		return 0;
	t->buf = buf_get(t->head.cfg, t->buf_len);
	if (!t->buf)
		return -RIAD_ENOMEM;
	t->in_used = 0;
	t->eng->ibuf = t->buf;
	t->eng->obuf = t->buf + t->obuf_off;
	return 0;
}

/* ---- the loop ---- */

enum { WANT_HANDSHAKE, WANT_READ, WANT_WRITE, WANT_FLUSH };

/* Move records until the engine is in the state `want` asks for: done
 * with the handshake, holding application data, taking application data,
 * or with nothing left to send. 0, 1 (want READ: the peer's
 * close_notify), or an error. */
static int pump(struct tls_conn *t, int want, int64_t deadline)
{
	br_ssl_engine_context *eng = t->eng;
	if (t->dead)
		return -RIAD_EPROTO; /* truncated or stalled before: it stays so */
	for (;;) {
		unsigned st = br_ssl_engine_current_state(eng);
		if (st & BR_SSL_CLOSED) {
			int r = tls_fail(t);
			if (r < 0)
				return r;
			/* Closed cleanly by close_notify. Before the
			 * handshake ended that is a failure (named as the
			 * alert it is); after, reading ends (0) and writing
			 * is a broken pipe. */
			if (!t->handshake_done) {
				t->head.err = BR_ERR_RECV_FATAL_ALERT; /* alert 0 */
				t->dead = true;
				return -RIAD_EPROTO;
			}
			return want == WANT_READ ? 1 : -RIAD_EPIPE;
		}
		if (st & BR_SSL_SENDREC) {
			size_t len;
			unsigned char *b = br_ssl_engine_sendrec_buf(eng, &len);
			long w = riad_tcp_write(t->head.tcp, b, len, deadline);
			if (w > 0)
				br_ssl_engine_sendrec_ack(eng, (size_t)w);
			if (w < 0)
				return (int)w;
			if ((size_t)w < len)
				return -RIAD_ETIMEDOUT; /* riad_tcp_write: the deadline came */
			continue;
		}
		if (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP))
			t->handshake_done = true;
		switch (want) {
		case WANT_HANDSHAKE:
			if (t->handshake_done)
				return 0;
			break;
		case WANT_READ:
			if (st & BR_SSL_RECVAPP)
				return 0;
			break;
		case WANT_WRITE:
			if (st & BR_SSL_SENDAPP)
				return 0;
			break;
		case WANT_FLUSH:
			return 0; /* nothing to send (SENDREC is clear) */
		}
		if (st == 0) {
			/* Stalled: with the mono buffer, the engine has
			 * something to send (the answer to a warning alert in
			 * the middle of a record, say) while the rest of that
			 * record still holds the buffer. It can never move
			 * again (found by fuzz/tls_server). */
			t->head.err = BR_ERR_BAD_STATE;
			t->dead = true;
			return -RIAD_EPROTO;
		}
		if (!(st & BR_SSL_RECVREC)) {
			/* The mono buffer holds received application data
			 * and the caller wants to write (tls.h). */
			return -RIAD_EAGAIN;
		}
		size_t len;
		unsigned char *b = br_ssl_engine_recvrec_buf(eng, &len);
		long r = riad_tcp_read(t->head.tcp, b, len, deadline);
		if (r == 0) {
			/* The TCP stream ended without close_notify: a
			 * truncation attack or a careless peer. */
			t->head.err = BR_ERR_IO;
			t->dead = true;
			return -RIAD_EPROTO;
		}
		if (r < 0)
			return (int)r;
		size_t end = (size_t)(b - t->buf) + (size_t)r;
		if (end > t->in_used)
			t->in_used = end;
		br_ssl_engine_recvrec_ack(eng, (size_t)r);
	}
}

/* Keys, the master secret and plaintext live in all of these. */
static void conn_free(struct tls_conn *t)
{
	free(t->server_name);
	if (t->srv) {
		riad_wipe(t->srv, sizeof(*t->srv));
		free(t->srv);
	}
	if (t->cli) {
		riad_wipe(t->cli, sizeof(*t->cli));
		free(t->cli);
	}
	if (t->buf)
		buf_put(t->head.cfg, t->buf, t->buf_len, t->buf_len); /* any state: all */
	riad_wipe(t, sizeof(*t));
	free(t);
}

static int bs_handshake(struct riad_tls *s, int64_t deadline)
{
	struct tls_conn *t = (struct tls_conn *)s;
	int r = buf_take(t);
	return r < 0 ? r : pump(t, WANT_HANDSHAKE, deadline);
}

static long bs_read(struct riad_tls *s, void *buf, size_t len, int64_t deadline)
{
	struct tls_conn *t = (struct tls_conn *)s;
	int r = buf_take(t);
	if (r < 0)
		return r;
	r = pump(t, WANT_READ, deadline);
	if (r == 1)
		return 0;
	if (r < 0)
		return r;
	size_t n;
	unsigned char *b = br_ssl_engine_recvapp_buf(t->eng, &n);
	if (n > len)
		n = len;
	memcpy(buf, b, n);
	br_ssl_engine_recvapp_ack(t->eng, n);
	return (long)n;
}

static long bs_write(struct riad_tls *s, const void *buf, size_t len, int64_t deadline)
{
	struct tls_conn *t = (struct tls_conn *)s;
	size_t done = 0;
	int r = buf_take(t);
	if (r < 0)
		return r;
	while (done < len) {
		r = pump(t, WANT_WRITE, deadline);
		if (r < 0)
			break;
		size_t n;
		unsigned char *b = br_ssl_engine_sendapp_buf(t->eng, &n);
		if (n > len - done)
			n = len - done;
		memcpy(b, (const unsigned char *)buf + done, n);
		br_ssl_engine_sendapp_ack(t->eng, n);
		done += n;
	}
	if (r >= 0) {
		br_ssl_engine_flush(t->eng, 0);
		r = pump(t, WANT_FLUSH, deadline);
	}
	/* Data the engine took but could not send yet counts as taken, as
	 * bytes in riad_tcp's send buffer do: it goes out with the next call. */
	if (r < 0 && done == 0)
		return r;
	return (long)done;
}

static int bs_shutdown(struct riad_tls *s, int64_t deadline)
{
	struct tls_conn *t = (struct tls_conn *)s;
	int r = buf_take(t);
	if (r < 0)
		return r;
	br_ssl_engine_close(t->eng);
	r = pump(t, WANT_FLUSH, deadline);
	/* A close that completed both ways shows as a clean CLOSED. */
	if (r == -RIAD_EPIPE)
		r = 0;
	return r;
}

static void bs_close(struct riad_tls *s)
{
	struct tls_conn *t = (struct tls_conn *)s;
	/* (No memory for the buffer: no close_notify either, as when TCP's
	 * send buffer is full.) */
	if (buf_take(t) == 0 && !(br_ssl_engine_current_state(t->eng) & BR_SSL_CLOSED)) {
		br_ssl_engine_close(t->eng);
		/* A deadline already past: whatever fits in TCP's send
		 * buffer now, without parking. */
		(void)pump(t, WANT_FLUSH, 0);
	}
	conn_free(t);
}

/* At once (a fiber now) when a read would not wait for the network: data
 * to hand over, records to send first (the read sends them), a failure or
 * a close to report. Otherwise TCP says when; meanwhile the buffer goes,
 * unless a record is half in it (TCP brings the rest). */
static int bs_when_readable(struct riad_tls *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
                            size_t stack_size)
{
	struct tls_conn *t = (struct tls_conn *)s;
	if (t->dead)
		return riad_fiber_spawn_detached(fn, arg, stack_size, NULL);
	bool idle = !t->buf || between_records(t->eng);
	if (!idle) {
		unsigned st = br_ssl_engine_current_state(t->eng);
		if ((st & (BR_SSL_CLOSED | BR_SSL_SENDREC | BR_SSL_RECVAPP)) || !(st & BR_SSL_RECVREC))
			return riad_fiber_spawn_detached(fn, arg, stack_size, NULL);
	}
	int r = riad_tcp_when_readable(s->tcp, deadline, fn, arg, stack_size);
	/* fn has not run yet, whatever TCP holds: it runs after the caller
	 * parks, and its first call takes a buffer again. */
	if (r == 0 && idle && t->buf)
		buf_release(t);
	return r;
}

static unsigned bs_version(const struct riad_tls *s)
{
	const struct tls_conn *t = (const struct tls_conn *)s;
	return t->handshake_done ? br_ssl_engine_get_version(t->eng) : 0;
}

static unsigned bs_suite(const struct riad_tls *s)
{
	const struct tls_conn *t = (const struct tls_conn *)s;
	return t->handshake_done ? t->eng->session.cipher_suite : 0;
}

static const char *bs_alpn(const struct riad_tls *s)
{
	const struct tls_conn *t = (const struct tls_conn *)s;
	return t->handshake_done ? br_ssl_engine_get_selected_protocol(t->eng) : NULL;
}

static const char *bs_server_name(const struct riad_tls *s)
{
	const struct tls_conn *t = (const struct tls_conn *)s;
	if (s->cfg->role == RIAD_TLS_CLIENT)
		return t->server_name;
	const char *n = br_ssl_engine_get_server_name(t->eng);
	return n && *n ? n : NULL;
}

static bool bs_resumed(const struct riad_tls *s)
{
	return ((const struct tls_conn *)s)->resumed;
}

static const struct riad_tls_ops tls_bearssl_ops = {
	.handshake = bs_handshake,
	.read = bs_read,
	.write = bs_write,
	.shutdown = bs_shutdown,
	.close = bs_close,
	.when_readable = bs_when_readable,
	.version = bs_version,
	.suite = bs_suite,
	.alpn = bs_alpn,
	.server_name = bs_server_name,
	.resumed = bs_resumed,
};

int tls_bearssl_new(struct riad_tls_config *cfg, struct riad_tcp *c, const char *server_name,
                    struct riad_tls **out)
{
	size_t size = cfg->buffer == RIAD_TLS_BUFFER_MONO ? BR_SSL_BUFSIZE_MONO : BR_SSL_BUFSIZE_BIDI;
	struct tls_conn *t = calloc(1, sizeof(*t));
	if (!t)
		return -RIAD_ENOMEM;
	t->buf_len = size;
	t->buf = buf_get(cfg, size);
	if (!t->buf) {
		free(t);
		return -RIAD_ENOMEM;
	}
	t->head.ops = &tls_bearssl_ops;
	t->head.cfg = cfg;
	t->head.tcp = c;
	int r = cfg->role == RIAD_TLS_SERVER ? tls_new_server(t, cfg)
	                                     : tls_new_client(t, cfg, server_name);
	if (r < 0) {
		conn_free(t);
		return r;
	}
	*out = &t->head;
	return 0;
}
