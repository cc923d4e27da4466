/* fuzz/mgmt_levels.c: libFuzzer target for mgmt_levels_apply, the body of PUT /log-levels (ops/mgmt_levels.c; untrusted: whoever reaches the management port), over the real log code.
 *
 * Input: the body. Checks: the parser reads only the bytes given (ASan, on
 * an exact-size copy); a refusal changes no level and leaves a
 * NUL-terminated reason; an acceptance leaves every source at a valid
 * level; the levels text lists each source once, well-formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <riad/console.h>
#include <riad/log.h>

#include "metrics_out.h"
#include "mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

RIAD_LOG_SRC(src_a, "a", "A source.");
RIAD_LOG_SRC(src_b, "bb", "Another.");
RIAD_LOG_SRC(src_b2, "bb", "Declared twice.");

void riad_console_write(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
}

static int effective(const struct riad_log_src *s)
{
	int l = RIAD_LOG_QUIET;
	for (int k = RIAD_LOG_ERROR; k <= RIAD_LOG_DEBUG; k++)
		if (riad_log_enabled(s, (enum riad_log_level)k))
			l = k;
	return l;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	riad_log_set_level(NULL, RIAD_LOG_INFO);
	riad_log_set_level("a", RIAD_LOG_ERROR);
	size_t n = riad_log_src_count();
	int before[16];
	if (n > 16)
		abort();
	for (size_t i = 0; i < n; i++)
		before[i] = effective(riad_log_src_at(i));
	char *b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	char why[64];
	memset(why, 'x', sizeof(why));
	int r = mgmt_levels_apply(b, size, why, sizeof(why));
	free(b);
	if (r != 0 && r != -1)
		abort();
	for (size_t i = 0; i < n; i++) {
		int now = effective(riad_log_src_at(i));
		if (r < 0 && now != before[i])
			abort();
		if (now < RIAD_LOG_QUIET || now > RIAD_LOG_DEBUG)
			abort();
	}
	if (r < 0 && !memchr(why, 0, sizeof(why)))
		abort();
	struct metrics_buf o;
	metrics_out_init(&o, METRICS_PROMETHEUS, 1 << 16);
	mgmt_levels_text(&o);
	/* "a", "bb" (once), "application" and the file's own "mgmt". */
	size_t lines = 0;
	for (size_t i = 0; i < o.len; i++)
		lines += o.buf[i] == '\n';
	if (lines != 4 || o.truncated)
		abort();
	metrics_out_free(&o);
	return 0;
}
