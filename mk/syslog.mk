# mk/syslog.mk: the syslog client (ops/syslog*.c, docs/syslog.md). It is
# part of the network library: sock/net_api.c starts it when an interface
# opens, so its objects go into libriad-net.a on every target (unix here,
# spt and hvt through mk/solo5.mk's archive), with the sock/ headers in
# reach. Its fuzz target's sources (see mk/fuzz.mk).
SYSLOG_SRCS := $(sort $(wildcard ops/syslog*.c))
SYSLOG_HOST_OBJS := $(call host_obj,$(SYSLOG_SRCS))
SYSLOG_GUEST_OBJS := $(call guest_obj,$(SYSLOG_SRCS))

$(UNIX_BUILD_LIBDIR)/libriad-net.a: $(SYSLOG_HOST_OBJS)

$(SYSLOG_GUEST_OBJS): $(B)/guest/riad/ops/%.c.o: ops/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/guest/riad/libriad-net.a: $(SYSLOG_GUEST_OBJS)

FUZZ_SRCS_ops_syslog := ops/syslog_format.c sock/ipv4_addr.c runtime/clock_tm.c fuzz/support/panic.c
