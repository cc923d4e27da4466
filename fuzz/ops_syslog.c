/* fuzz/ops_syslog.c: libFuzzer target for the syslog client's parsers and
 * formatter (ops/syslog_format.c): the --syslog URL and --syslog-facility
 * values (untrusted: they come from whoever starts the unikernel), and the
 * messages built from log text, which may carry bytes from the network.
 *
 * Input: a control byte (format, level, facility), a time, then the URL,
 * the facility name, the hostname, the app name, the source and the text,
 * separated by NULs. Checks that the parsers stay inside their strings and
 * the error buffer (ASan) and give one-line messages; that an accepted URL
 * has a port; and that a message is within its buffer, starts with the
 * right PRI, holds only PRINTUSASCII in its header fields and no control
 * character but tab anywhere, with exactly the fields RFC 5424 (or 3164)
 * names before MSG.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/log.h>

#include "../ops/syslog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated field of the input, copied (the input is not
 * terminated); NULL past the end. */
static char *field(const uint8_t **p, const uint8_t *end)
{
	if (*p > end)
		return NULL;
	const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
	size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, *p, n);
	s[n] = 0;
	*p += n + 1;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 9)
		return 0;
	uint8_t ctl = data[0];
	int64_t wall;
	memcpy(&wall, data + 1, 8);
	const uint8_t *p = data + 9, *end = data + size;
	char *url = field(&p, end), *fac = field(&p, end), *host = field(&p, end);
	char *app = field(&p, end), *src = field(&p, end), *text = field(&p, end);

	char why[96];
	memset(why, 0x55, sizeof(why));
	struct syslog_url u;
	if (url) {
		if (syslog_url_parse(url, &u, why, 64) == 0) {
			if (u.port == 0 || u.transport > SYSLOG_TLS)
				abort();
		} else if (!memchr(why, 0, 64) || strchr(why, '\n') || why[0] == 0 || why[64] != 0x55) {
			abort();
		}
	}
	if (fac) {
		int f = syslog_facility_parse(fac);
		if (f < -1 || f > 23)
			abort();
	}

	struct syslog_fmt f = {
		.kind = ctl & 1 ? SYSLOG_3164 : SYSLOG_5424,
		.facility = (ctl >> 3) % 24,
		.hostname = host,
		.app_name = ctl & 0x80 ? app : NULL,
	};
	enum riad_log_level level = (enum riad_log_level)(1 + (ctl >> 1) % 4);
	struct riad_log_msg m = { .level = level, .src = src ? src : "", .wall_ns = wall,
		                  .text = text ? text : "", .len = text ? strlen(text) : 0 };
	static char out[SYSLOG_MSG_MAX + 16];
	size_t cap = SYSLOG_MSG_MAX;
	if (ctl & 0x40 && size > 12)
		cap = data[9] % SYSLOG_MSG_MAX;
	memset(out, 0x55, sizeof(out));
	size_t n = syslog_format(out, cap, &f, &m);
	if (n > cap || out[cap] != 0x55)
		abort();
	if (cap == SYSLOG_MSG_MAX && m.len < RIAD_LOG_LINE_MAX) {
		/* Never cut at full size: the whole text is there. */
		if (n < m.len)
			abort();
		/* <PRI> */
		int pri = syslog_pri(f.facility, level);
		char head[8];
		int hl = snprintf(head, sizeof(head), "<%d>", pri);
		if (memcmp(out, head, (size_t)hl) != 0)
			abort();
		for (size_t i = 0; i < n; i++)
			if (((unsigned char)out[i] < 0x20 && out[i] != '\t') || out[i] == 0x7f)
				abort();
		/* The header: fields of PRINTUSASCII separated by single
		 * spaces (3164's time has a padded day: skip it). */
		size_t i = (size_t)hl, fields = f.kind == SYSLOG_5424 ? 7 : 2;
		if (f.kind == SYSLOG_3164)
			i += 16; /* "Mmm dd hh:mm:ss " */
		for (size_t k = 0; k < fields; k++) {
			size_t s0 = i;
			while (i < n && out[i] != ' ')
				if ((unsigned char)out[i++] > 126)
					abort();
			if (i == s0 || i >= n)
				abort();
			i++;
		}
		if (n - i != m.len)
			abort();
	}
	free(url);
	free(fac);
	free(host);
	free(app);
	free(src);
	free(text);
	return 0;
}
