/* sock/net_stats.c: the stack's counters as log lines and a drop total (riad/net.h), for riad's own stack and the host-socket stack. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <riad/log.h>
#include <riad/metrics.h>
#include <riad/net.h>
#include <riad/opt.h>

#include "net_api.h"
#include "net_stats.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (interfaces, addresses, DHCP)");

struct counter {
	const char *name;
	unsigned short off;
	bool drop;
};

static const struct counter ether_counters[] = {
	{ "rx", offsetof(struct riad_ether_stats, rx), false },
	{ "tx", offsetof(struct riad_ether_stats, tx), false },
	{ "runt", offsetof(struct riad_ether_stats, runt), true },
	{ "not_for_us", offsetof(struct riad_ether_stats, not_for_us), true },
	{ "bad_src", offsetof(struct riad_ether_stats, bad_src), true },
	{ "unknown_type", offsetof(struct riad_ether_stats, unknown_type), true },
	{ "tx_overflow", offsetof(struct riad_ether_stats, tx_overflow), true },
	{ "tx_no_mem", offsetof(struct riad_ether_stats, tx_no_mem), true },
};
_Static_assert(sizeof(ether_counters) / sizeof(ether_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_ether_stats),
               "every counter of struct riad_ether_stats is named here");

static const struct counter arp_counters[] = {
	{ "rx", offsetof(struct riad_arp_stats, rx), false },
	{ "tx_request", offsetof(struct riad_arp_stats, tx_request), false },
	{ "tx_reply", offsetof(struct riad_arp_stats, tx_reply), false },
	{ "resolved", offsetof(struct riad_arp_stats, resolved), false },
	{ "truncated", offsetof(struct riad_arp_stats, truncated), true },
	{ "bad_format", offsetof(struct riad_arp_stats, bad_format), true },
	{ "bad_op", offsetof(struct riad_arp_stats, bad_op), true },
	{ "bad_sender", offsetof(struct riad_arp_stats, bad_sender), true },
	{ "conflict", offsetof(struct riad_arp_stats, conflict), true },
	{ "not_for_us", offsetof(struct riad_arp_stats, not_for_us), false },
	{ "queue_overflow", offsetof(struct riad_arp_stats, queue_overflow), true },
	{ "unresolved", offsetof(struct riad_arp_stats, unresolved), true },
	{ "evicted", offsetof(struct riad_arp_stats, evicted), false },
	{ "no_mem", offsetof(struct riad_arp_stats, no_mem), true },
};
_Static_assert(sizeof(arp_counters) / sizeof(arp_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_arp_stats),
               "every counter of struct riad_arp_stats is named here");

static const struct counter ipv4_counters[] = {
	{ "rx", offsetof(struct riad_ipv4_stats, rx), false },
	{ "delivered", offsetof(struct riad_ipv4_stats, delivered), false },
	{ "tx", offsetof(struct riad_ipv4_stats, tx), false },
	{ "truncated", offsetof(struct riad_ipv4_stats, truncated), true },
	{ "bad_version", offsetof(struct riad_ipv4_stats, bad_version), true },
	{ "bad_hlen", offsetof(struct riad_ipv4_stats, bad_hlen), true },
	{ "bad_len", offsetof(struct riad_ipv4_stats, bad_len), true },
	{ "bad_checksum", offsetof(struct riad_ipv4_stats, bad_checksum), true },
	{ "bad_options", offsetof(struct riad_ipv4_stats, bad_options), true },
	{ "bad_src", offsetof(struct riad_ipv4_stats, bad_src), true },
	{ "not_for_us", offsetof(struct riad_ipv4_stats, not_for_us), true },
	{ "frag_rx", offsetof(struct riad_ipv4_stats, frag_rx), false },
	{ "reassembled", offsetof(struct riad_ipv4_stats, reassembled), false },
	{ "frag_overlap", offsetof(struct riad_ipv4_stats, frag_overlap), true },
	{ "frag_dup", offsetof(struct riad_ipv4_stats, frag_dup), true },
	{ "frag_poisoned", offsetof(struct riad_ipv4_stats, frag_poisoned), true },
	{ "frag_too_big", offsetof(struct riad_ipv4_stats, frag_too_big), true },
	{ "frag_too_many", offsetof(struct riad_ipv4_stats, frag_too_many), true },
	{ "frag_timeout", offsetof(struct riad_ipv4_stats, frag_timeout), true },
	{ "frag_evicted", offsetof(struct riad_ipv4_stats, frag_evicted), true },
	{ "frag_no_mem", offsetof(struct riad_ipv4_stats, frag_no_mem), true },
	{ "frag_tx", offsetof(struct riad_ipv4_stats, frag_tx), false },
	{ "no_route", offsetof(struct riad_ipv4_stats, no_route), true },
	{ "tx_bad", offsetof(struct riad_ipv4_stats, tx_bad), true },
	{ "tx_no_mem", offsetof(struct riad_ipv4_stats, tx_no_mem), true },
};
_Static_assert(sizeof(ipv4_counters) / sizeof(ipv4_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_ipv4_stats),
               "every counter of struct riad_ipv4_stats is named here");

static const struct counter icmp_counters[] = {
	{ "rx", offsetof(struct riad_icmp_stats, rx), false },
	{ "truncated", offsetof(struct riad_icmp_stats, truncated), true },
	{ "bad_checksum", offsetof(struct riad_icmp_stats, bad_checksum), true },
	{ "unsupported", offsetof(struct riad_icmp_stats, unsupported), true },
	{ "echo_rx", offsetof(struct riad_icmp_stats, echo_rx), false },
	{ "echo_bcast", offsetof(struct riad_icmp_stats, echo_bcast), true },
	{ "echo_tx", offsetof(struct riad_icmp_stats, echo_tx), false },
	{ "err_rx", offsetof(struct riad_icmp_stats, err_rx), false },
	{ "err_bad", offsetof(struct riad_icmp_stats, err_bad), true },
	{ "err_tx", offsetof(struct riad_icmp_stats, err_tx), false },
	{ "param_tx", offsetof(struct riad_icmp_stats, param_tx), false },
	{ "err_suppressed", offsetof(struct riad_icmp_stats, err_suppressed), false },
	{ "rate_limited", offsetof(struct riad_icmp_stats, rate_limited), true },
	{ "no_mem", offsetof(struct riad_icmp_stats, no_mem), true },
};
_Static_assert(sizeof(icmp_counters) / sizeof(icmp_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_icmp_stats),
               "every counter of struct riad_icmp_stats is named here");

static const struct counter udp_counters[] = {
	{ "rx", offsetof(struct riad_udp_stats, rx), false },
	{ "tx", offsetof(struct riad_udp_stats, tx), false },
	{ "truncated", offsetof(struct riad_udp_stats, truncated), true },
	{ "bad_len", offsetof(struct riad_udp_stats, bad_len), true },
	{ "bad_checksum", offsetof(struct riad_udp_stats, bad_checksum), true },
	{ "no_port", offsetof(struct riad_udp_stats, no_port), true },
	{ "tx_bad", offsetof(struct riad_udp_stats, tx_bad), true },
	{ "no_mem", offsetof(struct riad_udp_stats, no_mem), true },
	{ "icmp_err", offsetof(struct riad_udp_stats, icmp_err), false },
	{ "icmp_ignored", offsetof(struct riad_udp_stats, icmp_ignored), true },
};
_Static_assert(sizeof(udp_counters) / sizeof(udp_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_udp_stats),
               "every counter of struct riad_udp_stats is named here");

static const struct counter dhcp_counters[] = {
	{ "rx", offsetof(struct riad_dhcp_stats, rx), false },
	{ "tx", offsetof(struct riad_dhcp_stats, tx), false },
	{ "truncated", offsetof(struct riad_dhcp_stats, truncated), true },
	{ "bad_header", offsetof(struct riad_dhcp_stats, bad_header), true },
	{ "bad_xid", offsetof(struct riad_dhcp_stats, bad_xid), true },
	{ "bad_options", offsetof(struct riad_dhcp_stats, bad_options), true },
	{ "bad_lease", offsetof(struct riad_dhcp_stats, bad_lease), true },
	{ "unexpected", offsetof(struct riad_dhcp_stats, unexpected), true },
	{ "offers", offsetof(struct riad_dhcp_stats, offers), false },
	{ "acks", offsetof(struct riad_dhcp_stats, acks), false },
	{ "naks", offsetof(struct riad_dhcp_stats, naks), false },
	{ "expired", offsetof(struct riad_dhcp_stats, expired), false },
	{ "declines", offsetof(struct riad_dhcp_stats, declines), false },
	{ "no_mem", offsetof(struct riad_dhcp_stats, no_mem), true },
};
_Static_assert(sizeof(dhcp_counters) / sizeof(dhcp_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_dhcp_stats),
               "every counter of struct riad_dhcp_stats is named here");

static const struct counter tcp_counters[] = {
	{ "rx", offsetof(struct riad_tcp_stats, rx), false },
	{ "tx", offsetof(struct riad_tcp_stats, tx), false },
	{ "rx_bytes", offsetof(struct riad_tcp_stats, rx_bytes), false },
	{ "tx_bytes", offsetof(struct riad_tcp_stats, tx_bytes), false },
	{ "active_opens", offsetof(struct riad_tcp_stats, active_opens), false },
	{ "passive_opens", offsetof(struct riad_tcp_stats, passive_opens), false },
	{ "established", offsetof(struct riad_tcp_stats, established), false },
	{ "resets_rx", offsetof(struct riad_tcp_stats, resets_rx), false },
	{ "resets_tx", offsetof(struct riad_tcp_stats, resets_tx), false },
	{ "timeouts", offsetof(struct riad_tcp_stats, timeouts), false },
	{ "retransmits", offsetof(struct riad_tcp_stats, retransmits), false },
	{ "rto", offsetof(struct riad_tcp_stats, rto), false },
	{ "fast_retransmits", offsetof(struct riad_tcp_stats, fast_retransmits), false },
	{ "dup_acks", offsetof(struct riad_tcp_stats, dup_acks), false },
	{ "ooo_segs", offsetof(struct riad_tcp_stats, ooo_segs), false },
	{ "dup_segs", offsetof(struct riad_tcp_stats, dup_segs), false },
	{ "dup_bytes", offsetof(struct riad_tcp_stats, dup_bytes), false },
	{ "sack_blocks_rx", offsetof(struct riad_tcp_stats, sack_blocks_rx), false },
	{ "delayed_acks", offsetof(struct riad_tcp_stats, delayed_acks), false },
	{ "challenge_acks", offsetof(struct riad_tcp_stats, challenge_acks), false },
	{ "syncookies_tx", offsetof(struct riad_tcp_stats, syncookies_tx), false },
	{ "syncookies_ok", offsetof(struct riad_tcp_stats, syncookies_ok), false },
	{ "keepalive_probes", offsetof(struct riad_tcp_stats, keepalive_probes), false },
	{ "persist_probes", offsetof(struct riad_tcp_stats, persist_probes), false },
	{ "timewait_recycled", offsetof(struct riad_tcp_stats, timewait_recycled), false },
	{ "short_seg", offsetof(struct riad_tcp_stats, short_seg), true },
	{ "bad_offset", offsetof(struct riad_tcp_stats, bad_offset), true },
	{ "bad_option", offsetof(struct riad_tcp_stats, bad_option), true },
	{ "bad_mss", offsetof(struct riad_tcp_stats, bad_mss), true },
	{ "bad_urg", offsetof(struct riad_tcp_stats, bad_urg), true },
	{ "bad_flags", offsetof(struct riad_tcp_stats, bad_flags), true },
	{ "bad_port", offsetof(struct riad_tcp_stats, bad_port), true },
	{ "bad_addr", offsetof(struct riad_tcp_stats, bad_addr), true },
	{ "bad_checksum", offsetof(struct riad_tcp_stats, bad_checksum), true },
	{ "no_conn", offsetof(struct riad_tcp_stats, no_conn), true },
	{ "listen_drop", offsetof(struct riad_tcp_stats, listen_drop), true },
	{ "bad_cookie", offsetof(struct riad_tcp_stats, bad_cookie), true },
	{ "backlog_full", offsetof(struct riad_tcp_stats, backlog_full), true },
	{ "no_mem", offsetof(struct riad_tcp_stats, no_mem), true },
	{ "synsent_drop", offsetof(struct riad_tcp_stats, synsent_drop), true },
	{ "paws", offsetof(struct riad_tcp_stats, paws), true },
	{ "no_timestamp", offsetof(struct riad_tcp_stats, no_timestamp), true },
	{ "out_of_window", offsetof(struct riad_tcp_stats, out_of_window), true },
	{ "rst_bad_seq", offsetof(struct riad_tcp_stats, rst_bad_seq), true },
	{ "syn_in_window", offsetof(struct riad_tcp_stats, syn_in_window), true },
	{ "timewait_rst", offsetof(struct riad_tcp_stats, timewait_rst), true },
	{ "bad_ack", offsetof(struct riad_tcp_stats, bad_ack), true },
	{ "no_ack", offsetof(struct riad_tcp_stats, no_ack), true },
	{ "after_close", offsetof(struct riad_tcp_stats, after_close), true },
	{ "ooo_full", offsetof(struct riad_tcp_stats, ooo_full), true },
	{ "beyond_window", offsetof(struct riad_tcp_stats, beyond_window), false },
	{ "challenge_limited", offsetof(struct riad_tcp_stats, challenge_limited), true },
	{ "rst_limited", offsetof(struct riad_tcp_stats, rst_limited), true },
	{ "tx_no_mem", offsetof(struct riad_tcp_stats, tx_no_mem), true },
	{ "tx_overflow", offsetof(struct riad_tcp_stats, tx_overflow), true },
};
_Static_assert(sizeof(tcp_counters) / sizeof(tcp_counters[0]) * sizeof(uint64_t) == sizeof(struct riad_tcp_stats),
               "every counter of struct riad_tcp_stats is named here");

struct layer {
	const char *name;
	size_t off;
	const struct counter *c;
	size_t n;
};

#define LAYER(l) { #l, offsetof(struct riad_net_stats, l), l##_counters, \
	sizeof(l##_counters) / sizeof(l##_counters[0]) }
static const struct layer layers[] = {
	LAYER(ether), LAYER(arp), LAYER(ipv4), LAYER(icmp), LAYER(udp), LAYER(dhcp), LAYER(tcp),
};

static uint64_t value(const struct riad_net_stats *st, const struct layer *l, const struct counter *c)
{
	return *(const uint64_t *)((const char *)st + l->off + c->off);
}

uint64_t net_stats_drops(const struct riad_net_stats *st)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		for (size_t j = 0; j < layers[i].n; j++)
			if (layers[i].c[j].drop)
				sum += value(st, &layers[i], &layers[i].c[j]);
	return sum;
}

void net_stats_log(const char *ifname, const struct riad_net_stats *st, enum riad_log_level level)
{
	if (!riad_log_enabled(net_log, level))
		return;
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		const struct layer *l = &layers[i];
		char line[RIAD_LOG_LINE_MAX];
		size_t len = 0;
		for (size_t j = 0; j < l->n && len < sizeof(line); j++) {
			uint64_t v = value(st, l, &l->c[j]);
			if (!v)
				continue;
			int n = snprintf(line + len, sizeof(line) - len, " %s%s=%llu", l->c[j].drop ? "drop." : "",
			                 l->c[j].name, (unsigned long long)v);
			if (n > 0)
				len += (size_t)n;
		}
		if (len)
			riad_log(net_log, level, "%s: %s:%s", ifname, l->name, line);
	}
	riad_log(net_log, level, "%s: drops: %llu", ifname, (unsigned long long)net_stats_drops(st));
}

/* The counters for riad/metrics.h, from every stack opened by name: a
 * family per traffic counter (riad_net_ipv4_rx_total{iface="service"}),
 * one per layer for its drops with the reason as a label
 * (riad_net_ipv4_drops_total{iface="service",reason="bad_checksum"}), and
 * the drop total. */
static void net_metrics(struct riad_metrics_out *o)
{
	char name[96];
	if (!net_named_next(NULL))
		return;
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		const struct layer *l = &layers[i];
		for (size_t j = 0; j < l->n; j++) {
			if (l->c[j].drop)
				continue;
			/* promtool's lint reads "_us" as microseconds. */
			const char *cn = strcmp(l->c[j].name, "not_for_us") == 0 ? "not_for_host"
			                                                        : l->c[j].name;
			snprintf(name, sizeof(name), "riad_net_%s_%s_total", l->name, cn);
			riad_metrics_family(o, name, "Network stack counter (riad/net_stats.h).",
			                    RIAD_METRIC_TYPE_COUNTER);
			for (struct riad_net *n = net_named_next(NULL); n; n = net_named_next(n)) {
				struct riad_metric_label lb = { "iface", riad_net_name(n) };
				riad_metrics_sample(o, &lb, 1, value(riad_net_stats(n), l, &l->c[j]));
			}
		}
		snprintf(name, sizeof(name), "riad_net_%s_drops_total", l->name);
		riad_metrics_family(o, name, "Packets dropped, by reason (riad/net_stats.h).",
		                    RIAD_METRIC_TYPE_COUNTER);
		for (struct riad_net *n = net_named_next(NULL); n; n = net_named_next(n)) {
			for (size_t j = 0; j < l->n; j++) {
				if (!l->c[j].drop)
					continue;
				struct riad_metric_label lb[2] = { { "iface", riad_net_name(n) },
				                                   { "reason", l->c[j].name } };
				riad_metrics_sample(o, lb, 2, value(riad_net_stats(n), l, &l->c[j]));
			}
		}
	}
	riad_metrics_family(o, "riad_net_drops_total", "Every packet dropped, all layers.",
	                    RIAD_METRIC_TYPE_COUNTER);
	for (struct riad_net *n = net_named_next(NULL); n; n = net_named_next(n)) {
		struct riad_metric_label lb = { "iface", riad_net_name(n) };
		riad_metrics_sample(o, &lb, 1, net_stats_drops(riad_net_stats(n)));
	}
}
RIAD_METRICS_COLLECTOR(net_metrics);
