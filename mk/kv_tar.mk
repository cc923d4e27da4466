# mk/kv_tar.mk: the tar KV store's host tool for tests/storage/tar.t and
# bench/storage_tar.sh (kvtar-tool, linked with the unix target's libraries
# like riad-disk), and its libFuzzer target.
KVTAR_TOOL := $(B)/tests/storage/kvtar-tool
KVTAR_TOOL_LIBS := $(UNIX_LIBDIR)/libriad-storage.a $(UNIX_LIBDIR)/libriad-unix.a $(UNIX_LIBDIR)/libriad.a

$(KVTAR_TOOL): $(call host_obj,tests/storage/kvtar_tool.c) $(KVTAR_TOOL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) -pie -o $@ $< -Wl,--gc-sections -Wl,--start-group $(KVTAR_TOOL_LIBS) -Wl,--end-group -l:libbearssl.a

CHECK_DEPS += $(KVTAR_TOOL)

# The store with the block and key code it needs; SHA-256 from the host's
# BearSSL (riad_kv_digest); logging and the clock stubbed.
FUZZ_SRCS_storage_tar := storage/kv_tar.c storage/kv.c storage/block.c storage/block_mem.c \
        fuzz/support/panic.c fuzz/support/log_off.c fuzz/support/clock_fixed.c \
        $(shell $(CC) -print-file-name=libbearssl.a)
