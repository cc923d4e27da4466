/* ops/mgmt_levels.c: the management listener's /log-levels: the current levels as text, and the body of a PUT (the grammar of -l) checked whole, then applied; apart so that it can be fuzzed with the log code alone (fuzz/mgmt_levels.c). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <riad/log.h>

#include "metrics_out.h"
#include "mgmt.h"

RIAD_LOG_SRC(mgmt_log, "mgmt", "Management listener (metrics, log levels, memory graph)");

/* Current levels, one "SRC:LEVEL" line per source name. */
void mgmt_levels_text(struct metrics_buf *o)
{
	for (size_t i = 0; i < riad_log_src_count(); i++) {
		const struct riad_log_src *src = riad_log_src_at(i);
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(riad_log_src_at(j)->name, src->name) == 0;
		if (dup)
			continue;
		int lvl = RIAD_LOG_QUIET;
		for (int l = RIAD_LOG_ERROR; l <= RIAD_LOG_DEBUG; l++)
			if (riad_log_enabled(src, (enum riad_log_level)l))
				lvl = l;
		metrics_out_printf(o, "%s:%s\n", src->name,
		                   riad_log_level_name((enum riad_log_level)lvl));
	}
}

/* Apply "[SRC:]LEVEL[,...]" (the grammar of -l; blanks and one final
 * newline allowed around items): checked whole, then applied. 0, or -1
 * with why filled. */
int mgmt_levels_apply(const char *body, size_t len, char *why, size_t why_len)
{
	while (len && (body[len - 1] == '\n' || body[len - 1] == '\r'))
		len--;
	if (len == 0) {
		snprintf(why, why_len, "no log level given");
		return -1;
	}
	for (int apply = 0; apply < 2; apply++) {
		size_t p = 0;
		while (p <= len) {
			size_t e = p;
			while (e < len && body[e] != ',')
				e++;
			size_t a = p, b = e;
			while (a < b && (body[a] == ' ' || body[a] == '\t'))
				a++;
			while (b > a && (body[b - 1] == ' ' || body[b - 1] == '\t'))
				b--;
			const char *item = body + a;
			size_t il = b - a;
			const char *colon = memchr(item, ':', il);
			size_t nl = colon ? (size_t)(colon - item) : 0;
			const char *lvl = colon ? colon + 1 : item;
			size_t ll = il - (size_t)(lvl - item);
			char name[64];
			if (il == 0) {
				snprintf(why, why_len, "empty log level");
				return -1;
			}
			bool all = !colon || (nl == 1 && *item == '*');
			bool known = false;
			if (!all && nl < sizeof(name)) {
				memcpy(name, item, nl);
				name[nl] = 0;
				for (size_t i = 0; i < riad_log_src_count() && !known; i++)
					known = strcmp(riad_log_src_at(i)->name, name) == 0;
			}
			if (!all && !known) {
				snprintf(why, why_len, "unknown log source '%.*s'", (int)(nl < 64 ? nl : 64),
				         item);
				return -1;
			}
			int level = riad_log_level_parse(lvl, ll);
			if (level < 0) {
				snprintf(why, why_len,
				         "'%.*s' is not a log level (quiet, error, warning, info, debug)",
				         (int)(ll < 64 ? ll : 64), lvl);
				return -1;
			}
			if (apply) {
				riad_log_set_level(all ? NULL : name, (enum riad_log_level)level);
				riad_info(mgmt_log, "log level of %s set to %s", all ? "*" : name,
				          riad_log_level_name((enum riad_log_level)level));
			}
			p = e + 1;
		}
	}
	return 0;
}
