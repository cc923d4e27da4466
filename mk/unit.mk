# mk/unit.mk: host unit tests. Each tests/unit/test_*.c is one program linked
# with the target-independent runtime and the fake platform (a clock that
# jumps to the next deadline instead of sleeping).
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
UNIT_SUPPORT := $(call host_obj,tests/unit/fake_platform.c tests/unit/check.c)

$(B)/tests/unit/%: $(B)/host/tests/unit/%.c.o $(UNIT_SUPPORT) $(UNIX_LIBDIR)/libriad.a $(UNIX_LIBDIR)/libriad-net.a $(UNIX_LIBDIR)/libriad-storage.a
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $< $(UNIT_SUPPORT) -Wl,--start-group $(UNIX_LIBDIR)/libriad-net.a $(UNIX_LIBDIR)/libriad-storage.a $(UNIX_LIBDIR)/libriad.a -Wl,--end-group -lbearssl

CHECK_DEPS += $(UNIT_BINS)
