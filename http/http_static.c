/* http_static.c: the static-file handler: the values of a KV store as files, with validators, conditional and range requests, and precompressed siblings (RFC 9110 8.8, 13, 14).
 *
 * Invariants: (1) the key served is made only of the decoded path's
 * segments, which the parser has already refused to contain "." or ".."
 * (so no path climbs above root), joined below root, and checked again by
 * riad_kv_key_normalise in every store call; (2) a value is sent in
 * pieces of at most CHUNK bytes read with riad_kv_get at an offset, into
 * the handler's one piece buffer (or, while another request holds that,
 * one of the smaller of CHUNK and the value's size, held only while the
 * body is sent);
 * (3) the ETag of a value is its digest's first 16 bytes in hex, the
 * digest computed at most once per (key, size, mtime) while it stays in
 * the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <riad/http.h>

/* Big pieces: each is one write, and each write's tail goes out as a
 * segment of its own (nodelay), and once TCP segments in the device
 * (TSO), each write is a frame or two. 64 KiB at most: a request in
 * progress holds this much, and the website allows 256 at once. */
#define CHUNK 65536
#define CACHE 64
#define ETAG_LEN 35 /* '"', 32 hex digits, '"', NUL */

struct cached {
	uint64_t hash;
	char *key;
	uint64_t size;
	int64_t mtime;
	char etag[ETAG_LEN];
};

struct riad_http_static {
	struct riad_kv *kv;
	char *root, *index, *not_found, *cache_control;
	bool gzip;
	size_t strip;
	struct cached cache[CACHE];
	unsigned next;
	/* One piece buffer (CHUNK bytes) kept for the next request: one
	 * allocated and freed per request makes the allocator fault pages in
	 * again (see struct riad_http_server's spares). Busy while a body
	 * goes out (writes park); another request meanwhile allocates its
	 * own. */
	char *piece;
	bool piece_busy;
};

/* What one request needs besides the frame (keys are long). */
struct work {
	char key[RIAD_KV_KEY_MAX + 1];
	char alt[RIAD_KV_KEY_MAX + 1];
};

static char *dup_or(const char *s, const char *dflt, bool *fail)
{
	if (!s)
		s = dflt;
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *d = malloc(n + 1);
	if (!d)
		*fail = true;
	else
		memcpy(d, s, n + 1);
	return d;
}

struct riad_http_static *riad_http_static_new(const struct riad_http_static_config *cfg, int *err)
{
	if (!cfg || !cfg->kv) {
		if (err)
			*err = -RIAD_EINVAL;
		return NULL;
	}
	struct riad_http_static *st = calloc(1, sizeof(*st));
	bool fail = !st;
	if (st) {
		st->kv = cfg->kv;
		st->gzip = cfg->gzip;
		st->strip = cfg->strip;
		const char *root = cfg->root ? cfg->root : "";
		while (*root == '/')
			root++;
		st->root = dup_or(root, NULL, &fail);
		if (st->root) {
			size_t n = strlen(st->root);
			while (n && st->root[n - 1] == '/')
				st->root[--n] = 0;
		}
		st->index = dup_or(cfg->index, "index.html", &fail);
		st->not_found = cfg->not_found ? dup_or(cfg->not_found, NULL, &fail) : NULL;
		st->cache_control = cfg->cache_control ? dup_or(cfg->cache_control, NULL, &fail) : NULL;
	}
	if (fail) {
		if (st) {
			free(st->root);
			free(st->index);
			free(st->not_found);
			free(st->cache_control);
			free(st);
		}
		if (err)
			*err = -RIAD_ENOMEM;
		return NULL;
	}
	return st;
}

void riad_http_static_free(struct riad_http_static *st)
{
	if (!st)
		return;
	for (unsigned i = 0; i < CACHE; i++)
		free(st->cache[i].key);
	free(st->root);
	free(st->index);
	free(st->not_found);
	free(st->cache_control);
	free(st->piece);
	free(st);
}

/* root, then each non-empty segment of path, joined by '/', into out;
 * false when it does not fit. */
static bool make_key(const struct riad_http_static *st, const char *path, char *out)
{
	size_t n = strlen(st->root);
	memcpy(out, st->root, n + 1);
	while (*path) {
		while (*path == '/')
			path++;
		size_t s = strcspn(path, "/");
		if (!s)
			break;
		if (n + 1 + s > RIAD_KV_KEY_MAX)
			return false;
		if (n)
			out[n++] = '/';
		memcpy(out + n, path, s);
		n += s;
		out[n] = 0;
		path += s;
	}
	return true;
}

static bool append(char *key, const char *a, const char *b)
{
	size_t n = strlen(key), na = strlen(a), nb = strlen(b);
	if (n + na + nb > RIAD_KV_KEY_MAX)
		return false;
	memcpy(key + n, a, na);
	memcpy(key + n + na, b, nb + 1);
	return true;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The ETag of key into etag (invariant 3). */
static int etag_of(struct riad_http_static *st, const char *key, const struct riad_kv_stat *ks,
                   char etag[ETAG_LEN])
{
	uint64_t h = fnv(key);
	for (unsigned i = 0; i < CACHE; i++) {
		struct cached *e = &st->cache[i];
		if (e->key && e->hash == h && e->size == ks->size && e->mtime == ks->mtime_ns &&
		    strcmp(e->key, key) == 0) {
			memcpy(etag, e->etag, ETAG_LEN);
			return 0;
		}
	}
	uint8_t d[RIAD_KV_DIGEST_LEN];
	int r = riad_kv_digest(st->kv, key, d);
	if (r < 0)
		return r;
	static const char hx[] = "0123456789abcdef";
	etag[0] = '"';
	for (int i = 0; i < 16; i++) {
		etag[1 + 2 * i] = hx[d[i] >> 4];
		etag[2 + 2 * i] = hx[d[i] & 15];
	}
	etag[33] = '"';
	etag[34] = 0;
	struct cached *e = &st->cache[st->next++ % CACHE];
	size_t n = strlen(key);
	char *k = malloc(n + 1);
	if (k) {
		free(e->key);
		memcpy(k, key, n + 1);
		e->key = k;
		e->hash = h;
		e->size = ks->size;
		e->mtime = ks->mtime_ns;
		memcpy(e->etag, etag, ETAG_LEN);
	}
	return 0;
}

/* Whether the Accept-Encoding value v takes gzip (RFC 9110 12.5.3): a
 * "gzip" or "*" element without q=0. */
static bool accepts_gzip(const char *v)
{
	while (v && *v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		size_t n = strcspn(v, ",;");
		size_t t = n;
		while (t && (v[t - 1] == ' ' || v[t - 1] == '\t'))
			t--;
		bool name = (t == 4 && strncasecmp(v, "gzip", 4) == 0) || (t == 1 && v[0] == '*');
		const char *e = v + strcspn(v, ",");
		bool zero = false;
		const char *q = v + n;
		while (q < e) {
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
				const char *x = q + 2;
				zero = *x == '0';
				if (zero && x[1] == '.')
					for (x += 2; *x >= '0' && *x <= '9'; x++)
						if (*x != '0')
							zero = false;
			}
			q += strcspn(q, ";,");
		}
		if (name && !zero)
			return true;
		v = *e ? e + 1 : e;
	}
	return false;
}

/* If-None-Match (RFC 9110 13.1.2): weak comparison with any listed tag,
 * or "*". */
static bool none_match_fails(const char *v, const char *etag)
{
	size_t el = strlen(etag);
	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (*v == '*')
			return true;
		if (v[0] == 'W' && v[1] == '/')
			v += 2;
		size_t n = strcspn(v, ",");
		size_t t = n;
		while (t && (v[t - 1] == ' ' || v[t - 1] == '\t'))
			t--;
		if (t == el && memcmp(v, etag, el) == 0)
			return true;
		v += n;
	}
	return false;
}

/* Percent-encode path for a Location field; false if it does not fit. */
static bool encode_path(const char *path, char *out, size_t cap)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		             (*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=:@", *p);
		if (n + 4 >= cap)
			return false;
		if (plain) {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hx[*p >> 4];
			out[n++] = hx[*p & 15];
		}
	}
	out[n] = 0;
	return true;
}

/* Send bytes [first, first + len) of key as the body. */
static int send_value(struct riad_http_static *st, struct riad_http_request *req,
                      struct riad_http_response *res, const char *key, uint64_t first,
                      uint64_t len)
{
	if (req->head || len == 0)
		return 0;
	size_t cap = len < CHUNK ? (size_t)len : CHUNK;
	if (!st->piece && !st->piece_busy)
		st->piece = malloc(CHUNK);
	bool own = !st->piece || st->piece_busy;
	char *buf = own ? malloc(cap) : st->piece;
	if (!buf)
		return -RIAD_ENOMEM;
	if (!own) {
		st->piece_busy = true;
		cap = CHUNK;
	}
	int r = 0;
	uint64_t off = first, end = first + len;
	while (off < end) {
		size_t want = end - off < cap ? (size_t)(end - off) : cap;
		size_t got = 0;
		r = riad_kv_get(st->kv, key, off, buf, want, &got);
		if (r < 0)
			break;
		if (got == 0) {
			r = -RIAD_EIO; /* the value shrank under us */
			break;
		}
		long w = riad_http_response_write(res, buf, got);
		if (w < 0) {
			r = (int)w;
			break;
		}
		off += got;
	}
	if (own)
		free(buf);
	else
		st->piece_busy = false;
	return r;
}

static int not_found(struct riad_http_static *st, struct riad_http_request *req,
                     struct riad_http_response *res, struct work *w)
{
	struct riad_kv_stat ks;
	if (st->not_found && make_key(st, st->not_found, w->key) &&
	    riad_kv_stat(st->kv, w->key, &ks) == 0 && ks.type == RIAD_KV_VALUE) {
		riad_http_response_field(res, "Content-Type", riad_http_mime_type(w->key));
		int r = riad_http_response_start(res, 404, (int64_t)ks.size);
		if (r < 0)
			return r;
		return send_value(st, req, res, w->key, 0, ks.size);
	}
	static const char text[] = "404 Not Found\n";
	return riad_http_reply(res, 404, "text/plain; charset=utf-8", text, sizeof(text) - 1);
}

static int serve(struct riad_http_static *st, struct riad_http_request *req,
                 struct riad_http_response *res, struct work *w)
{
	const char *path = req->path;
	if (st->strip && strlen(path) >= st->strip)
		path += st->strip;
	struct riad_kv_stat ks;
	if (!make_key(st, path, w->key) || riad_kv_stat(st->kv, w->key, &ks) < 0)
		return not_found(st, req, res, w);
	if (ks.type == RIAD_KV_DICT) {
		size_t pl = strlen(req->path);
		if (pl == 0 || req->path[pl - 1] != '/') {
			/* A directory's page is at its path with a final '/'
			 * (relative links in it resolve from there). */
			char *loc = w->alt;
			if (!encode_path(req->path, loc, sizeof(w->alt) - 2))
				return not_found(st, req, res, w);
			strcat(loc, "/");
			if (*req->query && strlen(loc) + strlen(req->query) + 2 < sizeof(w->alt)) {
				strcat(loc, "?");
				strcat(loc, req->query);
			}
			riad_http_response_field(res, "Location", loc);
			static const char text[] = "301 Moved Permanently\n";
			return riad_http_reply(res, 301, "text/plain; charset=utf-8", text,
			                       sizeof(text) - 1);
		}
		if (!append(w->key, *w->key ? "/" : "", st->index) ||
		    riad_kv_stat(st->kv, w->key, &ks) < 0 || ks.type != RIAD_KV_VALUE)
			return not_found(st, req, res, w);
	}
	const char *type = riad_http_mime_type(w->key);
	const char *served = w->key;
	bool gz = false;
	if (st->gzip && accepts_gzip(riad_http_field(req, "Accept-Encoding"))) {
		struct riad_kv_stat gs;
		strcpy(w->alt, w->key);
		if (append(w->alt, ".gz", "") && riad_kv_stat(st->kv, w->alt, &gs) == 0 &&
		    gs.type == RIAD_KV_VALUE) {
			served = w->alt;
			ks = gs;
			gz = true;
		}
	}
	char etag[ETAG_LEN];
	int r = etag_of(st, served, &ks, etag);
	if (r < 0)
		return not_found(st, req, res, w);
	char lm[RIAD_HTTP_DATE_LEN] = "";
	if (ks.mtime_ns > 0)
		riad_http_date_format(ks.mtime_ns, lm);

	riad_http_response_field(res, "ETag", etag);
	if (*lm)
		riad_http_response_field(res, "Last-Modified", lm);
	if (st->cache_control)
		riad_http_response_field(res, "Cache-Control", st->cache_control);
	if (st->gzip)
		riad_http_response_field(res, "Vary", "Accept-Encoding");

	/* RFC 9110 13.2.2: If-None-Match first; If-Modified-Since only
	 * without it. */
	const char *inm = riad_http_field(req, "If-None-Match");
	const char *ims = riad_http_field(req, "If-Modified-Since");
	int64_t since;
	if ((inm && none_match_fails(inm, etag)) ||
	    (!inm && ims && ks.mtime_ns > 0 && riad_http_date_parse(ims, &since) == 0 &&
	     ks.mtime_ns / 1000000000 <= since))
		return riad_http_response_start(res, 304, 0);

	riad_http_response_field(res, "Content-Type", type);
	if (gz)
		riad_http_response_field(res, "Content-Encoding", "gzip");
	riad_http_response_field(res, "Accept-Ranges", "bytes");
	uint64_t first = 0, last = ks.size ? ks.size - 1 : 0;
	int range = 0;
	const char *rv = riad_http_field(req, "Range");
	if (rv) {
		const char *ir = riad_http_field(req, "If-Range");
		if (!ir || strcmp(ir, etag) == 0 || (*lm && strcmp(ir, lm) == 0))
			range = riad_http_range_parse(rv, ks.size, &first, &last);
	}
	char cr[80];
	if (range < 0) {
		snprintf(cr, sizeof(cr), "bytes */%llu", (unsigned long long)ks.size);
		riad_http_response_field(res, "Content-Range", cr);
		static const char text[] = "416 Range Not Satisfiable\n";
		return riad_http_reply(res, 416, NULL, text, sizeof(text) - 1);
	}
	if (range > 0) {
		snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu", (unsigned long long)first,
		         (unsigned long long)last, (unsigned long long)ks.size);
		riad_http_response_field(res, "Content-Range", cr);
	}
	uint64_t len = ks.size ? last - first + 1 : 0;
	r = riad_http_response_start(res, range > 0 ? 206 : 200, (int64_t)len);
	if (r < 0)
		return r;
	return send_value(st, req, res, served, first, len);
}

int riad_http_static(void *arg, struct riad_http_request *req, struct riad_http_response *res)
{
	struct riad_http_static *st = arg;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		riad_http_response_field(res, "Allow", "GET, HEAD");
		static const char text[] = "405 Method Not Allowed\n";
		return riad_http_reply(res, 405, "text/plain; charset=utf-8", text, sizeof(text) - 1);
	}
	struct work *w = malloc(sizeof(*w));
	if (!w) {
		static const char text[] = "503 Service Unavailable\n";
		return riad_http_reply(res, 503, "text/plain; charset=utf-8", text, sizeof(text) - 1);
	}
	int r = serve(st, req, res, w);
	free(w);
	return r;
}
