/* ops/syslog.c: the syslog client every unikernel with the network library
 * has: the --syslog options, a log reporter that formats each message into
 * a fixed queue, and the sender fiber that empties it to the collector over
 * UDP, TCP or TLS (docs/syslog.md).
 *
 * Logging never waits for the network: the reporter copies the formatted
 * message into the queue (a ring of RIAD_SYSLOG_QUEUE_BYTES, each message
 * as a 2-byte length and its bytes) or, when it is full, counts a drop. The
 * sender starts when the interface (--syslog-iface, else the first one the
 * unikernel opens) is opened, waits for its address, and sends messages
 * oldest first, taking each off the queue only once the transport took it:
 * over TCP and TLS it reconnects with exponential back-off, holding what is
 * queued meanwhile; the count of dropped messages is logged once the queue
 * has room again.
 *
 * When main() returns, start-up calls riad_log_flush, which waits (at most
 * RIAD_LOG_FLUSH_MS) until the sender has delivered what is queued.
 *
 * UDP is run_udp; TCP and TLS are run_stream over a struct
 * syslog_stream_ops (ops/syslog.h): TCP's here, TLS's in ops/syslog_tls.c,
 * which only riad_syslog_tls (riad/syslog.h) links in, so that a unikernel
 * that does not ask for TLS carries none of it.
 */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/errno.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/opt.h>
#include <riad/time.h>

#include "args.h"
#include "net_api.h"
#include "syslog.h"

RIAD_LOG_SRC(syslog_log, "syslog", "The syslog client (--syslog): connections to the collector, drops");

static int url_check(const char *value, char *why, size_t len);
static int format_check(const char *value, char *why, size_t len);
static int facility_check(const char *value, char *why, size_t len);
static int iface_check(const char *value, char *why, size_t len);

RIAD_ARG_STRING_CHECKED(opt_syslog, "syslog", NULL, url_check,
                        "Also send every log line to a syslog collector: udp://A.B.C.D[:PORT], "
                        "tcp://A.B.C.D[:PORT] (port 514) or tls://A.B.C.D[:PORT] (RFC 5425, port "
                        "6514; needs --syslog-ca and an application that calls riad_syslog_tls). "
                        "docs/syslog.md.");
RIAD_ARG_STRING(syslog_opt_ca_, "syslog-ca", NULL,
                "With --syslog=tls://: the key of the PEM file of the CA certificates the "
                "collector's certificate must lead to, in the KV store the application gives "
                "riad_syslog_tls (e.g. /tls/ca.pem in the store --store names).");
RIAD_ARG_STRING(syslog_opt_tls_name_, "syslog-tls-name", NULL,
                "With --syslog=tls://: the name the collector's certificate must carry (a DNS "
                "name; sent as SNI). Default: the collector's address as text.");
RIAD_ARG_STRING_CHECKED(opt_format, "syslog-format", "5424", format_check,
                        "The syslog message format: 5424 (RFC 5424) or 3164 (RFC 3164, BSD).");
RIAD_ARG_STRING_CHECKED(opt_facility, "syslog-facility", "daemon", facility_check,
                        "The syslog facility: a name (kern, user, daemon, local0..local7, ...) or 0..23.");
RIAD_ARG_STRING(opt_app, "syslog-app-name", NULL,
                "The syslog APP-NAME of every line (the log source then goes in MSGID). "
                "Default: each line's log source.");
RIAD_ARG_STRING(opt_hostname, "hostname", NULL,
                "The unikernel's name in syslog messages (default: the program's name, NAME of "
                "NAME.TARGET).");
RIAD_ARG_STRING_CHECKED(opt_iface, "syslog-iface", NULL, iface_check,
                        "The interface the syslog client sends through (default: the first one "
                        "the unikernel opens).");
RIAD_ARG_BOOL(opt_console, "syslog-console", true,
              "With --syslog, keep writing log lines to the console too (--syslog-console=no: "
              "syslog only).");

static int url_check(const char *value, char *why, size_t len)
{
	struct syslog_url u;
	if (syslog_url_parse(value, &u, why, len) < 0)
		return 1;
	return 0;
}

static int format_check(const char *value, char *why, size_t len)
{
	if (strcmp(value, "5424") == 0 || strcmp(value, "3164") == 0)
		return 0;
	char shown[33];
	syslog_printable(shown, sizeof(shown), value);
	snprintf(why, len, "'%s' is not a syslog format (5424, 3164)", shown);
	return 1;
}

static int facility_check(const char *value, char *why, size_t len)
{
	if (syslog_facility_parse(value) >= 0)
		return 0;
	char shown[33];
	syslog_printable(shown, sizeof(shown), value);
	snprintf(why, len, "'%s' is not a syslog facility (kern, user, daemon, local0..local7, ..., or 0..23)",
	         shown);
	return 1;
}

/* A unikernel that declares its interfaces (RIAD_NET_IFACE) names one of
 * them; one that opens interfaces by name only may name any. */
static int iface_check(const char *value, char *why, size_t len)
{
	if (net_iface_count() == 0 || net_iface_decl(value))
		return 0;
	char shown[33];
	syslog_printable(shown, sizeof(shown), value);
	snprintf(why, len, "'%s' is not an interface of this unikernel", shown);
	return 1;
}

const char *syslog_opt_ca, *syslog_opt_tls_name;

/* ---- the state ---- */

static struct {
	bool ready;             /* options read (setup) */
	struct syslog_url url;
	struct syslog_fmt fmt;
	char hostname[256];
	/* The queue: used bytes from head, wrapping. */
	size_t head, used;
	uint64_t dropped;       /* since the last report */
	struct riad_waitq wq;   /* the sender parks here for messages */
	bool started;           /* the sender runs */
	/* riad_log_flush (main() returned): the sender empties the queue,
	 * then, over TCP, closes the connection and waits for the
	 * collector's close (all it sent was read), then sets flushed. */
	bool flushing, flushed;
	int64_t flush_deadline;
	struct riad_waitq flush_wq;
} st;

static uint8_t ring[RIAD_SYSLOG_QUEUE_BYTES];
/* The reporter formats here (reporters never nest: riad/log.h). */
static char fmt_buf[SYSLOG_MSG_MAX];
/* The sender's batch: frames copied out of the queue. */
static char send_buf[8192 + SYSLOG_MSG_MAX];

_Static_assert(RIAD_SYSLOG_QUEUE_BYTES >= 2 * (SYSLOG_MSG_MAX + 2),
               "RIAD_SYSLOG_QUEUE_BYTES must hold two messages of the longest kind");

/* The default hostname: the program's name without its ".TARGET". */
static void default_hostname(char *out, size_t cap)
{
	const char *p = riad_args_prog();
	size_t n = strlen(p);
	static const char *const suffixes[] = { ".unix-hostnet", ".unix", ".spt", ".hvt" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && strcmp(p + n - k, suffixes[i]) == 0) {
			n -= k;
			break;
		}
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

/* Read the options once they are parsed (at the first message or when an
 * interface opens, whichever comes first). */
static bool setup(void)
{
	if (st.ready)
		return true;
	if (!opt_syslog)
		return false;
	char why[8];
	if (syslog_url_parse(opt_syslog, &st.url, why, sizeof(why)) < 0)
		return false; /* not reached: the option's check passed */
	if (opt_hostname)
		snprintf(st.hostname, sizeof(st.hostname), "%s", opt_hostname);
	else
		default_hostname(st.hostname, sizeof(st.hostname));
	st.fmt.kind = strcmp(opt_format, "3164") == 0 ? SYSLOG_3164 : SYSLOG_5424;
	st.fmt.facility = syslog_facility_parse(opt_facility);
	st.fmt.hostname = st.hostname;
	st.fmt.app_name = opt_app;
	syslog_opt_ca = syslog_opt_ca_;
	syslog_opt_tls_name = syslog_opt_tls_name_;
	if (!opt_console)
		riad_log_console_set(false);
	st.ready = true;
	return true;
}

/* ---- the queue ---- */

static void ring_copy_in(size_t off, const void *src, size_t n)
{
	size_t at = (st.head + off) % sizeof(ring), first = sizeof(ring) - at;
	if (first > n)
		first = n;
	memcpy(ring + at, src, first);
	memcpy(ring, (const uint8_t *)src + first, n - first);
}

static void ring_copy_out(size_t off, void *dst, size_t n)
{
	size_t at = (st.head + off) % sizeof(ring), first = sizeof(ring) - at;
	if (first > n)
		first = n;
	memcpy(dst, ring + at, first);
	memcpy((uint8_t *)dst + first, ring, n - first);
}

static bool ring_push(const char *msg, size_t n)
{
	if (sizeof(ring) - st.used < n + 2)
		return false;
	uint8_t len[2] = { (uint8_t)(n >> 8), (uint8_t)n };
	ring_copy_in(st.used, len, 2);
	ring_copy_in(st.used + 2, msg, n);
	st.used += n + 2;
	return true;
}

/* The length of the message at byte off of the queue (off < st.used). */
static size_t ring_len_at(size_t off)
{
	uint8_t len[2];
	ring_copy_out(off, len, 2);
	return (size_t)len[0] << 8 | len[1];
}

static void ring_pop(size_t bytes)
{
	st.head = (st.head + bytes) % sizeof(ring);
	st.used -= bytes;
}

/* ---- the reporter ---- */

static void report(const struct riad_log_msg *m)
{
	if (!setup())
		return;
	size_t n = syslog_format(fmt_buf, sizeof(fmt_buf), &st.fmt, m);
	if (!ring_push(fmt_buf, n)) {
		st.dropped++;
		return;
	}
	riad_waitq_wake_all(&st.wq);
}

static void flush(int64_t deadline)
{
	if (!st.started)
		return;
	st.flushing = true;
	st.flush_deadline = deadline;
	riad_waitq_wake_all(&st.wq);
	while (st.started && !st.flushed && riad_time_ns() < deadline)
		riad_waitq_wait(&st.flush_wq, deadline);
}

static void flushed(void)
{
	st.flushed = true;
	riad_waitq_wake_all(&st.flush_wq);
}

RIAD_LOG_REPORTER(syslog_reporter, "syslog", report, flush);

/* Log the drops once a message of any length fits again: the line goes
 * into the queue like any other, where the gap was. */
static void report_drops(void)
{
	if (st.dropped == 0 || sizeof(ring) - st.used < SYSLOG_MSG_MAX + 2)
		return;
	unsigned long long n = st.dropped;
	st.dropped = 0;
	riad_warn(syslog_log, "%llu log line%s dropped: the syslog queue (%u bytes) was full", n,
	          n == 1 ? "" : "s", (unsigned)sizeof(ring));
}

/* ---- the sender ---- */

/* Park until the queue holds a message, a flush began or a second passed
 * (callers look at the stack, and the TCP one at its connection, each
 * time). */
static void wait_queue(void)
{
	if (st.used == 0 && !st.flushing)
		riad_waitq_wait(&st.wq, riad_time_ns() + RIAD_NS_PER_S);
}

static int64_t backoff_next(int64_t b)
{
	b *= 2;
	return b > RIAD_SYSLOG_BACKOFF_MAX_MS ? RIAD_SYSLOG_BACKOFF_MAX_MS : b;
}

static void run_udp(struct riad_net *net)
{
	struct riad_udp *u;
	int r = riad_udp_bind(net, 0, &u);
	if (r < 0) {
		riad_err(syslog_log, "no UDP socket for the collector: %s", riad_strerror(r));
		return;
	}
	int64_t backoff = RIAD_SYSLOG_BACKOFF_MIN_MS;
	bool failing = false;
	while (!net->down) {
		wait_queue();
		if (st.used == 0) {
			if (st.flushing) {
				/* Let the device take the last datagrams. */
				riad_fiber_yield();
				flushed();
				break;
			}
			continue;
		}
		size_t n = ring_len_at(0);
		ring_copy_out(2, send_buf, n);
		long w = riad_udp_sendto(u, st.url.addr, st.url.port, send_buf, n);
		if (w == -RIAD_ENETDOWN)
			break;
		if (w < 0) {
			/* Not sent: an ICMP error about an earlier datagram
			 * (the collector's port closed), no route yet, no
			 * memory. The message stays queued. */
			if (!failing)
				riad_warn(syslog_log, "udp: cannot send to the collector: %s; retrying",
				          riad_strerror((int)w));
			failing = true;
			riad_sleep_ns(backoff * RIAD_NS_PER_MS);
			backoff = backoff_next(backoff);
			continue;
		}
		failing = false;
		backoff = RIAD_SYSLOG_BACKOFF_MIN_MS;
		ring_pop(n + 2);
		report_drops();
		/* sendto never parks: let the device and the others run. */
		riad_fiber_yield();
	}
	riad_udp_close(u);
}

/* ---- stream transports (TCP here, TLS in ops/syslog_tls.c) ---- */

/* Whether the collector closed or reset c; rsyslog never writes, so any
 * readable byte is unexpected and ignored. */
static bool tcp_lost(void *conn)
{
	char b[64];
	long r = riad_tcp_read(conn, b, sizeof(b), 0);
	return r == 0 || (r < 0 && r != -RIAD_ETIMEDOUT);
}

static int tcp_open(struct riad_net *net, const struct syslog_url *u, void **conn, char *why,
                    size_t len)
{
	struct riad_tcp *c;
	int r = riad_tcp_connect(net, u->addr, u->port, &c, riad_time_ns() + 5 * RIAD_NS_PER_S);
	if (r < 0) {
		snprintf(why, len, "cannot connect: %s", riad_strerror(r));
		return r;
	}
	*conn = c;
	return 0;
}

static long tcp_write(void *conn, const void *buf, size_t len)
{
	return riad_tcp_write(conn, buf, len, RIAD_TIME_NEVER);
}

static void tcp_finish(void *conn, int64_t deadline)
{
	char b[64];
	riad_tcp_shutdown(conn);
	while (riad_tcp_read(conn, b, sizeof(b), deadline) > 0)
		;
}

static void tcp_close(void *conn)
{
	riad_tcp_close(conn);
}

static const struct syslog_stream_ops tcp_ops = {
	.open = tcp_open,
	.lost = tcp_lost,
	.write = tcp_write,
	.finish = tcp_finish,
	.close = tcp_close,
};

const struct syslog_stream_ops *syslog_tls_ops;

static void run_stream(struct riad_net *net, bool tls)
{
	int64_t backoff = RIAD_SYSLOG_BACKOFF_MIN_MS;
	bool failing = false, waiting = false;
	char addr[RIAD_IPV4_STRLEN];
	riad_ipv4_format(st.url.addr, addr);
	const char *scheme = tls ? "tls" : "tcp";
	while (!net->down) {
		if (st.flushing && st.used == 0) {
			flushed();
			return;
		}
		const struct syslog_stream_ops *ops = tls ? syslog_tls_ops : &tcp_ops;
		if (!ops) {
			/* The application has not called riad_syslog_tls (yet):
			 * hold the queue, as while the collector is away. */
			if (!waiting)
				riad_err(syslog_log, "tls://%s:%u: waiting for the application to call "
				         "riad_syslog_tls() (riad/syslog.h); lines are queued meanwhile",
				         addr, st.url.port);
			waiting = true;
			riad_sleep_ns(backoff * RIAD_NS_PER_MS);
			backoff = backoff_next(backoff);
			continue;
		}
		void *c;
		char why[160];
		int r = ops->open(net, &st.url, &c, why, sizeof(why));
		if (r == -RIAD_ENETDOWN)
			break;
		if (r < 0) {
			if (!failing)
				riad_warn(syslog_log, "%s://%s:%u: %s; retrying", scheme, addr, st.url.port,
				          why);
			failing = true;
			riad_sleep_ns(backoff * RIAD_NS_PER_MS);
			backoff = backoff_next(backoff);
			continue;
		}
		if (failing || waiting)
			riad_info(syslog_log, "%s://%s:%u: connected", scheme, addr, st.url.port);
		failing = waiting = false;
		backoff = RIAD_SYSLOG_BACKOFF_MIN_MS;
		for (;;) {
			wait_queue();
			if (net->down || ops->lost(c))
				break;
			if (st.used == 0 && st.flushing) {
				/* Everything written: close our side and wait for
				 * the collector's close, which says it read all. */
				ops->finish(c, st.flush_deadline);
				ops->close(c);
				flushed();
				return;
			}
			/* A batch of whole frames, oldest first. */
			size_t off = 0, len = 0;
			while (off < st.used) {
				size_t n = ring_len_at(off);
				char frame[16];
				size_t f = syslog_frame(frame, sizeof(frame), n);
				if (len > 0 && len + f + n > sizeof(send_buf) - SYSLOG_MSG_MAX)
					break;
				memcpy(send_buf + len, frame, f);
				ring_copy_out(off + 2, send_buf + len + f, n);
				len += f + n;
				off += n + 2;
			}
			if (len == 0)
				continue;
			long w = ops->write(c, send_buf, len);
			if (w != (long)len) {
				/* The frames written whole are sent as far as
				 * we can know; a cut one goes again, whole, on
				 * the next connection. */
				size_t done = 0, sent = 0;
				while (w > 0 && done < off) {
					size_t n = ring_len_at(done);
					char frame[16];
					sent += syslog_frame(frame, sizeof(frame), n) + n;
					if (sent > (size_t)w)
						break;
					done += n + 2;
				}
				ring_pop(done);
				break;
			}
			ring_pop(off);
			report_drops();
		}
		ops->close(c);
		if (net->down)
			break;
		riad_warn(syslog_log, "%s://%s:%u: connection lost; reconnecting", scheme, addr,
		          st.url.port);
		failing = true;
	}
}

static int sender(void *arg)
{
	struct riad_net *net = arg;
	if (riad_net_wait_up(net, RIAD_TIME_NEVER) == 0) {
		if (st.url.transport != SYSLOG_UDP)
			run_stream(net, st.url.transport == SYSLOG_TLS);
		else
			run_udp(net);
	}
	net_release(net);
	/* The interface was closed: opening it again starts a new sender. */
	st.started = false;
	riad_waitq_wake_all(&st.flush_wq);
	return 0;
}

void syslog_net_opened(struct riad_net *net)
{
	if (st.started || !setup())
		return;
	if (opt_iface && strcmp(opt_iface, net->name) != 0)
		return;
	net_hold(net);
	if (riad_fiber_spawn_detached(sender, net, 0, "syslog") < 0) {
		net_release(net);
		riad_err(syslog_log, "no memory for the syslog sender's fiber");
		return;
	}
	st.started = true;
}
