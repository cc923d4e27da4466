/* fuzz/http_server.c: libFuzzer target for the HTTP server's connection loop (http/http_server.c) and the static-file handler (http/http_static.c) over a memory store, fed by a client's bytes through a memory stream.
 *
 * Input: one byte choosing how many bytes each read returns (1 to 64, or
 * everything), then what a client sends. Small limits (a 512-byte head,
 * 8 fields, a 256-byte body) so that every refusal is reached. Checks that
 * nothing reads or writes out of bounds or leaks (ASan, LSan), that the
 * connection ends and the stream is closed exactly once, and that what the
 * server wrote is a sequence of responses: each starts with "HTTP/1.1 "
 * and a status of three digits, and the first one that says
 * "Connection: close" or has no length is the last. */
#include <stdlib.h>
#include <string.h>

#include <riad/http.h>
#include <riad/kv.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct stream {
	const uint8_t *in;
	size_t len, off, step;
	char *out;
	size_t olen, ocap;
	int closes;
};

static long s_read(void *s, void *buf, size_t len, int64_t deadline)
{
	(void)deadline;
	struct stream *m = s;
	if (m->closes)
		abort();
	size_t n = m->len - m->off;
	if (n > len)
		n = len;
	if (n > m->step)
		n = m->step;
	memcpy(buf, m->in + m->off, n);
	m->off += n;
	return (long)n;
}

static long s_write(void *s, const void *buf, size_t len, int64_t deadline)
{
	(void)deadline;
	struct stream *m = s;
	if (m->closes)
		abort();
	if (m->olen + len > m->ocap) {
		m->ocap = (m->olen + len) * 2;
		m->out = realloc(m->out, m->ocap);
	}
	memcpy(m->out + m->olen, buf, len);
	m->olen += len;
	return (long)len;
}

static int s_shutdown(void *s)
{
	(void)s;
	return 0;
}

static void s_close(void *s)
{
	((struct stream *)s)->closes++;
}

static const struct riad_http_stream_ops ops = { s_read, s_write, s_shutdown, s_close, NULL };
static struct riad_http_server *srv;

static int echo(void *arg, struct riad_http_request *req, struct riad_http_response *res)
{
	(void)arg;
	char body[300];
	size_t n = 0;
	long k;
	while (n < sizeof(body) && (k = riad_http_body_read(req, body + n, sizeof(body) - n)) > 0)
		n += (size_t)k;
	/* No 'H' in what is echoed, so that no body can pass for the next
	 * response in the check below. */
	for (size_t i = 0; i < n; i++)
		if (body[i] == 'H')
			body[i] = 'h';
	if (req->query[0] == 'u') /* a response of unknown length */
		return riad_http_response_start(res, 200, -1) ||
		       riad_http_response_write(res, body, n) < 0;
	return riad_http_reply(res, 200, "application/octet-stream", body, n);
}

static void setup(void)
{
	int err;
	struct riad_kv *kv = riad_kv_mem_open(&err);
	static char big[40000];
	memset(big, 'b', sizeof(big));
	riad_kv_set(kv, "index.html", "<h1>home</h1>", 13);
	riad_kv_set(kv, "404.html", "gone", 4);
	riad_kv_set(kv, "a.txt", "0123456789", 10);
	riad_kv_set(kv, "a.txt.gz", "GZ", 2);
	riad_kv_set(kv, "d/index.html", "dir", 3);
	riad_kv_set(kv, "big.bin", big, sizeof(big));
	struct riad_http_static_config sc = { .kv = kv, .not_found = "404.html", .gzip = true };
	struct riad_http_static *st = riad_http_static_new(&sc, &err);
	struct riad_http_config cfg;
	riad_http_config_default(&cfg);
	cfg.line_max = 200;
	cfg.field_max = 200;
	cfg.head_max = 512;
	cfg.fields_max = 8;
	cfg.body_max = 256;
	srv = riad_http_server_new(&cfg, &err);
	riad_http_route(srv, "GET", "/", riad_http_static, st);
	riad_http_route(srv, "POST", "/e", echo, NULL);
	riad_http_route(srv, "PUT", "/e", echo, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	if (!srv)
		setup();
	struct stream m = { .in = data + 1, .len = size - 1 };
	m.step = data[0] & 64 ? size : (size_t)(data[0] & 63) + 1;
	riad_http_serve_conn(srv, &ops, &m);
	if (m.closes != 1)
		abort();
	/* The responses, one after another. */
	size_t off = 0;
	while (off < m.olen) {
		if (m.olen - off < 13 || memcmp(m.out + off, "HTTP/1.1 ", 9) != 0)
			abort();
		for (int i = 9; i < 12; i++)
			if (m.out[off + i] < '0' || m.out[off + i] > '9')
				abort();
		char *end = memmem(m.out + off, m.olen - off, "\r\n\r\n", 4);
		if (!end)
			abort();
		size_t hl = (size_t)(end + 4 - (m.out + off));
		char *cl = memmem(m.out + off, hl, "\r\nContent-Length: ", 18);
		bool last = memmem(m.out + off, hl, "\r\nConnection: close\r\n", 21) != NULL;
		bool interim = memcmp(m.out + off + 9, "100", 3) == 0;
		bool bodiless = memcmp(m.out + off + 9, "304", 3) == 0;
		if (!cl && !interim && !bodiless) {
			off = m.olen; /* unknown length: the rest is its body */
			break;
		}
		off += hl;
		/* The body: Content-Length bytes, unless it was HEAD (then the
		 * next bytes are the next response). */
		if (cl && !interim) {
			size_t n = strtoul(cl + 18, NULL, 10);
			if (off + n <= m.olen && (off + n == m.olen ||
			                          memcmp(m.out + off + n, "HTTP/1.1 ", 9) == 0))
				off += n;
			else if (!(off == m.olen || memcmp(m.out + off, "HTTP/1.1 ", 9) == 0))
				abort();
		}
		if (last && off != m.olen)
			abort();
	}
	free(m.out);
	return 0;
}
