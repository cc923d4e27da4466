/* http_parse.c: the strict HTTP/1.1 request head parser (RFC 9112 sections 2 to 6, RFC 9110 5 and 8.6).
 *
 * Two passes. The first finds the end of the head without writing
 * anything, checking only the limits (so that a head arriving a byte at a
 * time is looked at again cheaply and refused as soon as it is too long:
 * 414 for the request line, 431 for a field line or the whole head); a
 * bare LF is refused there too. The second, once the head is whole, cuts
 * it into strings in place and checks every byte. Every refusal closes
 * the connection (the caller's rule): after a framing error nothing that
 * follows on the stream can be trusted (RFC 9112 6.3, 11.2).
 */
#include <string.h>
#include <strings.h>

#include "http_parse.h"

bool http_is_tchar(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return ch && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

/* Field value bytes: VCHAR, obs-text, SP, HTAB (RFC 9110 5.5). */
static bool is_field_byte(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || (ch > 0x20 && ch != 0x7f);
}

int http_hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* RFC 3986 pchar, '/' and '?' (the bytes of an origin-form target, the
 * '%' of pct-encoded checked when decoding). */
static bool is_target_byte(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return ch && strchr("-._~!$&'()*+,;=:@/?%", ch) != NULL;
}

/* Requests' methods this server knows (RFC 9110 9.3, RFC 5789). Others
 * are 501 (RFC 9110 9.1). CONNECT is known but not implemented: 501 too. */
static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
	                               "TRACE", "PATCH" };

static bool known_method(const char *m)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(m, methods[i]) == 0)
			return true;
	return false;
}

/* Pass one: 1 with *end the offset after the empty line, 0 if more is
 * needed, or a refusal. start is where the request line begins. */
static int find_end(const char *buf, size_t len, size_t start, const struct riad_http_config *cfg,
                    size_t *end)
{
	size_t pos = start;
	unsigned line = 0;
	for (;;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl) {
			size_t rest = len - pos;
			if (line == 0 && rest > cfg->line_max + 1)
				return -414;
			if (line > 0 && rest > cfg->field_max + 1)
				return -431;
			if (len >= cfg->head_max)
				return -431;
			return 0;
		}
		size_t n = (size_t)(nl - (buf + pos));
		if (n == 0 || nl[-1] != '\r')
			return -400; /* a bare LF: RFC 9112 2.2 lets us refuse it */
		n--;
		if ((size_t)(nl + 1 - buf) > cfg->head_max)
			return line == 0 && n > cfg->line_max ? -414 : -431;
		if (line == 0) {
			if (n > cfg->line_max)
				return -414;
		} else if (n == 0) {
			*end = (size_t)(nl + 1 - buf);
			return 1;
		} else if (n > cfg->field_max) {
			return -431;
		} else if (line > cfg->fields_max) {
			return -431;
		}
		line++;
		pos = (size_t)(nl + 1 - buf);
	}
}

/* Percent-decode the path p in place; refuse a bad escape, an encoded NUL
 * and any "." or ".." segment, encoded or not, so that no path reaching a
 * handler can climb above its root. */
static int decode_path(char *p)
{
	char *w = p;
	for (char *r = p; *r; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		int hi = http_hexval((unsigned char)r[1]), lo = hi < 0 ? -1 : http_hexval((unsigned char)r[2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -400;
		*w++ = (char)(hi * 16 + lo);
		r += 2;
	}
	*w = 0;
	for (char *s = p; *s;) {
		while (*s == '/')
			s++;
		size_t n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return -400;
		s += n;
	}
	return 0;
}

/* The target (RFC 9112 3.2): fill path, query, and host for the
 * absolute-form. */
static int parse_target(char *t, struct riad_http_request *req, bool *absolute)
{
	*absolute = false;
	if (strcmp(t, "*") == 0) {
		if (strcmp(req->method, "OPTIONS") != 0)
			return -400;
		req->path = t;
		req->query = "";
		return 0;
	}
	char *p = t;
	if (t[0] != '/') {
		size_t sl;
		if (strncasecmp(t, "http://", 7) == 0)
			sl = 7;
		else if (strncasecmp(t, "https://", 8) == 0)
			sl = 8;
		else
			return -400; /* authority-form, or nothing known */
		char *auth = t + sl;
		size_t an = strcspn(auth, "/?");
		if (an == 0)
			return -400;
		for (size_t i = 0; i < an; i++)
			if (!is_target_byte((unsigned char)auth[i]) || auth[i] == '@')
				return -400; /* no userinfo (RFC 9110 4.2.4) */
		*absolute = true;
		/* Move the authority one byte left over the scheme's last '/'
		 * so that it can be NUL-terminated while the path keeps its
		 * '/'. */
		memmove(auth - 1, auth, an);
		auth[an - 1] = 0;
		req->host = auth - 1;
		p = auth + an;
		if (*p != '/') {
			/* "http://host" or "http://host?q": the path is "/". */
			static char root[2];
			root[0] = '/', root[1] = 0;
			if (*p == '?') {
				for (char *c = p + 1; *c; c++)
					if (!is_target_byte((unsigned char)*c))
						return -400;
				req->query = p + 1;
			} else {
				req->query = "";
			}
			req->path = root;
			return 0;
		}
	}
	for (char *c = p; *c; c++)
		if (!is_target_byte((unsigned char)*c))
			return -400; /* '#', '"', '\\', '<'... (RFC 3986) */
	char *q = strchr(p, '?');
	if (q) {
		*q = 0;
		req->query = q + 1;
	} else {
		req->query = "";
	}
	if (decode_path(p) < 0)
		return -400;
	req->path = p;
	return 0;
}

/* The request line (RFC 9112 3): method SP target SP HTTP/x.y. */
static int parse_line(char *l, struct riad_http_request *req, bool *absolute)
{
	char *sp = l;
	while (http_is_tchar((unsigned char)*sp))
		sp++;
	if (sp == l || *sp != ' ')
		return -400;
	*sp = 0;
	req->method = l;
	char *t = sp + 1;
	char *te = t;
	while (*te && *te != ' ')
		te++;
	if (te == t || *te != ' ')
		return -400;
	*te = 0;
	char *v = te + 1;
	if (strncmp(v, "HTTP/", 5) != 0 || !(v[5] >= '0' && v[5] <= '9') || v[6] != '.' ||
	    !(v[7] >= '0' && v[7] <= '9') || v[8] != 0)
		return -400;
	for (char *c = t; c < te; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
			return -400;
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return -505;
	req->version = v[7] == '1' ? 11 : 10;
	if (!known_method(req->method))
		return -501;
	return parse_target(t, req, absolute);
}

/* Content-Length (RFC 9110 8.6, RFC 9112 6.3): a list of equal decimal
 * numbers is one number; anything else, or an overflow, is 400. */
static int parse_length(const char *v, int64_t *len)
{
	const char *p = v;
	for (;;) {
		if (!(*p >= '0' && *p <= '9'))
			return -400;
		uint64_t n = 0;
		while (*p >= '0' && *p <= '9') {
			if (n > ((uint64_t)INT64_MAX - 9) / 10)
				return -400;
			n = n * 10 + (uint64_t)(*p++ - '0');
		}
		if (*len >= 0 && (uint64_t)*len != n)
			return -400;
		*len = (int64_t)n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -400;
		while (*p == ' ' || *p == '\t')
			p++;
	}
}

/* Walk a comma-separated list of tokens in v, calling fn with each
 * (lower-cased into a small buffer; longer ones are given cut, marked by
 * a length of 0). Empty elements are skipped (RFC 9110 5.6.1). */
static int each_token(const char *v, int (*fn)(void *, const char *), void *arg)
{
	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (!*v)
			break;
		char tok[32];
		size_t n = 0;
		bool cut = false;
		while (*v && *v != ',') {
			if (n + 1 < sizeof(tok))
				tok[n++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
			else
				cut = true;
			v++;
		}
		while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
			n--;
		tok[cut ? 0 : n] = 0;
		int r = fn(arg, tok);
		if (r)
			return r;
	}
	return 0;
}

struct te_state {
	unsigned codings;
	bool chunked_last;
	bool chunked_twice;
	bool unknown;
};

static int te_token(void *arg, const char *tok)
{
	struct te_state *s = arg;
	s->codings++;
	if (strcmp(tok, "chunked") == 0) {
		if (s->chunked_last)
			s->chunked_twice = true;
		s->chunked_last = true;
	} else {
		s->chunked_last = false;
		s->unknown = true;
	}
	return 0;
}

struct conn_state {
	bool close, keep_alive;
};

static int conn_token(void *arg, const char *tok)
{
	struct conn_state *s = arg;
	if (strcmp(tok, "close") == 0)
		s->close = true;
	else if (strcmp(tok, "keep-alive") == 0)
		s->keep_alive = true;
	return 0;
}

/* The CR ending the line at p (pass one made sure every LF before end
 * follows a CR). */
static char *line_end(char *p, char *end)
{
	char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl - 1;
}

int http_parse_head(char *buf, size_t len, const struct riad_http_config *cfg,
                    struct riad_http_request *req, struct riad_http_field *fields, size_t *used)
{
	/* RFC 9112 2.2: ignore empty lines before the request line (a few). */
	size_t start = 0;
	while (start + 1 < len && start < 8 && buf[start] == '\r' && buf[start + 1] == '\n')
		start += 2;
	size_t end;
	int r = find_end(buf, len, start, cfg, &end);
	if (r <= 0)
		return r;

	/* Pass two: every byte of the head, then the cut. */
	for (size_t i = start; i < end; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if (ch == '\r') {
			if (buf[i + 1] != '\n')
				return -400; /* a bare CR (RFC 9112 2.2) */
		} else if (ch == 0 || (ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f) {
			return -400;
		}
	}
	memset(req, 0, sizeof(*req));
	req->host = "";
	req->query = "";
	req->content_length = -1;
	req->fields = fields;
	char *line = buf + start;
	char *eol = line_end(line, buf + end);
	*eol = 0;
	bool absolute;
	r = parse_line(line, req, &absolute);
	if (r < 0)
		return r;

	unsigned hosts = 0;
	bool has_te = false, has_cl = false;
	struct te_state te = { 0 };
	struct conn_state cs = { 0 };
	char *p = eol + 2;
	while (p < buf + end - 2) {
		eol = line_end(p, buf + end);
		*eol = 0;
		if (*p == ' ' || *p == '\t')
			return -400; /* obs-fold (RFC 9112 5.2) */
		char *c = p;
		while (http_is_tchar((unsigned char)*c))
			c++;
		if (c == p || *c != ':')
			return -400; /* no name, or blanks before the colon (5.1) */
		*c = 0;
		char *v = c + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		char *ve = eol;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		*ve = 0;
		for (char *b = v; b < ve; b++)
			if (!is_field_byte((unsigned char)*b))
				return -400;
		if (req->nfields == cfg->fields_max)
			return -431;
		fields[req->nfields].name = p;
		fields[req->nfields].value = v;
		req->nfields++;
		if (strcasecmp(p, "Host") == 0) {
			if (hosts++ == 0 && !absolute)
				req->host = v;
		} else if (strcasecmp(p, "Content-Length") == 0) {
			has_cl = true;
			if (parse_length(v, &req->content_length) < 0)
				return -400;
		} else if (strcasecmp(p, "Transfer-Encoding") == 0) {
			has_te = true;
			each_token(v, te_token, &te);
		} else if (strcasecmp(p, "Connection") == 0) {
			each_token(v, conn_token, &cs);
		}
		p = eol + 2;
	}
	if (req->version == 11 && hosts != 1)
		return -400; /* RFC 9112 3.2 */
	if (hosts > 1)
		return -400;
	if (has_te) {
		/* RFC 9112 6.1: both is an attempt at request smuggling; a
		 * transfer coding in HTTP/1.0 is faulty framing. */
		if (has_cl || req->version == 10)
			return -400;
		if (te.codings == 0 || te.chunked_twice)
			return -400;
		if (te.unknown)
			return te.chunked_last ? -501 : -400;
		req->chunked = true;
	}
	req->head = strcmp(req->method, "HEAD") == 0;
	req->keep_alive = !cs.close && (req->version == 11 || cs.keep_alive);
	*used = end;
	return 1;
}
