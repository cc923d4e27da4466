/* fuzz/mgmt_http.c: libFuzzer target for mgmt_http_parse, the management listener's request parser (ops/mgmt_http.c; untrusted: whoever reaches the management port).
 *
 * Input: the bytes a client sends. Parses the whole input and every
 * prefix (as the listener does while bytes arrive) and checks: the parser
 * reads only the bytes given (ASan, on an exact-size copy); a result is 1,
 * 0 or one of the statuses documented; 0 ("more") never comes for
 * MGMT_HTTP_HEAD_MAX bytes or more; once a prefix is complete (1) or
 * refused, every longer input gives the same answer, with the same head
 * length, method, path and body length; an accepted head ends in the blank
 * line, its path starts with '/' and is NUL-terminated within the bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int known(int r)
{
	static const int ok[] = { 1, 0, -400, -405, -413, -414, -431, -501, -505 };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (r == ok[i])
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 * MGMT_HTTP_HEAD_MAX)
		size = 2 * MGMT_HTTP_HEAD_MAX;
	int first = 0;
	struct mgmt_req firstreq;
	for (size_t n = 0; n <= size; n++) {
		char *b = malloc(n ? n : 1);
		if (!b)
			return 0;
		memcpy(b, data, n);
		struct mgmt_req req;
		int r = mgmt_http_parse(b, n, &req);
		free(b);
		if (!known(r))
			abort();
		if (r == 0 && n >= MGMT_HTTP_HEAD_MAX)
			abort();
		if (r == 1) {
			if (req.head_len < 4 || req.head_len > n || req.head_len > MGMT_HTTP_HEAD_MAX ||
			    memcmp(data + req.head_len - 4, "\r\n\r\n", 4) != 0)
				abort();
			if (req.path[0] != '/' || !memchr(req.path, 0, sizeof(req.path)))
				abort();
			if (req.body_len > MGMT_HTTP_BODY_MAX)
				abort();
		}
		if (first != 0) {
			if (r != first)
				abort();
			if (r == 1 && (req.head_len != firstreq.head_len ||
			               req.method != firstreq.method ||
			               req.body_len != firstreq.body_len ||
			               strcmp(req.path, firstreq.path) != 0))
				abort();
		} else if (r != 0) {
			first = r;
			firstreq = req;
		}
	}
	return 0;
}
