# mk/bearssl.mk: BearSSL compiled from source with the guest flags, for the
# solo5 targets (hvt, spt): build/guest/bearssl/libbearssl.a.
#
# Why from source: Debian's libbearssl.a is built with SSE, and one SSE
# instruction kills an hvt guest on the PVM test hosts; guests also have no
# /dev/urandom or time(). The source is Debian's own (tool/fetch-bearssl-
# source puts a pinned, checksummed `apt-get source bearssl` in
# build/bearssl-src). Without it mk/solo5.mk stops make with an error,
# unless the build was asked for the unix target only (RIAD_TARGETS=unix):
# then BEARSSL_GUEST is empty and no solo5 target is staged.
#
# Configuration: no hardware-specific code (AES-NI, SSE2, POWER8: the
# compiler could not emit them under -mno-sse anyway), no OS randomness or
# time (the runtime seeds and clocks everything itself), no RDRAND in the
# SSL engine's own seeding (riad's generator does that).
BEARSSL_SRC ?= $(B)/bearssl-src
# The targets to build: unix always; `make RIAD_TARGETS=unix` leaves out
# the solo5 ones (and so needs no BearSSL source).
RIAD_TARGETS ?= unix spt hvt
BEARSSL_GUEST :=
ifneq ($(filter spt hvt,$(RIAD_TARGETS)),)
ifneq ($(wildcard $(BEARSSL_SRC)/inc/bearssl.h),)
BEARSSL_GUEST := $(B)/guest/bearssl/libbearssl.a
endif
endif

BEARSSL_DEFS := -DBR_AES_X86NI=0 -DBR_SSE2=0 -DBR_POWER8=0 -DBR_RDRAND=0 \
	-DBR_USE_URANDOM=0 -DBR_USE_GETENTROPY=0 -DBR_USE_UNIX_TIME=0 \
	-DBR_USE_WIN32_RAND=0 -DBR_USE_WIN32_TIME=0
# BearSSL is third-party code: the guest flags without riad's warnings.
BEARSSL_CFLAGS = $(filter-out $(WARN),$(GUEST_CFLAGS)) -w $(BEARSSL_DEFS) \
	-I$(BEARSSL_SRC)/inc -I$(BEARSSL_SRC)/src

ifneq ($(BEARSSL_GUEST),)
BEARSSL_SRCS := $(sort $(shell find $(BEARSSL_SRC)/src -name '*.c'))
BEARSSL_OBJS := $(patsubst $(BEARSSL_SRC)/src/%.c,$(B)/guest/bearssl/%.o,$(BEARSSL_SRCS))

$(B)/guest/bearssl/%.o: $(BEARSSL_SRC)/src/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(BEARSSL_CFLAGS) -c $< -o $@

$(BEARSSL_GUEST): $(BEARSSL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
endif

# Fetches the source (needs root once, to enable deb-src; see the script).
bearssl-source:
	tool/fetch-bearssl-source

.PHONY: bearssl-source
