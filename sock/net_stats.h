/* sock/net_stats.h: logging the counters of struct riad_net_stats, for both stacks (private). */
#ifndef RIAD_SOCK_NET_STATS_H
#define RIAD_SOCK_NET_STATS_H

#include <stdint.h>

#include <riad/log.h>
#include <riad/net_stats.h>

/* The sum of every drop counter. */
uint64_t net_stats_drops(const struct riad_net_stats *st);

/* One line per layer with its non-zero counters ("drop." before drops),
 * then the drop total, on the "net" source. */
void net_stats_log(const char *ifname, const struct riad_net_stats *st, enum riad_log_level level);

#endif
