/* main.c: an iperf3 server for one TCP stream at a time, so that the
 * stock iperf3 client measures riad's TCP both ways:
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24
 *	iperf3 -c 10.0.0.2 -t 10        # the client sends, riad receives
 *	iperf3 -c 10.0.0.2 -t 10 -R     # riad sends, the client receives
 *
 * The protocol, as the iperf3 client speaks it (written from its
 * documented behaviour, no iperf3 code): the client opens a control
 * connection to --port and sends a 37-byte cookie (36 characters and a
 * NUL). Every state change is one signed byte on the control connection:
 * the server sends PARAM_EXCHANGE (9); the client sends its parameters as a
 * 4-byte big-endian length and a JSON object; the server sends
 * CREATE_STREAMS (10); the client opens a data connection to the same port
 * and sends the same cookie on it; the server sends TEST_START (1) and
 * TEST_RUNNING (2); data flows (from the server with "reverse": true)
 * until the client sends TEST_END (4); the server sends EXCHANGE_RESULTS
 * (13), reads the client's results (length + JSON) and sends its own,
 * sends DISPLAY_RESULTS (14), and the client ends with IPERF_DONE (16).
 * A connection arriving while a test runs gets ACCESS_DENIED (-1); a test
 * this server cannot run (parallel > 1, UDP, bidirectional) gets
 * SERVER_ERROR (-2) followed by iperf3's error number and an errno, two
 * 4-byte big-endian integers (IENUMSTREAMS, 6, for -P; IEUNIMP, 13, for the
 * rest), which the client prints.
 *
 * Two fibers: the acceptor takes every connection, reads its cookie and
 * hands it to the control fiber (main) as a new test's control connection
 * or as the running test's data connection; main spawns one data fiber per
 * test. Every call has a deadline. --tests=N exits after N tests.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 5201, "The TCP port to listen on (iperf3's default 5201).");
RIAD_ARG_INT(tests, "tests", 0, "Exit after this many tests (0: serve for ever).");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

/* iperf3's state bytes. */
enum {
	TEST_START = 1,
	TEST_RUNNING = 2,
	TEST_END = 4,
	PARAM_EXCHANGE = 9,
	CREATE_STREAMS = 10,
	SERVER_TERMINATE = 11,
	CLIENT_TERMINATE = 12,
	EXCHANGE_RESULTS = 13,
	DISPLAY_RESULTS = 14,
	IPERF_DONE = 16,
	ACCESS_DENIED = -1,
	SERVER_ERROR = -2,
};
/* iperf3's error numbers sent with SERVER_ERROR. */
enum { IENUMSTREAMS = 6, IEUNIMP = 13 };

#define COOKIE_LEN 37
#define CTL_TIMEOUT (10 * RIAD_NS_PER_S)
#define SLICE (100 * RIAD_NS_PER_MS)

/* What the acceptor hands to main. */
enum { IDLE, WAIT_STREAM, BUSY };
static int state = IDLE;
static char cookie[COOKIE_LEN];
static struct riad_tcp *new_ctl, *new_data;
static struct riad_waitq handoff;

/* The running test. */
static struct riad_tcp *data;
static bool reverse, stop;
static long long limit_bytes;
static unsigned long long moved;
static unsigned char buf[256 * 1024];

static long read_full(struct riad_tcp *c, void *p, size_t len, int64_t deadline)
{
	size_t got = 0;
	while (got < len) {
		long n = riad_tcp_read(c, (char *)p + got, len - got, deadline);
		if (n <= 0)
			return n < 0 ? n : -RIAD_ECONNRESET;
		got += (size_t)n;
	}
	return (long)got;
}

static bool send_state(struct riad_tcp *c, int s)
{
	unsigned char b = (unsigned char)(signed char)s;
	return riad_tcp_write(c, &b, 1, riad_time_ns() + CTL_TIMEOUT) == 1;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void send_error(struct riad_tcp *c, int ierr)
{
	unsigned char b[9];
	b[0] = (unsigned char)(signed char)SERVER_ERROR;
	put_be32(b + 1, (uint32_t)ierr);
	put_be32(b + 5, 0);
	riad_tcp_write(c, b, sizeof(b), riad_time_ns() + CTL_TIMEOUT);
}

/* Read one length-prefixed JSON object into j (NUL-terminated). */
static bool read_json(struct riad_tcp *c, char *j, size_t cap)
{
	unsigned char l[4];
	if (read_full(c, l, 4, riad_time_ns() + CTL_TIMEOUT) != 4)
		return false;
	uint32_t n = (uint32_t)l[0] << 24 | (uint32_t)l[1] << 16 | (uint32_t)l[2] << 8 | l[3];
	if (n == 0 || n >= cap)
		return false;
	if (read_full(c, j, n, riad_time_ns() + CTL_TIMEOUT) != (long)n)
		return false;
	j[n] = 0;
	return true;
}

static bool write_json(struct riad_tcp *c, const char *j)
{
	unsigned char l[4];
	size_t n = strlen(j);
	put_be32(l, (uint32_t)n);
	int64_t dl = riad_time_ns() + CTL_TIMEOUT;
	return riad_tcp_write(c, l, 4, dl) == 4 && riad_tcp_write(c, j, n, dl) == (long)n;
}

/* The value of top-level-ish "key" in j: a number, or true (1) / false (0).
 * Absent: def. Enough for the flat parameter object the client sends. */
static long long json_num(const char *j, const char *key, long long def)
{
	size_t kl = strlen(key);
	for (const char *p = j; (p = strchr(p, '"')) != NULL; p++) {
		if (strncmp(p + 1, key, kl) != 0 || p[1 + kl] != '"')
			continue;
		const char *v = p + 2 + kl;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (*v != ':')
			continue;
		v++;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (strncmp(v, "true", 4) == 0)
			return 1;
		if (strncmp(v, "false", 5) == 0)
			return 0;
		bool neg = *v == '-';
		if (neg)
			v++;
		if (*v < '0' || *v > '9')
			return def;
		long long x = 0;
		while (*v >= '0' && *v <= '9')
			x = x * 10 + (*v++ - '0');
		return neg ? -x : x;
	}
	return def;
}

static int data_fiber(void *arg)
{
	(void)arg;
	if (reverse) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)i;
		while (!stop && (limit_bytes <= 0 || moved < (unsigned long long)limit_bytes)) {
			long n = riad_tcp_write(data, buf, sizeof(buf), riad_time_ns() + SLICE);
			if (n > 0)
				moved += (unsigned long long)n;
			else if (n != -RIAD_ETIMEDOUT)
				break;
		}
	} else {
		/* After TEST_END, what the client wrote last may still be in
		 * flight: go on reading until SLICE passes with nothing (at most
		 * 2 s), so that the bytes counted are the bytes sent. */
		int64_t drain_end = 0;
		for (;;) {
			if (stop && !drain_end)
				drain_end = riad_time_ns() + 2 * RIAD_NS_PER_S;
			int64_t dl = riad_time_ns() + SLICE;
			if (drain_end && dl > drain_end)
				dl = drain_end;
			long n = riad_tcp_read(data, buf, sizeof(buf), dl);
			if (n > 0)
				moved += (unsigned long long)n;
			else if (n != -RIAD_ETIMEDOUT || (stop && drain_end))
				break;
		}
	}
	return 0;
}

/* One test on control connection c (its cookie read). */
static void run_test(struct riad_tcp *c)
{
	static char j[8192];
	riad_tcp_set_nodelay(c, true);
	if (!send_state(c, PARAM_EXCHANGE) || !read_json(c, j, sizeof(j))) {
		riad_warn(NULL, "no parameters from the client");
		return;
	}
	long long parallel = json_num(j, "parallel", 1);
	reverse = json_num(j, "reverse", 0) != 0;
	long long secs = json_num(j, "time", 10);
	limit_bytes = json_num(j, "bytes", 0);
	if (parallel > 1) {
		riad_warn(NULL, "refusing %lld parallel streams (one at a time)", parallel);
		send_error(c, IENUMSTREAMS);
		return;
	}
	if (json_num(j, "udp", 0) || json_num(j, "sctp", 0) || json_num(j, "bidirectional", 0)) {
		riad_warn(NULL, "refusing a UDP, SCTP or bidirectional test (TCP, one way, only)");
		send_error(c, IEUNIMP);
		return;
	}
	riad_info(NULL, "test: TCP, %s, %lld s%s", reverse ? "riad sends (-R)" : "riad receives",
	          secs, limit_bytes > 0 ? ", byte limit" : "");
	new_data = NULL;
	state = WAIT_STREAM;
	if (!send_state(c, CREATE_STREAMS))
		return;
	int64_t dl = riad_time_ns() + CTL_TIMEOUT;
	while (!new_data && riad_time_ns() < dl)
		riad_waitq_wait(&handoff, dl);
	state = BUSY;
	if (!new_data) {
		riad_warn(NULL, "no data connection came");
		return;
	}
	data = new_data;
	new_data = NULL;
	stop = false;
	moved = 0;
	int64_t t0 = riad_time_ns();
	struct riad_fiber *f = NULL;
	if (send_state(c, TEST_START) && send_state(c, TEST_RUNNING))
		f = riad_fiber_spawn(data_fiber, NULL, 0);
	int64_t t1 = t0;
	bool ended = false;
	if (f) {
		int64_t until = secs > 0 ? t0 + (secs + 30) * RIAD_NS_PER_S : RIAD_TIME_NEVER;
		unsigned char b;
		long n = read_full(c, &b, 1, until);
		t1 = riad_time_ns();
		ended = n == 1 && b == TEST_END;
		if (!ended)
			riad_warn(NULL, "the test ended without TEST_END (%s)",
			          n == 1 ? "the client sent another state" : "control connection lost");
		stop = true;
		riad_fiber_join(f);
		/* Sending, end the stream as iperf3's own server does (it closes
		 * its data sockets at TEST_END): the client, back to blocking
		 * reads, waits for a whole block (--len) or the end of the stream,
		 * and would otherwise sit until our control timeout and the reset. */
		if (reverse)
			riad_tcp_shutdown(data);
	}
	if (ended) {
		long long us = (t1 - t0) / 1000;
		static char res[1024];
		snprintf(res, sizeof(res),
		         "{\"cpu_util_total\":0,\"cpu_util_user\":0,\"cpu_util_system\":0,"
		         "\"sender_has_retransmits\":0,\"streams\":[{\"id\":1,\"bytes\":%llu,"
		         "\"retransmits\":0,\"jitter\":0,\"errors\":0,\"omitted_errors\":0,"
		         "\"packets\":0,\"omitted_packets\":0,"
		         "\"start_time\":0,\"end_time\":%lld.%06lld}]}",
		         moved, us / 1000000, us % 1000000);
		if (send_state(c, EXCHANGE_RESULTS) && read_json(c, j, sizeof(j)) && write_json(c, res) &&
		    send_state(c, DISPLAY_RESULTS)) {
			unsigned char b;
			if (read_full(c, &b, 1, riad_time_ns() + CTL_TIMEOUT) != 1 || b != IPERF_DONE)
				riad_warn(NULL, "no IPERF_DONE from the client");
		}
		unsigned long long mbit = us > 0 ? moved * 8 / (unsigned long long)us : 0;
		riad_info(NULL, "test done: %llu bytes %s in %lld.%03lld s, %llu Mbit/s", moved,
		          reverse ? "sent" : "received", us / 1000000, us % 1000000 / 1000, mbit);
	}
	if (reverse)
		riad_tcp_abort(data);
	else
		riad_tcp_close(data);
	data = NULL;
}

static int acceptor(void *arg)
{
	struct riad_tcp_listener *l = arg;
	for (;;) {
		struct riad_tcp *c;
		char k[COOKIE_LEN];
		if (riad_tcp_accept(l, &c, RIAD_TIME_NEVER) < 0)
			continue;
		if (read_full(c, k, COOKIE_LEN, riad_time_ns() + CTL_TIMEOUT) != COOKIE_LEN) {
			riad_tcp_abort(c);
			continue;
		}
		if (state == IDLE && !new_ctl) {
			memcpy(cookie, k, COOKIE_LEN);
			new_ctl = c;
			riad_waitq_wake_all(&handoff);
		} else if (state == WAIT_STREAM && !new_data && memcmp(cookie, k, COOKIE_LEN) == 0) {
			new_data = c;
			riad_waitq_wake_all(&handoff);
		} else {
			send_state(c, ACCESS_DENIED);
			riad_tcp_close(c);
		}
	}
	return 0;
}

int main(void)
{
	if (port < 1 || port > 65535 || tests < 0) {
		riad_err(NULL, "--port must be 1..65535 and --tests at least 0");
		return 64;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	struct riad_tcp_listener *l;
	int r = riad_tcp_listen(net, (uint16_t)port, 16, &l);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld (error %d)", (long long)port, -r);
		return 1;
	}
	riad_fiber_detach(riad_fiber_spawn(acceptor, l, 0));
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "iperf3 server on TCP %s:%lld", riad_ipv4_format(addr, text), (long long)port);
	for (long long n = 0; tests == 0 || n < tests; n++) {
		while (!new_ctl)
			riad_waitq_wait(&handoff, RIAD_TIME_NEVER);
		struct riad_tcp *c = new_ctl;
		state = BUSY;
		new_ctl = NULL;
		run_test(c);
		riad_tcp_close(c);
		state = IDLE;
	}
	riad_net_log_stats(net, RIAD_LOG_INFO);
	return 0;
}
