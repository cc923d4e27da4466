/* ops/metrics_out.h: the writer behind struct metrics_buf and what the management listener's files share (private to ops/). */
#ifndef RIAD_OPS_METRICS_OUT_H
#define RIAD_OPS_METRICS_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/metrics.h>

enum metrics_format {
	METRICS_PROMETHEUS, /* text exposition format 0.0.4 */
	METRICS_INFLUX,     /* line protocol, integer fields */
};

/* A text buffer that is also the writer of riad/metrics.h (out). */
struct metrics_buf {
	struct riad_metrics_out out; /* first: collectors get &out */
	enum metrics_format format;
	char *buf;           /* malloc'd; the caller frees it with metrics_out_free */
	size_t len, cap, max;
	bool truncated;      /* max reached or no memory: the text is cut */
	const char *family;  /* of the samples being written */
	int64_t ts_ns;       /* Influx: wall-clock stamp of every line, 0: none */
};

void metrics_out_init(struct metrics_buf *o, enum metrics_format f, size_t max);
void metrics_out_free(struct metrics_buf *o);
/* Append text (each call's text below 256 bytes). */
void metrics_out_put(struct metrics_buf *o, const char *s, size_t n);
void metrics_out_printf(struct metrics_buf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Every registered metric, in link order. */
void metrics_render(struct metrics_buf *o);
/* The value of a metric with var or read. */
uint64_t metrics_value(const struct riad_metric *m);

/* The memory history (ops/metrics_history.c): start sampling every
 * interval_ns (once; later calls do nothing), and draw it as SVG. */
int metrics_history_start(int64_t interval_ns);
void metrics_history_svg(struct metrics_buf *o);

/* The Influx push (ops/metrics_influx.c), on net, every interval_ns. */
struct riad_net;
int metrics_influx_start(struct riad_net *net, const char *url, int64_t interval_ns);
/* Whether url is "udp://A.B.C.D:PORT" or "tcp://A.B.C.D:PORT"; fills the
 * parts. */
int metrics_influx_parse(const char *url, int *tcp, uint32_t *addr, uint16_t *port);

#endif
