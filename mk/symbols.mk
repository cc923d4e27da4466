# mk/symbols.mk: the installed archives export only riad's API (issue 8).
#
# Every global symbol of riad's own archives that tool/symbols.allow does
# not allow (tcp_input, arp_init, net_stats_log...) is renamed to
# riad__NAME when the archive is staged, by tool/symbols, with one map per
# target (build/symbols/TARGET.map) applied to every riad archive of that
# target, so that a call from one archive into another's internals
# follows the rename. The archives keep their members: a unikernel still
# links only the members it needs, and with them only their boot options,
# log sources and constructors (registered by linker section). Names that
# no riad archive defines (main, the C library, BearSSL) are left alone,
# and libc.a and libbearssl.a are staged as they are (mk/solo5.mk);
# making a map fails if they refer to a name it renames.
#
# The archives are built, under their own names, in $(UNIX_BUILD_LIBDIR)
# (Makefile, mk/hostnet.mk) and GUEST_DIR_FLAVOUR/riad (mk/solo5.mk); the unit
# tests link those. This file relies on coming after mk/hostnet.mk (which
# adds to UNIX_ARCHIVES) and mk/solo5.mk (SOLO5_TARGETS) in the Makefile's
# sorted include. tests/e2e/symbols.t checks what the stage exports.
SYMBOLS := tool/symbols
SYMBOLS_DEPS := $(SYMBOLS) tool/symbols.allow

$(B)/symbols/unix.map: $(addprefix $(UNIX_BUILD_LIBDIR)/,$(UNIX_ARCHIVES)) $(SYMBOLS_DEPS)
	$(SYMBOLS) map $@ $(filter %.a,$^)

$(addprefix $(UNIX_LIBDIR)/,$(UNIX_ARCHIVES)): $(UNIX_LIBDIR)/%: $(UNIX_BUILD_LIBDIR)/% $(B)/symbols/unix.map
	@mkdir -p $(dir $@)
	$(SYMBOLS) rename $(B)/symbols/unix.map $< $@

# One solo5 target's: $(1) is spt or hvt. Its archives are its guest
# flavour's (mk/solo5.mk); the runtime on Solo5 is built once a flavour as
# libriad-solo5.a and installed as libriad-$(1).a.
define symbols_solo5
SYMBOLS_$(1)_DIR := $(GUEST_DIR_$(GUEST_FLAVOUR_$(1)))/riad
SYMBOLS_$(1)_LIBS := $$(addprefix $$(SYMBOLS_$(1)_DIR)/,$(RIAD_ARCHIVES)) $(B)/guest/riad/libsolo5-$(1).a
SYMBOLS_$(1)_OTHERS := $$(LIBC_A_$(GUEST_FLAVOUR_$(1))) $$(BEARSSL_GUEST_$(GUEST_FLAVOUR_$(1)))

$(B)/symbols/$(1).map: $$(SYMBOLS_$(1)_LIBS) $$(SYMBOLS_$(1)_DIR)/libriad-solo5.a $$(SYMBOLS_$(1)_OTHERS) $(SYMBOLS_DEPS) \
		$$(SOLO5_$(1)_STAMP)
	$(SYMBOLS) map $$@ $$(SYMBOLS_$(1)_LIBS) $$(SYMBOLS_$(1)_DIR)/libriad-solo5.a=libriad-$(1).a \
		-- $$(SYMBOLS_$(1)_OTHERS)

$(STAGE)/lib/riad/$(1)/libsolo5-$(1).a: $(B)/guest/riad/libsolo5-$(1).a $(B)/symbols/$(1).map
	@mkdir -p $$(dir $$@)
	$(SYMBOLS) rename $(B)/symbols/$(1).map $$< $$@

$$(addprefix $(STAGE)/lib/riad/$(1)/,$(RIAD_ARCHIVES)): $(STAGE)/lib/riad/$(1)/%: \
		$$(SYMBOLS_$(1)_DIR)/% $(B)/symbols/$(1).map
	@mkdir -p $$(dir $$@)
	$(SYMBOLS) rename $(B)/symbols/$(1).map $$< $$@

$(STAGE)/lib/riad/$(1)/libriad-$(1).a: $$(SYMBOLS_$(1)_DIR)/libriad-solo5.a $(B)/symbols/$(1).map
	@mkdir -p $$(dir $$@)
	$(SYMBOLS) rename $(B)/symbols/$(1).map $$< $$@
endef
$(foreach t,$(SOLO5_TARGETS),$(eval $(call symbols_solo5,$(t))))
