# mk/tender-hvt.mk: riad-hvt (the KVM tender), its hand-made test guests (tests/tender/hvt_*.S) and the KVM launch benchmark's baseline program.
#
# This fragment is read before mk/tender.mk (the list is sorted), so it names
# its own prerequisites instead of using that file's variables; the object
# rule ($(B)/tender/%.c.o) and TENDER_LDFLAGS come from there and are used
# only when make runs, by which time both are defined.
HVT_SRCS := $(sort $(wildcard tender/hvt/*.c))
HVT_COMMON_SRCS := $(sort $(wildcard tender/common/*.c))
hvt_tender_obj = $(patsubst %,$(B)/tender/%.o,$(1))
HVT_OBJS := $(call hvt_tender_obj,$(HVT_SRCS))
HVT_COMMON_OBJS := $(call hvt_tender_obj,$(HVT_COMMON_SRCS))

$(HVT_OBJS): tender/hvt/hvt.h

# Linked as objects: hypercalls and device modules register themselves by
# linker section.
$(STAGE)/bin/riad-hvt: $(HVT_OBJS) $(HVT_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(TENDER_LDFLAGS) -o $@ $^ -l:libseccomp.a -lpthread

# Hand-made hvt guests, linked by tests/tender/hvt.ld; tests/tender/hvt.t runs
# them. tests/tender/hvt_macros.S is included by the others.
HVT_GUEST_SRCS := $(filter-out tests/tender/hvt_macros.S,$(sort $(wildcard tests/tender/hvt_*.S)))
HVT_GUESTS := $(patsubst tests/tender/hvt_%.S,$(B)/tests/tender/hvt/%.hvt,$(HVT_GUEST_SRCS))

$(B)/tests/tender/hvt/%.hvt: tests/tender/hvt_%.S tests/tender/hvt.ld tests/tender/hvt_macros.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-T,tests/tender/hvt.ld -Wl,--build-id=none \
		-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -o $@ $<

# Host unit test of the memory rules and checked guest access (no KVM):
# tests/tender/hvt_mem_test.c, linked with hvt_mem.c and a fake hvt_fatal.
HVT_MEM_TEST := $(B)/tests/tender/test_hvt_mem

$(B)/tender/tests/tender/hvt_mem_test.c.o: tender/hvt/hvt.h

$(HVT_MEM_TEST): $(B)/tender/tests/tender/hvt_mem_test.c.o $(B)/tender/tender/hvt/hvt_mem.c.o \
		$(B)/tender/tender/common/error.c.o $(B)/tender/tests/unit/check.c.o
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $^

# bench/hvt_tender.sh compares riad-hvt's launch with this minimal KVM program.
$(B)/bench/kvm_hlt: bench/kvm_hlt.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -pie -o $@ $<

STAGE_FILES += $(STAGE)/bin/riad-hvt
CHECK_DEPS += $(STAGE)/bin/riad-hvt $(HVT_GUESTS) $(HVT_MEM_TEST)

.SECONDARY: $(B)/tender/tests/tender/hvt_mem_test.c.o

bench: $(B)/bench/kvm_hlt $(B)/tests/tender/hvt/hello.hvt

# fuzz/tender_gdb.c: the gdb stub's packet handling (mk/fuzz.mk).
FUZZ_SRCS_tender_gdb := tender/hvt/hvt_gdb.c tender/common/error.c
