/* riad/syslog.h: what an application does for the syslog client beyond
 * the boot options (docs/syslog.md). UDP and TCP need nothing: every
 * unikernel with the network library takes --syslog=udp:// and tcp://.
 *
 * Syslog over TLS (--syslog=tls://A.B.C.D[:PORT], RFC 5425) validates the
 * collector's certificate against CA certificates read from a KV store
 * (--syslog-ca=KEY names the PEM file in it; --syslog-tls-name=NAME the
 * name the certificate must carry). The store is the application's: it
 * hands it over with riad_syslog_tls, typically the one --store chose:
 *
 *	RIAD_STORE_ARGS("baked");
 *	...
 *	struct riad_kv *kv = riad_store_open_args(false, &err);
 *	riad_syslog_tls(kv);
 *
 * Only a unikernel that calls it links the TLS transport (and BearSSL for
 * it); in one that does not, --syslog=tls:// logs one error and the lines
 * stay queued (then dropped and counted, as while a collector is away).
 */
#ifndef RIAD_SYSLOG_H
#define RIAD_SYSLOG_H

#include <riad/kv.h>

/* Let the syslog client send over TLS, reading --syslog-ca from kv at
 * each connection. Any time, from any fiber, before or after the
 * interface opens (the sender waits for it); kv must stay open while the
 * unikernel logs to syslog, or until riad_syslog_tls(NULL) takes it back
 * (the connection in use goes on; the next waits). Never parks. */
void riad_syslog_tls(struct riad_kv *kv);

#endif
