/* tls/tls_config.c: TLS configurations: certificate chains and keys decoded
 * from PEM (BearSSL's PEM, X.509 and key decoders), trust anchors, ALPN
 * names, SNI name matching. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/random.h>

#include "runtime.h"
#include "tls_internal.h"

static void say(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *why, size_t why_len, const char *fmt, ...)
{
	if (!why || why_len == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
}

int riad_tls_config_new(enum riad_tls_role role, struct riad_tls_config **out)
{
	if (role != RIAD_TLS_SERVER && role != RIAD_TLS_CLIENT)
		return -RIAD_EINVAL;
	struct riad_tls_config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return -RIAD_ENOMEM;
	cfg->role = role;
	cfg->default_chain = -1;
	cfg->cache_bytes = role == RIAD_TLS_SERVER ? RIAD_TLS_SESSION_CACHE_DEFAULT : 0;
	*out = cfg;
	return 0;
}

/* ---- PEM ---- */

/* One object's DER bytes as the PEM decoder hands them out. */
struct pem_buf {
	unsigned char *der;
	size_t len, cap;
	bool nomem;
};

static void pem_append(void *ctx, const void *data, size_t len)
{
	struct pem_buf *b = ctx;
	if (b->nomem)
		return;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 2048;
		while (cap < b->len + len)
			cap *= 2;
		/* Not realloc: the old bytes may be a key, and must be wiped. */
		unsigned char *n = malloc(cap);
		if (!n) {
			b->nomem = true;
			return;
		}
		if (b->der) {
			memcpy(n, b->der, b->len);
			riad_wipe(b->der, b->cap);
			free(b->der);
		}
		b->der = n;
		b->cap = cap;
	}
	memcpy(b->der + b->len, data, len);
	b->len += len;
}

typedef int pem_fn(void *arg, const char *name, const unsigned char *der, size_t len);

/* Call fn for each object of the PEM text, with its name ("CERTIFICATE")
 * and DER bytes (wiped after the call). 0, the first error fn returns, or
 * -RIAD_EBADMSG (malformed, truncated, or no object at all). */
static int pem_each(const void *pem, size_t len, pem_fn *fn, void *arg, char *why, size_t why_len)
{
	static const unsigned char nl = '\n';
	br_pem_decoder_context pc;
	struct pem_buf b = { 0 };
	char name[128] = "";
	const unsigned char *p = pem;
	size_t left = len;
	int stage = left ? 0 : 1, objs = 0, r = 0;
	bool in_obj = false;

	br_pem_decoder_init(&pc);
	/* A final newline, in case the text ends right after "-----END": the
	 * decoder sees the end of an object only at the end of its line. */
	while (stage < 2) {
		if (stage == 0) {
			size_t k = br_pem_decoder_push(&pc, p, left);
			p += k;
			left -= k;
			if (left == 0)
				stage = 1;
		} else if (br_pem_decoder_push(&pc, &nl, 1) == 1) {
			stage = 2;
		}
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			snprintf(name, sizeof(name), "%s", br_pem_decoder_name(&pc));
			b.len = 0;
			br_pem_decoder_setdest(&pc, pem_append, &b);
			in_obj = true;
			break;
		case BR_PEM_END_OBJ:
			if (!in_obj)
				break;
			in_obj = false;
			if (b.nomem) {
				r = -RIAD_ENOMEM;
				goto out;
			}
			r = fn(arg, name, b.der, b.len);
			riad_wipe(b.der, b.len);
			if (r < 0)
				goto out;
			objs++;
			break;
		case BR_PEM_ERROR:
			say(why, why_len, "malformed PEM (bad base64 or header line)");
			r = -RIAD_EBADMSG;
			goto out;
		default:
			break;
		}
	}
	if (in_obj) {
		say(why, why_len, "PEM object \"%s\" has no END line", name);
		r = -RIAD_EBADMSG;
	} else if (objs == 0) {
		say(why, why_len, "no PEM object (no \"-----BEGIN\" line)");
		r = -RIAD_EBADMSG;
	}
out:
	if (b.der) {
		riad_wipe(b.der, b.cap);
		free(b.der);
	}
	riad_wipe(&pc, sizeof(pc));
	return r;
}

static bool is_cert_name(const char *name)
{
	return strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0;
}

static bool is_key_name(const char *name)
{
	return strcmp(name, "RSA PRIVATE KEY") == 0 || strcmp(name, "EC PRIVATE KEY") == 0 ||
	       strcmp(name, "PRIVATE KEY") == 0;
}

/* ---- chains ---- */

struct chain_load {
	struct tls_chain *ch;
	bool want_certs, want_key;
	char *why;
	size_t why_len;
};

static int chain_cert(struct chain_load *l, const unsigned char *der, size_t len)
{
	struct tls_chain *ch = l->ch;
	if (ch->ncerts == RIAD_TLS_CHAIN_CERTS_MAX) {
		say(l->why, l->why_len, "more than %d certificates in one chain",
		    RIAD_TLS_CHAIN_CERTS_MAX);
		return -RIAD_ENOSPC;
	}
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy)
		return -RIAD_ENOMEM;
	memcpy(copy, der, len);
	ch->certs[ch->ncerts].data = copy;
	ch->certs[ch->ncerts].data_len = len;
	ch->ncerts++;
	return 0;
}

static int chain_key(struct chain_load *l, const unsigned char *der, size_t len)
{
	struct tls_chain *ch = l->ch;
	if (ch->key_buf) {
		say(l->why, l->why_len, "more than one private key");
		return -RIAD_EBADMSG;
	}
	br_skey_decoder_context *dc = malloc(sizeof(*dc));
	if (!dc)
		return -RIAD_ENOMEM;
	br_skey_decoder_init(dc);
	br_skey_decoder_push(dc, der, len);
	int r = 0, err = br_skey_decoder_last_error(dc);
	if (err != 0) {
		say(l->why, l->why_len, "the private key does not decode (BearSSL error %d: %s)", err,
		    riad_tls_strerror(err));
		r = -RIAD_EBADMSG;
		goto out;
	}
	if (br_skey_decoder_key_type(dc) == BR_KEYTYPE_RSA) {
		const br_rsa_private_key *k = br_skey_decoder_get_rsa(dc);
		size_t n = k->plen + k->qlen + k->dplen + k->dqlen + k->iqlen;
		unsigned char *b = malloc(n);
		if (!b) {
			r = -RIAD_ENOMEM;
			goto out;
		}
		ch->rsa.n_bitlen = k->n_bitlen;
		unsigned char *q = b;
#define TAKE(f) \
	(memcpy(q, k->f, k->f##len), ch->rsa.f = q, ch->rsa.f##len = k->f##len, q += k->f##len)
		TAKE(p);
		TAKE(q);
		TAKE(dp);
		TAKE(dq);
		TAKE(iq);
#undef TAKE
		ch->key_type = BR_KEYTYPE_RSA;
		ch->key_buf = b;
		ch->key_len = n;
	} else {
		const br_ec_private_key *k = br_skey_decoder_get_ec(dc);
		if (k->curve != BR_EC_secp256r1 && k->curve != BR_EC_secp384r1 &&
		    k->curve != BR_EC_secp521r1) {
			say(l->why, l->why_len, "the EC key's curve (%d) is not P-256, P-384 or P-521",
			    k->curve);
			r = -RIAD_EBADMSG;
			goto out;
		}
		unsigned char *b = malloc(k->xlen);
		if (!b) {
			r = -RIAD_ENOMEM;
			goto out;
		}
		memcpy(b, k->x, k->xlen);
		ch->ec.curve = k->curve;
		ch->ec.x = b;
		ch->ec.xlen = k->xlen;
		ch->key_type = BR_KEYTYPE_EC;
		ch->key_buf = b;
		ch->key_len = k->xlen;
	}
out:
	riad_wipe(dc, sizeof(*dc));
	free(dc);
	return r;
}

static int chain_obj(void *arg, const char *name, const unsigned char *der, size_t len)
{
	struct chain_load *l = arg;
	if (is_cert_name(name) && l->want_certs)
		return chain_cert(l, der, len);
	if (is_key_name(name) && l->want_key)
		return chain_key(l, der, len);
	return 0; /* parameters, other objects: not ours */
}

/* Whether the chain's key is the private half of its first certificate's
 * public key: a mismatch would fail every handshake, so it is refused at
 * start-up instead. */
static int chain_check(struct tls_chain *ch, char *why, size_t why_len)
{
	br_x509_decoder_context *dc = malloc(sizeof(*dc));
	if (!dc)
		return -RIAD_ENOMEM;
	int r = -RIAD_EBADMSG;
	br_x509_decoder_init(dc, NULL, NULL);
	br_x509_decoder_push(dc, ch->certs[0].data, ch->certs[0].data_len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(dc);
	if (!pk) {
		int err = br_x509_decoder_last_error(dc);
		say(why, why_len, "the certificate does not decode (BearSSL error %d: %s)", err,
		    riad_tls_strerror(err));
		goto out;
	}
	if (pk->key_type != ch->key_type) {
		say(why, why_len, "the private key is %s but the certificate's key is %s",
		    ch->key_type == BR_KEYTYPE_RSA ? "RSA" : "EC",
		    pk->key_type == BR_KEYTYPE_RSA ? "RSA" : "EC");
		goto out;
	}
	if (ch->key_type == BR_KEYTYPE_EC) {
		unsigned char pub[BR_EC_KBUF_PUB_MAX_SIZE];
		br_ec_public_key mine;
		size_t n = br_ec_compute_pub(br_ec_get_default(), &mine, pub, &ch->ec);
		if (n == 0 || pk->key.ec.curve != ch->ec.curve || pk->key.ec.qlen != n ||
		    memcmp(pk->key.ec.q, pub, n) != 0) {
			say(why, why_len, "the private key does not match the certificate");
			goto out;
		}
	} else {
		unsigned char nbuf[1024];
		br_rsa_compute_modulus mod = br_rsa_compute_modulus_get_default();
		size_t n = mod(NULL, &ch->rsa);
		if (n == 0 || n > sizeof(nbuf) || mod(nbuf, &ch->rsa) != n) {
			say(why, why_len, "the RSA private key is malformed");
			goto out;
		}
		const unsigned char *a = nbuf, *c = pk->key.rsa.n;
		size_t alen = n, clen = pk->key.rsa.nlen;
		while (alen > 0 && *a == 0)
			a++, alen--;
		while (clen > 0 && *c == 0)
			c++, clen--;
		if (alen != clen || memcmp(a, c, alen) != 0) {
			say(why, why_len, "the private key does not match the certificate");
			goto out;
		}
	}
	r = 0;
out:
	free(dc);
	return r;
}

static void chain_free(struct tls_chain *ch)
{
	for (size_t i = 0; i < ch->ncerts; i++)
		free(ch->certs[i].data);
	if (ch->key_buf) {
		riad_wipe(ch->key_buf, ch->key_len);
		free(ch->key_buf);
	}
	free(ch->names);
	riad_wipe(ch, sizeof(*ch));
}

/* names, checked and lower-cased: "a.example,*.b.example". */
static int names_copy(const char *names, char **out)
{
	size_t n = strlen(names);
	if (n == 0)
		return -RIAD_EINVAL;
	char *c = malloc(n + 1);
	if (!c)
		return -RIAD_ENOMEM;
	size_t label = 0;
	for (size_t i = 0; i <= n; i++) {
		char ch = names[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		bool end = ch == ',' || ch == '\0';
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		          ch == '.' || (ch == '*' && label == 0 && names[i + 1] == '.') || end;
		if (!ok || (end && label == 0)) {
			free(c);
			return -RIAD_EINVAL;
		}
		label = end ? 0 : label + 1;
		c[i] = ch;
	}
	*out = c;
	return 0;
}

int riad_tls_config_add_chain(struct riad_tls_config *cfg, const char *names, const void *cert_pem,
                              size_t cert_len, const void *key_pem, size_t key_len, char *why,
                              size_t why_len)
{
	say(why, why_len, "no error");
	if (cfg->role != RIAD_TLS_SERVER) {
		say(why, why_len, "a certificate chain for a client configuration");
		return -RIAD_EINVAL;
	}
	if (cfg->nchains == RIAD_TLS_CHAINS_MAX) {
		say(why, why_len, "more than %d certificate chains", RIAD_TLS_CHAINS_MAX);
		return -RIAD_ENOSPC;
	}
	struct tls_chain *ch = &cfg->chains[cfg->nchains];
	memset(ch, 0, sizeof(*ch));
	int r = 0;
	if (names && (r = names_copy(names, &ch->names)) < 0) {
		say(why, why_len, "\"%s\" is not a comma-separated list of host names", names);
		return r;
	}
	struct chain_load l = { ch, true, key_pem == NULL, why, why_len };
	r = pem_each(cert_pem, cert_len, chain_obj, &l, why, why_len);
	if (r < 0)
		goto fail;
	if (key_pem) {
		l.want_certs = false;
		l.want_key = true;
		r = pem_each(key_pem, key_len, chain_obj, &l, why, why_len);
		if (r < 0)
			goto fail;
	}
	r = -RIAD_EBADMSG;
	if (ch->ncerts == 0) {
		say(why, why_len, "no CERTIFICATE in the certificate PEM");
		goto fail;
	}
	if (!ch->key_buf) {
		say(why, why_len, "no private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
		goto fail;
	}
	if ((r = chain_check(ch, why, why_len)) < 0)
		goto fail;
	if (!names)
		cfg->default_chain = (int)cfg->nchains;
	cfg->nchains++;
	return 0;
fail:
	chain_free(ch);
	return r;
}

/* The value at key, whole, in a new buffer (the caller wipes and frees). */
static int kv_slurp(struct riad_kv *kv, const char *key, char **out, size_t *len, char *why,
                    size_t why_len)
{
	uint64_t size;
	int r = riad_kv_size(kv, key, &size);
	if (r < 0) {
		say(why, why_len, "%s: %s", key, riad_strerror(r));
		return r;
	}
	if (size > RIAD_TLS_PEM_MAX) {
		say(why, why_len, "%s: larger than %d bytes", key, RIAD_TLS_PEM_MAX);
		return -RIAD_EFBIG;
	}
	char *b = malloc((size_t)size + 1);
	if (!b)
		return -RIAD_ENOMEM;
	size_t got = 0;
	r = riad_kv_get(kv, key, 0, b, (size_t)size, &got);
	if (r < 0) {
		say(why, why_len, "%s: %s", key, riad_strerror(r));
		riad_wipe(b, (size_t)size + 1);
		free(b);
		return r;
	}
	*out = b;
	*len = got;
	return 0;
}

int riad_tls_config_add_chain_kv(struct riad_tls_config *cfg, const char *names,
                                 struct riad_kv *kv, const char *cert_key, const char *key_key,
                                 char *why, size_t why_len)
{
	char *cert = NULL, *key = NULL;
	size_t clen = 0, klen = 0;
	int r = kv_slurp(kv, cert_key, &cert, &clen, why, why_len);
	if (r < 0)
		return r;
	if (key_key && (r = kv_slurp(kv, key_key, &key, &klen, why, why_len)) < 0)
		goto out;
	r = riad_tls_config_add_chain(cfg, names, cert, clen, key, klen, why, why_len);
out:
	if (key) {
		riad_wipe(key, klen);
		free(key);
	}
	riad_wipe(cert, clen);
	free(cert);
	return r;
}

/* ---- trust anchors ---- */

struct dn_buf {
	unsigned char *b;
	size_t len, cap;
	bool nomem;
};

static void dn_append(void *ctx, const void *data, size_t len)
{
	struct dn_buf *d = ctx;
	if (d->nomem)
		return;
	if (d->len + len > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		while (cap < d->len + len)
			cap *= 2;
		unsigned char *n = realloc(d->b, cap);
		if (!n) {
			d->nomem = true;
			return;
		}
		d->b = n;
		d->cap = cap;
	}
	memcpy(d->b + d->len, data, len);
	d->len += len;
}

struct trust_load {
	struct riad_tls_config *cfg;
	char *why;
	size_t why_len;
};

static int trust_obj(void *arg, const char *name, const unsigned char *der, size_t len)
{
	struct trust_load *l = arg;
	struct riad_tls_config *cfg = l->cfg;
	if (!is_cert_name(name))
		return 0;
	if (cfg->nanchors == RIAD_TLS_ANCHORS_MAX) {
		say(l->why, l->why_len, "more than %d trust anchors", RIAD_TLS_ANCHORS_MAX);
		return -RIAD_ENOSPC;
	}
	br_x509_decoder_context *dc = malloc(sizeof(*dc));
	if (!dc)
		return -RIAD_ENOMEM;
	struct dn_buf dn = { 0 };
	int r = -RIAD_EBADMSG;
	br_x509_decoder_init(dc, dn_append, &dn);
	br_x509_decoder_push(dc, der, len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(dc);
	if (!pk || dn.nomem) {
		int err = br_x509_decoder_last_error(dc);
		say(l->why, l->why_len, "a trusted certificate does not decode (BearSSL error %d: %s)",
		    err, riad_tls_strerror(err));
		if (dn.nomem)
			r = -RIAD_ENOMEM;
		goto fail;
	}
	br_x509_trust_anchor *ta = &cfg->anchors[cfg->nanchors];
	memset(ta, 0, sizeof(*ta));
	ta->dn.data = dn.b;
	ta->dn.len = dn.len;
	ta->flags = br_x509_decoder_isCA(dc) ? BR_X509_TA_CA : 0;
	ta->pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		unsigned char *k = malloc(pk->key.rsa.nlen + pk->key.rsa.elen);
		if (!k) {
			r = -RIAD_ENOMEM;
			goto fail;
		}
		memcpy(k, pk->key.rsa.n, pk->key.rsa.nlen);
		memcpy(k + pk->key.rsa.nlen, pk->key.rsa.e, pk->key.rsa.elen);
		ta->pkey.key.rsa.n = k;
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.e = k + pk->key.rsa.nlen;
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
	} else {
		unsigned char *k = malloc(pk->key.ec.qlen);
		if (!k) {
			r = -RIAD_ENOMEM;
			goto fail;
		}
		memcpy(k, pk->key.ec.q, pk->key.ec.qlen);
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.q = k;
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
	}
	cfg->nanchors++;
	free(dc);
	return 0;
fail:
	free(dn.b);
	free(dc);
	return r;
}

int riad_tls_config_add_trust(struct riad_tls_config *cfg, const void *pem, size_t len, char *why,
                              size_t why_len)
{
	say(why, why_len, "no error");
	if (cfg->role != RIAD_TLS_CLIENT) {
		say(why, why_len, "trust anchors for a server configuration");
		return -RIAD_EINVAL;
	}
	size_t before = cfg->nanchors;
	struct trust_load l = { cfg, why, why_len };
	int r = pem_each(pem, len, trust_obj, &l, why, why_len);
	if (r == 0 && cfg->nanchors == before) {
		say(why, why_len, "no CERTIFICATE among the trusted PEM objects");
		r = -RIAD_EBADMSG;
	}
	return r;
}

int riad_tls_config_add_trust_kv(struct riad_tls_config *cfg, struct riad_kv *kv, const char *key,
                                 char *why, size_t why_len)
{
	char *pem;
	size_t len;
	int r = kv_slurp(kv, key, &pem, &len, why, why_len);
	if (r < 0)
		return r;
	r = riad_tls_config_add_trust(cfg, pem, len, why, why_len);
	free(pem);
	return r;
}

/* ---- the rest ---- */

int riad_tls_config_set_alpn(struct riad_tls_config *cfg, const char *names)
{
	size_t n = strlen(names);
	char *b = malloc(n + 1);
	if (!b)
		return -RIAD_ENOMEM;
	memcpy(b, names, n + 1);
	const char *list[RIAD_TLS_ALPN_MAX];
	size_t count = 0;
	for (char *p = b;;) {
		char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len > 255) {
			free(b);
			return -RIAD_EINVAL;
		}
		if (count == RIAD_TLS_ALPN_MAX) {
			free(b);
			return -RIAD_ENOSPC;
		}
		list[count++] = p;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	free(cfg->alpn_buf);
	cfg->alpn_buf = b;
	memcpy(cfg->alpn, list, count * sizeof(list[0]));
	cfg->nalpn = count;
	return 0;
}

int riad_tls_config_set_session_cache(struct riad_tls_config *cfg, size_t bytes)
{
	if (cfg->role != RIAD_TLS_SERVER || cfg->cache_ready)
		return -RIAD_EINVAL;
	cfg->cache_bytes = bytes;
	return 0;
}

void riad_tls_config_set_buffer(struct riad_tls_config *cfg, enum riad_tls_buffer buffer)
{
	cfg->buffer = buffer == RIAD_TLS_BUFFER_MONO ? RIAD_TLS_BUFFER_MONO : RIAD_TLS_BUFFER_BIDI;
}

void riad_tls_config_free(struct riad_tls_config *cfg)
{
	if (!cfg)
		return;
	if (cfg->conns)
		riad_panic("riad_tls_config_free: %u connections still use the configuration",
		           cfg->conns);
	for (size_t i = 0; i < cfg->nchains; i++)
		chain_free(&cfg->chains[i]);
	for (size_t i = 0; i < cfg->nanchors; i++) {
		br_x509_trust_anchor *ta = &cfg->anchors[i];
		free(ta->dn.data);
		free(ta->pkey.key_type == BR_KEYTYPE_RSA ? ta->pkey.key.rsa.n : ta->pkey.key.ec.q);
	}
	free(cfg->alpn_buf);
	for (unsigned i = 0; i < cfg->nspare; i++)
		free(cfg->spare[i].buf); /* wiped when given back */
	if (cfg->cache_mem) {
		/* Sessions hold master secrets. */
		riad_wipe(cfg->cache_mem, cfg->cache_bytes);
		free(cfg->cache_mem);
	}
	riad_wipe(cfg, sizeof(*cfg));
	free(cfg);
}

/* ---- SNI ---- */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

bool tls_name_match(const char *pattern, size_t plen, const char *name)
{
	size_t nlen = strlen(name);
	if (plen >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		/* One whole leftmost label, not empty. */
		const char *dot = strchr(name, '.');
		if (!dot || dot == name)
			return false;
		size_t rest = nlen - (size_t)(dot - name);
		return rest == plen - 1 && same(dot, pattern + 1, rest);
	}
	return plen == nlen && same(pattern, name, nlen);
}

const struct tls_chain *tls_config_chain(const struct riad_tls_config *cfg, const char *name)
{
	if (name && *name) {
		for (size_t i = 0; i < cfg->nchains; i++) {
			const char *p = cfg->chains[i].names;
			while (p && *p) {
				const char *comma = strchr(p, ',');
				size_t len = comma ? (size_t)(comma - p) : strlen(p);
				if (tls_name_match(p, len, name))
					return &cfg->chains[i];
				p = comma ? comma + 1 : NULL;
			}
		}
	}
	return &cfg->chains[cfg->default_chain >= 0 ? cfg->default_chain : 0];
}
