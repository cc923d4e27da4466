# mk/tls.mk: TLS (tls/: riad/tls.h over BearSSL's TLS 1.2 engine). Its
# objects go into libriad-net.a on every target, beside the stack they sit
# on, so that no pkg-config file or link line changes: an application that
# calls no riad_tls_* function links none of it (archive members are taken
# only when referenced). BearSSL itself comes from libbearssl.a, already on
# every target's link line. Also: the fuzz target of the server side
# (fuzz/tls_server.c), and the flags tls/ is compiled with (-Itls for its
# private header).
TLS_SRCS := $(sort $(wildcard tls/*.c))
TLS_HOST_OBJS := $(call host_obj,$(TLS_SRCS))

$(B)/host/tls/%.c.o: tls/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itls -MMD -MP -c $< -o $@

$(UNIX_BUILD_LIBDIR)/libriad-net.a: $(TLS_HOST_OBJS)

# The guest archives (mk/solo5.mk builds them when BearSSL's source is there).
ifneq ($(BEARSSL_GUEST),)
TLS_GUEST_OBJS := $(call guest_obj,$(TLS_SRCS))

$(B)/guest/riad/tls/%.c.o: tls/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_GUEST_CFLAGS) -Itls -MMD -MP -c $< -o $@

$(B)/guest/riad/libriad-net.a: $(TLS_GUEST_OBJS)
endif

# The server side of the glue fed arbitrary bytes as its TCP stream, with
# BearSSL compiled from its source into the target (instrumented, so that
# libFuzzer sees coverage inside the record layer and handshake parser,
# and the sanitizers check them too); without the source, Debian's
# libbearssl.a (then only riad's glue is instrumented).
FUZZ_SRCS_tls_server := $(TLS_SRCS) runtime/wipe.c fuzz/support/panic.c fuzz/support/log_off.c \
	fuzz/support/clock_fixed.c
ifneq ($(wildcard $(BEARSSL_SRC)/inc/bearssl.h),)
FUZZ_SRCS_tls_server += $(sort $(shell find $(BEARSSL_SRC)/src -name '*.c'))
$(B)/fuzz/tls_server: FUZZ_CFLAGS += -I$(BEARSSL_SRC)/inc -I$(BEARSSL_SRC)/src $(BEARSSL_DEFS)
else
FUZZ_SRCS_tls_server += $(shell $(CC) -print-file-name=libbearssl.a)
endif
