/* ops/mgmt_http.c: the management listener's request parser (ops/mgmt_http.h): strict RFC 9112 request line and header fields, bounded sizes, no allocation. */
#include <stdbool.h>
#include <string.h>

#include "mgmt_http.h"

static bool is_tchar(unsigned char c)
{
	/* RFC 9110 5.6.2 token characters. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_vchar_or_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f);
}

static bool name_is(const char *n, size_t len, const char *want)
{
	size_t wl = strlen(want);
	if (len != wl)
		return false;
	for (size_t i = 0; i < len; i++) {
		char a = n[i], b = want[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/* The end of the line starting at p (the index of its CR), or -1 when no
 * CRLF is in buf[p..len); -2 for a bare LF or CR (malformed). */
static long line_end(const char *buf, size_t len, size_t p)
{
	for (size_t i = p; i < len; i++) {
		if (buf[i] == '\n')
			return -2;
		if (buf[i] == '\r') {
			if (i + 1 == len)
				return -1;
			return buf[i + 1] == '\n' ? (long)i : -2;
		}
	}
	return -1;
}

static int request_line(const char *l, size_t n, struct mgmt_req *req, bool *http11)
{
	const char *sp1 = memchr(l, ' ', n);
	if (!sp1)
		return -400;
	size_t ml = (size_t)(sp1 - l);
	for (size_t i = 0; i < ml; i++)
		if (!is_tchar((unsigned char)l[i]))
			return -400;
	if (ml == 3 && memcmp(l, "GET", 3) == 0)
		req->method = MGMT_GET;
	else if (ml == 3 && memcmp(l, "PUT", 3) == 0)
		req->method = MGMT_PUT;
	else if (ml == 4 && memcmp(l, "POST", 4) == 0)
		req->method = MGMT_POST;
	else if (ml == 0)
		return -400;
	else
		req->method = (enum mgmt_method)-1;
	const char *t = sp1 + 1, *end = l + n;
	const char *sp2 = memchr(t, ' ', (size_t)(end - t));
	if (!sp2 || sp2 == t || *t != '/')
		return -400;
	size_t tl = (size_t)(sp2 - t);
	for (size_t i = 0; i < tl; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return -400;
	const char *v = sp2 + 1;
	if ((size_t)(end - v) != 8 || memcmp(v, "HTTP/1.", 7) != 0)
		return memchr(v, ' ', (size_t)(end - v)) || (size_t)(end - v) < 5 ||
		               memcmp(v, "HTTP/", 5) != 0 ? -400 : -505;
	if (v[7] == '1')
		*http11 = true;
	else if (v[7] == '0')
		*http11 = false;
	else if (v[7] >= '2' && v[7] <= '9')
		return -505;
	else
		return -400;
	const char *q = memchr(t, '?', tl);
	size_t pl = q ? (size_t)(q - t) : tl;
	if (pl >= sizeof(req->path))
		return -414;
	memcpy(req->path, t, pl);
	req->path[pl] = 0;
	if (req->method == (enum mgmt_method)-1)
		return -405;
	return 0;
}

int mgmt_http_parse(const char *buf, size_t len, struct mgmt_req *req)
{
	memset(req, 0, sizeof(*req));
	size_t lim = len < MGMT_HTTP_HEAD_MAX ? len : MGMT_HTTP_HEAD_MAX;
	long e = line_end(buf, lim, 0);
	if (e == -2)
		return -400;
	if (e < 0)
		return len >= MGMT_HTTP_HEAD_MAX ? -431 : 0;
	bool http11 = false;
	int r = request_line(buf, (size_t)e, req, &http11);
	if (r < 0)
		return r;
	bool host = false, have_len = false;
	unsigned nhdr = 0;
	size_t p = (size_t)e + 2;
	for (;;) {
		e = line_end(buf, lim, p);
		if (e == -2)
			return -400;
		if (e < 0)
			return len >= MGMT_HTTP_HEAD_MAX ? -431 : 0;
		size_t n = (size_t)e - p;
		const char *l = buf + p;
		p = (size_t)e + 2;
		if (n == 0)
			break;
		if (++nhdr > MGMT_HTTP_HEADERS_MAX)
			return -431;
		const char *colon = memchr(l, ':', n);
		if (!colon || colon == l)
			return -400; /* also obs-fold (a line starting with a blank) */
		size_t nl = (size_t)(colon - l);
		for (size_t i = 0; i < nl; i++)
			if (!is_tchar((unsigned char)l[i]))
				return -400; /* blank before the colon: RFC 9112 5.1 */
		const char *v = colon + 1, *ve = l + n;
		for (const char *c = v; c < ve; c++)
			if (!is_vchar_or_ws((unsigned char)*c))
				return -400;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (name_is(l, nl, "host")) {
			if (host)
				return -400;
			host = true;
		} else if (name_is(l, nl, "transfer-encoding")) {
			return -501;
		} else if (name_is(l, nl, "content-length")) {
			if (v == ve)
				return -400;
			size_t val = 0;
			for (const char *c = v; c < ve; c++) {
				if (*c < '0' || *c > '9')
					return -400;
				if (val > MGMT_HTTP_BODY_MAX)
					return -413; /* keep reading digits would overflow */
				val = val * 10 + (size_t)(*c - '0');
			}
			if (val > MGMT_HTTP_BODY_MAX)
				return -413;
			if (have_len && val != req->body_len)
				return -400;
			have_len = true;
			req->body_len = val;
		}
	}
	if (http11 && !host)
		return -400;
	req->head_len = p;
	return 1;
}

const char *mgmt_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}
