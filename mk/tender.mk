# mk/tender.mk: the tenders' common part, riad-spt, their tests (tests/tender) and fuzz targets.
#
# Tender objects go to build/tender/ (not build/host/) so that they depend on
# the ABI headers and the tender's private headers.
TENDER_COMMON_SRCS := $(sort $(wildcard tender/common/*.c))
TENDER_SPT_SRCS := $(sort $(wildcard tender/spt/*.c)) tender/spt/spt_launch.S
TENDER_HDRS := include/solo5.h $(wildcard include/abi/*.h tender/common/*.h tender/spt/*.h)
TENDER_LDFLAGS := -static-pie -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now

tender_obj = $(patsubst %,$(B)/tender/%.o,$(1))
TENDER_COMMON_OBJS := $(call tender_obj,$(TENDER_COMMON_SRCS))
TENDER_SPT_OBJS := $(call tender_obj,$(TENDER_SPT_SRCS))

$(B)/tender/%.c.o: %.c $(TENDER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/tender/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

# The module objects must be linked as objects, not from an archive: nothing
# refers to them by name, they register themselves by linker section.
$(STAGE)/bin/riad-spt: $(TENDER_SPT_OBJS) $(TENDER_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(TENDER_LDFLAGS) -o $@ $^ -l:libseccomp.a

STAGE_FILES += $(STAGE)/bin/riad-spt $(STAGE)/include/solo5.h \
	$(patsubst include/%,$(STAGE)/include/%,$(wildcard include/abi/*.h))

# Tests: one program per tests/tender/test_*.c, with the common objects.
TENDER_TEST_SRCS := $(sort $(wildcard tests/tender/test_*.c))
TENDER_TEST_BINS := $(patsubst tests/tender/%.c,$(B)/tests/tender/%,$(TENDER_TEST_SRCS))
TENDER_TEST_SUPPORT := $(call tender_obj,tests/unit/check.c)

$(B)/tests/tender/%: $(B)/tender/tests/tender/%.c.o $(TENDER_TEST_SUPPORT) $(TENDER_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $^ -l:libseccomp.a

$(B)/tender/tests/tender/%.c.o: tests/tender/%.c tests/tender/craft.h $(TENDER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Itests/unit -c $< -o $@

# Hand-made spt guests (tests/tender/guest_*.S, linked by guest.lds) that
# tests/tender/spt.t runs under riad-spt.
TENDER_GUEST_SRCS := $(sort $(wildcard tests/tender/guest_*.S))
TENDER_GUESTS := $(patsubst tests/tender/guest_%.S,$(B)/tests/tender/guests/%.spt,$(TENDER_GUEST_SRCS))

$(B)/tests/tender/guests/%.spt: tests/tender/guest_%.S tests/tender/guest.lds tests/tender/guest.h
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-T,tests/tender/guest.lds -Wl,--build-id=none \
		-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -o $@ $<

stage-tender: $(STAGE)/bin/riad-spt

CHECK_DEPS += stage-tender $(TENDER_TEST_BINS) $(TENDER_GUESTS)

# Fuzz targets (see mk/fuzz.mk).
FUZZ_SRCS_tender_elf := tender/common/elf.c tender/common/elf_note.c tender/common/mft.c \
	tender/common/error.c
FUZZ_SRCS_tender_mft := tender/common/mft.c tender/common/error.c

.PHONY: stage-tender

# Keep the test objects (make would delete them as intermediates).
.SECONDARY: $(TENDER_TEST_SUPPORT) \
	$(patsubst tests/tender/%.c,$(B)/tender/tests/tender/%.c.o,$(TENDER_TEST_SRCS))
