/* tls/tls_internal.h: the configuration's layout, shared by the
 * configuration code (tls_config.c) and the BearSSL implementation
 * (tls_bearssl.c); not for applications. */
#ifndef RIAD_TLS_INTERNAL_H
#define RIAD_TLS_INTERNAL_H

#include <bearssl.h>
#include <riad/time.h>
#include <riad/tls.h>

/* One server certificate chain with its key and the names SNI picks it by. */
struct tls_chain {
	char *names;               /* lower case, comma-separated; NULL: default */
	br_x509_certificate certs[RIAD_TLS_CHAIN_CERTS_MAX];
	size_t ncerts;
	int key_type;              /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC */
	br_rsa_private_key rsa;    /* pointing into key_buf */
	br_ec_private_key ec;
	unsigned char *key_buf;    /* wiped when freed */
	size_t key_len;
};

/* A spare record buffer unused this long is freed (RIAD_TLS_SPARES). */
#define TLS_SPARE_NS RIAD_NS_PER_S
_Static_assert(RIAD_TLS_SPARES >= 1, "RIAD_TLS_SPARES: at least 1");

struct riad_tls_config {
	enum riad_tls_role role;
	enum riad_tls_buffer buffer;
	struct tls_chain chains[RIAD_TLS_CHAINS_MAX];
	size_t nchains;
	int default_chain;         /* index, or -1: the first */
	br_x509_trust_anchor anchors[RIAD_TLS_ANCHORS_MAX];
	size_t nanchors;
	const char *alpn[RIAD_TLS_ALPN_MAX];
	size_t nalpn;
	char *alpn_buf;
	/* The server's session cache, shared by its connections (one core:
	 * no locking). The wrapper's vtable comes first so that BearSSL
	 * calls it; it notes a resumption on the connection it serves. */
	struct tls_cache {
		const br_ssl_session_cache_class *vtable;
		br_ssl_session_cache_lru lru;
	} cache;
	unsigned char *cache_mem;
	size_t cache_bytes;
	bool cache_ready;
	unsigned conns;            /* connections open from it */
	/* Record buffers given back by idle or closed connections, wiped,
	 * kept for the next (the most recent last; RIAD_TLS_SPARES): an
	 * allocator that gets 16-32 KiB back and again for every request may
	 * return the pages and fault them in again (glibc's heap trim on
	 * unix: half again the CPU time of a small HTTPS request on one
	 * kept-alive connection). */
	struct tls_spare {
		unsigned char *buf;
		size_t len;
		int64_t since;     /* riad_time_ns() when given back */
	} spare[RIAD_TLS_SPARES];
	unsigned nspare;
};

/* The chain for a client's server name (NULL or "": none sent). */
const struct tls_chain *tls_config_chain(const struct riad_tls_config *cfg, const char *name);

/* Whether a host name matches one pattern of a chain's names (exact, or
 * "*.rest" for one label before rest), ignoring case. */
bool tls_name_match(const char *pattern, size_t plen, const char *name);

/* The BearSSL implementation's constructors (tls_bearssl.c). */
int tls_bearssl_new(struct riad_tls_config *cfg, struct riad_tcp *c, const char *server_name,
                    struct riad_tls **out);

#endif
