# mk/fuzz.mk: libFuzzer targets, one per parser of untrusted bytes.
#
# fuzz/NAME.c defines LLVMFuzzerTestOneInput; the sources it tests are named
# by the variable FUZZ_SRCS_NAME, set in the mk/ fragment of the part that
# owns them. Its seed corpus is fuzz/corpus/NAME/. Built with clang, ASan and
# UBSan, and RIAD_FUZZING defined (so checksums may be skipped).
#
#   make fuzz-build                 build every target into build/fuzz/
#   make fuzz FUZZ_SECONDS=60       run each target for that long
# tests/fuzz/replay.t replays every corpus as part of the test suite.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Iinclude -Iruntime $(NET_INCLUDES) -D_GNU_SOURCE -DRIAD_FUZZING \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_NAMES := $(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c))
FUZZ_BINS := $(addprefix $(B)/fuzz/,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60

.SECONDEXPANSION:
$(B)/fuzz/%: fuzz/%.c $$(FUZZ_SRCS_$$*) $(HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@for n in $(FUZZ_NAMES); do \
		mkdir -p $(B)/fuzz/work/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		$(B)/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(B)/fuzz/work/$$n fuzz/corpus/$$n || exit 1; \
	done

CHECK_DEPS += $(FUZZ_BINS)
.PHONY: fuzz fuzz-build
