/* ops/mgmt.c: the management listener: the boot options --metrics, --metrics-influx, --metrics-sample-ms and --metrics-push-ms, its start when the stack it serves on is opened, its connections (bounded in number, size and time) and its routes: /metrics, /log-levels, /memory.svg. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/metrics.h>
#include <riad/net.h>
#include <riad/time.h>

#include "metrics_out.h"
#include "mgmt.h"
#include "mgmt_http.h"
#include "net_api.h"

RIAD_LOG_SRC(mgmt_log, "mgmt", "Management listener (metrics, log levels, memory graph)");

/* Limits of the management listener (docs/metrics.md). A client over them
 * is cut off; the rest of the unikernel never waits for it. */
#define MGMT_CONNS_MAX 4                          /* served at once; more are reset */
#define MGMT_PAGE_MAX (1024 * 1024)               /* longest response body */
#define MGMT_CONN_STACK (16 * 1024)
#define MGMT_BACKLOG 8
#define MGMT_LINGER_NS (1 * RIAD_NS_PER_S)       /* draining after an error answer */
#define MGMT_LINGER_BYTES (64 * 1024)

static int check_metrics(const char *value, char *why, size_t len);
static int check_ms(const char *value, char *why, size_t len);
static int check_influx(const char *value, char *why, size_t len);

RIAD_ARG_STRING_CHECKED(opt_metrics, "metrics", NULL, check_metrics,
                        "Serve metrics, log levels and the memory graph over HTTP on this TCP "
                        "port ([IFACE:]PORT; IFACE a declared interface, default the first "
                        "opened). docs/metrics.md.");
RIAD_ARG_STRING_CHECKED(opt_influx, "metrics-influx", NULL, check_influx,
                        "Push the metrics in Influx line protocol to udp://A.B.C.D:PORT or "
                        "tcp://A.B.C.D:PORT.");
RIAD_ARG_STRING_CHECKED(opt_sample_ms, "metrics-sample-ms", "60000", check_ms,
                        "Sample the memory history this often (ms; a coarse sample every 60).");
RIAD_ARG_STRING_CHECKED(opt_push_ms, "metrics-push-ms", "10000", check_ms,
                        "Push to --metrics-influx this often (ms).");
RIAD_ARG_STRING_CHECKED(opt_deadline_ms, "metrics-deadline-ms", "5000", check_ms,
                        "A management client has this long (ms) to send its request, and "
                        "again to read the answer; then it is cut off.");

/* "[IFACE:]PORT" into its parts; 0, or -1 after writing why. */
static int parse_metrics(const char *value, char *iface, size_t iface_len, uint16_t *port,
                         char *why, size_t len)
{
	const char *colon = strrchr(value, ':');
	const char *p = colon ? colon + 1 : value;
	size_t il = colon ? (size_t)(colon - value) : 0;
	unsigned long v = 0;
	if (!*p || strlen(p) > 5) {
		snprintf(why, len, "'%s' is not [IFACE:]PORT", value);
		return -1;
	}
	for (const char *c = p; *c; c++) {
		if (*c < '0' || *c > '9') {
			snprintf(why, len, "'%s' is not [IFACE:]PORT", value);
			return -1;
		}
		v = v * 10 + (unsigned long)(*c - '0');
	}
	if (v == 0 || v > 65535) {
		snprintf(why, len, "port '%s' is not in 1..65535", p);
		return -1;
	}
	if (colon) {
		if (il == 0 || il >= iface_len) {
			snprintf(why, len, "'%s' is not [IFACE:]PORT", value);
			return -1;
		}
		memcpy(iface, value, il);
		iface[il] = 0;
		if (!net_iface_decl(iface)) {
			snprintf(why, len, "'%s' is not a declared interface", iface);
			return -1;
		}
	} else if (iface_len) {
		iface[0] = 0;
	}
	*port = (uint16_t)v;
	return 0;
}

static int check_metrics(const char *value, char *why, size_t len)
{
	char iface[64];
	uint16_t port;
	return parse_metrics(value, iface, sizeof(iface), &port, why, len) < 0;
}

/* A period in ms, 10 ms to a day. */
static int64_t ms_of(const char *value)
{
	int64_t v = 0;
	if (!*value || strlen(value) > 9)
		return -1;
	for (const char *c = value; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v >= 10 && v <= 86400000 ? v : -1;
}

static int check_ms(const char *value, char *why, size_t len)
{
	if (ms_of(value) < 0) {
		snprintf(why, len, "'%s' is not a number of milliseconds in 10..86400000", value);
		return 1;
	}
	return 0;
}

static int check_influx(const char *value, char *why, size_t len)
{
	int tcp;
	uint32_t addr;
	uint16_t port;
	if (metrics_influx_parse(value, &tcp, &addr, &port) < 0) {
		snprintf(why, len, "'%s' is not udp://A.B.C.D:PORT or tcp://A.B.C.D:PORT", value);
		return 1;
	}
	return 0;
}

/* ---- connections ---- */

struct slot {
	bool busy;
	struct riad_tcp *c;
	char buf[MGMT_HTTP_HEAD_MAX + MGMT_HTTP_BODY_MAX];
};

static struct {
	bool started;             /* the listener was set up (once per run) */
	bool sampling;
	struct riad_net *net;
	uint16_t port;
	int64_t deadline;         /* --metrics-deadline-ms */
	struct slot *slots;       /* MGMT_CONNS_MAX, allocated at start */
	bool pushing;
} M;

static uint64_t requests, rejected, timeouts, bad;
RIAD_METRIC_COUNTER(requests, "riad_mgmt_requests_total", "Requests the management listener answered.");
RIAD_METRIC_COUNTER(rejected, "riad_mgmt_rejected_total", "Management connections reset: all slots busy.");
RIAD_METRIC_COUNTER(timeouts, "riad_mgmt_timeouts_total", "Management connections cut at their deadline.");
RIAD_METRIC_COUNTER(bad, "riad_mgmt_bad_requests_total", "Management requests refused as malformed or too large.");

static int respond(struct slot *s, int status, const char *type, const char *body, size_t len,
                   int64_t deadline)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "%sConnection: close\r\n\r\n",
	                 status, mgmt_http_reason(status), type, len,
	                 status == 405 ? "Allow: GET, PUT, POST\r\n" : "");
	if (riad_tcp_write(s->c, head, (size_t)n, deadline) != n)
		return -1;
	if (len && riad_tcp_write(s->c, body, len, deadline) != (long)len)
		return -1;
	return 0;
}

static int respond_text(struct slot *s, int status, const char *text, int64_t deadline)
{
	return respond(s, status, "text/plain; charset=utf-8", text, strlen(text), deadline);
}

static void route(struct slot *s, const struct mgmt_req *req, const char *body, int64_t deadline)
{
	struct metrics_buf o;
	const char *type = "text/plain; charset=utf-8";
	int status = 200;
	metrics_out_init(&o, METRICS_PROMETHEUS, MGMT_PAGE_MAX);
	bool get = req->method == MGMT_GET;
	if (strcmp(req->path, "/metrics") == 0) {
		if (!get)
			goto not_allowed;
		metrics_render(&o);
		type = "text/plain; version=0.0.4; charset=utf-8";
	} else if (strcmp(req->path, "/log-levels") == 0) {
		if (!get) {
			char why[160];
			/* One byte kept for the newline. */
			if (mgmt_levels_apply(body, req->body_len, why, sizeof(why) - 1) < 0) {
				bad++;
				metrics_out_free(&o);
				strcat(why, "\n");
				respond_text(s, 400, why, deadline);
				return;
			}
		}
		mgmt_levels_text(&o);
	} else if (strcmp(req->path, "/memory.svg") == 0) {
		if (!get)
			goto not_allowed;
		metrics_history_svg(&o);
		type = "image/svg+xml";
	} else if (strcmp(req->path, "/") == 0) {
		if (!get)
			goto not_allowed;
		metrics_out_printf(&o, "riad management listener\n"
		                       "GET /metrics       Prometheus text format 0.0.4\n"
		                       "GET /log-levels    SRC:LEVEL lines\n"
		                       "PUT /log-levels    body [SRC:]LEVEL[,...] as -l\n"
		                       "GET /memory.svg    memory history\n");
	} else {
		metrics_out_free(&o);
		respond_text(s, 404, "not found\n", deadline);
		return;
	}
	if (o.truncated) {
		metrics_out_free(&o);
		respond_text(s, 500, "response too large or no memory\n", deadline);
		return;
	}
	requests++;
	respond(s, status, type, o.buf ? o.buf : "", o.len, deadline);
	metrics_out_free(&o);
	return;
not_allowed:
	metrics_out_free(&o);
	respond_text(s, 405, "method not allowed\n", deadline);
}

/* After an error answer to a request we did not read whole: send our FIN,
 * then read and drop what the client still sends, for a bounded time and
 * amount, before closing. Closing at once with its bytes unread would be
 * a reset, which makes the client's kernel throw our answer away. */
static void linger(struct slot *s)
{
	int64_t end = riad_time_ns() + MGMT_LINGER_NS;
	size_t got = 0;
	if (riad_tcp_shutdown(s->c) < 0)
		return;
	while (got < MGMT_LINGER_BYTES) {
		long n = riad_tcp_read(s->c, s->buf, sizeof(s->buf), end);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
}

static int conn_fiber(void *arg)
{
	struct slot *s = arg;
	int64_t deadline = riad_time_ns() + M.deadline;
	size_t have = 0;
	struct mgmt_req req;
	int r = 0;
	bool ok = false;
	for (;;) {
		r = mgmt_http_parse(s->buf, have, &req);
		if (r != 0)
			break;
		long n = riad_tcp_read(s->c, s->buf + have, MGMT_HTTP_HEAD_MAX - have, deadline);
		if (n <= 0) {
			if (n == -RIAD_ETIMEDOUT)
				timeouts++;
			goto out;
		}
		have += (size_t)n;
	}
	if (r < 0) {
		bad++;
		char msg[64];
		snprintf(msg, sizeof(msg), "%s\n", mgmt_http_reason(-r));
		ok = respond_text(s, -r, msg, deadline) == 0;
		if (ok)
			linger(s);
		goto out;
	}
	while (have < req.head_len + req.body_len) {
		long n = riad_tcp_read(s->c, s->buf + have, req.head_len + req.body_len - have, deadline);
		if (n <= 0) {
			if (n == -RIAD_ETIMEDOUT)
				timeouts++;
			goto out;
		}
		have += (size_t)n;
	}
	/* The response gets a deadline of its own: a client that sent its
	 * request quickly but reads slowly is cut off as well. */
	route(s, &req, s->buf + req.head_len, riad_time_ns() + M.deadline);
	ok = true;
out:
	/* Bytes past the request (pipelining) are not served; closing with
	 * them unread resets, which is what a client breaking the
	 * one-request rule gets. */
	if (ok)
		riad_tcp_close(s->c);
	else
		riad_tcp_abort(s->c);
	s->c = NULL;
	s->busy = false;
	return 0;
}

static int listen_fiber(void *arg)
{
	struct riad_net *net = arg;
	struct riad_tcp_listener *l = NULL;
	int r = riad_net_wait_up(net, RIAD_TIME_NEVER);
	if (r == 0)
		r = riad_tcp_listen(net, M.port, MGMT_BACKLOG, &l);
	if (r < 0) {
		if (r != -RIAD_ENETDOWN)
			riad_err(mgmt_log, "%s: cannot listen on port %u (error %d)",
			         riad_net_name(net), M.port, -r);
		net_release(net);
		return 0;
	}
	riad_info(mgmt_log, "%s: management listener on port %u", riad_net_name(net), M.port);
	for (;;) {
		struct riad_tcp *c;
		r = riad_tcp_accept(l, &c, RIAD_TIME_NEVER);
		if (r < 0)
			break;
		struct slot *s = NULL;
		for (int i = 0; i < MGMT_CONNS_MAX && !s; i++)
			if (!M.slots[i].busy)
				s = &M.slots[i];
		if (s) {
			s->busy = true;
			s->c = c;
			if (riad_fiber_spawn_detached(conn_fiber, s, MGMT_CONN_STACK, "mgmt-conn") == 0)
				continue;
			s->busy = false;
		}
		rejected++;
		riad_tcp_abort(c);
	}
	riad_tcp_listener_close(l);
	net_release(net);
	return 0;
}

/* Open the named interface the listener was given, when the application
 * opened another one first. The reference is weak so that a program that
 * creates its stacks itself (riad_net_create: tests) does not link
 * riad_net_open and the device table through this file; every program
 * that opens a stack by name has it. */
#pragma weak riad_net_open
static int open_fiber(void *arg)
{
	const char *name = arg;
	struct riad_net *net;
	int r = riad_net_open ? riad_net_open(name, &net) : -RIAD_ENODEV;
	if (r < 0)
		riad_err(mgmt_log, "%s: cannot open the management interface (error %d)", name, -r);
	return 0;
}

static void start_sampling(void)
{
	if (M.sampling)
		return;
	M.sampling = true;
	int64_t ms = ms_of(opt_sample_ms);
	if (metrics_history_start((ms > 0 ? ms : 60000) * RIAD_NS_PER_MS) < 0)
		riad_err(mgmt_log, "no memory for the memory history");
}

void mgmt_net_opened(struct riad_net *net)
{
	static char iface[64];
	uint16_t port = 0;
	char why[128];
	if (!opt_metrics && !opt_influx)
		return;
	start_sampling();
	if (opt_influx && !M.pushing) {
		M.pushing = true;
		int64_t ms = ms_of(opt_push_ms);
		if (metrics_influx_start(net, opt_influx, (ms > 0 ? ms : 10000) * RIAD_NS_PER_MS) < 0)
			riad_err(mgmt_log, "cannot start the Influx push to %s", opt_influx);
	}
	if (!opt_metrics || M.started)
		return;
	if (parse_metrics(opt_metrics, iface, sizeof(iface), &port, why, sizeof(why)) < 0) {
		riad_err(mgmt_log, "option '--metrics': %s", why);
		M.started = true;
		return;
	}
	if (iface[0] && strcmp(iface, riad_net_name(net)) != 0) {
		/* Not ours: open ours from a fiber (riad_net_open comes back
		 * here, and the application's open must not wait for it). */
		static bool opening;
		if (!opening) {
			opening = true;
			(void)riad_fiber_spawn_detached(open_fiber, iface, 0, NULL);
		}
		return;
	}
	M.started = true;
	M.net = net;
	M.port = port;
	M.deadline = (ms_of(opt_deadline_ms) > 0 ? ms_of(opt_deadline_ms) : 5000) * RIAD_NS_PER_MS;
	M.slots = calloc(MGMT_CONNS_MAX, sizeof(*M.slots));
	if (!M.slots || riad_fiber_spawn_detached(listen_fiber, net, 0, "mgmt") < 0) {
		free(M.slots);
		M.slots = NULL;
		riad_err(mgmt_log, "no memory for the management listener");
		return;
	}
	net_hold(net);
}
