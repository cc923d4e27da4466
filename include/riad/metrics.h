/* riad/metrics.h: counters and gauges read from outside the unikernel,
 * declared where their values live.
 *
 * A metric is registered with one line in the file that owns the value,
 * in a linker section (as log sources and boot options are), so there is no
 * central list:
 *
 *	static uint64_t accepted;
 *	RIAD_METRIC_COUNTER(accepted, "riad_http_accepted_total", "Connections accepted.");
 *	RIAD_METRIC_GAUGE_FN(heap_used, "riad_heap_used_bytes", "Heap in use.");
 *
 * The first form reads a uint64_t variable; the second calls a function
 * `uint64_t heap_used(void)` each time the value is wanted. A value with
 * labels (one per interface, one per TCP state) comes from a collector,
 * registered with RIAD_METRICS_COLLECTOR(fn): fn is called with a writer
 * and emits whole families with riad_metrics_family() followed by
 * riad_metrics_sample(), every sample of a family right after its
 * riad_metrics_family() call.
 *
 * Names follow Prometheus' rules ([a-zA-Z_:][a-zA-Z0-9_:]*, counters end in
 * _total, units in the name: _bytes, _seconds), riad's begin with riad_.
 * Label values must be printable ASCII without '"', '\\', ',', '=' or
 * spaces (interface names, state names): they are written as they are into
 * both Prometheus' text format and Influx's line protocol.
 *
 * Reading: the management listener (ops/, docs/metrics.md) serves every
 * registered metric in Prometheus' text exposition format 0.0.4 on
 * --metrics=[IFACE:]PORT, pushes it in Influx's line protocol to
 * --metrics-influx, keeps a bounded history of the metrics registered with
 * RIAD_METRIC_HISTORY, and draws it as an SVG graph. A unikernel that does
 * not link the network library keeps its registrations (a few pointers)
 * and nobody reads them.
 *
 * Reading happens in a fiber, between two calls into the stack (one core,
 * no preemption): a plain uint64_t is read as it is, without locks. Value
 * functions and collectors must not block, allocate or log; they may be
 * called at any moment after start-up.
 */
#ifndef RIAD_METRICS_H
#define RIAD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <riad/section.h>

enum riad_metric_type {
	RIAD_METRIC_TYPE_COUNTER, /* only grows (until the unikernel restarts) */
	RIAD_METRIC_TYPE_GAUGE,   /* goes up and down */
};

/* Flags of a metric. */
#define RIAD_METRIC_HISTORY 1u /* sampled into the memory history (a gauge) */

/* The writer a collector emits into: the reader's (ops/metrics.c), reached
 * through these two members so that code registering metrics links
 * nothing of the reader. Call riad_metrics_family and
 * riad_metrics_sample below, not the members. */
struct riad_metric_label;
struct riad_metrics_out {
	void (*family)(struct riad_metrics_out *o, const char *name, const char *help,
	               enum riad_metric_type type);
	void (*sample)(struct riad_metrics_out *o, const struct riad_metric_label *labels,
	               size_t n, uint64_t value);
};

/* A label of a sample: key as a Prometheus label name, value as above. */
struct riad_metric_label {
	const char *key, *value;
};

/* A registered metric. Declare one with the macros below; exactly one of
 * var, read and collect is set. */
struct riad_metric {
	const char *name;
	const char *help;            /* one line */
	enum riad_metric_type type;
	unsigned flags;              /* RIAD_METRIC_* */
	const uint64_t *var;
	uint64_t (*read)(void);
	void (*collect)(struct riad_metrics_out *o);
};

#define RIAD_METRIC_REGISTER_(d)                                              \
	static const struct riad_metric *const d##_riad_metric_reg_          \
		__attribute__((__used__, RIAD_RETAIN_ __section__("riad_metrics"))) = &d

/* A uint64_t variable v as a counter or a gauge. Ends with the caller's
 * ';'. */
#define RIAD_METRIC_COUNTER(v, m_name, m_help)                                \
	static const struct riad_metric v##_riad_metric_ = {                  \
		.name = (m_name), .help = (m_help),                           \
		.type = RIAD_METRIC_TYPE_COUNTER, .var = &(v) };              \
	RIAD_METRIC_REGISTER_(v##_riad_metric_)
#define RIAD_METRIC_GAUGE(v, m_name, m_help)                                  \
	static const struct riad_metric v##_riad_metric_ = {                  \
		.name = (m_name), .help = (m_help),                           \
		.type = RIAD_METRIC_TYPE_GAUGE, .var = &(v) };                \
	RIAD_METRIC_REGISTER_(v##_riad_metric_)

/* A function uint64_t fn(void) as a counter or a gauge; the _HISTORY form
 * of a gauge is also sampled into the memory history (keep those few: the
 * history holds RIAD_METRICS_HISTORY_SERIES of them, the rest are left
 * out and say so in the graph). */
#define RIAD_METRIC_COUNTER_FN(fn, m_name, m_help)                            \
	static const struct riad_metric fn##_riad_metric_ = {                 \
		.name = (m_name), .help = (m_help),                           \
		.type = RIAD_METRIC_TYPE_COUNTER, .read = (fn) };             \
	RIAD_METRIC_REGISTER_(fn##_riad_metric_)
#define RIAD_METRIC_GAUGE_FN(fn, m_name, m_help)                              \
	static const struct riad_metric fn##_riad_metric_ = {                 \
		.name = (m_name), .help = (m_help),                           \
		.type = RIAD_METRIC_TYPE_GAUGE, .read = (fn) };               \
	RIAD_METRIC_REGISTER_(fn##_riad_metric_)
#define RIAD_METRIC_HISTORY_FN(fn, m_name, m_help)                            \
	static const struct riad_metric fn##_riad_metric_ = {                 \
		.name = (m_name), .help = (m_help),                           \
		.type = RIAD_METRIC_TYPE_GAUGE, .flags = RIAD_METRIC_HISTORY, \
		.read = (fn) };                                               \
	RIAD_METRIC_REGISTER_(fn##_riad_metric_)

/* A collector void fn(struct riad_metrics_out *). */
#define RIAD_METRICS_COLLECTOR(fn)                                            \
	static const struct riad_metric fn##_riad_metric_ = {                 \
		.name = #fn, .collect = (fn) };                               \
	RIAD_METRIC_REGISTER_(fn##_riad_metric_)

/* Start a family: its samples follow. name and help must stay valid until
 * the next riad_metrics_family call or the collector's return. */
static inline void riad_metrics_family(struct riad_metrics_out *o, const char *name,
                                       const char *help, enum riad_metric_type type)
{
	o->family(o, name, help, type);
}
/* One sample of the current family, with n labels (0 to 4; more are
 * dropped). */
static inline void riad_metrics_sample(struct riad_metrics_out *o,
                                       const struct riad_metric_label *labels, size_t n,
                                       uint64_t value)
{
	o->sample(o, labels, n, value);
}

/* The registered metrics, in link order (collectors included); defined in
 * the network library, beside the listener that reads them. */
size_t riad_metrics_count(void);
const struct riad_metric *riad_metrics_at(size_t i);

#endif
