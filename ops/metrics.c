/* ops/metrics.c: the registry of riad/metrics.h (the section riad_metrics) and its writer, which renders every registered metric as Prometheus' text exposition format 0.0.4 or Influx's line protocol into a bounded buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/metrics.h>

#include "metrics_out.h"

extern const struct riad_metric *const __start_riad_metrics[] __attribute__((weak, visibility("hidden")));
extern const struct riad_metric *const __stop_riad_metrics[] __attribute__((weak, visibility("hidden")));

size_t riad_metrics_count(void)
{
	if (!__start_riad_metrics)
		return 0;
	return (size_t)(__stop_riad_metrics - __start_riad_metrics);
}

const struct riad_metric *riad_metrics_at(size_t i)
{
	return i < riad_metrics_count() ? __start_riad_metrics[i] : NULL;
}

uint64_t metrics_value(const struct riad_metric *m)
{
	if (m->var)
		return *m->var;
	return m->read ? m->read() : 0;
}

static void buf_family(struct riad_metrics_out *out, const char *name, const char *help,
                       enum riad_metric_type type);
static void buf_sample(struct riad_metrics_out *out, const struct riad_metric_label *labels,
                       size_t n, uint64_t value);

void metrics_out_init(struct metrics_buf *o, enum metrics_format f, size_t max)
{
	memset(o, 0, sizeof(*o));
	o->out.family = buf_family;
	o->out.sample = buf_sample;
	o->format = f;
	o->max = max;
}

void metrics_out_free(struct metrics_buf *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

/* Append n bytes, growing the buffer by doubling up to o->max; past it the
 * output is marked truncated and nothing more is written. */
void metrics_out_put(struct metrics_buf *o, const char *s, size_t n)
{
	if (o->truncated)
		return;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n)
			cap *= 2;
		if (cap > o->max)
			cap = o->max;
		char *b = cap >= o->len + n ? realloc(o->buf, cap) : NULL;
		if (!b) {
			o->truncated = true;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void metrics_out_printf(struct metrics_buf *o, const char *fmt, ...)
{
	char b[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(b)) {
		o->truncated = true; /* callers keep pieces short */
		return;
	}
	metrics_out_put(o, b, (size_t)n);
}

static void puts_(struct metrics_buf *o, const char *s)
{
	metrics_out_put(o, s, strlen(s));
}

static void putu(struct metrics_buf *o, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	metrics_out_put(o, b, (size_t)n);
}

static void buf_family(struct riad_metrics_out *out, const char *name, const char *help,
                       enum riad_metric_type type)
{
	struct metrics_buf *o = (struct metrics_buf *)out;
	o->family = name;
	if (o->format != METRICS_PROMETHEUS)
		return;
	puts_(o, "# HELP ");
	puts_(o, name);
	metrics_out_put(o, " ", 1);
	/* HELP text escapes only backslash and newline (0.0.4); ours hold
	 * neither, and a newline would end the line early, so both become a
	 * space. */
	for (const char *h = help ? help : ""; *h; h++)
		metrics_out_put(o, *h == '\n' || *h == '\\' ? " " : h, 1);
	puts_(o, "\n# TYPE ");
	puts_(o, name);
	puts_(o, type == RIAD_METRIC_TYPE_COUNTER ? " counter\n" : " gauge\n");
}

static void buf_sample(struct riad_metrics_out *out, const struct riad_metric_label *labels,
                       size_t n, uint64_t value)
{
	struct metrics_buf *o = (struct metrics_buf *)out;
	if (!o->family)
		return;
	if (n > 4)
		n = 4;
	puts_(o, o->family);
	if (o->format == METRICS_PROMETHEUS) {
		for (size_t i = 0; i < n; i++) {
			metrics_out_put(o, i ? "," : "{", 1);
			puts_(o, labels[i].key);
			puts_(o, "=\"");
			/* 0.0.4: backslash, double quote and newline escaped. */
			for (const char *v = labels[i].value; *v; v++) {
				if (*v == '\\' || *v == '"')
					metrics_out_put(o, "\\", 1);
				metrics_out_put(o, *v == '\n' ? "\\n" : v, *v == '\n' ? 2 : 1);
			}
			metrics_out_put(o, "\"", 1);
		}
		puts_(o, n ? "} " : " ");
		putu(o, value);
		metrics_out_put(o, "\n", 1);
		return;
	}
	/* Influx: measurement[,tag=value...] value=Ni [timestamp] */
	for (size_t i = 0; i < n; i++) {
		metrics_out_put(o, ",", 1);
		puts_(o, labels[i].key);
		metrics_out_put(o, "=", 1);
		/* Tag values escape comma, equals sign and space; a newline
		 * would end the line and is written as a space. */
		for (const char *v = labels[i].value; *v; v++) {
			if (*v == ',' || *v == '=' || *v == ' ')
				metrics_out_put(o, "\\", 1);
			metrics_out_put(o, *v == '\n' || *v == '\r' ? " " : v, 1);
		}
	}
	puts_(o, " value=");
	putu(o, value);
	metrics_out_put(o, "i", 1);
	if (o->ts_ns > 0) {
		metrics_out_put(o, " ", 1);
		putu(o, (uint64_t)o->ts_ns);
	}
	metrics_out_put(o, "\n", 1);
}

void metrics_render(struct metrics_buf *o)
{
	for (size_t i = 0; i < riad_metrics_count(); i++) {
		const struct riad_metric *m = __start_riad_metrics[i];
		if (m->collect) {
			m->collect(&o->out);
		} else {
			buf_family(&o->out, m->name, m->help, m->type);
			buf_sample(&o->out, NULL, 0, metrics_value(m));
		}
		o->family = NULL;
	}
}
