/* ops/metrics_history.c: the memory history: the gauges registered with RIAD_METRIC_HISTORY sampled into two fixed rings (a fine one, and a coarse one holding the largest of every 60 fine samples) and drawn as an SVG graph for GET /memory.svg. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/fiber.h>
#include <riad/metrics.h>
#include <riad/time.h>

#include "metrics_out.h"

/* Sizes: with the default interval of a minute, the fine ring holds a day
 * and the coarse ring a month. The series beyond HISTORY_SERIES are left
 * out (and the graph says so). */
#define HISTORY_SERIES 8
#define FINE_N 1440
#define COARSE_N 720
#define COARSE_EVERY 60

struct ring {
	size_t n, head, count;  /* capacity, next slot, slots filled */
	int64_t *t;             /* riad_time_ns() of each sample */
	uint64_t *v;            /* [slot * HISTORY_SERIES + series] */
};

static struct {
	const struct riad_metric *series[HISTORY_SERIES];
	size_t nseries, skipped;
	int64_t interval;
	struct ring fine, coarse;
	uint64_t acc[HISTORY_SERIES]; /* largest since the last coarse sample */
	unsigned acc_n;
} H;

static int ring_init(struct ring *r, size_t n)
{
	r->n = n;
	r->t = calloc(n, sizeof(*r->t));
	r->v = calloc(n * HISTORY_SERIES, sizeof(*r->v));
	return r->t && r->v ? 0 : -1;
}

static void ring_push(struct ring *r, int64_t t, const uint64_t *v)
{
	r->t[r->head] = t;
	memcpy(&r->v[r->head * HISTORY_SERIES], v, sizeof(uint64_t) * HISTORY_SERIES);
	r->head = (r->head + 1) % r->n;
	if (r->count < r->n)
		r->count++;
}

/* The i-th oldest slot. */
static size_t ring_at(const struct ring *r, size_t i)
{
	return (r->head + r->n - r->count + i) % r->n;
}

static void sample(void)
{
	uint64_t v[HISTORY_SERIES] = { 0 };
	for (size_t s = 0; s < H.nseries; s++) {
		v[s] = metrics_value(H.series[s]);
		if (H.acc_n == 0 || v[s] > H.acc[s])
			H.acc[s] = v[s];
	}
	int64_t now = riad_time_ns();
	ring_push(&H.fine, now, v);
	if (++H.acc_n == COARSE_EVERY) {
		ring_push(&H.coarse, now, H.acc);
		H.acc_n = 0;
	}
}

static int sampler_fiber(void *arg)
{
	(void)arg;
	int64_t next = riad_time_ns();
	for (;;) {
		sample();
		next += H.interval;
		int64_t now = riad_time_ns();
		if (next < now)
			next = now; /* do not catch up on missed samples in a burst */
		riad_sleep_ns(next - now);
	}
	return 0;
}

int metrics_history_start(int64_t interval_ns)
{
	if (H.interval)
		return 0;
	for (size_t i = 0; i < riad_metrics_count(); i++) {
		const struct riad_metric *m = riad_metrics_at(i);
		if (!(m->flags & RIAD_METRIC_HISTORY) || m->collect)
			continue;
		if (H.nseries < HISTORY_SERIES)
			H.series[H.nseries++] = m;
		else
			H.skipped++;
	}
	if (ring_init(&H.fine, FINE_N) < 0 || ring_init(&H.coarse, COARSE_N) < 0)
		return -1;
	H.interval = interval_ns;
	if (riad_fiber_spawn_detached(sampler_fiber, NULL, 0, "metrics-sampler") < 0)
		return -1;
	return 0;
}

/* ---- SVG ---- */

#define W 760      /* plot width */
#define PH 56      /* panel height */
#define LEFT 20
#define TOP 40

static const char *const colors[HISTORY_SERIES] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
};

/* A duration as a short text ("3 h", "45 min", "20 s"). */
static void span_text(char *b, size_t len, int64_t ns)
{
	int64_t s = ns / RIAD_NS_PER_S;
	if (s >= 2 * 86400)
		snprintf(b, len, "%lld d", (long long)(s / 86400));
	else if (s >= 2 * 3600)
		snprintf(b, len, "%lld h", (long long)(s / 3600));
	else if (s >= 120)
		snprintf(b, len, "%lld min", (long long)(s / 60));
	else
		snprintf(b, len, "%lld s", (long long)s);
}

/* One panel per series of ring r, starting at y; returns the y after. */
static int draw_ring(struct metrics_buf *o, const struct ring *r, const char *title, int y)
{
	char span[32] = "no samples";
	if (r->count > 1)
		span_text(span, sizeof(span), r->t[ring_at(r, r->count - 1)] - r->t[ring_at(r, 0)]);
	metrics_out_printf(o, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s: %zu samples over %s</text>\n",
	                   LEFT, y + 14, title, r->count, span);
	y += 22;
	for (size_t s = 0; s < H.nseries; s++) {
		uint64_t max = 0, last = 0;
		for (size_t i = 0; i < r->count; i++) {
			uint64_t v = r->v[ring_at(r, i) * HISTORY_SERIES + s];
			if (v > max)
				max = v;
			last = v;
		}
		metrics_out_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>\n",
		                   LEFT, y, W, PH);
		metrics_out_printf(o, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s: last %llu, max %llu</text>\n",
		                   LEFT + 4, y + 12, colors[s], H.series[s]->name,
		                   (unsigned long long)last, (unsigned long long)max);
		if (r->count > 0) {
			metrics_out_printf(o, "<polyline class=\"series\" data-name=\"%s\" fill=\"none\" stroke=\"%s\" points=\"",
			                   H.series[s]->name, colors[s]);
			for (size_t i = 0; i < r->count; i++) {
				uint64_t v = r->v[ring_at(r, i) * HISTORY_SERIES + s];
				/* Oldest at the left; one sample spreads over the width. */
				int x = LEFT + (r->count > 1 ? (int)((uint64_t)i * W / (r->count - 1)) : W);
				int yy = y + PH - 2 - (max ? (int)((double)v * (PH - 18) / (double)max) : 0);
				metrics_out_printf(o, "%s%d,%d", i ? " " : "", x, yy);
			}
			metrics_out_printf(o, "\"/>\n");
		}
		y += PH + 6;
	}
	return y;
}

void metrics_history_svg(struct metrics_buf *o)
{
	int height = TOP + 2 * (22 + (int)H.nseries * (PH + 6)) + 40;
	metrics_out_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	                      "font-family=\"sans-serif\" font-size=\"11\">\n",
	                   W + 2 * LEFT, height);
	metrics_out_printf(o, "<title>riad memory history</title>\n");
	if (!H.interval) {
		metrics_out_printf(o, "<text x=\"%d\" y=\"20\">sampling is off</text>\n", LEFT);
	} else {
		metrics_out_printf(o, "<text x=\"%d\" y=\"20\">riad memory history: a sample every %lld ms; "
		                      "the coarse ring keeps the largest of every %d%s</text>\n",
		                   LEFT, (long long)(H.interval / RIAD_NS_PER_MS), COARSE_EVERY,
		                   H.skipped ? " (some series left out: too many)" : "");
	}
	int y = draw_ring(o, &H.fine, "fine", TOP);
	draw_ring(o, &H.coarse, "coarse", y + 10);
	metrics_out_printf(o, "</svg>\n");
}
