# mk/libc.mk: riad's freestanding C library for the solo5 targets (hvt, spt),
# built with the guest flags into build/guest/libc/libc.a, and its host tests.
#
# GUEST_CFLAGS is how every part compiles code that runs inside a solo5
# guest: no host headers (the compiler's own for stddef.h, stdint.h...,
# libc/include for the rest), no SSE/MMX/AVX (it kills guests on the PVM
# test host), no red zone, static non-PIC code, and the stack protector with
# a global guard (__stack_chk_guard and __stack_chk_fail come from the
# target's start code, not from the libc).
#
# A file libc/src/ARCH/NAME.S or .c replaces libc/src/NAME.c for ARCH.
#
# Host tests: the very objects in libc.a are copied with every symbol
# prefixed by rl_ (objcopy --prefix-symbols), so that a test program can
# link them next to glibc and compare rl_snprintf with snprintf and so on.
GUEST_CC_INCLUDE := $(shell $(CC) -print-file-name=include)
GUEST_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -nostdinc \
        -isystem $(GUEST_CC_INCLUDE) -Ilibc/include -Iinclude -Iruntime \
        -mno-sse -mno-mmx -mno-avx -mno-red-zone -fno-pic \
        -fstack-protector-strong -mstack-protector-guard=global \
        -ffunction-sections -fdata-sections

LIBC_A := $(B)/guest/libc/libc.a
LIBC_ARCH := x86_64
LIBC_ARCH_SRCS := $(wildcard libc/src/$(LIBC_ARCH)/*.S libc/src/$(LIBC_ARCH)/*.c)
LIBC_GENERIC_SRCS := $(filter-out $(patsubst libc/src/$(LIBC_ARCH)/%,libc/src/%.c,$(basename $(LIBC_ARCH_SRCS))),\
        $(wildcard libc/src/*.c))
LIBC_SRCS := $(sort $(LIBC_GENERIC_SRCS) $(LIBC_ARCH_SRCS))
LIBC_OBJS := $(patsubst libc/src/%,$(B)/guest/libc/%.o,$(LIBC_SRCS))
LIBC_HEADERS := $(shell find libc/include -name '*.h') $(wildcard libc/src/*.h) include/riad/console.h include/riad/clock.h

# The compiler may turn a byte loop into a call to memcpy or memset; inside
# the libc that call could be the function being defined.
LIBC_CFLAGS := $(GUEST_CFLAGS) -fno-tree-loop-distribute-patterns

$(B)/guest/libc/%.c.o: libc/src/%.c $(LIBC_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBC_CFLAGS) -c $< -o $@

$(B)/guest/libc/%.S.o: libc/src/%.S
	@mkdir -p $(dir $@)
	$(CC) $(LIBC_CFLAGS) -c $< -o $@

$(LIBC_A): $(LIBC_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Host tests.
LIBC_TEST_SRCS := $(sort $(wildcard tests/libc/test_*.c))
LIBC_TEST_BINS := $(patsubst tests/libc/%.c,$(B)/tests/libc/%,$(LIBC_TEST_SRCS))
LIBC_RL_A := $(B)/tests/libc/rl/librl.a
LIBC_TEST_SUPPORT := $(call host_obj,tests/libc/rl_support.c tests/unit/check.c)

$(LIBC_RL_A): $(LIBC_A)
	@mkdir -p $(dir $@)
	objcopy --prefix-symbols=rl_ $< $@ && ranlib $@

# The generic files that an ARCH file replaces are not in libc.a, but are
# tested too: prefixed rg_ instead, in their own archive, linked whole so
# that tests can look for them with weak references.
LIBC_REPLACED_SRCS := $(filter-out $(LIBC_GENERIC_SRCS),$(wildcard libc/src/*.c))
LIBC_REPLACED_OBJS := $(patsubst libc/src/%,$(B)/tests/libc/generic/%.o,$(LIBC_REPLACED_SRCS))
LIBC_RG_A :=
LIBC_RG_LINK :=
ifneq ($(LIBC_REPLACED_OBJS),)
LIBC_RG_A := $(B)/tests/libc/rl/librg.a
LIBC_RG_LINK := -Wl,--whole-archive $(LIBC_RG_A) -Wl,--no-whole-archive
endif

$(B)/tests/libc/generic/%.c.o: libc/src/%.c $(LIBC_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(LIBC_CFLAGS) -c $< -o $@

$(B)/tests/libc/rl/librg.a: $(LIBC_REPLACED_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@.tmp $^ && objcopy --prefix-symbols=rg_ $@.tmp $@ && rm -f $@.tmp && ranlib $@

# The rl_ objects are not position-independent, so the tests are not PIE.
$(B)/tests/libc/%: $(B)/host/tests/libc/%.c.o $(LIBC_TEST_SUPPORT) $(LIBC_RL_A) $(LIBC_RG_A)
	@mkdir -p $(dir $@)
	$(CC) -no-pie -o $@ $< $(LIBC_TEST_SUPPORT) $(LIBC_RL_A) $(LIBC_RG_LINK)

$(call host_obj,$(LIBC_TEST_SRCS) tests/libc/rl_support.c): tests/libc/rl.h

CHECK_DEPS += $(LIBC_A) $(LIBC_TEST_BINS)
# Keep the support objects between builds (make would delete them as
# intermediate files and rebuild them every time).
.SECONDARY: $(LIBC_TEST_SUPPORT)
