# mk/solo5.mk: the guest side of the solo5 targets (spt, hvt): the base
# (base/common + base/TARGET: the Solo5 interface), the runtime on it
# (runtime/solo5), the target-independent runtime compiled for guests, and
# what a unikernel links, staged per target:
#
#   build/stage/lib/riad/TARGET/  libriad.a        runtime/*.c for guests
#                                 libriad-net.a    netif, net, tcp, sock, stack
#                                 libriad-TARGET.a runtime/solo5/*.c
#                                 libsolo5-TARGET.a base/common + base/TARGET
#                                 libc.a, libbearssl.a, solo5_TARGET.lds
#   build/stage/lib/riad/libc/include/     the libc's headers
#   build/stage/lib/riad/bearssl/include/  BearSSL's headers
#   build/stage/lib/pkgconfig/riad-TARGET.pc
#
# riad's own archives are staged by mk/symbols.mk, which renames every
# global symbol outside tool/symbols.allow to riad__NAME.
#
# Everything is compiled with GUEST_CFLAGS (mk/libc.mk: no SSE, no red
# zone, the global stack protector guard) plus stack clash protection, so
# that a large frame cannot step over a guard page. The targets need
# BearSSL's source (mk/bearssl.mk): without it make stops with an error,
# unless RIAD_TARGETS=unix asks for the unix target only (then `riad
# targets` reports them as not installed).
SOLO5_TARGETS := spt $(if $(wildcard base/hvt/*.c),hvt)

# -Ibase: runtime/solo5 reaches the base's riad_base.h (and its CPU helpers)
# through the include path, as the network layers reach each other.
SOLO5_GUEST_CFLAGS = $(GUEST_CFLAGS) $(NET_INCLUDES) -Ibase -fstack-clash-protection -I$(BEARSSL_SRC)/inc
# The base runs below the libc: its byte loops must stay loops.
SOLO5_BASE_CFLAGS = $(SOLO5_GUEST_CFLAGS) -fno-tree-loop-distribute-patterns

guest_obj = $(patsubst %,$(B)/guest/riad/%.o,$(1))

SOLO5_CORE_OBJS := $(call guest_obj,$(CORE_SRCS))
SOLO5_NET_OBJS := $(call guest_obj,$(NET_SRCS))
SOLO5_STORAGE_OBJS := $(call guest_obj,$(STORAGE_SRCS))
SOLO5_RUNTIME_OBJS := $(call guest_obj,$(sort $(wildcard runtime/solo5/*.c)))
SOLO5_COMMON_OBJS := $(call guest_obj,$(sort $(wildcard base/common/*.c base/common/*.S)))

$(B)/guest/riad/base/%.c.o: base/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_BASE_CFLAGS) -MMD -MP -c $< -o $@

$(B)/guest/riad/base/%.S.o: base/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_BASE_CFLAGS) -c $< -o $@

# The network layers (NET_DIRS, Makefile).
define solo5_net_dir
$(B)/guest/riad/$(1)/%.c.o: $(1)/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(SOLO5_GUEST_CFLAGS) -MMD -MP -c $$< -o $$@
endef
$(foreach d,$(NET_DIRS),$(eval $(call solo5_net_dir,$(d))))

$(B)/guest/riad/storage/%.c.o: storage/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/guest/riad/runtime/%.c.o: runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/guest/riad/runtime/%.S.o: runtime/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_GUEST_CFLAGS) -c $< -o $@

$(B)/guest/riad/libriad.a: $(SOLO5_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/guest/riad/libriad-net.a: $(SOLO5_NET_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/guest/riad/libriad-storage.a: $(SOLO5_STORAGE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/guest/riad/libriad-solo5.a: $(SOLO5_RUNTIME_OBJS)
	rm -f $@ && ar rcs $@ $^

# The compiler's own headers (stddef.h, stdint.h, stdarg.h...), which
# -nostdinc leaves out, for the pkg-config files.
SOLO5_CC_INCLUDE := $(GUEST_CC_INCLUDE)

# One target's files: $(1) is spt or hvt.
define solo5_target
SOLO5_$(1)_OBJS := $$(call guest_obj,$$(sort $$(wildcard base/$(1)/*.c base/$(1)/*.S)))
SOLO5_$(1)_LIBDIR := $(STAGE)/lib/riad/$(1)

# The bindings are one relocatable object in which only the Solo5
# interface, the entry point, the stack protector's symbols and riad_*
# stay global, so that an application cannot clash with base_*, spt_* or
# hvt_* (as Solo5 does with its bindings). The empty manifest stays a
# separate member: it is linked only if nothing else defines one.
$(B)/guest/riad/solo5_$(1).o: $$(filter-out %/mft_default.c.o,$$(SOLO5_COMMON_OBJS)) $$(SOLO5_$(1)_OBJS)
	ld -r -o $$@.tmp $$^
	objcopy -w --keep-global-symbol='solo5_*' --keep-global-symbol=_start \
		--keep-global-symbol='__stack_chk_*' --keep-global-symbol='riad_*' $$@.tmp $$@
	rm -f $$@.tmp

$(B)/guest/riad/libsolo5-$(1).a: $(B)/guest/riad/solo5_$(1).o $(B)/guest/riad/base/common/mft_default.c.o
	rm -f $$@ && ar rcs $$@ $$^

# riad's own archives (libriad*.a, libsolo5-$(1).a) are staged by
# mk/symbols.mk, which renames their internal symbols; these as they are.
$$(SOLO5_$(1)_LIBDIR)/libc.a: $(LIBC_A)
	@mkdir -p $$(dir $$@)
	cp $$< $$@
$$(SOLO5_$(1)_LIBDIR)/libbearssl.a: $(BEARSSL_GUEST)
	@mkdir -p $$(dir $$@)
	cp $$< $$@
$$(SOLO5_$(1)_LIBDIR)/solo5_$(1).lds: base/$(1)/solo5_$(1).lds
	@mkdir -p $$(dir $$@)
	cp $$< $$@
$(STAGE)/lib/pkgconfig/riad-$(1).pc: tool/riad-$(1).pc.in
	@mkdir -p $$(dir $$@)
	sed 's|@CC_INCLUDE@|$(SOLO5_CC_INCLUDE)|g' $$< >$$@

SOLO5_STAGE_FILES += $$(addprefix $$(SOLO5_$(1)_LIBDIR)/,libriad.a libriad-net.a libriad-storage.a libriad-$(1).a \
	libsolo5-$(1).a libc.a libbearssl.a solo5_$(1).lds) $(STAGE)/lib/pkgconfig/riad-$(1).pc
endef

SOLO5_STAGE_FILES :=
$(foreach t,$(SOLO5_TARGETS),$(eval $(call solo5_target,$(t))))

SOLO5_LIBC_HDRS := $(shell find libc/include -name '*.h' 2>/dev/null)
SOLO5_STAGE_FILES += $(patsubst libc/include/%,$(STAGE)/lib/riad/libc/include/%,$(SOLO5_LIBC_HDRS))

$(STAGE)/lib/riad/libc/include/%: libc/include/%
	@mkdir -p $(dir $@)
	cp $< $@

ifneq ($(BEARSSL_GUEST),)
SOLO5_BEARSSL_HDRS := $(wildcard $(BEARSSL_SRC)/inc/*.h)
SOLO5_STAGE_FILES += $(patsubst $(BEARSSL_SRC)/inc/%,$(STAGE)/lib/riad/bearssl/include/%,$(SOLO5_BEARSSL_HDRS))

$(STAGE)/lib/riad/bearssl/include/%: $(BEARSSL_SRC)/inc/%
	@mkdir -p $(dir $@)
	cp $< $@

STAGE_FILES += $(SOLO5_STAGE_FILES)
stage-solo5: $(SOLO5_STAGE_FILES)
else
ifeq ($(filter clean bearssl-source,$(MAKECMDGOALS)),)
ifneq ($(filter spt hvt,$(RIAD_TARGETS)),)
$(error no BearSSL source in $(BEARSSL_SRC), so the hvt and spt targets cannot be built: run tool/fetch-bearssl-source (tool/install-deps runs it), or build the unix target only with make RIAD_TARGETS=unix)
endif
$(info mk/solo5.mk: RIAD_TARGETS=$(RIAD_TARGETS): the hvt and spt targets are not built)
endif
stage-solo5:
	@echo "stage-solo5: the hvt and spt targets are not built (RIAD_TARGETS=$(RIAD_TARGETS), or no BearSSL source in $(BEARSSL_SRC): run tool/fetch-bearssl-source)" >&2; exit 1
endif

.PHONY: stage-solo5
