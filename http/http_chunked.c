/* http_chunked.c: the chunked transfer coding's decoder (RFC 9112 7.1), a byte-at-a-time state machine.
 *
 *	SIZE --hex--> SIZE --[BWS] ';'--> EXT --CR--> SIZE_LF --LF--> DATA (size > 0)
 *	                                                           \-> TRAILER (size 0)
 *	DATA --size bytes--> DATA_CR --CR--> DATA_LF --LF--> SIZE
 *	TRAILER --CR--> END_LF --LF--> done      TRAILER --other--> TLINE --CR--> TLINE_LF --LF--> TRAILER
 *
 * Invariants: (1) a size has at least one hex digit and fits in 60 bits
 * (a 16th digit is refused before it can overflow); (2) a size line, its
 * extensions included, and each trailer line are at most cfg->field_max
 * bytes, and there are at most cfg->fields_max trailer lines; (3) the
 * data total never passes cfg->body_max (-413 before a byte past it is
 * produced); (4) every line ends in CRLF, a bare CR or LF is refused.
 * Trailer fields are checked for syntax and dropped (RFC 9112 7.1.2
 * allows it: nothing here needs them).
 */
#include "http_parse.h"

enum {
	SIZE,
	SIZE_BWS,
	EXT,
	SIZE_LF,
	DATA,
	DATA_CR,
	DATA_LF,
	TRAILER,
	TLINE,
	TLINE_LF,
	END_LF,
	DONE,
};

void http_chunked_init(struct http_chunked *c)
{
	*c = (struct http_chunked){ .state = SIZE };
}

int http_chunked_decode(struct http_chunked *c, const struct riad_http_config *cfg, const char *in,
                        size_t len, size_t *used, char *out, size_t cap, size_t *produced)
{
	size_t i = 0, o = 0;
	int r = 0;
	while (i < len && c->state != DONE) {
		unsigned char ch = (unsigned char)in[i];
		if (c->state == DATA) {
			size_t n = len - i;
			if (n > c->left)
				n = (size_t)c->left;
			if (n > cap - o)
				n = cap - o;
			if (n == 0)
				break; /* out is full */
			for (size_t k = 0; k < n; k++)
				out[o + k] = in[i + k];
			o += n, i += n;
			c->left -= n;
			if (c->left == 0)
				c->state = DATA_CR;
			continue;
		}
		i++;
		switch (c->state) {
		case SIZE: {
			int h = http_hexval(ch);
			if (h >= 0) {
				if (c->left >> 56)
					goto bad; /* a 16th significant digit */
				c->left = c->left << 4 | (uint64_t)h;
				c->digits = true;
				break;
			}
			if (!c->digits)
				goto bad;
			if (ch == ' ' || ch == '\t')
				c->state = SIZE_BWS;
			else if (ch == ';')
				c->state = EXT;
			else if (ch == '\r')
				c->state = SIZE_LF;
			else
				goto bad;
			break;
		}
		case SIZE_BWS:
			if (ch == ';')
				c->state = EXT;
			else if (ch == '\r')
				c->state = SIZE_LF;
			else if (ch != ' ' && ch != '\t')
				goto bad;
			break;
		case EXT:
			/* chunk-ext: tokens, '=', quoted strings; any visible
			 * byte or blank is taken, control bytes are not. */
			if (ch == '\r')
				c->state = SIZE_LF;
			else if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				goto bad;
			break;
		case SIZE_LF:
			if (ch != '\n')
				goto bad;
			c->line = 0;
			if (c->left == 0) {
				c->state = TRAILER;
			} else {
				if (c->left > cfg->body_max || c->total > cfg->body_max - c->left) {
					r = -413;
					goto out;
				}
				c->total += c->left;
				c->state = DATA;
			}
			c->digits = false;
			continue;
		case DATA_CR:
			if (ch != '\r')
				goto bad;
			c->state = DATA_LF;
			break;
		case DATA_LF:
			if (ch != '\n')
				goto bad;
			c->state = SIZE;
			c->line = 0;
			c->left = 0;
			continue;
		case TRAILER:
			if (ch == '\r') {
				c->state = END_LF;
				break;
			}
			if (++c->lines > cfg->fields_max || !http_is_tchar(ch))
				goto bad; /* a field name starts the line; no obs-fold */
			c->state = TLINE;
			break;
		case TLINE:
			if (ch == '\r')
				c->state = TLINE_LF;
			else if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				goto bad;
			break;
		case TLINE_LF:
			if (ch != '\n')
				goto bad;
			c->state = TRAILER;
			c->line = 0;
			continue;
		case END_LF:
			if (ch != '\n')
				goto bad;
			c->state = DONE;
			continue;
		}
		if (++c->line > cfg->field_max)
			goto bad;
	}
	r = c->state == DONE;
	goto out;
bad:
	r = -400;
out:
	*used = i;
	*produced = o;
	return r;
}
