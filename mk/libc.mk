# mk/libc.mk: riad's freestanding C library for the solo5 targets (hvt, spt),
# built in each guest flavour (Makefile: GUEST_FLAVOURS) into
# GUEST_DIR_FLAVOUR/libc/libc.a, and its host tests.
#
# guest_cflags (FLAVOUR) is how every part compiles code that runs inside a
# solo5 guest: no host headers (the compiler's own for stddef.h,
# stdint.h..., libc/include for the rest), no red zone, static non-PIC
# code, the stack protector with a global guard (__stack_chk_guard and
# __stack_chk_fail come from the target's start code, not from the libc),
# and the flavour's instruction set, GUEST_ISA_FLAVOUR:
#
#   nosse  -mno-sse -mno-mmx -mno-avx: hvt, because one SSE instruction in
#          ring 0 kills a guest on the kvm-pvm test hosts (the base, which
#          runs there, is compiled so for every target: mk/solo5.mk)
#   sse    the x86_64 baseline (SSE2): spt, a process; floating point works
#          and BearSSL's AES-NI, PCLMULQDQ and SSE2 code is built in
#          (mk/bearssl.mk), used where CPUID says the CPU has it
#
# GUEST_CFLAGS is the nosse flavour's, which code built once for every
# guest (the base, the libc's host tests) uses.
#
# A file libc/src/ARCH/NAME.S or .c replaces libc/src/NAME.c for ARCH.
#
# Host tests: the very objects in the nosse libc.a are copied with every
# symbol prefixed by rl_ (objcopy --prefix-symbols), so that a test program
# can link them next to glibc and compare rl_snprintf with snprintf and so
# on. The sse libc.a is the same source compiled with SSE allowed.
GUEST_CC_INCLUDE := $(shell $(CC) -print-file-name=include)
GUEST_ISA_nosse := -mno-sse -mno-mmx -mno-avx
GUEST_ISA_sse :=
guest_cflags = -std=c11 -O2 -g $(WARN) -ffreestanding -nostdinc \
        -isystem $(GUEST_CC_INCLUDE) -Ilibc/include -Iinclude -Iruntime \
        $(GUEST_ISA_$(1)) -mno-red-zone -fno-pic \
        -fstack-protector-strong -mstack-protector-guard=global \
        -ffunction-sections -fdata-sections
GUEST_CFLAGS := $(call guest_cflags,nosse)

LIBC_ARCH := x86_64
LIBC_ARCH_SRCS := $(wildcard libc/src/$(LIBC_ARCH)/*.S libc/src/$(LIBC_ARCH)/*.c)
LIBC_GENERIC_SRCS := $(filter-out $(patsubst libc/src/$(LIBC_ARCH)/%,libc/src/%.c,$(basename $(LIBC_ARCH_SRCS))),\
        $(wildcard libc/src/*.c))
LIBC_SRCS := $(sort $(LIBC_GENERIC_SRCS) $(LIBC_ARCH_SRCS))
LIBC_HEADERS := $(shell find libc/include -name '*.h') $(wildcard libc/src/*.h) include/riad/console.h include/riad/clock.h

# The compiler may turn a byte loop into a call to memcpy or memset; inside
# the libc that call could be the function being defined.
libc_cflags = $(call guest_cflags,$(1)) -fno-tree-loop-distribute-patterns
LIBC_CFLAGS := $(call libc_cflags,nosse)

# One flavour's libc.a: $(1) is the flavour.
define libc_flavour
LIBC_A_$(1) := $(GUEST_DIR_$(1))/libc/libc.a

$(GUEST_DIR_$(1))/libc/%.c.o: libc/src/%.c $$(LIBC_HEADERS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(call libc_cflags,$(1)) -c $$< -o $$@

$(GUEST_DIR_$(1))/libc/%.S.o: libc/src/%.S
	@mkdir -p $$(dir $$@)
	$$(CC) $$(call libc_cflags,$(1)) -c $$< -o $$@

$(GUEST_DIR_$(1))/libc/libc.a: $$(patsubst libc/src/%,$(GUEST_DIR_$(1))/libc/%.o,$$(LIBC_SRCS))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach f,$(GUEST_FLAVOURS),$(eval $(call libc_flavour,$(f))))

# The one the host tests and tests/libc/nosse.t look at.
LIBC_A := $(LIBC_A_nosse)

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

CHECK_DEPS += $(foreach f,$(GUEST_FLAVOURS),$(LIBC_A_$(f))) $(LIBC_TEST_BINS)
# Keep the support objects between builds (make would delete them as
# intermediate files and rebuild them every time).
.SECONDARY: $(LIBC_TEST_SUPPORT)
