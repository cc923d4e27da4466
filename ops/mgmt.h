/* ops/mgmt.h: the management listener's entry from the stacks (private to ops/ and sock/). */
#ifndef RIAD_OPS_MGMT_H
#define RIAD_OPS_MGMT_H

#include <stddef.h>

struct riad_net;

/* A stack was opened by name (sock/net_api.c, net_named_add): start the
 * management listener on it when --metrics names it (or names no
 * interface and it is the first), and the sampling and the Influx push
 * when asked for. Never parks. */
void mgmt_net_opened(struct riad_net *net);

/* Apply a body of PUT /log-levels (the grammar of -l). 0, or -1 with a
 * one-line reason in why. */
int mgmt_levels_apply(const char *body, size_t len, char *why, size_t why_len);

/* The effective level of every log source, one "SRC:LEVEL" line per
 * source name. */
struct metrics_buf;
void mgmt_levels_text(struct metrics_buf *o);

#endif
