/* tests/unit/test_http.c: riad/http.h without a network: the request parser on crafted heads (every refusal and its status), the chunked decoder, Range and HTTP-date readers, media types, and the server and static-file handler over an in-memory stream and a memory KV store (pipelining, HEAD, 304, 206, 416, gzip, 404, 405, body errors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/http.h>
#include <riad/kv.h>

#include "../../http/http_parse.h"
#include "check.h"

static struct riad_http_config cfg;
static struct riad_http_field fields[64];
static struct riad_http_request req;
static char buf[70000];

/* Parse text (len bytes) with cfg; the parser's return. */
static int parse_n(const char *text, size_t len)
{
	memcpy(buf, text, len);
	size_t used = 0;
	return http_parse_head(buf, len, &cfg, &req, fields, &used);
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text));
}

static void test_good(void)
{
	riad_http_config_default(&cfg);
	CHECK_INT(parse("GET /a/b%20c?x=1&y=%2e HTTP/1.1\r\nHost: example\r\nX-A:  v  \r\n\r\n"), 1);
	CHECK_STR(req.method, "GET");
	CHECK_STR(req.path, "/a/b c");
	CHECK_STR(req.query, "x=1&y=%2e");
	CHECK_STR(req.host, "example");
	CHECK_INT(req.version, 11);
	CHECK(req.keep_alive);
	CHECK_INT(req.content_length, -1);
	CHECK_STR(riad_http_field(&req, "x-a"), "v");
	CHECK_INT(parse("GET / HTTP/1.0\r\n\r\n"), 1);
	CHECK(!req.keep_alive);
	CHECK_INT(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), 1);
	CHECK(req.keep_alive);
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n"), 1);
	CHECK(!req.keep_alive);
	/* Empty lines before the request line are skipped (RFC 9112 2.2). */
	CHECK_INT(parse("\r\nHEAD / HTTP/1.1\r\nHost: h\r\n\r\n"), 1);
	CHECK(req.head);
	CHECK_INT(parse("POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n"), 1);
	CHECK_INT(req.content_length, 5);
	CHECK_INT(parse("POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"), 1);
	CHECK(req.chunked);
	CHECK_INT(parse("GET http://site:8080/p/q?z HTTP/1.1\r\nHost: other\r\n\r\n"), 1);
	CHECK_STR(req.host, "site:8080");
	CHECK_STR(req.path, "/p/q");
	CHECK_STR(req.query, "z");
	CHECK_INT(parse("GET http://site HTTP/1.1\r\nHost: site\r\n\r\n"), 1);
	CHECK_STR(req.path, "/");
	CHECK_STR(req.host, "site");
	CHECK_INT(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"), 1);
	CHECK_STR(req.path, "*");
	/* Incomplete: more is needed, nothing written. */
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: h\r\n"), 0);
	CHECK_INT(parse("GET / HTT"), 0);
	CHECK_INT(parse(""), 0);
}

static void test_refused(void)
{
	riad_http_config_default(&cfg);
	static const struct {
		const char *text;
		int status;
	} cases[] = {
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501 },
		{ "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\nHost: h\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nX : a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\n: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nX\x01: a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
		{ "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400 },
		{ "GET /\x80 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a\\b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 501 },
		{ "GET h:80 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET http://u@h/x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /../x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a/.. HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /./a HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /%2e%2e/x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /%2E./x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a%2f%2e%2e%2fb HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a%2 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET /a%g0 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET http://h/../x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
		{ "GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505 },
		{ "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400 },
		{ "GET / HTTP/11\r\nHost: h\r\n\r\n", 400 },
		{ "GET / http/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "get / HTTP/1.1\r\nHost: h\r\n\r\n", 501 },
		{ "BREW / HTTP/1.1\r\nHost: h\r\n\r\n", 501 },
		{ "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse(cases[i].text);
		if (r != -cases[i].status) {
			printf("  case %zu: %s\n", i, cases[i].text);
			CHECK_INT(r, -cases[i].status);
		}
	}
	/* A NUL anywhere in the head. */
	static const char nul[] = "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n";
	CHECK_INT(parse_n(nul, sizeof(nul) - 1), -400);
	static const char nul2[] = "GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n";
	CHECK_INT(parse_n(nul2, sizeof(nul2) - 1), -400);
}

static void test_limits(void)
{
	riad_http_config_default(&cfg);
	cfg.line_max = 32;
	cfg.field_max = 24;
	cfg.head_max = 200;
	cfg.fields_max = 3;
	/* Request line: 414 as soon as it is longer, complete or not. */
	CHECK_INT(parse("GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), -414);
	CHECK_INT(parse("GET /aaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n"), -414);
	CHECK_INT(parse("GET /aaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\n\r\n"), 1);
	/* A field line over field_max, even unfinished: 431. */
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"), -431);
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaa"), -431);
	/* Too many fields. */
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"), 1);
	CHECK_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), -431);
	/* The whole head over head_max. */
	cfg.fields_max = 64;
	char big[400];
	strcpy(big, "GET / HTTP/1.1\r\nHost: h\r\n");
	while (strlen(big) < 300)
		strcat(big, "X-Field: value\r\n");
	CHECK_INT(parse(big), -431);
	strcat(big, "\r\n");
	CHECK_INT(parse(big), -431);
}

/* Decode text in pieces of step bytes; the verdict, data in out. */
static int chunked(const char *text, size_t step, char *out, size_t *olen)
{
	struct http_chunked c;
	http_chunked_init(&c);
	size_t len = strlen(text), off = 0, o = 0;
	int r = 0;
	while (off < len && r == 0) {
		size_t n = len - off < step ? len - off : step, used, got;
		r = http_chunked_decode(&c, &cfg, text + off, n, &used, out + o, 1000 - o, &got);
		off += used;
		o += got;
	}
	out[o] = 0;
	*olen = o;
	return r;
}

static void test_chunked(void)
{
	riad_http_config_default(&cfg);
	cfg.body_max = 100;
	char out[1001];
	size_t n;
	for (size_t step = 1; step < 8; step++) {
		CHECK_INT(chunked("5\r\nhello\r\n6;a=b;c=\"d\"\r\n world\r\n0\r\nX-T: 1\r\n\r\n", step,
		                  out, &n),
		          1);
		CHECK_STR(out, "hello world");
	}
	CHECK_INT(chunked("A \t;x\r\n0123456789\r\n0\r\n\r\n", 3, out, &n), 1);
	CHECK_INT(n, 10);
	CHECK_INT(chunked("5\r\nhello\r\n", 4, out, &n), 0); /* more to come */
	CHECK_INT(chunked("zz\r\nhello\r\n0\r\n\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("\r\n0\r\n\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("-1\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("0x5\r\nhello\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("5\nhello\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("5\r\nhelloX\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("5\r\nhello\r\n0\r\n bad\r\n\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n", 1, out, &n), -400);
	/* Sizes that would overflow 64 bits, and sizes past body_max. */
	CHECK_INT(chunked("10000000000000000\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("ffffffffffffffffff\r\n", 1, out, &n), -400);
	CHECK_INT(chunked("65\r\n", 1, out, &n), -413);
	CHECK_INT(chunked("32\r\n", 1, out, &n), 0);
	CHECK_INT(chunked("0000000000000000000000000005\r\nhello\r\n0\r\n\r\n", 1, out, &n), 1);
}

static void test_range_date_mime(void)
{
	uint64_t a, b;
	CHECK_INT(riad_http_range_parse("bytes=0-99", 1000, &a, &b), 1);
	CHECK_INT(a, 0);
	CHECK_INT(b, 99);
	CHECK_INT(riad_http_range_parse("bytes=990-2000", 1000, &a, &b), 1);
	CHECK_INT(b, 999);
	CHECK_INT(riad_http_range_parse("bytes=-10", 1000, &a, &b), 1);
	CHECK_INT(a, 990);
	CHECK_INT(riad_http_range_parse("bytes=-5000", 1000, &a, &b), 1);
	CHECK_INT(a, 0);
	CHECK_INT(riad_http_range_parse("bytes=500-", 1000, &a, &b), 1);
	CHECK_INT(b, 999);
	CHECK_INT(riad_http_range_parse("bytes=1000-", 1000, &a, &b), -1);
	CHECK_INT(riad_http_range_parse("bytes=-0", 1000, &a, &b), -1);
	CHECK_INT(riad_http_range_parse("bytes=0-1,5-6", 1000, &a, &b), 0);
	CHECK_INT(riad_http_range_parse("bytes=9-1", 1000, &a, &b), 0);
	CHECK_INT(riad_http_range_parse("items=0-1", 1000, &a, &b), 0);
	CHECK_INT(riad_http_range_parse("bytes=99999999999999999999-", 1000, &a, &b), 0);

	char d[RIAD_HTTP_DATE_LEN];
	CHECK_INT(riad_http_date_format(784111777LL * 1000000000, d), 29);
	CHECK_STR(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	riad_http_date_format(0, d);
	CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 GMT");
	int64_t s;
	CHECK_INT(riad_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &s), 0);
	CHECK_INT(s, 784111777);
	CHECK_INT(riad_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &s), 0);
	CHECK_INT(s, 784111777);
	CHECK_INT(riad_http_date_parse("Sun Nov  6 08:49:37 1994", &s), 0);
	CHECK_INT(s, 784111777);
	CHECK_INT(riad_http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", &s), -RIAD_EINVAL);
	CHECK_INT(riad_http_date_parse("yesterday", &s), -RIAD_EINVAL);
	CHECK_INT(riad_http_date_parse("Su", &s), -RIAD_EINVAL);

	CHECK_STR(riad_http_mime_type("a/b/index.HTML"), "text/html; charset=utf-8");
	CHECK_STR(riad_http_mime_type("x.png"), "image/png");
	CHECK_STR(riad_http_mime_type("dir.d/file"), "application/octet-stream");
	CHECK_STR(riad_http_mime_type("x."), "application/octet-stream");
}

/* ---- the server over a memory stream ---- */

struct mem_stream {
	const char *in;
	size_t len, off, step; /* read gives at most step bytes at a time */
	char out[200000];
	size_t olen;
	bool closed, shut;
	bool stall; /* at the end of the input: -RIAD_ETIMEDOUT, not 0 */
};

static long ms_read(void *s, void *b, size_t len, int64_t deadline)
{
	(void)deadline;
	struct mem_stream *m = s;
	size_t n = m->len - m->off;
	if (n == 0 && m->stall) {
		m->stall = false; /* once: the linger read then sees the end */
		return -RIAD_ETIMEDOUT;
	}
	if (n > len)
		n = len;
	if (n > m->step)
		n = m->step;
	memcpy(b, m->in + m->off, n);
	m->off += n;
	return (long)n;
}

static long ms_write(void *s, const void *b, size_t len, int64_t deadline)
{
	(void)deadline;
	struct mem_stream *m = s;
	if (m->olen + len > sizeof(m->out))
		return -RIAD_EPIPE;
	memcpy(m->out + m->olen, b, len);
	m->olen += len;
	return (long)len;
}

static int ms_shutdown(void *s)
{
	((struct mem_stream *)s)->shut = true;
	return 0;
}

static void ms_close(void *s)
{
	((struct mem_stream *)s)->closed = true;
}

static const struct riad_http_stream_ops ms_ops = { ms_read, ms_write, ms_shutdown, ms_close, NULL };
static struct mem_stream ms;

static long serve_stall(struct riad_http_server *srv, const char *in, size_t step, bool stall)
{
	memset(&ms, 0, sizeof(ms));
	ms.stall = stall;
	ms.in = in;
	ms.len = strlen(in);
	ms.step = step;
	long n = riad_http_serve_conn(srv, &ms_ops, &ms);
	ms.out[ms.olen] = 0;
	return n;
}

static long serve(struct riad_http_server *srv, const char *in, size_t step)
{
	return serve_stall(srv, in, step, false);
}

/* How many times s occurs in the output. */
static int count(const char *s)
{
	int n = 0;
	for (const char *p = ms.out; (p = strstr(p, s)); p++)
		n++;
	return n;
}

static int echo(void *arg, struct riad_http_request *r, struct riad_http_response *res)
{
	(void)arg;
	char body[256];
	size_t n = 0;
	long k;
	while ((k = riad_http_body_read(r, body + n, sizeof(body) - 1 - n)) > 0)
		n += (size_t)k;
	if (k < 0)
		return (int)k;
	body[n] = 0;
	char text[400];
	int t = snprintf(text, sizeof(text), "%s %s [%s]", r->method, r->path, body);
	return riad_http_reply(res, 200, "text/plain", text, (size_t)t);
}

static int silent(void *arg, struct riad_http_request *r, struct riad_http_response *res)
{
	(void)arg, (void)r, (void)res;
	return 0;
}

static void test_server(void)
{
	int err;
	struct riad_http_server *srv = riad_http_server_new(NULL, &err);
	REQUIRE(srv);
	CHECK_INT(riad_http_route(srv, "GET", "/e", echo, NULL), 0);
	CHECK_INT(riad_http_route(srv, "POST", "/e", echo, NULL), 0);
	CHECK_INT(riad_http_route(srv, NULL, "/s", silent, NULL), 0);
	CHECK_INT(riad_http_route(srv, "GET", "nope", echo, NULL), -RIAD_EINVAL);

	/* Pipelined, fed a byte at a time and whole: answered in order. */
	static const char pipe[] = "GET /e/1 HTTP/1.1\r\nHost: h\r\n\r\n"
	                           "POST /e/2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
	                           "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
	                           "2\r\nxy\r\n1;e\r\nz\r\n0\r\n\r\n"
	                           "HEAD /e/4 HTTP/1.1\r\nHost: h\r\n\r\n"
	                           "GET /ex HTTP/1.1\r\nHost: h\r\n\r\n"
	                           "DELETE /e/5 HTTP/1.1\r\nHost: h\r\n\r\n"
	                           "GET /s HTTP/1.1\r\nHost: h\r\n\r\n"
	                           "GET /e/6 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
	                           "GET /e/never HTTP/1.1\r\nHost: h\r\n\r\n";
	for (size_t step = 1; step <= 4096; step *= 64) {
		CHECK_INT(serve(srv, pipe, step), 8);
		const char *p = ms.out;
		static const char *const want[] = { "GET /e/1 []", "POST /e/2 [abc]", "POST /e [xyz]",
			                            "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found",
			                            "HTTP/1.1 405 Method Not Allowed\r\n",
			                            "Allow: GET, HEAD, POST",
			                            "HTTP/1.1 500", "Connection: close",
			                            "GET /e/6 []" };
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			const char *q = strstr(p, want[i]);
			if (!q)
				printf("  step %zu: no '%s' after %zu\n", step, want[i], (size_t)(p - ms.out));
			CHECK(q);
			if (q)
				p = q + strlen(want[i]);
		}
		CHECK_INT(count("HEAD /e/4"), 0); /* HEAD: no body */
		CHECK_INT(count("never"), 0);
		CHECK_INT(count("Date: "), 8);
		CHECK(ms.closed);
	}

	/* Refusals close the connection after one answer. */
	CHECK_INT(serve(srv, "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\nGET /e HTTP/1.1\r\n\r\n", 7), 0);
	CHECK(strncmp(ms.out, "HTTP/1.1 400 Bad Request\r\n", 26) == 0);
	CHECK_INT(count("HTTP/1.1"), 1);
	CHECK_INT(count("Connection: close"), 1);
	CHECK(ms.shut && ms.closed);
	/* A bad chunk size in a body a handler reads: the handler gets
	 * -RIAD_EBADMSG, the server answers 400 and closes. */
	serve(srv, "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100);
	CHECK(strncmp(ms.out, "HTTP/1.1 400", 12) == 0);
	/* A body nobody reads (404) is still checked: 413 past body_max. */
	serve(srv, "POST /nothing HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999\r\n\r\n", 100);
	CHECK(strncmp(ms.out, "HTTP/1.1 413", 12) == 0);
	/* A stream that ends inside a head: closed silently? No: the
	 * request had begun, but the peer is gone: nothing to answer. */
	CHECK_INT(serve(srv, "GET /e HTTP/1.1\r\nHo", 100), 0);
	CHECK_INT(ms.olen, 0);
	/* HTTP/1.0 with keep-alive gets it said back. */
	serve(srv, "GET /e HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /e HTTP/1.0\r\n\r\n", 100);
	CHECK_INT(count("Connection: keep-alive"), 1);
	CHECK_INT(count("Connection: close"), 1);
	/* Expect: 100-continue gets its interim response first. */
	serve(srv, "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n"
	           "Connection: close\r\n\r\nok", 100);
	CHECK(strncmp(ms.out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200", 37) == 0);
	CHECK_INT(count("POST /e [ok]"), 1);
	/* Deadlines: a head begun and not finished is 408, then closed; an
	 * idle connection closes silently; so does one whose body stalls
	 * (408, the handler's read failed). */
	serve_stall(srv, "GET /e HTTP/1.1\r\nHost:", 5, true);
	CHECK(strncmp(ms.out, "HTTP/1.1 408 Request Timeout", 28) == 0);
	CHECK_INT(count("Connection: close"), 1);
	CHECK(ms.closed);
	serve_stall(srv, "GET /e HTTP/1.1\r\nHost: h\r\n\r\n", 100, true);
	CHECK(strncmp(ms.out, "HTTP/1.1 200", 12) == 0);
	CHECK_INT(count("HTTP/1.1"), 1);
	serve_stall(srv, "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", 100, true);
	CHECK(strncmp(ms.out, "HTTP/1.1 408", 12) == 0);
	struct riad_http_stats st;
	riad_http_stats(srv, &st);
	CHECK(st.timeouts >= 3);
	CHECK(st.bad_requests >= 3);
	CHECK(st.requests >= 8 * 3);
}

/* ---- the static handler over a memory store ---- */

static void put(struct riad_kv *kv, const char *key, const char *value)
{
	CHECK_INT(riad_kv_set(kv, key, value, strlen(value)), 0);
}

static void test_static(void)
{
	int err;
	struct riad_kv *kv = riad_kv_mem_open(&err);
	REQUIRE(kv);
	put(kv, "site/index.html", "<h1>home</h1>");
	put(kv, "site/404.html", "gone");
	put(kv, "site/a/b.txt", "0123456789");
	put(kv, "site/a/b.txt.gz", "GZ");
	put(kv, "site/d/index.html", "dir page");
	put(kv, "secret", "do not serve");
	static char big[40000];
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	put(kv, "site/big.txt", big);
	struct riad_http_static_config sc = { .kv = kv, .root = "/site/", .not_found = "404.html",
		                              .gzip = true, .cache_control = "no-cache" };
	struct riad_http_static *st = riad_http_static_new(&sc, &err);
	REQUIRE(st);
	struct riad_http_server *srv = riad_http_server_new(NULL, &err);
	REQUIRE(srv);
	riad_http_route(srv, "GET", "/", riad_http_static, st);

	serve(srv, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 4096);
	CHECK(strncmp(ms.out, "HTTP/1.1 200 OK", 15) == 0);
	CHECK_INT(count("Content-Type: text/html; charset=utf-8"), 1);
	CHECK_INT(count("Cache-Control: no-cache"), 1);
	CHECK_INT(count("<h1>home</h1>"), 1);
	const char *e = strstr(ms.out, "ETag: ");
	REQUIRE(e);
	char etag[40] = "";
	memcpy(etag, e + 6, 34);

	char req2[1000];
	snprintf(req2, sizeof(req2),
	         "GET /index.html HTTP/1.1\r\nHost: h\r\nIf-None-Match: %s\r\n\r\n"
	         "GET /a/b.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=2-4\r\n\r\n"
	         "GET /a/b.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=20-\r\n\r\n"
	         "GET /a/b.txt HTTP/1.1\r\nHost: h\r\nAccept-Encoding: br, gzip\r\n\r\n"
	         "GET /d HTTP/1.1\r\nHost: h\r\n\r\n"
	         "GET /d/ HTTP/1.1\r\nHost: h\r\n\r\n"
	         "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n"
	         "HEAD /big.txt HTTP/1.1\r\nHost: h\r\n\r\n"
	         "GET /big.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
	         etag);
	CHECK_INT(serve(srv, req2, 4096), 9);
	static const char *const want[] = { "HTTP/1.1 304", "HTTP/1.1 206", "Content-Range: bytes 2-4/10",
		                            "\r\n\r\n234", "HTTP/1.1 416", "Content-Range: bytes */10",
		                            "HTTP/1.1 200", "Content-Encoding: gzip", "\r\n\r\nGZ",
		                            "HTTP/1.1 301", "Location: /d/", "dir page",
		                            "HTTP/1.1 404", "gone", "HTTP/1.1 200",
		                            "Content-Length: 39999", "HTTP/1.1 200",
		                            "Content-Length: 39999" };
	const char *p = ms.out;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *q = strstr(p, want[i]);
		if (!q)
			printf("  no '%s' after %zu\n", want[i], (size_t)(p - ms.out));
		CHECK(q);
		if (q)
			p = q + strlen(want[i]);
	}
	CHECK(strstr(ms.out, big) != NULL);
	CHECK_INT(count(big), 1); /* HEAD sent none of it */
	CHECK_INT(count("Vary: Accept-Encoding"), 7); /* all but the 301 and 404 */
	CHECK_INT(count("do not serve"), 0);

	/* Mounted below a prefix: strip takes it off the path. */
	sc.strip = strlen("/files");
	struct riad_http_static *st2 = riad_http_static_new(&sc, &err);
	REQUIRE(st2);
	struct riad_http_server *srv2 = riad_http_server_new(NULL, &err);
	REQUIRE(srv2);
	riad_http_route(srv2, "GET", "/files", riad_http_static, st2);
	serve(srv2, "GET /files/a/b.txt HTTP/1.1\r\nHost: h\r\n\r\n"
	            "GET /a/b.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 4096);
	p = strstr(ms.out, "HTTP/1.1 200");
	CHECK(p && strstr(p, "\r\n\r\n0123456789"));
	CHECK(p && strstr(p, "HTTP/1.1 404"));
	riad_http_static_free(st);
	riad_http_static_free(st2);
	riad_kv_close(kv);
}

int main(void)
{
	RUN(test_good);
	RUN(test_refused);
	RUN(test_limits);
	RUN(test_chunked);
	RUN(test_range_date_mime);
	RUN(test_server);
	RUN(test_static);
	return check_done();
}
