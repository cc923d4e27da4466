# mk/tls.mk: TLS (tls/: riad/tls.h over BearSSL's TLS 1.2 engine) is one
# of NET_DIRS (Makefile): its objects go into libriad-net.a on every target,
# beside the stack they sit on, so that no pkg-config file or link line
# changes; an application that calls no riad_tls_* function links none of
# it (archive members are taken only when referenced). BearSSL itself comes
# from libbearssl.a, already on every target's link line.
TLS_SRCS := $(sort $(wildcard tls/*.c))

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
