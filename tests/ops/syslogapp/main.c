/* main.c: the syslog tests' unikernel (tests/ops/syslog.t): logs lines on
 * command, so that the test knows what the collector must receive. Each
 * UDP datagram to --port is one command, answered "ok N" once its lines
 * are logged:
 *
 *	log N TAG   N info lines "TAG-0" .. "TAG-(N-1)"
 *	flood N TAG the same, yielding after each line so that the syslog
 *	            sender keeps up (bench/syslog.sh)
 *	levels      one line at each level: "lvl-error" .. "lvl-debug"
 *	special     one line with the characters syslog treats specially
 *	QUIT        ends (status 0)
 *
 * Nothing of its own sends to syslog: --syslog, which every unikernel with
 * the network library takes, does. It hands the store --store names
 * (baked files by default: tests/ops/syslog_tls.t bakes the CA) to the
 * syslog client for --syslog=tls:// (riad_syslog_tls).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/store.h>
#include <riad/syslog.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_STORE_ARGS("baked");
RIAD_ARG_INT(port, "port", 7000, "The UDP port commands arrive on.");

static char buf[512];

int main(void)
{
	struct riad_net *net;
	struct riad_udp *u;
	int err;
	struct riad_kv *kv = riad_store_open_args(false, &err);
	if (kv)
		riad_syslog_tls(kv);
	else
		riad_warn(NULL, "no store for --syslog-ca: %s", riad_strerror(err));
	if (riad_net_up("service", 20 * RIAD_NS_PER_S, &net) < 0)
		return 1;
	if (riad_udp_bind(net, (uint16_t)port, &u) < 0) {
		riad_err(NULL, "cannot bind UDP port %lld", (long long)port);
		return 1;
	}
	riad_info(NULL, "commands on UDP port %lld", (long long)port);
	for (;;) {
		uint32_t src;
		uint16_t sport;
		long n = riad_udp_recvfrom(u, buf, sizeof(buf) - 1, &src, &sport, RIAD_TIME_NEVER);
		if (n < 0)
			continue;
		buf[n] = 0;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = 0;
		long count = 0;
		char *tag = NULL;
		bool flood = strncmp(buf, "flood ", 6) == 0;
		if (strncmp(buf, "log ", 4) == 0 || flood) {
			count = strtol(buf + (flood ? 6 : 4), &tag, 10);
			tag = *tag == ' ' && tag[1] ? tag + 1 : NULL;
		}
		if (strcmp(buf, "QUIT") == 0) {
			break;
		} else if (tag) {
			for (long i = 0; i < count; i++) {
				riad_info(NULL, "%s-%ld", tag, i);
				if (flood)
					riad_sleep_ns(0);
			}
		} else if (strcmp(buf, "levels") == 0) {
			riad_err(NULL, "lvl-error");
			riad_warn(NULL, "lvl-warning");
			riad_info(NULL, "lvl-info");
			riad_debug(NULL, "lvl-debug");
			count = 4;
		} else if (strcmp(buf, "special") == 0) {
			riad_info(NULL, "special [x=\"q\\b\"] ] caf\xc3\xa9 tab\tnl\nend");
			count = 1;
		} else {
			riad_warn(NULL, "unknown command '%s'", buf);
		}
		int m = snprintf(buf, sizeof(buf), "ok %ld\n", count);
		riad_udp_sendto(u, src, sport, buf, (size_t)m);
	}
	riad_udp_close(u);
	riad_net_log_stats(net, RIAD_LOG_INFO);
	return 0;
}
