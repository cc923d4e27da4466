/* ops/syslog.h: the syslog client's pure parts (ops/syslog_format.c): the
 * collector's URL, facility names, PRI, the RFC 5424 and RFC 3164 message
 * formats and RFC 6587 octet-counting framing; private to ops/ and its
 * tests and fuzz target. Nothing here reads a clock or an option. */
#ifndef RIAD_OPS_SYSLOG_H
#define RIAD_OPS_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/log.h>
#include <riad/opt.h>

/* How messages reach the collector. */
enum syslog_transport {
	SYSLOG_UDP,
	SYSLOG_TCP,
	SYSLOG_TLS,
};

struct syslog_url {
	enum syslog_transport transport;
	uint32_t addr; /* host order, as riad_ipv4_parse gives it */
	uint16_t port; /* 514 (udp, tcp) or 6514 (tls) when not given */
};

/* Parse "udp://A.B.C.D[:PORT]", "tcp://..." or "tls://..." (PORT 1..65535,
 * decimal, no leading zeros). 0, or -1 after writing one line saying what
 * is wrong into why[0..len) (len >= 1). */
int syslog_url_parse(const char *s, struct syslog_url *u, char *why, size_t len);

/* Copy s into dst[0..cap) (cap >= 1), cut, NUL-terminated, each control
 * character a '?': a value quoted in a one-line error message. */
void syslog_printable(char *dst, size_t cap, const char *s);

/* The facility named s ("kern", "user", "daemon", "local0".."local7", the
 * other names of RFC 5424 table 1, or its number 0..23), or -1. */
int syslog_facility_parse(const char *s);

/* RFC 5424 6.2.1: facility * 8 + the severity of level (error 3, warning
 * 4, info 6, debug 7). */
int syslog_pri(int facility, enum riad_log_level level);

enum syslog_format_kind {
	SYSLOG_5424,
	SYSLOG_3164,
};

/* What every message of one unikernel shares. hostname and app_name may be
 * anything: characters a field cannot hold become '_' and the field is cut
 * to its RFC length; an empty or NULL one is the NILVALUE "-". */
struct syslog_fmt {
	enum syslog_format_kind kind;
	int facility;         /* 0..23 */
	const char *hostname; /* HOSTNAME */
	const char *app_name; /* APP-NAME; NULL: each message's source, MSGID "-" */
};

/* The longest message syslog_format writes: the longest header with a
 * whole RIAD_LOG_LINE_MAX text. */
#define SYSLOG_MSG_MAX (RIAD_LOG_LINE_MAX + 600)

/* Write m as one message into buf[0..cap) (cap >= SYSLOG_MSG_MAX never
 * cuts; a smaller cap cuts the text) and return its length. RFC 5424:
 *	<PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID - MSG
 * with the time to the microsecond in UTC ("Z"), PROCID and
 * STRUCTURED-DATA nil, MSGID the source when app_name is given, MSG the
 * text as it is, without a BOM (MSG-ANY: log.c has escaped control
 * characters already; any left, but tab, become '?', so that a message is
 * one line whatever the framing). RFC 3164:
 *	<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG
 * with TAG the app name or the source, at most 32 characters. A time
 * before 1970 (no wall clock) is the NILVALUE in RFC 5424 and 1970's
 * start in RFC 3164, which has none. */
size_t syslog_format(char *buf, size_t cap, const struct syslog_fmt *f,
                     const struct riad_log_msg *m);

/* RFC 6587 3.4.1 octet counting: write "LEN " for a message of msg_len
 * bytes into buf[0..cap) and return its length (at most 11), or 0 if cap
 * is too small. */
size_t syslog_frame(char *buf, size_t cap, size_t msg_len);

/* A stream transport of the sender (ops/syslog.c): TCP, and TLS
 * (ops/syslog_tls.c, linked only into unikernels that call
 * riad_syslog_tls, so that the others carry no TLS code). open connects
 * (and, for TLS, runs the handshake): 0 and the connection in *conn, or
 * an error after writing one line saying why into why[0..len). lost: the
 * collector closed or reset it (never parks). write: as riad_tcp_write
 * without a deadline. finish: send the end of the stream, then read until
 * the collector's close or the deadline. close frees the connection. */
struct riad_net;
struct syslog_stream_ops {
	int (*open)(struct riad_net *net, const struct syslog_url *u, void **conn, char *why,
	            size_t len);
	bool (*lost)(void *conn);
	long (*write)(void *conn, const void *buf, size_t len);
	void (*finish)(void *conn, int64_t deadline);
	void (*close)(void *conn);
};

/* TLS's transport, set by riad_syslog_tls; NULL until then. */
extern const struct syslog_stream_ops *syslog_tls_ops;
/* --syslog-ca and --syslog-tls-name (NULL when not given). */
extern const char *syslog_opt_ca, *syslog_opt_tls_name;

#endif
