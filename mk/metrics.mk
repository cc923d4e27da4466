# mk/metrics.mk: the management listener (ops/metrics*.c, ops/mgmt*.c;
# docs/metrics.md): the sources its fuzz target tests (see mk/fuzz.mk).
# ops/ itself goes into libriad-net.a on every target through NET_DIRS
# (Makefile, mk/solo5.mk).
FUZZ_SRCS_mgmt_http := ops/mgmt_http.c
FUZZ_SRCS_mgmt_levels := ops/mgmt_levels.c ops/metrics.c runtime/log.c runtime/clock_tm.c \
	fuzz/support/clock_fixed.c
