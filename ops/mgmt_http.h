/* ops/mgmt_http.h: the management listener's HTTP/1.1 subset (private to ops/): one request per connection, GET, PUT and POST, a body only with Content-Length, no chunked coding, then the response and close.
 *
 * Kept in one pure file (no sockets, no clock, no allocation) so that it can
 * be fuzzed (fuzz/mgmt_http.c) and replaced by the HTTP library later.
 */
#ifndef RIAD_OPS_MGMT_HTTP_H
#define RIAD_OPS_MGMT_HTTP_H

#include <stddef.h>

/* Limits: the request head (request line and headers, blank line
 * included), the header count, the body, the path. */
#define MGMT_HTTP_HEAD_MAX 4096
#define MGMT_HTTP_HEADERS_MAX 32
#define MGMT_HTTP_BODY_MAX 1024
#define MGMT_HTTP_PATH_MAX 64

enum mgmt_method {
	MGMT_GET,
	MGMT_PUT,
	MGMT_POST,
};

struct mgmt_req {
	enum mgmt_method method;
	char path[MGMT_HTTP_PATH_MAX]; /* the target without its ?query, NUL-terminated */
	size_t head_len;               /* bytes of the head, the blank line included */
	size_t body_len;               /* Content-Length (0 without one) */
};

/* Parse the head of a request from buf[0..len). Returns 1 with *req filled
 * when the head is complete and acceptable, 0 when more bytes are needed
 * (len below MGMT_HTTP_HEAD_MAX and no error seen yet in what is there), or
 * a negative HTTP status to answer with before closing: -400 (malformed,
 * no Host in HTTP/1.1, conflicting Content-Length), -405 (method), -413
 * (body over MGMT_HTTP_BODY_MAX), -414 (path too long), -431 (head over
 * MGMT_HTTP_HEAD_MAX or too many headers), -501 (Transfer-Encoding),
 * -505 (not HTTP/1.0 or 1.1). Reads only buf[0..len). */
int mgmt_http_parse(const char *buf, size_t len, struct mgmt_req *req);

/* The reason phrase of a status we send ("OK", "Not Found"...). */
const char *mgmt_http_reason(int status);

#endif
