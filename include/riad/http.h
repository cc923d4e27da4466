/* riad/http.h: an HTTP/1.1 server (RFC 9110, RFC 9112) over any byte stream, and a static-file handler over any KV store.
 *
 * A server (struct riad_http_server) holds a route table and its limits.
 * It serves connections: each one is a byte stream given as a small ops
 * table (struct riad_http_stream_ops) and a pointer, so that plain TCP
 * (riad_http_tcp_ops, over riad/net.h) and TLS (riad/tls.h, whose
 * read/write/shutdown/close have the same signatures) both carry it:
 *
 *	struct riad_http_server *srv = riad_http_server_new(NULL, &err);
 *	riad_http_route(srv, "GET", "/", hello, NULL);
 *	riad_http_listen(srv, net, 80, 0);            plain TCP: a fiber accepts
 *	riad_http_serve_conn(srv, &tls_ops, tls);     any other stream, in the
 *	                                              calling fiber
 *
 * riad_http_listen runs an acceptor fiber and serves each connection, at
 * most cfg.max_conns at a time (the next accept waits for one to end: the
 * rest wait in TCP's backlog), in a fiber that exists only while a request
 * is in progress: between requests a kept-alive connection waits in TCP
 * (riad_tcp_when_readable) with no fiber and no stack, and its next
 * request's first bytes start a new fiber. A connection's fiber reads requests one after
 * another (keep-alive; pipelined requests are answered in order), calls
 * the handler of each in the same fiber, and closes the stream when the
 * client closes, an error or a deadline ends it, or a response said
 * "Connection: close".
 *
 * The parser is strict (RFC 9112): CRLF line ends, a token method, an
 * origin-form target ("/path?query"; absolute-form "http://host/path" is
 * taken as RFC 9112 3.2.2 requires; asterisk-form "*" only with OPTIONS),
 * HTTP/1.0 or HTTP/1.1, field names that are tokens with the colon right
 * after, field values of visible characters, spaces and tabs; no
 * obs-fold, no bare CR, no NUL or other control byte anywhere. A request
 * the server will not take is answered by the server itself, without
 * calling a handler, and the connection is closed after the answer:
 *	400  malformed request line or field, obs-fold, bare CR or LF, NUL,
 *	     Content-Length with Transfer-Encoding, two different
 *	     Content-Lengths, a Content-Length or chunk size that is no
 *	     number or overflows, a malformed chunk, no or several Host in
 *	     HTTP/1.1, a target that is neither origin-, absolute- nor (with
 *	     OPTIONS) asterisk-form, a path with a ".." segment (also
 *	     percent-encoded) or an encoded NUL
 *	408  the request head (or its body) did not arrive within its
 *	     deadline (a client sending one byte a second)
 *	413  a body longer than cfg.body_max
 *	414  a request line longer than cfg.line_max
 *	431  a field line longer than cfg.field_max, more than
 *	     cfg.fields_max fields, or a head longer than cfg.head_max
 *	501  a method other than GET, HEAD, POST, PUT, DELETE, OPTIONS,
 *	     TRACE and PATCH (CONNECT too), a transfer coding other than
 *	     chunked
 *	505  an HTTP version other than 1.0 and 1.1
 * and with a route table answer (the connection stays open): 404 (no
 * route's prefix matches the path), 405 with Allow (a prefix matches but
 * not for this method), 500 (the handler returned without answering).
 *
 * Every response carries Date (the wall clock, riad/clock.h, IMF-fixdate),
 * Server (cfg.server_name) and Content-Length (or, for a response of
 * unknown length, Connection: close and the end of the stream). HEAD is
 * answered as GET (a route for GET takes HEAD too) with the body left
 * out by the server: handlers write it as for GET.
 *
 * Errors. Functions return 0 (or a count) or a negative RIAD_E* value, as
 * each says. Handlers run in the connection's fiber and may park.
 *
 * Ownership. The server copies cfg and the route prefixes. A request and
 * everything it points to lives until the handler returns.
 */
#ifndef RIAD_HTTP_H
#define RIAD_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <riad/errno.h>
#include <riad/fiber.h>
#include <riad/kv.h>
#include <riad/net.h>

/* ---- streams ---- */

/* A connection's byte stream: the calls of riad/net.h's TCP (read,
 * write, shutdown, close), with the stream as a void pointer. read and
 * write may park until the deadline (absolute riad_time_ns()) and return
 * as riad_tcp_read and riad_tcp_write do: bytes (> 0), 0 at the end of
 * the stream (read), or a negative error (-RIAD_ETIMEDOUT when the
 * deadline passed). close frees the stream.
 *
 * when_readable is optional (NULL: the stream has none): hand s to a new
 * fiber (of stack_size) that runs fn(arg) once read would not park (bytes,
 * the end of the stream or an error are there) or at the deadline, as
 * riad_tcp_when_readable does for a riad_tcp; until then s holds no fiber
 * and no stack. Never parks; 0, or a negative error and fn will not run.
 * With it, riad_http_serve_detached holds a kept-alive connection between
 * requests without a fiber. A stream that buffers (TLS: decrypted bytes
 * not yet read) must start fn at once while it holds some, and otherwise
 * may delegate to the riad_tcp under it. */
struct riad_http_stream_ops {
	long (*read)(void *s, void *buf, size_t len, int64_t deadline);
	long (*write)(void *s, const void *buf, size_t len, int64_t deadline);
	int (*shutdown)(void *s);
	void (*close)(void *s);
	int (*when_readable)(void *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
	                     size_t stack_size);
};

/* The ops of a struct riad_tcp (riad/net.h). */
extern const struct riad_http_stream_ops riad_http_tcp_ops;

/* The ops of a struct riad_tls (riad/tls.h; the handshake, if not done
 * before, happens in the first read). In http/http_tls.c, an archive
 * member of its own: only a program that names it links TLS. Its
 * shutdown sends close_notify, waiting at most 2 s for room in TCP's
 * send buffer. Its when_readable is riad_tls_when_readable: with
 * riad_http_serve_detached an idle HTTPS connection holds neither a fiber
 * nor its TLS record buffer. */
extern const struct riad_http_stream_ops riad_http_tls_ops;

/* ---- configuration: every limit, with its default and what reaching it does ---- */

struct riad_http_config {
	size_t line_max;       /* request line, CRLF excluded: 4096; longer is 414 */
	size_t field_max;      /* one field line: 4096; longer is 431 */
	size_t head_max;       /* the whole head (line, fields, CRLFs): 16384;
	                          longer is 431. Also the read buffer of each
	                          connection (allocated while it is open) */
	unsigned fields_max;   /* fields in a head (and chunked trailers): 64;
	                          more is 431 (400 in trailers) */
	uint64_t body_max;     /* a request body: 1 MiB; longer is 413 */
	int64_t idle_ns;       /* a kept-alive connection waits this long for
	                          the next request, then closes silently: 30 s */
	int64_t request_ns;    /* from a request's first byte to the end of its
	                          head, then again for its body: 10 s; late is 408 */
	int64_t write_ns;      /* to write one response: 30 s; then the
	                          connection is closed */
	int64_t conn_ns;       /* a connection's whole life: 0 (none); once
	                          past, the response in progress is the last */
	unsigned max_conns;    /* connections served at once by riad_http_listen:
	                          256; further ones wait in the TCP backlog */
	unsigned max_requests; /* requests on one connection: 0 (no limit); the
	                          last is answered with Connection: close */
	size_t stack_size;     /* a connection fiber's stack: 32 KiB (handlers
	                          run on it) */
	const char *server_name; /* the Server field: "riad"; NULL: none */
};

/* Fill cfg with the defaults above. */
void riad_http_config_default(struct riad_http_config *cfg);

/* ---- requests ---- */

struct riad_http_field {
	const char *name;   /* as received (compare without case) */
	const char *value;  /* without leading and trailing blanks */
};

struct riad_http_conn; /* the server's, opaque */

/* One parsed request. Every string is NUL-terminated and valid until the
 * handler returns. */
struct riad_http_request {
	const char *method;   /* "GET" (case matters: RFC 9110 9.1) */
	const char *path;     /* percent-decoded, starts with '/' ("*" for
	                         OPTIONS *); never holds a "." or ".."
	                         segment or a NUL */
	const char *query;    /* after '?', still encoded; "" if none */
	const char *host;     /* Host (or the absolute-form's authority); "" */
	int version;          /* 10 or 11 */
	bool head;            /* HEAD: the body written is not sent */
	bool keep_alive;      /* the connection would stay open after it */
	int64_t content_length; /* -1: none given (chunked, or no body) */
	bool chunked;         /* Transfer-Encoding: chunked */
	const struct riad_http_field *fields;
	unsigned nfields;
	struct riad_http_conn *conn_;
};

/* The value of the first field named name (without case), or NULL. */
const char *riad_http_field(const struct riad_http_request *req, const char *name);

/* Read up to len bytes of the request's body (Content-Length or chunked,
 * decoded). May park until the request deadline. Returns the bytes read,
 * 0 at its end (at once when there is no body), or -RIAD_ETIMEDOUT,
 * -RIAD_EBADMSG (malformed chunked body), -RIAD_EFBIG (longer than
 * body_max), -RIAD_ECONNRESET (the stream ended early) or the stream's
 * error; after an error the connection closes once the response is out
 * (408, 400 or 413 if the handler sends nothing). A body the handler
 * leaves unread is read and dropped after it returns. */
long riad_http_body_read(struct riad_http_request *req, void *buf, size_t len);

/* ---- responses ---- */

struct riad_http_response; /* the server's, opaque */

/* Add a field to the response (before riad_http_response_start). name and
 * value must be a token and visible text (checked: -RIAD_EINVAL); Date,
 * Server, Content-Length, Transfer-Encoding and Connection are the
 * server's (-RIAD_EINVAL). -RIAD_ENOSPC when the fields outgrow 2 KiB. */
int riad_http_response_field(struct riad_http_response *res, const char *name, const char *value);

/* Send the status line and the fields. length is the body's length, or -1
 * when unknown (the connection then closes after the body). A HEAD
 * request's response takes the same length as its GET would. Returns 0,
 * -RIAD_EINVAL (status not 200..599, or a second start), or the
 * stream's error. May park. */
int riad_http_response_start(struct riad_http_response *res, int status, int64_t length);

/* Write body bytes (after start; not sent for HEAD, 204 and 304 but
 * counted). Returns len or the stream's error (-RIAD_ETIMEDOUT past the
 * write deadline); writing past the length given is -RIAD_EMSGSIZE. May
 * park. */
long riad_http_response_write(struct riad_http_response *res, const void *buf, size_t len);

/* A whole response: start with len and content_type (NULL: none), then
 * write body. */
int riad_http_reply(struct riad_http_response *res, int status, const char *content_type,
                    const void *body, size_t len);

/* Ask for the connection to close after this response. */
void riad_http_response_close(struct riad_http_response *res);

/* Whether the body is sent: false for HEAD, 204 and 304, where a handler
 * may skip writing it (or write it: it is counted and dropped). */
bool riad_http_response_sends_body(const struct riad_http_response *res);

/* Whether start has been called. */
bool riad_http_response_started(const struct riad_http_response *res);

/* The reason phrase of a status ("Not Found"), "" for an unknown one. */
const char *riad_http_reason(int status);

/* ---- the server ---- */

/* A handler answers one request through res (riad_http_reply, or start
 * and writes). Return 0; a negative value after start ends the connection
 * (the response is cut). Returning without a response sends 500. */
typedef int riad_http_handler_fn(void *arg, struct riad_http_request *req,
                                 struct riad_http_response *res);

struct riad_http_server;

/* A server with cfg's limits (NULL: the defaults). NULL with *err
 * -RIAD_ENOMEM or -RIAD_EINVAL (a zero limit where one is needed). A
 * server lives as long as the unikernel (its acceptors and connections
 * hold it); there is no call to free it. */
struct riad_http_server *riad_http_server_new(const struct riad_http_config *cfg, int *err);

/* Route requests whose path starts with prefix (a whole segment: "/a"
 * takes "/a" and "/a/b", not "/ab"; "/" takes everything) and whose method
 * is method (NULL: any; "GET" takes HEAD too) to fn(arg, ...). The
 * longest matching prefix wins; between equal ones, the first added.
 * Returns 0, -RIAD_ENOSPC (RIAD_HTTP_ROUTES_MAX routes), -RIAD_EINVAL,
 * -RIAD_ENOMEM. */
#define RIAD_HTTP_ROUTES_MAX 32
int riad_http_route(struct riad_http_server *srv, const char *method, const char *prefix,
                    riad_http_handler_fn *fn, void *arg);

/* Serve one connection in the calling fiber until it ends, then close the
 * stream (ops->close). Parks. Returns the number of requests answered. */
long riad_http_serve_conn(struct riad_http_server *srv, const struct riad_http_stream_ops *ops,
                          void *stream);

/* Serve one connection in fibers of its own, and hold it without a fiber
 * while it waits for a request: the connection is handed to
 * ops->when_readable (required) with the idle deadline, a fiber (of
 * cfg.stack_size) starts when a request's first bytes arrive, answers
 * requests while there are pipelined bytes, then hands the connection
 * back and ends. An idle connection costs its record (a few hundred
 * bytes) and the stream's own state. The server closes the stream in the
 * end. It counts in conns_open, but max_conns is the caller's to keep
 * (riad_http_listen does). Never parks. 0, or -RIAD_EINVAL (no
 * when_readable), -RIAD_ENOMEM, or when_readable's error, and then the
 * stream is still the caller's. */
int riad_http_serve_detached(struct riad_http_server *srv, const struct riad_http_stream_ops *ops,
                             void *stream);

/* Listen on TCP port of net (backlog 0: 1024) and serve every connection
 * as riad_http_serve_detached does (a fiber only while a request is in
 * progress; at most cfg.max_conns connections at once, idle or not,
 * counted over all of the server's listeners) from an acceptor fiber
 * started here. A server may
 * listen on several ports (and serve other streams beside). When the
 * stack closes (riad_net_close) the acceptor closes the listener and
 * ends. Never parks. 0, or riad_tcp_listen's error, or -RIAD_ENOMEM. */
int riad_http_listen(struct riad_http_server *srv, struct riad_net *net, uint16_t port,
                     unsigned backlog);

/* What a server counted. */
struct riad_http_stats {
	uint64_t conns;          /* connections served */
	uint64_t conns_open;     /* open now */
	uint64_t requests;       /* requests parsed and given to a handler */
	uint64_t status[6];      /* responses by class: [2] 2xx ... [5] 5xx */
	uint64_t bad_requests;   /* refused by the parser (400, 413, 414, 431, 501, 505) */
	uint64_t timeouts;       /* 408 sent, or idle/write deadlines that closed */
	uint64_t bytes_out;      /* response bytes written */
};
void riad_http_stats(const struct riad_http_server *srv, struct riad_http_stats *out);

/* Log the counters on the "http" source at info level. */
void riad_http_log_stats(const struct riad_http_server *srv);

/* ---- the static-file handler ---- */

/* Serves the files of a KV store: GET and HEAD, as riad_http_route(srv,
 * "GET", prefix, riad_http_static, st) with st from riad_http_static_new.
 *
 * The request's path (decoded, the route's prefix removed) below root is
 * the key; a dictionary is served as its index.html (a path without its
 * final '/' is redirected there, 301). Content-Type comes from the
 * extension (riad_http_mime_type); ETag is a strong validator made from
 * the store's SHA-256 digest of the value (riad_kv_digest; kept in a
 * cache checked against size and mtime, so a store that changes a value
 * without either would serve an old ETag); Last-Modified from the store's
 * mtime when it knows one. If-None-Match (then If-Modified-Since) answers
 * 304; Range with one range "bytes=a-b", "a-" or "-n" answers 206 with
 * Content-Range, or 416 when it starts past the end (several ranges or
 * a stale If-Range: the whole file, 200). When the client accepts gzip
 * and KEY.gz exists, that is served with Content-Encoding: gzip (its own
 * ETag); Vary: Accept-Encoding is sent whenever gzip is on. Values are
 * streamed in pieces of up to 64 KiB (riad_kv_get with an offset), never held
 * whole. A path that is no key gets the store's 404 page (not_found, if
 * set and present) or a short text, with status 404. */
struct riad_http_static_config {
	struct riad_kv *kv;
	const char *root;          /* key prefix in the store: "" (the whole store) */
	const char *index;         /* a dictionary's page: "index.html" */
	const char *not_found;     /* key of the 404 page below root: "404.html" (NULL: none) */
	const char *cache_control; /* Cache-Control value: NULL (none) */
	bool gzip;                 /* serve KEY.gz to clients accepting gzip */
	size_t strip;              /* bytes of the route prefix to take off the path (0) */
};
struct riad_http_static;
/* Copies cfg (and the strings). NULL with *err on failure. */
struct riad_http_static *riad_http_static_new(const struct riad_http_static_config *cfg, int *err);
/* Free it (NULL is ignored); no request may be using it. The store stays
 * open. */
void riad_http_static_free(struct riad_http_static *st);
int riad_http_static(void *st, struct riad_http_request *req, struct riad_http_response *res);

/* The media type for a key's extension ("text/html; charset=utf-8",
 * "image/png"...), "application/octet-stream" when unknown. */
const char *riad_http_mime_type(const char *key);

/* ---- pieces, public for tests and other servers ---- */

/* Write t (ns since the epoch) as an IMF-fixdate ("Sun, 06 Nov 1994
 * 08:49:37 GMT") into buf, NUL-terminated; returns 29. */
#define RIAD_HTTP_DATE_LEN 30
size_t riad_http_date_format(int64_t t, char buf[RIAD_HTTP_DATE_LEN]);
/* Parse an HTTP-date (IMF-fixdate, RFC 850 or asctime form) into seconds
 * since the epoch: 0, or -RIAD_EINVAL. */
int riad_http_date_parse(const char *s, int64_t *secs);

/* A single byte range of a value of size bytes from a Range field value:
 * 1 with [*first, *last] (inclusive), 0 when the field is to be ignored
 * (not "bytes=", several ranges, malformed), -1 when unsatisfiable (416). */
int riad_http_range_parse(const char *value, uint64_t size, uint64_t *first, uint64_t *last);

#endif
