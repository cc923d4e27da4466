/* ops/metrics_influx.c: the push of every metric in Influx's line protocol to --metrics-influx (UDP datagrams cut at line boundaries, or one TCP connection kept open and made again after an error). */
#include <stdbool.h>
#include <string.h>

#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

#include "metrics_out.h"
#include "net_api.h"

RIAD_LOG_SRC(mgmt_log, "mgmt", "Management listener (metrics, log levels, memory graph)");

/* Largest datagram: below a 1500-byte MTU with IPv4 and UDP headers. */
#define INFLUX_DGRAM_MAX 1400
#define INFLUX_PAGE_MAX (1024 * 1024)
#define INFLUX_WRITE_NS (2 * RIAD_NS_PER_S)

static struct {
	struct riad_net *net;
	bool tcp;
	uint32_t addr;
	uint16_t port;
	int64_t interval;
	struct riad_udp *u;
	struct riad_tcp *c;
} I;

static uint64_t pushes, push_errors;
RIAD_METRIC_COUNTER(pushes, "riad_metrics_influx_pushes_total", "Pushes of every metric to --metrics-influx.");
RIAD_METRIC_COUNTER(push_errors, "riad_metrics_influx_errors_total", "Pushes to --metrics-influx that failed (partly or whole).");

int metrics_influx_parse(const char *url, int *tcp, uint32_t *addr, uint16_t *port)
{
	if (strncmp(url, "udp://", 6) == 0)
		*tcp = 0;
	else if (strncmp(url, "tcp://", 6) == 0)
		*tcp = 1;
	else
		return -1;
	const char *h = url + 6, *colon = strrchr(h, ':');
	char a[RIAD_IPV4_STRLEN];
	if (!colon || (size_t)(colon - h) >= sizeof(a))
		return -1;
	memcpy(a, h, (size_t)(colon - h));
	a[colon - h] = 0;
	if (riad_ipv4_parse(a, addr) < 0)
		return -1;
	unsigned long v = 0;
	const char *p = colon + 1;
	if (!*p || strlen(p) > 5)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int push_udp(const struct metrics_buf *o)
{
	size_t p = 0;
	int err = 0;
	while (p < o->len) {
		/* As many whole lines as fit; a longer line alone. */
		size_t e = p, last = 0;
		while (e < o->len && e - p < INFLUX_DGRAM_MAX) {
			if (o->buf[e] == '\n')
				last = e + 1;
			e++;
		}
		if (e == o->len)
			last = e;
		if (last <= p) {
			const char *nl = memchr(o->buf + p, '\n', o->len - p);
			last = nl ? (size_t)(nl - o->buf) + 1 : o->len;
		}
		if (riad_udp_sendto(I.u, I.addr, I.port, o->buf + p, last - p) < 0)
			err = -1;
		p = last;
	}
	return err;
}

static int push_tcp(const struct metrics_buf *o)
{
	if (!I.c) {
		int r = riad_tcp_connect(I.net, I.addr, I.port, &I.c, riad_time_ns() + INFLUX_WRITE_NS);
		if (r < 0) {
			I.c = NULL;
			return r;
		}
	}
	long n = riad_tcp_write(I.c, o->buf, o->len, riad_time_ns() + INFLUX_WRITE_NS);
	if (n != (long)o->len) {
		riad_tcp_abort(I.c);
		I.c = NULL;
		return -1;
	}
	return 0;
}

static int push_fiber(void *arg)
{
	(void)arg;
	int r = riad_net_wait_up(I.net, RIAD_TIME_NEVER);
	if (r == 0 && !I.tcp)
		r = riad_udp_bind(I.net, 0, &I.u);
	if (r < 0) {
		if (r != -RIAD_ENETDOWN)
			riad_err(mgmt_log, "Influx push: cannot bind a UDP port (error %d)", -r);
		net_release(I.net);
		return 0;
	}
	bool failing = false;
	for (;;) {
		struct metrics_buf o;
		metrics_out_init(&o, METRICS_INFLUX, INFLUX_PAGE_MAX);
		metrics_render(&o);
		r = o.len ? (I.tcp ? push_tcp(&o) : push_udp(&o)) : 0;
		metrics_out_free(&o);
		if (r < 0 || o.truncated) {
			push_errors++;
			if (!failing)
				riad_warn(mgmt_log, "Influx push failed (error %d); retrying every push", -r);
			failing = true;
		} else {
			pushes++;
			failing = false;
		}
		riad_sleep_ns(I.interval);
	}
	return 0;
}

int metrics_influx_start(struct riad_net *net, const char *url, int64_t interval_ns)
{
	int tcp;
	if (metrics_influx_parse(url, &tcp, &I.addr, &I.port) < 0)
		return -1;
	I.tcp = tcp;
	I.net = net;
	I.interval = interval_ns;
	if (riad_fiber_spawn_detached(push_fiber, NULL, 0, "metrics-influx") < 0)
		return -1;
	net_hold(net);
	return 0;
}
