# mk/unit.mk: host unit tests. Each tests/unit/test_*.c is one program linked
# with the target-independent runtime and the fake platform (a clock that
# jumps to the next deadline instead of sleeping). They call riad's internal
# functions (tcp_input...) by name, so they link the archives as built, not
# the staged ones, in which mk/symbols.mk has renamed those functions.
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
UNIT_SUPPORT := $(call host_obj,tests/unit/fake_platform.c tests/unit/check.c)

$(B)/tests/unit/%: $(B)/host/tests/unit/%.c.o $(UNIT_SUPPORT) $(addprefix $(UNIX_BUILD_LIBDIR)/,$(RIAD_ARCHIVES))
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $< $(UNIT_SUPPORT) -Wl,--start-group $(addprefix $(UNIX_BUILD_LIBDIR)/,$(RIAD_ARCHIVES)) -Wl,--end-group -lbearssl

CHECK_DEPS += $(UNIT_BINS)
