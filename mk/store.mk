# mk/store.mk: the boot-time store choice (riad/store.h): the sources the
# storage_spec fuzz target tests (see mk/fuzz.mk).
FUZZ_SRCS_storage_spec := storage/store_spec.c storage/wipe.c
