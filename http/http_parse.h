/* http_parse.h: the HTTP/1.1 request parser's private interface: the head parser and the chunked body decoder, pure functions over bytes (no I/O, no clock, no allocation). */
#ifndef HTTP_PARSE_H
#define HTTP_PARSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <riad/http.h>

/* Parse the request head at the start of buf[0..len). buf is written to:
 * the strings of *req are cut out of it in place (NULs written over
 * separators, the path percent-decoded), so it must not be parsed again
 * after a complete parse. fields has room for cfg->fields_max entries.
 * Returns 1 with *used the bytes of the head (up to its empty line) and
 * *req filled; 0 when more bytes are needed (buf untouched); or minus the
 * status to answer (-400, -414, -431, -501, -505) after which the
 * connection closes. */
int http_parse_head(char *buf, size_t len, const struct riad_http_config *cfg,
                    struct riad_http_request *req, struct riad_http_field *fields, size_t *used);

/* The chunked decoder (RFC 9112 7.1), one byte at a time. */
struct http_chunked {
	int state;
	uint64_t left;     /* bytes of the current chunk still to come */
	uint64_t total;    /* data bytes so far */
	size_t line;       /* bytes of the current size or trailer line */
	unsigned lines;    /* trailer lines */
	bool digits;       /* a hex digit seen in this size */
};
void http_chunked_init(struct http_chunked *c);
/* Decode from in[0..len) into out[0..cap): *used bytes of input taken,
 * *produced bytes of data written. Returns 1 when the body (with its
 * trailers) has ended, 0 when more input is needed or out is full, or
 * -400 (malformed: a bad size, a size that overflows, a missing CRLF, a
 * bad trailer line) or -413 (more than cfg->body_max bytes of data). */
int http_chunked_decode(struct http_chunked *c, const struct riad_http_config *cfg, const char *in,
                        size_t len, size_t *used, char *out, size_t cap, size_t *produced);

/* The defaults of struct riad_http_config (http_config.c). */
extern const struct riad_http_config http_config_defaults;

/* RFC 9110 5.6.2: tchar. */
bool http_is_tchar(unsigned char ch);

/* The value of a hex digit, or -1 (chunk sizes, percent-encoding). */
int http_hexval(unsigned char ch);
#endif
