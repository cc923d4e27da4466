# mk/store.mk: the writable store (storage/kv_store.c): its fuzz target's
# sources (the store's code is in libriad-storage.a through STORAGE_SRCS).
FUZZ_SRCS_storage_store := storage/kv_store.c storage/kv_store_index.c storage/crc32c.c storage/kv.c \
	storage/block.c storage/block_mem.c fuzz/support/panic.c fuzz/support/storage_store_stubs.c \
	fuzz/support/log_off.c fuzz/support/clock_fixed.c

# bench/storage_store.sh's baseline: the same values as files on the host.
$(B)/bench/storage_store_files: bench/storage_store_files.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -pie -o $@ $<

bench: $(B)/bench/storage_store_files
