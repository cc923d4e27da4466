/* http_server.c: the HTTP/1.1 server: connections over any stream, keep-alive and pipelining, routing, responses, deadlines.
 *
 * A connection (in one fiber for riad_http_serve_conn; for
 * riad_http_serve_detached and riad_http_listen, in a new fiber for each
 * busy spell, and in none while IDLE: see conn_loop):
 *
 *	IDLE --first byte (idle_ns)--> HEAD --head whole (request_ns)--> HANDLER
 *	HANDLER --response out, body drained--> IDLE (keep-alive), or CLOSE
 *	any state --error, deadline, "close"--> CLOSE
 *
 * Invariants: (1) the read buffer holds head_max + BODY_ROOM bytes, so
 * that after a head of any allowed size there is room to read body and
 * pipelined bytes without touching the head, which the request's strings
 * point into while the handler runs; (2) bytes after one request's head
 * and body stay in the buffer for the next (pipelining) and responses go
 * out in the order of the requests, since one fiber does both; (3) a
 * refusal by the parser, a body error or a response cut short closes the
 * connection (RFC 9112 9.6, 11.2); (4) every read and write has a
 * deadline, capped by the connection's own when conn_ns is set; (5) an
 * idle connection (nothing buffered) holds no response and no big buffer:
 * they are allocated when a request's first bytes arrive and freed once
 * it is answered with nothing pipelined behind it; a detached one holds
 * no fiber either (6): its record is all the server keeps of it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <riad/clock.h>
#include <riad/fiber.h>
#include <riad/http.h>
#include <riad/log.h>
#include <riad/time.h>

#include "http_parse.h"

RIAD_LOG_SRC(http_log, "http", "The HTTP server (riad/http.h)");

/* Room for body and pipelined bytes after a head (invariant 1). */
#define BODY_ROOM 4096
/* Response fields a handler may add; the buffered output (head and small
 * bodies go out in one write). */
#define FIELDS_ROOM 2048
#define OUT_ROOM 8192
/* The read buffer of an idle connection: a kept-alive connection waiting
 * for its next request holds only this and its record (invariant 5). */
#define IDLE_ROOM 128
/* Big blocks kept for reuse (see struct riad_http_server). */
#define SPARES 8
/* How long, and how much, a connection the server closes reads and drops
 * what the client still sends. */
#define LINGER_NS (2 * RIAD_NS_PER_S)
#define LINGER_BYTES (256 * 1024)

struct route {
	char method[16]; /* "" for any */
	char *prefix;
	size_t plen;
	riad_http_handler_fn *fn;
	void *arg;
};

struct riad_http_server {
	struct riad_http_config cfg;
	struct route routes[RIAD_HTTP_ROUTES_MAX];
	unsigned nroutes;
	struct riad_http_stats stats;
	struct riad_waitq slots; /* acceptors wait here for a free connection */
	/* Busy connections' big blocks and join buffers given back, kept for
	 * the next: a request that allocates and frees 30 KiB and more makes
	 * an allocator give pages back and fault them in again (on unix
	 * glibc's heap trim: a fifth of a 10 KiB response's time). A few
	 * are kept; an idle connection still holds none. */
	void *spare_big[SPARES];
	unsigned nspare_big;
	char *join;              /* JOIN_MAX bytes, or NULL */
	bool join_busy;
};

/* One riad_http_listen: a server may listen on several ports. */
struct listener {
	struct riad_http_server *srv;
	struct riad_tcp_listener *l;
};

struct riad_http_response {
	struct riad_http_conn *c;
	char fields[FIELDS_ROOM];
	size_t flen;
	char out[OUT_ROOM];
	size_t olen;
	bool started, nobody, close, failed;
	bool keep_hdr; /* an HTTP/1.0 client asked for keep-alive */
	int status;
	int64_t length, written;
	int64_t deadline;
};

struct riad_http_conn {
	struct riad_http_server *srv;
	const struct riad_http_stream_ops *ops;
	void *s;
	char *buf;
	size_t cap, have, rpos; /* unread bytes are buf[rpos..have) */
	size_t floor;           /* where the current request's body bytes may go */
	struct riad_http_field *fields;
	struct riad_http_response *res;
	void *big;              /* res, fields and the big buffer, while busy */
	char idle[IDLE_ROOM];   /* the buffer while idle */
	int64_t conn_deadline;
	long served;            /* requests answered */
	bool detached;          /* wait for requests without a fiber (invariant 6) */
	bool resumed;           /* started by when_readable: read by idle_deadline */
	int64_t idle_deadline;
	/* the body of the current request */
	bool body_chunked, body_done;
	uint64_t body_left;
	int body_err;
	struct http_chunked chunked;
	int64_t body_deadline;
};

/* ---- plain TCP ---- */

static long tcp_read(void *s, void *buf, size_t len, int64_t deadline)
{
	return riad_tcp_read(s, buf, len, deadline);
}

static long tcp_write(void *s, const void *buf, size_t len, int64_t deadline)
{
	return riad_tcp_write(s, buf, len, deadline);
}

static int tcp_shutdown(void *s)
{
	return riad_tcp_shutdown(s);
}

static void tcp_close(void *s)
{
	riad_tcp_close(s);
}

static int tcp_when_readable(void *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
                             size_t stack_size)
{
	return riad_tcp_when_readable(s, deadline, fn, arg, stack_size);
}

const struct riad_http_stream_ops riad_http_tcp_ops = { tcp_read, tcp_write, tcp_shutdown,
	                                                tcp_close, tcp_when_readable };

/* ---- status ---- */

const char *riad_http_reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}

/* ---- the server ---- */

struct riad_http_server *riad_http_server_new(const struct riad_http_config *cfg, int *err)
{
	int e = 0;
	if (!cfg)
		cfg = &http_config_defaults;
	if (cfg->line_max == 0 || cfg->field_max == 0 || cfg->head_max < 64 || cfg->fields_max == 0 ||
	    cfg->max_conns == 0 || cfg->idle_ns <= 0 || cfg->request_ns <= 0 || cfg->write_ns <= 0) {
		e = -RIAD_EINVAL;
		goto fail;
	}
	struct riad_http_server *srv = calloc(1, sizeof(*srv));
	if (!srv) {
		e = -RIAD_ENOMEM;
		goto fail;
	}
	srv->cfg = *cfg;
	if (srv->cfg.stack_size == 0)
		srv->cfg.stack_size = http_config_defaults.stack_size;
	return srv;
fail:
	if (err)
		*err = e;
	return NULL;
}

int riad_http_route(struct riad_http_server *srv, const char *method, const char *prefix,
                    riad_http_handler_fn *fn, void *arg)
{
	if (!prefix || prefix[0] != '/' || !fn || (method && (strlen(method) >= 16 || !*method)))
		return -RIAD_EINVAL;
	if (srv->nroutes == RIAD_HTTP_ROUTES_MAX)
		return -RIAD_ENOSPC;
	struct route *r = &srv->routes[srv->nroutes];
	size_t n = strlen(prefix);
	r->prefix = malloc(n + 1);
	if (!r->prefix)
		return -RIAD_ENOMEM;
	memcpy(r->prefix, prefix, n + 1);
	r->plen = n;
	r->method[0] = 0;
	if (method)
		memcpy(r->method, method, strlen(method) + 1);
	r->fn = fn;
	r->arg = arg;
	srv->nroutes++;
	return 0;
}

void riad_http_stats(const struct riad_http_server *srv, struct riad_http_stats *out)
{
	*out = srv->stats;
}

void riad_http_log_stats(const struct riad_http_server *srv)
{
	const struct riad_http_stats *s = &srv->stats;
	riad_log(http_log, RIAD_LOG_INFO,
	         "%llu connections, %llu requests: %llu 2xx, %llu 3xx, %llu 4xx, %llu 5xx; "
	         "%llu refused by the parser, %llu timeouts, %llu bytes out",
	         (unsigned long long)s->conns, (unsigned long long)s->requests,
	         (unsigned long long)s->status[2], (unsigned long long)s->status[3],
	         (unsigned long long)s->status[4], (unsigned long long)s->status[5],
	         (unsigned long long)s->bad_requests, (unsigned long long)s->timeouts,
	         (unsigned long long)s->bytes_out);
}

static bool prefix_matches(const struct route *r, const char *path)
{
	if (strncmp(path, r->prefix, r->plen) != 0)
		return false;
	return r->prefix[r->plen - 1] == '/' || path[r->plen] == 0 || path[r->plen] == '/';
}

static bool method_matches(const struct route *r, const char *m)
{
	return !r->method[0] || strcmp(r->method, m) == 0 ||
	       (strcmp(m, "HEAD") == 0 && strcmp(r->method, "GET") == 0);
}

/* ---- I/O ---- */

static int64_t cap_deadline(struct riad_http_conn *c, int64_t d)
{
	return c->conn_deadline && c->conn_deadline < d ? c->conn_deadline : d;
}

/* Write all of buf[0..len): 0, or the error (the response has failed). */
static int write_all(struct riad_http_response *res, const char *buf, size_t len)
{
	struct riad_http_conn *c = res->c;
	size_t off = 0;
	while (off < len) {
		long n = c->ops->write(c->s, buf + off, len - off, res->deadline);
		if (n <= 0) {
			res->failed = true;
			if (n == -RIAD_ETIMEDOUT)
				c->srv->stats.timeouts++;
			return n < 0 ? (int)n : -RIAD_EPIPE;
		}
		off += (size_t)n;
		c->srv->stats.bytes_out += (uint64_t)n;
	}
	return 0;
}

static int flush(struct riad_http_response *res)
{
	int r = write_all(res, res->out, res->olen);
	if (r < 0)
		return r;
	res->olen = 0;
	return 0;
}

/* The most put() joins with the buffered bytes in one write. */
#define JOIN_MAX (128 * 1024)

static long put(struct riad_http_response *res, const void *buf, size_t len)
{
	if (res->failed)
		return -RIAD_EPIPE;
	if (res->olen + len <= sizeof(res->out)) {
		memcpy(res->out + res->olen, buf, len);
		res->olen += len;
		return (long)len;
	}
	size_t total = len;
	if (res->olen) {
		/* The buffered bytes (a head, say) go out in one write with
		 * these: each write is at least a segment of its own, and a
		 * frame of its own once TCP segments in the device (TSO), so a
		 * head written apart costs a frame and a system call. A copy
		 * is cheaper than either. */
		struct riad_http_server *srv = res->c->srv;
		char *j = NULL;
		if (res->olen + len <= JOIN_MAX) {
			if (!srv->join && !srv->join_busy)
				srv->join = malloc(JOIN_MAX);
			if (srv->join && !srv->join_busy) {
				j = srv->join;
				srv->join_busy = true; /* the write may park */
			} else {
				j = malloc(res->olen + len);
			}
		}
		if (j) {
			memcpy(j, res->out, res->olen);
			memcpy(j + res->olen, buf, len);
			int r = write_all(res, j, res->olen + len);
			if (j == srv->join)
				srv->join_busy = false;
			else
				free(j);
			if (r < 0)
				return r;
			res->olen = 0;
			return (long)total;
		}
		/* else top the buffer up and write it, then the rest */
		size_t k = sizeof(res->out) - res->olen;
		memcpy(res->out + res->olen, buf, k);
		res->olen += k;
		buf = (const char *)buf + k;
		len -= k;
	}
	int r = flush(res);
	if (r < 0)
		return r;
	if (len < sizeof(res->out)) {
		memcpy(res->out, buf, len);
		res->olen = len;
		return (long)total;
	}
	r = write_all(res, buf, len);
	return r < 0 ? r : (long)total;
}

/* ---- responses ---- */

static bool is_text(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 ? *v != '\t' : *v == 0x7f)
			return false;
	return true;
}

int riad_http_response_field(struct riad_http_response *res, const char *name, const char *value)
{
	if (res->started || !*name || !is_text(value))
		return -RIAD_EINVAL;
	for (const char *p = name; *p; p++)
		if (!http_is_tchar((unsigned char)*p))
			return -RIAD_EINVAL;
	static const char *const own[] = { "Date", "Server", "Content-Length", "Transfer-Encoding",
		                           "Connection" };
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcasecmp(name, own[i]) == 0)
			return -RIAD_EINVAL;
	size_t nl = strlen(name), vl = strlen(value);
	if (res->flen + nl + vl + 4 > sizeof(res->fields))
		return -RIAD_ENOSPC;
	char *p = res->fields + res->flen;
	memcpy(p, name, nl);
	memcpy(p + nl, ": ", 2);
	memcpy(p + nl + 2, value, vl);
	memcpy(p + nl + 2 + vl, "\r\n", 2);
	res->flen += nl + vl + 4;
	return 0;
}

void riad_http_response_close(struct riad_http_response *res)
{
	res->close = true;
}

bool riad_http_response_sends_body(const struct riad_http_response *res)
{
	return !res->nobody;
}

bool riad_http_response_started(const struct riad_http_response *res)
{
	return res->started;
}

/* The Date field's text, made once a second. */
static const char *date_now(void)
{
	static int64_t sec = -1;
	static char text[RIAD_HTTP_DATE_LEN];
	int64_t now = riad_clock_wall_ns();
	if (now / RIAD_NS_PER_S != sec) {
		sec = now / RIAD_NS_PER_S;
		riad_http_date_format(now, text);
	}
	return text;
}

int riad_http_response_start(struct riad_http_response *res, int status, int64_t length)
{
	struct riad_http_conn *c = res->c;
	if (res->started || status < 200 || status > 599 || length < -1)
		return -RIAD_EINVAL;
	res->started = true;
	res->status = status;
	/* RFC 9110 6.4.1, 8.6: no content, and no Content-Length, in 204
	 * and 304. */
	bool empty = status == 204 || status == 304;
	res->length = empty ? 0 : length;
	if (length < 0 && !empty)
		res->close = true;
	if (c->conn_deadline && riad_time_ns() >= c->conn_deadline)
		res->close = true;
	c->srv->stats.status[status / 100]++;
	char head[256];
	const char *name = c->srv->cfg.server_name;
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nDate: %s\r\n%s%s%s", status,
	                 riad_http_reason(status), date_now(), name ? "Server: " : "",
	                 name ? name : "", name ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return -RIAD_EINVAL;
	long r = put(res, head, (size_t)n);
	if (r >= 0 && res->flen)
		r = put(res, res->fields, res->flen);
	if (r >= 0) {
		char tail[64];
		int k = 0;
		if (!empty && length >= 0)
			k = snprintf(tail, sizeof(tail), "Content-Length: %lld\r\n", (long long)length);
		k += snprintf(tail + k, sizeof(tail) - (size_t)k, "%s\r\n",
		              res->close ? "Connection: close\r\n" :
		              res->keep_hdr ? "Connection: keep-alive\r\n" : "");
		r = put(res, tail, (size_t)k);
	}
	if (empty)
		res->nobody = true;
	return r < 0 ? (int)r : 0;
}

long riad_http_response_write(struct riad_http_response *res, const void *buf, size_t len)
{
	if (!res->started)
		return -RIAD_EINVAL;
	if (res->length >= 0 && (uint64_t)res->written + len > (uint64_t)res->length)
		return -RIAD_EMSGSIZE;
	res->written += (int64_t)len;
	if (res->nobody)
		return (long)len;
	return put(res, buf, len);
}

int riad_http_reply(struct riad_http_response *res, int status, const char *content_type,
                    const void *body, size_t len)
{
	int r = 0;
	if (content_type)
		r = riad_http_response_field(res, "Content-Type", content_type);
	if (r == 0)
		r = riad_http_response_start(res, status, (int64_t)len);
	if (r == 0 && len) {
		long w = riad_http_response_write(res, body, len);
		r = w < 0 ? (int)w : 0;
	}
	return r;
}

/* A short text answer of the server's own. */
static void answer(struct riad_http_response *res, int status, const char *allow)
{
	char body[80];
	int n = snprintf(body, sizeof(body), "%d %s\n", status, riad_http_reason(status));
	if (allow)
		riad_http_response_field(res, "Allow", allow);
	riad_http_reply(res, status, "text/plain; charset=utf-8", body, (size_t)n);
}

/* ---- request bodies ---- */

const char *riad_http_field(const struct riad_http_request *req, const char *name)
{
	for (unsigned i = 0; i < req->nfields; i++)
		if (strcasecmp(req->fields[i].name, name) == 0)
			return req->fields[i].value;
	return NULL;
}

/* More bytes into buf[have..cap) (after moving the unread ones down to
 * the body area's start when it is all read). */
static long fill(struct riad_http_conn *c, size_t floor, int64_t deadline)
{
	if (c->rpos == c->have)
		c->rpos = c->have = floor;
	if (c->have == c->cap) {
		memmove(c->buf + floor, c->buf + c->rpos, c->have - c->rpos);
		c->have -= c->rpos - floor;
		c->rpos = floor;
	}
	return c->ops->read(c->s, c->buf + c->have, c->cap - c->have, deadline);
}

long riad_http_body_read(struct riad_http_request *req, void *buf, size_t len)
{
	struct riad_http_conn *c = req->conn_;
	if (c->body_err)
		return c->body_err;
	if (c->body_done || len == 0)
		return 0;
	size_t floor = c->floor;
	for (;;) {
		if (c->rpos < c->have) {
			if (!c->body_chunked) {
				size_t n = c->have - c->rpos;
				if (n > len)
					n = len;
				if (n > c->body_left)
					n = (size_t)c->body_left;
				memcpy(buf, c->buf + c->rpos, n);
				c->rpos += n;
				c->body_left -= n;
				c->body_done = c->body_left == 0;
				return (long)n;
			}
			size_t used, got;
			int r = http_chunked_decode(&c->chunked, &c->srv->cfg, c->buf + c->rpos,
			                            c->have - c->rpos, &used, buf, len, &got);
			c->rpos += used;
			if (r < 0) {
				c->body_err = r == -413 ? -RIAD_EFBIG : -RIAD_EBADMSG;
				return c->body_err;
			}
			if (r == 1)
				c->body_done = true;
			if (got || r == 1)
				return (long)got;
		}
		long n = fill(c, floor, cap_deadline(c, c->body_deadline));
		if (n <= 0) {
			c->body_err = n == 0 ? -RIAD_ECONNRESET : (int)n;
			if (n == -RIAD_ETIMEDOUT)
				c->srv->stats.timeouts++;
			return c->body_err;
		}
		c->have += (size_t)n;
	}
}

/* Read and drop what the handler left of the body: true if it ended. */
static bool drain(struct riad_http_request *req)
{
	char sink[512];
	long n;
	while ((n = riad_http_body_read(req, sink, sizeof(sink))) > 0)
		;
	return n == 0;
}

/* ---- one request ---- */

/* Before an answer of the server's own, or a 500: read the body to its
 * end, so that a malformed or oversized one gets its own status (400,
 * 413, 408) instead. 0 when the body was fine; else the status to answer
 * with the connection closing, or -1 when the stream itself failed (then
 * nothing is sent). */
static int body_status(struct riad_http_request *req)
{
	struct riad_http_conn *c = req->conn_;
	if (drain(req))
		return 0;
	c->srv->stats.bad_requests++;
	switch (c->body_err) {
	case -RIAD_EBADMSG: return 400;
	case -RIAD_EFBIG: return 413;
	case -RIAD_ETIMEDOUT: return 408;
	default: return -1;
	}
}

/* Answer status (the server's own) unless the body says otherwise. */
static void own_answer(struct riad_http_request *req, struct riad_http_response *res, int status,
                       const char *allow)
{
	int bs = body_status(req);
	if (bs < 0) {
		res->failed = true;
		return;
	}
	if (bs > 0) {
		res->close = true;
		answer(res, bs, NULL);
		return;
	}
	answer(res, status, allow);
}

/* Route req: the handler's result, having answered. */
static void dispatch(struct riad_http_server *srv, struct riad_http_request *req,
                     struct riad_http_response *res)
{
	if (strcmp(req->path, "*") == 0) {
		/* OPTIONS * (RFC 9110 9.3.7): what the server as a whole takes. */
		own_answer(req, res, 200, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
		return;
	}
	const struct route *best = NULL;
	bool prefix_seen = false;
	for (unsigned i = 0; i < srv->nroutes; i++) {
		const struct route *r = &srv->routes[i];
		if (!prefix_matches(r, req->path))
			continue;
		prefix_seen = true;
		if (method_matches(r, req->method) && (!best || r->plen > best->plen))
			best = r;
	}
	if (!best) {
		if (!prefix_seen) {
			own_answer(req, res, 404, NULL);
			return;
		}
		char allow[128] = "";
		size_t n = 0;
		for (unsigned i = 0; i < srv->nroutes; i++) {
			const struct route *r = &srv->routes[i];
			if (!prefix_matches(r, req->path) || !r->method[0])
				continue;
			const char *m = r->method;
			int k = snprintf(allow + n, sizeof(allow) - n, "%s%s%s", n ? ", " : "", m,
			                 strcmp(m, "GET") == 0 ? ", HEAD" : "");
			if (k < 0 || (size_t)k >= sizeof(allow) - n)
				break;
			n += (size_t)k;
		}
		own_answer(req, res, 405, allow);
		return;
	}
	int r = best->fn(best->arg, req, res);
	if (r < 0 && res->started) {
		res->failed = true;
		return;
	}
	if (!res->started)
		own_answer(req, res, 500, NULL);
}

/* The status for a parse refusal's return. */
static void refuse(struct riad_http_conn *c, int status)
{
	struct riad_http_response *res = c->res;
	c->srv->stats.bad_requests++;
	res->close = true;
	answer(res, status, NULL);
	flush(res);
}

/* Allocate the response, the field table and the big buffer, and move
 * what the idle buffer holds there (invariant 5). */
static int go_big(struct riad_http_conn *c)
{
	if (c->big)
		return 0;
	const struct riad_http_config *cfg = &c->srv->cfg;
	size_t cap = cfg->head_max + BODY_ROOM;
	size_t fsz = cfg->fields_max * sizeof(struct riad_http_field);
	struct riad_http_server *srv = c->srv;
	char *m = srv->nspare_big ? srv->spare_big[--srv->nspare_big] :
	                            malloc(sizeof(struct riad_http_response) + fsz + cap + 1);
	if (!m)
		return -RIAD_ENOMEM;
	c->big = m;
	c->res = (struct riad_http_response *)(void *)m;
	c->res->c = NULL;
	c->fields = (struct riad_http_field *)(void *)(m + sizeof(struct riad_http_response));
	char *buf = m + sizeof(struct riad_http_response) + fsz;
	memcpy(buf, c->buf, c->have);
	c->buf = buf;
	c->cap = cap;
	return 0;
}

static void big_free(struct riad_http_server *srv, void *m)
{
	if (m && srv->nspare_big < SPARES)
		srv->spare_big[srv->nspare_big++] = m;
	else
		free(m);
}

/* Free them again when nothing is buffered. */
static void go_idle(struct riad_http_conn *c)
{
	if (!c->big || c->have)
		return;
	big_free(c->srv, c->big);
	c->big = NULL;
	c->res = NULL;
	c->fields = NULL;
	c->buf = c->idle;
	c->cap = sizeof(c->idle);
	c->rpos = 0;
}

static void reset_response(struct riad_http_conn *c, bool head)
{
	struct riad_http_response *res = c->res;
	res->c = c;
	res->flen = res->olen = 0;
	res->started = res->close = res->failed = res->keep_hdr = false;
	res->nobody = head;
	res->status = 0;
	res->length = res->written = 0;
	res->deadline = cap_deadline(c, riad_time_ns() + c->srv->cfg.write_ns);
}

static struct riad_http_conn *conn_new(struct riad_http_server *srv,
                                       const struct riad_http_stream_ops *ops, void *stream)
{
	struct riad_http_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->buf = c->idle;
	c->cap = sizeof(c->idle);
	c->srv = srv;
	c->ops = ops;
	c->s = stream;
	if (srv->cfg.conn_ns > 0)
		c->conn_deadline = riad_time_ns() + srv->cfg.conn_ns;
	srv->stats.conns++;
	srv->stats.conns_open++;
	return c;
}

/* The end of a connection: the last response out, the stream closed, the
 * record freed, a slot free for the acceptor. */
static void conn_end(struct riad_http_conn *c)
{
	struct riad_http_server *srv = c->srv;
	const struct riad_http_stream_ops *ops = c->ops;
	void *stream = c->s;
	if (c->res && c->res->c && c->res->started && !c->res->failed && flush(c->res) == 0) {
		/* We end the connection with the client perhaps still sending:
		 * closing with unread bytes would reset it and could destroy
		 * the response on its way (RFC 9112 9.6), so half-close, then
		 * read and drop for a moment. */
		ops->shutdown(stream);
		int64_t until = riad_time_ns() + LINGER_NS;
		size_t dropped = 0;
		long n;
		while (dropped < LINGER_BYTES &&
		       (n = ops->read(stream, c->buf, c->cap, until)) > 0)
			dropped += (size_t)n;
	}
	ops->close(stream);
	big_free(srv, c->big);
	free(c);
	srv->stats.conns_open--;
	riad_waitq_wake_one(&srv->slots);
}

static int conn_resume(void *arg);

/* Wait for the next request without a fiber (invariant 6): true if c was
 * handed off (the caller's fiber must no longer touch it). */
static bool conn_park(struct riad_http_conn *c)
{
	c->idle_deadline = cap_deadline(c, riad_time_ns() + c->srv->cfg.idle_ns);
	return c->ops->when_readable(c->s, c->idle_deadline, conn_resume, c,
	                             c->srv->cfg.stack_size) == 0;
}

/* Serve requests on c until it ends (false) or, detached, until it is
 * idle and handed off (true). */
static bool conn_loop(struct riad_http_conn *c)
{
	struct riad_http_server *srv = c->srv;
	const struct riad_http_config *cfg = &srv->cfg;
	for (;;) {
		/* IDLE and HEAD: read until the head parses. */
		int64_t deadline;
		if (c->have == 0) {
			go_idle(c);
			if (c->resumed) {
				c->resumed = false;
				deadline = c->idle_deadline;
			} else if (c->detached && conn_park(c)) {
				return true;
			} else {
				/* (when_readable failed: no memory for a waiting
				 * fiber; wait in this one) */
				deadline = riad_time_ns() + cfg->idle_ns;
			}
		} else {
			deadline = riad_time_ns() + cfg->request_ns;
		}
		struct riad_http_request req;
		size_t used = 0;
		bool started = c->have > 0;
		int r;
		for (;;) {
			r = c->have ? http_parse_head(c->buf, c->have, cfg, &req, c->fields, &used) : 0;
			if (r != 0)
				break;
			size_t room = (c->big ? cfg->head_max : c->cap) - c->have;
			long n = c->ops->read(c->s, c->buf + c->have, room, cap_deadline(c, deadline));
			if (n == -RIAD_ETIMEDOUT && started) {
				srv->stats.timeouts++;
				reset_response(c, false);
				c->res->close = true;
				answer(c->res, 408, NULL);
				flush(c->res);
				return false;
			}
			if (n <= 0) {
				if (n == -RIAD_ETIMEDOUT)
					srv->stats.timeouts++;
				return false; /* idle, closed, reset: close silently */
			}
			if (!started) {
				started = true;
				deadline = riad_time_ns() + cfg->request_ns;
			}
			c->have += (size_t)n;
			if (go_big(c) < 0)
				return false;
		}
		reset_response(c, false);
		if (r < 0) {
			refuse(c, -r);
			return false;
		}
		req.conn_ = c;
		c->rpos = c->floor = used;
		c->body_err = 0;
		c->body_chunked = req.chunked;
		c->body_left = req.content_length > 0 ? (uint64_t)req.content_length : 0;
		c->body_done = !req.chunked && c->body_left == 0;
		c->body_deadline = riad_time_ns() + cfg->request_ns;
		http_chunked_init(&c->chunked);
		if (c->body_left > cfg->body_max) {
			refuse(c, 413);
			return false;
		}
		srv->stats.requests++;
		c->served++;
		reset_response(c, req.head);
		if (cfg->max_requests && (unsigned long)c->served >= cfg->max_requests)
			c->res->close = true;
		if (!req.keep_alive)
			c->res->close = true;
		else if (req.version == 10)
			c->res->keep_hdr = true;
		const char *expect = riad_http_field(&req, "Expect");
		if (expect && strcasecmp(expect, "100-continue") == 0 && !c->body_done &&
		    req.version == 11) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
			put(c->res, cont, sizeof(cont) - 1);
			flush(c->res);
		}
		dispatch(srv, &req, c->res);
		struct riad_http_response *res = c->res;
		if (!res->failed && !res->nobody && res->length >= 0 && res->written != res->length)
			res->failed = true; /* a response cut short */
		if (!res->failed && !c->body_done && !res->close)
			if (!drain(&req))
				res->close = true;
		if (c->body_err && !res->close)
			res->close = true;
		if (flush(res) < 0 || res->failed || res->close || res->length < 0)
			return false;
		/* The next request's bytes (pipelined) move to the start. */
		size_t rest = c->have - c->rpos;
		memmove(c->buf, c->buf + c->rpos, rest);
		c->have = rest;
		c->rpos = 0;
	}
}

/* A detached connection's next busy spell, in a fiber of its own. */
static int conn_resume(void *arg)
{
	struct riad_http_conn *c = arg;
	riad_fiber_set_name(riad_fiber_self(), "http-conn");
	c->resumed = true;
	if (!conn_loop(c))
		conn_end(c);
	return 0;
}

long riad_http_serve_conn(struct riad_http_server *srv, const struct riad_http_stream_ops *ops,
                          void *stream)
{
	struct riad_http_conn *c = conn_new(srv, ops, stream);
	if (!c) {
		srv->stats.conns++;
		ops->close(stream);
		return 0;
	}
	conn_loop(c);
	long served = c->served;
	conn_end(c);
	return served;
}

int riad_http_serve_detached(struct riad_http_server *srv, const struct riad_http_stream_ops *ops,
                             void *stream)
{
	if (!ops->when_readable)
		return -RIAD_EINVAL;
	struct riad_http_conn *c = conn_new(srv, ops, stream);
	if (!c)
		return -RIAD_ENOMEM;
	c->detached = true;
	c->idle_deadline = cap_deadline(c, riad_time_ns() + srv->cfg.idle_ns);
	int r = ops->when_readable(stream, c->idle_deadline, conn_resume, c, srv->cfg.stack_size);
	if (r < 0) {
		/* the stream stays the caller's */
		free(c);
		srv->stats.conns--;
		srv->stats.conns_open--;
		return r;
	}
	return 0;
}

/* ---- plain TCP listener ---- */

static int acceptor(void *arg)
{
	struct listener *ls = arg;
	struct riad_http_server *srv = ls->srv;
	for (;;) {
		while (srv->stats.conns_open >= srv->cfg.max_conns)
			riad_waitq_wait(&srv->slots, RIAD_TIME_NEVER);
		struct riad_tcp *t;
		int r = riad_tcp_accept(ls->l, &t, RIAD_TIME_NEVER);
		if (r == -RIAD_ENETDOWN) {
			riad_tcp_listener_close(ls->l);
			free(ls);
			return 0;
		}
		if (r < 0)
			continue;
		riad_tcp_set_nodelay(t, true);
		if (riad_http_serve_detached(srv, &riad_http_tcp_ops, t) < 0)
			riad_tcp_abort(t);
	}
}

int riad_http_listen(struct riad_http_server *srv, struct riad_net *net, uint16_t port,
                     unsigned backlog)
{
	struct listener *ls = malloc(sizeof(*ls));
	if (!ls)
		return -RIAD_ENOMEM;
	ls->srv = srv;
	int r = riad_tcp_listen(net, port, backlog ? backlog : 1024, &ls->l);
	if (r < 0) {
		free(ls);
		return r;
	}
	r = riad_fiber_spawn_detached(acceptor, ls, 0, "http-accept");
	if (r < 0) {
		riad_tcp_listener_close(ls->l);
		free(ls);
	}
	return r;
}
