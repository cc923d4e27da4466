# mk/store_spec.mk: the boot-time store choice (riad/store.h, --store and
# --crypt-key): the sources the storage_spec fuzz target tests (see mk/fuzz.mk).
FUZZ_SRCS_storage_spec := storage/store_spec.c runtime/wipe.c
