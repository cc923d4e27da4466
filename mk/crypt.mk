# mk/crypt.mk: the encryption overlay's fuzz target (storage/block_crypt.c
# is built with the rest of storage/ by the Makefile; docs/storage-crypt.md),
# linked with the host's BearSSL.
FUZZ_SRCS_storage_crypt := storage/block_crypt.c storage/block.c storage/block_mem.c \
	runtime/wipe.c runtime/crypto_impl.c fuzz/support/panic.c fuzz/support/log_off.c \
	$(shell $(CC) -print-file-name=libbearssl.a)
