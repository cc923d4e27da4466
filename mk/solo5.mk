# mk/solo5.mk: the guest side of the solo5 targets (spt, hvt): the base
# (base/common + base/TARGET: the Solo5 interface), the runtime on it
# (runtime/solo5), riad's target-independent archives (Makefile:
# RIAD_ARCHIVES) compiled for guests, and what a unikernel links, staged
# per target:
#
#   build/stage/lib/riad/TARGET/  libriad.a        runtime/*.c for guests
#                                 libriad-net.a    netif, net, tcp, sock, stack
#                                 libriad-storage.a storage
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
# Everything but the base is compiled once per guest flavour (Makefile:
# GUEST_FLAVOURS; flags in mk/libc.mk) into GUEST_DIR_FLAVOUR/riad, and a
# target stages its flavour's (GUEST_FLAVOUR_TARGET): spt SSE, hvt none.
# The base is compiled once, without SSE (on hvt part of it runs in ring
# 0), into build/guest/riad/base. All of it gets stack clash protection,
# so that a large frame cannot step over a guard page. The targets need
# BearSSL's source (mk/bearssl.mk): without it make stops with an error,
# unless RIAD_TARGETS=unix asks for the unix target only (then `riad
# targets` reports them as not installed).
SOLO5_TARGETS := spt $(if $(wildcard base/hvt/*.c),hvt)

# -Ibase: runtime/solo5 reaches the base's riad_base.h (and its CPU helpers)
# through the include path, as the network layers reach each other.
solo5_guest_cflags = $(call guest_cflags,$(1)) $(NET_INCLUDES) -Ibase -fstack-clash-protection -I$(BEARSSL_SRC)/inc
SOLO5_GUEST_CFLAGS = $(call solo5_guest_cflags,nosse)
# The base runs below the libc: its byte loops must stay loops.
SOLO5_BASE_CFLAGS = $(SOLO5_GUEST_CFLAGS) -fno-tree-loop-distribute-patterns

SOLO5_BASE_DIR := $(B)/guest/riad/base
SOLO5_COMMON_OBJS := $(patsubst %,$(B)/guest/riad/%.o,$(sort $(wildcard base/common/*.c base/common/*.S)))

$(SOLO5_BASE_DIR)/%.c.o: base/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_BASE_CFLAGS) -MMD -MP -c $< -o $@

$(SOLO5_BASE_DIR)/%.S.o: base/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SOLO5_BASE_CFLAGS) -c $< -o $@

# One flavour's riad archives: $(1) is the flavour. Any source file
# compiles by one rule (the object's path under riad/ is the source's), so
# a new folder needs no rule here, only its sources in a RIAD_SRCS_ list
# (Makefile). The more specific base rule above wins for base/.
define solo5_flavour
SOLO5_DIR_$(1) := $(GUEST_DIR_$(1))/riad

$(GUEST_DIR_$(1))/riad/%.c.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(call solo5_guest_cflags,$(1)) -MMD -MP -c $$< -o $$@

$(GUEST_DIR_$(1))/riad/%.S.o: %.S
	@mkdir -p $$(dir $$@)
	$$(CC) $$(call solo5_guest_cflags,$(1)) -c $$< -o $$@

$(GUEST_DIR_$(1))/riad/libriad-solo5.a: $$(patsubst %,$(GUEST_DIR_$(1))/riad/%.o,$$(sort $$(wildcard runtime/solo5/*.c)))
$$(addprefix $(GUEST_DIR_$(1))/riad/,$$(RIAD_ARCHIVES) libriad-solo5.a):
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach f,$(GUEST_FLAVOURS),$(eval $(call solo5_flavour,$(f))))
# Flavour $(1)'s archive $(2) (one of RIAD_ARCHIVES) and its objects.
solo5_archive = $(GUEST_DIR_$(1))/riad/$(2): $(patsubst %,$(GUEST_DIR_$(1))/riad/%.o,$(RIAD_SRCS_$(2)))
$(foreach f,$(GUEST_FLAVOURS),$(foreach a,$(RIAD_ARCHIVES),$(eval $(call solo5_archive,$(f),$(a)))))

# The compiler's own headers (stddef.h, stdint.h, stdarg.h...), which
# -nostdinc leaves out, for the pkg-config files.
SOLO5_CC_INCLUDE := $(GUEST_CC_INCLUDE)

# A target's flavour may be chosen on the command line (make
# GUEST_FLAVOUR_hvt=sse): $(B)/flavour-TARGET holds the one last staged,
# rewritten when it changes, and what is staged from the flavour depends on
# it, so that a change restages everything instead of mixing flavours.
solo5_flavour_stamp = $(shell mkdir -p $(B) && [ "$$(cat $(B)/flavour-$(1) 2>/dev/null)" = "$(GUEST_FLAVOUR_$(1))" ] || \
	echo "$(GUEST_FLAVOUR_$(1))" >$(B)/flavour-$(1))$(B)/flavour-$(1)

# One target's files: $(1) is spt or hvt.
define solo5_target
SOLO5_$(1)_OBJS := $$(patsubst %,$(B)/guest/riad/%.o,$$(sort $$(wildcard base/$(1)/*.c base/$(1)/*.S)))
SOLO5_$(1)_LIBDIR := $(STAGE)/lib/riad/$(1)
SOLO5_$(1)_FLAVOUR := $(GUEST_FLAVOUR_$(1))
SOLO5_$(1)_STAMP := $(call solo5_flavour_stamp,$(1))

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
$$(SOLO5_$(1)_LIBDIR)/libc.a: $$(LIBC_A_$$(SOLO5_$(1)_FLAVOUR)) $$(SOLO5_$(1)_STAMP)
	@mkdir -p $$(dir $$@)
	cp $$< $$@
$$(SOLO5_$(1)_LIBDIR)/libbearssl.a: $$(BEARSSL_GUEST_$$(SOLO5_$(1)_FLAVOUR)) $$(SOLO5_$(1)_STAMP)
	@mkdir -p $$(dir $$@)
	cp $$< $$@
$$(SOLO5_$(1)_LIBDIR)/solo5_$(1).lds: base/$(1)/solo5_$(1).lds
	@mkdir -p $$(dir $$@)
	cp $$< $$@
$(STAGE)/lib/pkgconfig/riad-$(1).pc: tool/riad-$(1).pc.in Makefile mk/libc.mk $$(SOLO5_$(1)_STAMP)
	@mkdir -p $$(dir $$@)
	sed -e 's|@CC_INCLUDE@|$(SOLO5_CC_INCLUDE)|g' -e 's|@RIAD_LIBS@|$$(call riad_libs,$$$${libdir})|g' \
		-e 's|@GUEST_ISA@|$$(GUEST_ISA_$$(SOLO5_$(1)_FLAVOUR))|g' $$< >$$@

SOLO5_STAGE_FILES += $$(addprefix $$(SOLO5_$(1)_LIBDIR)/,$(RIAD_ARCHIVES) libriad-$(1).a \
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
