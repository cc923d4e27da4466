# mk/storage.mk: storage (storage/: block overlays, partitions): the sources
# the storage_part fuzz target tests (see mk/fuzz.mk). storage/*.c itself
# goes into libriad-storage.a on every target (Makefile, mk/solo5.mk).
FUZZ_SRCS_storage_part := storage/part.c storage/block_range.c storage/block.c fuzz/support/panic.c \
	fuzz/support/log_off.c
