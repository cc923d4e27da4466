# mk/bearssl.mk: BearSSL compiled from source with the guest flags, for the
# solo5 targets (hvt, spt), in each guest flavour (mk/libc.mk):
# GUEST_DIR_FLAVOUR/bearssl/libbearssl.a.
#
# Why from source: Debian's libbearssl.a is built with SSE, and one SSE
# instruction kills an hvt guest on the PVM test hosts; guests also have no
# /dev/urandom or time(). The source is Debian's own (tool/fetch-bearssl-
# source puts a pinned, checksummed `apt-get source bearssl` in
# build/bearssl-src). Without it mk/solo5.mk stops make with an error,
# unless the build was asked for the unix target only (RIAD_TARGETS=unix):
# then BEARSSL_GUEST is empty and no solo5 target is staged.
#
# Configuration: no OS randomness or time (the runtime seeds and clocks
# everything itself), no RDRAND in the SSL engine's own seeding (riad's
# generator does that), no POWER8 code. The x86 code (aes_x86ni,
# ghash_pclmul, chacha20_sse2...) is built in the sse flavour only (mk/
# libc.mk): BearSSL compiles it with per-function target attributes and
# picks it at run time by CPUID (br_aes_x86ni_ctr_get_vtable() and the
# like return NULL where the CPU lacks it), which the nosse flavour must
# not even contain.
BEARSSL_SRC ?= $(B)/bearssl-src
# The targets to build: unix always; `make RIAD_TARGETS=unix` leaves out
# the solo5 ones (and so needs no BearSSL source).
RIAD_TARGETS ?= unix spt hvt
BEARSSL_GUEST :=
ifneq ($(filter spt hvt,$(RIAD_TARGETS)),)
ifneq ($(wildcard $(BEARSSL_SRC)/inc/bearssl.h),)
BEARSSL_GUEST := $(GUEST_DIR_nosse)/bearssl/libbearssl.a
endif
endif

BEARSSL_DEFS := -DBR_POWER8=0 -DBR_RDRAND=0 \
	-DBR_USE_URANDOM=0 -DBR_USE_GETENTROPY=0 -DBR_USE_UNIX_TIME=0 \
	-DBR_USE_WIN32_RAND=0 -DBR_USE_WIN32_TIME=0
BEARSSL_DEFS_nosse := -DBR_AES_X86NI=0 -DBR_SSE2=0
BEARSSL_DEFS_sse :=
# BearSSL is third-party code: the flavour's flags without riad's warnings.
bearssl_cflags = $(filter-out $(WARN),$(call guest_cflags,$(1))) -w $(BEARSSL_DEFS) \
	$(BEARSSL_DEFS_$(1)) -I$(BEARSSL_SRC)/inc -I$(BEARSSL_SRC)/src

ifneq ($(BEARSSL_GUEST),)
BEARSSL_SRCS := $(sort $(shell find $(BEARSSL_SRC)/src -name '*.c'))
# The files whose functions carry target attributes (BR_TARGET: AES-NI,
# PCLMULQDQ, SSE2). GCC resets -mstack-protector-guard=global to the TLS
# guard (%fs:0x28) in such functions, and a guest has no thread control
# block there: the sse flavour compiles them without the stack protector
# (constant-size buffers only). tests/libc/nosse.t checks that no guest
# archive reads %fs:0x28.
BEARSSL_X86_SRCS := $(shell grep -lw BR_TARGET $(BEARSSL_SRCS))

# One flavour's libbearssl.a: $(1) is the flavour.
define bearssl_flavour
BEARSSL_GUEST_$(1) := $(GUEST_DIR_$(1))/bearssl/libbearssl.a

$(GUEST_DIR_$(1))/bearssl/%.o: $(BEARSSL_SRC)/src/%.c
	@mkdir -p $$(dir $$@)
	@$$(CC) $$(call bearssl_cflags,$(1)) $$(BEARSSL_EXTRA) -c $$< -o $$@

$(GUEST_DIR_$(1))/bearssl/libbearssl.a: $$(patsubst $(BEARSSL_SRC)/src/%.c,$(GUEST_DIR_$(1))/bearssl/%.o,$$(BEARSSL_SRCS))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach f,$(GUEST_FLAVOURS),$(eval $(call bearssl_flavour,$(f))))
$(patsubst $(BEARSSL_SRC)/src/%.c,$(GUEST_DIR_sse)/bearssl/%.o,$(BEARSSL_X86_SRCS)): BEARSSL_EXTRA := -fno-stack-protector
endif

# Fetches the source (needs root once, to enable deb-src; see the script).
bearssl-source:
	tool/fetch-bearssl-source

.PHONY: bearssl-source
