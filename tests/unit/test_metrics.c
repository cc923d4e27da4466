/* tests/unit/test_metrics.c: the metrics writer (ops/metrics.c) in both formats, with escaping and its size bound; PUT /log-levels' parser (ops/mgmt.c); the management request parser's answers (ops/mgmt_http.c). */
#include <stdio.h>
#include <string.h>

#include <riad/block.h>
#include <riad/fiber.h>
#include <riad/kv.h>
#include <riad/log.h>
#include <riad/metrics.h>

#include "check.h"
#include "metrics_out.h"
#include "mgmt.h"
#include "mgmt_http.h"

RIAD_LOG_SRC(test_src, "testmet", "A source declared by the test.");

static uint64_t test_hits = 7;
RIAD_METRIC_COUNTER(test_hits, "test_hits_total", "Hits\nwith a newline and a \\ backslash.");

static uint64_t test_depth(void)
{
	return 42;
}
RIAD_METRIC_GAUGE_FN(test_depth, "test_depth", "Depth.");

static void test_coll(struct riad_metrics_out *o)
{
	struct riad_metric_label lb[2] = { { "k", "a\"b\\c" }, { "t", "x y,z=w" } };
	riad_metrics_family(o, "test_labelled", "Labelled.", RIAD_METRIC_TYPE_GAUGE);
	riad_metrics_sample(o, lb, 2, 5);
	riad_metrics_sample(o, lb, 0, 6);
}
RIAD_METRICS_COLLECTOR(test_coll);

static char *render(enum metrics_format f, size_t max, bool *truncated)
{
	static char text[65536];
	struct metrics_buf o;
	metrics_out_init(&o, f, max);
	metrics_render(&o);
	size_t n = o.len < sizeof(text) - 1 ? o.len : sizeof(text) - 1;
	memcpy(text, o.buf ? o.buf : "", n);
	text[n] = 0;
	if (truncated)
		*truncated = o.truncated;
	metrics_out_free(&o);
	return text;
}

static void test_prometheus(void)
{
	bool tr;
	const char *t = render(METRICS_PROMETHEUS, 1 << 20, &tr);
	CHECK(!tr);
	CHECK(strstr(t, "# HELP test_hits_total Hits with a newline and a   backslash.\n"
	                "# TYPE test_hits_total counter\ntest_hits_total 7\n"));
	CHECK(strstr(t, "# TYPE test_depth gauge\ntest_depth 42\n"));
	CHECK(strstr(t, "# TYPE test_labelled gauge\n"
	                "test_labelled{k=\"a\\\"b\\\\c\",t=\"x y,z=w\"} 5\ntest_labelled 6\n"));
	/* The runtime's own registrations are there too (the scheduler's
	 * file is linked: this test calls riad_sched_stats). */
	struct riad_sched_stats ss;
	riad_sched_stats(&ss);
	CHECK(strstr(t, "\nriad_fibers "));
	CHECK(strstr(t, "# TYPE riad_sched_switches_total counter\n"));
}

static void test_influx(void)
{
	const char *t = render(METRICS_INFLUX, 1 << 20, NULL);
	CHECK(strstr(t, "test_hits_total value=7i\n"));
	CHECK(strstr(t, "test_depth value=42i\n"));
	CHECK(strstr(t, "test_labelled,k=a\"b\\c,t=x\\ y\\,z\\=w value=5i\n"));
	CHECK(!strstr(t, "# "));
}

static void test_bounded(void)
{
	bool tr;
	render(METRICS_PROMETHEUS, 100, &tr);
	CHECK(tr);
}

/* The storage counters: a block device's, the store's, the partition
 * reader's, from the files that own them. */
static void test_storage(void)
{
	int err;
	struct riad_block *b = riad_block_mem_open(64, 512, &err);
	REQUIRE(b != NULL);
	struct riad_kv *kv = riad_kv_store_open(b, true, &err);
	REQUIRE(kv != NULL);
	CHECK_INT(riad_kv_set(kv, "k", "v", 1), 0);
	CHECK_INT(riad_kv_flush(kv), 0);
	struct riad_block *p = riad_block_part_open(b, "1", &err);
	CHECK(p == NULL);
	const char *t = render(METRICS_PROMETHEUS, 1 << 20, NULL);
	char want[128];
	snprintf(want, sizeof(want), "riad_block_write_reqs_total{device=\"%s\"} %llu\n",
	         riad_block_name(b), (unsigned long long)riad_block_stats(b)->write_reqs);
	CHECK(strstr(t, want));
	CHECK(riad_block_stats(b)->write_reqs > 0);
	CHECK(strstr(t, "\nriad_kv_store_sets_total 1\n"));
	CHECK(strstr(t, "\nriad_kv_store_commits_total 1\n") || strstr(t, "\nriad_kv_store_commits_total 2\n"));
	CHECK(strstr(t, "riad_part_rejected_total{reason=\"no_table\"} 1\n"));
	riad_kv_close(kv);
	riad_block_close(b);
	t = render(METRICS_PROMETHEUS, 1 << 20, NULL);
	CHECK(!strstr(t, "riad_block_write_reqs_total{"));
}

static const char *level_of(const char *name)
{
	static char line[64];
	for (size_t i = 0; i < riad_log_src_count(); i++) {
		const struct riad_log_src *s = riad_log_src_at(i);
		if (strcmp(s->name, name) != 0)
			continue;
		int l = RIAD_LOG_QUIET;
		for (int k = RIAD_LOG_ERROR; k <= RIAD_LOG_DEBUG; k++)
			if (riad_log_enabled(s, (enum riad_log_level)k))
				l = k;
		snprintf(line, sizeof(line), "%s", riad_log_level_name((enum riad_log_level)l));
		return line;
	}
	return "?";
}

static void test_levels(void)
{
	char why[160];
	riad_log_set_level(NULL, RIAD_LOG_INFO);
	CHECK_INT(mgmt_levels_apply("testmet:debug\n", 14, why, sizeof(why)), 0);
	CHECK_STR(level_of("testmet"), "debug");
	/* Checked whole before applying: nothing changes. */
	CHECK_INT(mgmt_levels_apply("testmet:error,nosuch:debug", 26, why, sizeof(why)), -1);
	CHECK_STR(why, "unknown log source 'nosuch'");
	CHECK_STR(level_of("testmet"), "debug");
	CHECK_INT(mgmt_levels_apply("testmet:loud", 12, why, sizeof(why)), -1);
	CHECK_STR(why, "'loud' is not a log level (quiet, error, warning, info, debug)");
	CHECK_INT(mgmt_levels_apply("", 0, why, sizeof(why)), -1);
	CHECK_INT(mgmt_levels_apply("testmet:info,,", 14, why, sizeof(why)), -1);
	CHECK_STR(level_of("testmet"), "debug");
	CHECK_INT(mgmt_levels_apply(" warning , testmet:quiet", 24, why, sizeof(why)), 0);
	CHECK_STR(level_of("testmet"), "quiet");
	CHECK_STR(level_of("application"), "warning");
	riad_log_set_level(NULL, RIAD_LOG_INFO);
	riad_log_set_level("application", RIAD_LOG_INFO);
	riad_log_set_level("testmet", RIAD_LOG_INFO);
}

static int parse(const char *s, struct mgmt_req *r)
{
	return mgmt_http_parse(s, strlen(s), r);
}

static void test_http(void)
{
	struct mgmt_req r;
	CHECK_INT(parse("GET /metrics?x HTTP/1.1\r\nHost: a\r\n\r\n", &r), 1);
	CHECK_STR(r.path, "/metrics");
	CHECK_INT(r.method, MGMT_GET);
	CHECK_INT(r.head_len, 36);
	CHECK_INT(parse("PUT /log-levels HTTP/1.1\r\nHost: a\r\nContent-length:  3 \r\n\r\nabc", &r), 1);
	CHECK_INT(r.body_len, 3);
	CHECK_INT(parse("GET /metrics HTTP/1.1\r\nHost: a\r\n", &r), 0);
	CHECK_INT(parse("GET /metrics HTTP/1.0\r\n\r\n", &r), 1);
	CHECK_INT(parse("GET /metrics HTTP/1.1\r\n\r\n", &r), -400);       /* no Host */
	CHECK_INT(parse("GET /metrics HTTP/1.1\nHost: a\n\n", &r), -400);  /* bare LF */
	CHECK_INT(parse("GET /metrics HTTP/1.1\r\nHost : a\r\n\r\n", &r), -400);
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &r), -400);
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n", &r), -413);
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", &r), -501);
	CHECK_INT(parse("GET / HTTP/2.0\r\n", &r), -505);
	CHECK_INT(parse("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", &r), -405);
	char big[5000];
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	CHECK_INT(mgmt_http_parse(big, sizeof(big), &r), -431);
	snprintf(big, sizeof(big), "GET /%0100d HTTP/1.1\r\n", 0);
	CHECK_INT(parse(big, &r), -414);
}

int main(void)
{
	RUN(test_prometheus);
	RUN(test_influx);
	RUN(test_bounded);
	RUN(test_storage);
	RUN(test_levels);
	RUN(test_http);
	return check_done();
}
