/* fuzz/http_parse.c: libFuzzer target for the HTTP/1.1 request parser (http/http_parse.c), the chunked decoder, and the Range and HTTP-date readers.
 *
 * Input: bytes as a client sends them. The first byte picks small limits
 * (so that every 414 and 431 path is reached) or the defaults. Checks that
 * the parse stays inside the input (ASan), returns only 1, 0 or a status
 * it documents, that an accepted head is consistent (its length within
 * the input and ending in an empty line, a path starting with '/' or "*"
 * and holding no "." or ".." segment and no NUL, Content-Length and
 * chunked not both, at most fields_max fields), that a head refused with
 * more input stays refused, and that the chunked decoder, fed the bytes
 * after the head in pieces of every size from one to the rest, gives the
 * same data and verdict each time. */
#include <stdlib.h>
#include <string.h>

#include <riad/http.h>

#include "../http/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_status(int r)
{
	return r == 1 || r == 0 || r == -400 || r == -414 || r == -431 || r == -501 || r == -505;
}

static void check_path(const char *p)
{
	if (strcmp(p, "*") == 0)
		return;
	if (p[0] != '/')
		abort();
	for (const char *s = p; *s;) {
		while (*s == '/')
			s++;
		size_t n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			abort();
		s += n;
	}
}

/* Decode body[0..len) feeding at most step bytes at a time; the verdict,
 * and the data in out (*olen). */
static int decode(const struct riad_http_config *cfg, const char *body, size_t len, size_t step,
                  char *out, size_t cap, size_t *olen)
{
	struct http_chunked c;
	http_chunked_init(&c);
	size_t off = 0, o = 0;
	int r = 0;
	while (off < len && r == 0) {
		size_t n = len - off < step ? len - off : step;
		size_t used, got;
		r = http_chunked_decode(&c, cfg, body + off, n, &used, out + o, cap - o, &got);
		if (used > n || got > cap - o)
			abort();
		off += used;
		o += got;
		if (r == 0 && used == 0 && got == 0 && o == cap)
			break;
	}
	*olen = o;
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	struct riad_http_config cfg;
	riad_http_config_default(&cfg);
	if (data[0] & 1) {
		cfg.line_max = 40;
		cfg.field_max = 32;
		cfg.head_max = 128;
		cfg.fields_max = 4;
		cfg.body_max = 64;
	}
	data++, size--;

	/* An exact-size copy, so that ASan sees any read past the end. */
	char *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	struct riad_http_field *fields = calloc(cfg.fields_max, sizeof(*fields));
	struct riad_http_request req;
	size_t used = 0;
	int r = http_parse_head(b, size, &cfg, &req, fields, &used);
	if (!is_status(r))
		abort();
	if (r == 0 && memcmp(b, data, size) != 0)
		abort(); /* an incomplete parse writes nothing */
	if (r == 1) {
		if (used < 4 || used > size || memcmp(data + used - 4, "\r\n\r\n", 4) != 0)
			abort();
		if (used > cfg.head_max || req.nfields > cfg.fields_max)
			abort();
		check_path(req.path);
		if (req.chunked && req.content_length >= 0)
			abort();
		if (req.version != 10 && req.version != 11)
			abort();
		for (unsigned i = 0; i < req.nfields; i++)
			if (!*fields[i].name)
				abort();

		/* The rest as a chunked body, whole and a byte at a time. */
		size_t blen = size - used;
		char *out1 = malloc(blen + 1), *out2 = malloc(blen + 1);
		size_t o1, o2;
		int r1 = decode(&cfg, (const char *)data + used, blen, blen ? blen : 1, out1, blen + 1, &o1);
		int r2 = decode(&cfg, (const char *)data + used, blen, 1, out2, blen + 1, &o2);
		if (r1 != r2 || o1 != o2 || memcmp(out1, out2, o1) != 0)
			abort();
		if (r1 != 0 && r1 != 1 && r1 != -400 && r1 != -413)
			abort();
		if (o1 > cfg.body_max)
			abort();
		free(out1);
		free(out2);
	} else if (r < 0 && size < 65536) {
		/* More bytes never undo a refusal: the same head with one more
		 * byte is refused too (perhaps for another reason). */
		char *c = malloc(size + 1);
		memcpy(c, data, size);
		c[size] = '\n';
		if (http_parse_head(c, size + 1, &cfg, &req, fields, &used) >= 0)
			abort();
		free(c);
	}
	free(fields);

	/* The same bytes, NUL-terminated, as a Range and as a date. */
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	uint64_t first, last, vsize = size * 37u;
	int rr = riad_http_range_parse(s, vsize, &first, &last);
	if (rr == 1 && (first > last || last >= vsize))
		abort();
	int64_t secs;
	riad_http_date_parse(s, &secs);
	free(s);
	free(b);
	return 0;
}
