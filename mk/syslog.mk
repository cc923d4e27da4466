# mk/syslog.mk: the syslog client (ops/syslog*.c, docs/syslog.md) is part
# of the network library: ops/ is one of NET_DIRS (Makefile), so its
# objects go into libriad-net.a on every target; sock/net_api.c starts it
# when an interface opens. Its fuzz target's sources (see mk/fuzz.mk):
FUZZ_SRCS_ops_syslog := ops/syslog_format.c sock/ipv4_addr.c runtime/clock_tm.c fuzz/support/panic.c
