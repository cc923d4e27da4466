# Makefile: builds riad into build/stage/ (a relocatable install tree that the
# riad tool and the tests use in place), runs the tests, installs.
#
#   make            build everything into build/stage
#   make check      build, then run the whole test suite (tests/run);
#                   tool/check also installs what the tests need
#   make bench      run the benchmarks under bench/
#   make install    copy the stage to $(PREFIX) (default /usr/local)

PREFIX ?= /usr/local
B := build
STAGE := $(B)/stage

CC := cc
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla -Wno-format-nonliteral
# The network layers (README.md, Layout), each folder's private headers
# reached by name: netif/ (devices), net/ (protocols), tcp/, sock/ (the
# socket API of riad/net.h, any stack), stack/ (riad's own stack), ops/
# (syslog, the management listener: metrics, log levels), http/ (the
# HTTP/1.1 server library), tls/ (riad/tls.h over BearSSL: an application
# that calls no riad_tls_* links none of it).
NET_DIRS := netif net tcp sock stack ops http tls
NET_INCLUDES := $(addprefix -I,$(NET_DIRS))
COMMON_CFLAGS := -std=c11 -O2 -g $(WARN) -Iinclude -Iruntime $(NET_INCLUDES) \
        -ffunction-sections -fdata-sections
HOST_CFLAGS := $(COMMON_CFLAGS) -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 \
        -fstack-protector-strong -fPIE

# The target-independent runtime (knows no target) and each target's parts.
CORE_SRCS := $(sort $(wildcard runtime/*.c)) runtime/x86_64/switch.S
UNIX_SRCS := $(sort $(wildcard runtime/unix/*.c))
# Libraries above the runtime, target-independent too: the network layers
# make libriad-net.a (their file names are unique: ar keeps base names).
NET_SRCS := $(sort $(foreach d,$(NET_DIRS),$(wildcard $(d)/*.c)))
# Storage: block overlays and KV stores (storage/), target-independent.
STORAGE_SRCS := $(sort $(wildcard storage/*.c))

# riad's target-independent archives and the sources of each, built for
# every target: unix below, the solo5 targets in each guest flavour
# (mk/solo5.mk), and named on every target's link line (tool/*.pc.in get
# them through @RIAD_LIBS@). A new folder adds its sources to one of these
# lists, or is a new archive: its name in RIAD_ARCHIVES, its sources in
# RIAD_SRCS_NAME.
RIAD_ARCHIVES := libriad.a libriad-net.a libriad-storage.a
RIAD_SRCS_libriad.a := $(CORE_SRCS)
RIAD_SRCS_libriad-net.a := $(NET_SRCS)
RIAD_SRCS_libriad-storage.a := $(STORAGE_SRCS)

# The solo5 targets' code is compiled in two flavours (mk/libc.mk, where
# their flags are): nosse, without SSE, MMX or AVX, for hvt (one SSE
# instruction in ring 0 kills a guest under kvm-pvm), and sse, the x86_64
# baseline with BearSSL's AES-NI, PCLMULQDQ and SSE2 code, for spt (a
# process). Each flavour's libc, BearSSL and riad archives are built under
# its own directory.
GUEST_FLAVOURS := nosse sse
GUEST_DIR_nosse := $(B)/guest
GUEST_DIR_sse := $(B)/guest-sse
GUEST_FLAVOUR_spt := sse
GUEST_FLAVOUR_hvt := nosse

host_obj = $(patsubst %,$(B)/host/%.o,$(1))

UNIX_OBJS := $(call host_obj,$(UNIX_SRCS))

UNIX_LIBDIR := $(STAGE)/lib/riad/unix
UNIX_BUILD_LIBDIR := $(B)/host/lib
# The unix archives, by file name (mk/ fragments add theirs).
UNIX_ARCHIVES := $(RIAD_ARCHIVES) libriad-unix.a
# The link line's list of riad's archives in LIBDIR, for the .pc files.
riad_libs = $(foreach a,$(RIAD_ARCHIVES),$(1)/$(a))
HEADERS := $(wildcard include/riad/*.h)

all: stage

$(B)/host/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(B)/host/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

# The unix target's archives as built, every symbol under its own name: the
# unit tests link these (they call tcp_input and the like directly).
# mk/symbols.mk stages them into $(UNIX_LIBDIR) with the internal names
# renamed, so that the installed archives export only the API.
$(foreach a,$(RIAD_ARCHIVES),$(eval $(UNIX_BUILD_LIBDIR)/$(a): $(call host_obj,$(RIAD_SRCS_$(a)))))
$(UNIX_BUILD_LIBDIR)/libriad-unix.a: $(UNIX_OBJS)
$(addprefix $(UNIX_BUILD_LIBDIR)/,$(UNIX_ARCHIVES)):
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(STAGE)/lib/pkgconfig/%.pc: tool/%.pc.in Makefile
	@mkdir -p $(dir $@)
	sed 's|@RIAD_LIBS@|$(call riad_libs,$${libdir})|g' $< >$@

STAGE_FILES := $(addprefix $(UNIX_LIBDIR)/,$(UNIX_ARCHIVES)) \
        $(STAGE)/lib/pkgconfig/riad-unix.pc \
        $(STAGE)/bin/riad $(STAGE)/share/riad/riad.mk \
        $(patsubst include/%,$(STAGE)/include/%,$(HEADERS)) \
        $(patsubst docs/man/%,$(STAGE)/share/man/%,$(wildcard docs/man/man*/*))

$(STAGE)/bin/riad: tool/riad
	@mkdir -p $(dir $@)
	cp $< $@ && chmod +x $@

$(STAGE)/share/riad/riad.mk: tool/riad.mk
	@mkdir -p $(dir $@)
	cp $< $@

$(STAGE)/include/%: include/%
	@mkdir -p $(dir $@)
	cp $< $@

$(STAGE)/share/man/%: docs/man/%
	@mkdir -p $(dir $@)
	cp $< $@

# Fragments under mk/ add to STAGE_FILES and CHECK_DEPS, so they come first.
include $(sort $(wildcard mk/*.mk))

stage: $(STAGE_FILES)

build-tests: stage $(CHECK_DEPS)

check: build-tests
	tests/run

bench: stage
	bench/run

install: stage
	mkdir -p $(DESTDIR)$(PREFIX)
	cp -R $(STAGE)/. $(DESTDIR)$(PREFIX)/

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Keeps build/bearssl-src, which tool/fetch-bearssl-source took from Debian.
clean:
	find $(B) -mindepth 1 -maxdepth 1 ! -name bearssl-src -exec rm -rf {} + 2>/dev/null || true

.PHONY: all stage build-tests check bench install clean
.DELETE_ON_ERROR:
