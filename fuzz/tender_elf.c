/* fuzz/tender_elf.c: libFuzzer target: arbitrary bytes as a guest executable through the tender's ELF checks, note reader and loader. */
#include "../tender/common/elf.h"

#include <stdlib.h>
#include <string.h>

/* Guest memory for elf_load: just above the lowest load address, so that
 * inputs can reach the copy and the checks against the memory size. */
#define FUZZ_MEM_SIZE (ELF_MIN_LOAD_ADDR + 0x40000u)

static uint8_t *mem;

static int no_protect(void *arg, uint64_t start, uint64_t end, int prot)
{
	(void)arg;
	(void)prot;
	if (start >= end || end > FUZZ_MEM_SIZE || (start | end) & (ELF_PAGE_SIZE - 1))
		abort(); /* the loader promised page-aligned ranges inside memory */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union {
		struct riad_mft m;
		uint8_t b[RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES)];
	} mft;
	struct tender_error err;
	struct elf_loaded img;
	struct guest_mem gm;
	const uint8_t *desc;
	size_t desc_size, mft_size;
	uint8_t *copy;

	/* An exact-size copy, so that ASan sees every read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (mem == NULL)
		mem = malloc(FUZZ_MEM_SIZE);
	(void)elf_note_abi(copy, size, RIAD_ABI_TARGET_SPT, RIAD_SPT_ABI_VERSION, &err);
	if (elf_note_find(copy, size, RIAD_MFT1_NOTE_TYPE, RIAD_MFT1_NOTE_ALIGN,
			  RIAD_MFT1_NOTE_MAX_SIZE, &desc, &desc_size, &err) == 1) {
		if (desc < copy || desc_size > size || desc + desc_size > copy + size)
			abort();
	}
	(void)elf_note_mft(copy, size, &mft.m, &mft_size, &err);
	(void)elf_check(copy, size, 512u << 20, &img, &err);
	gm.host = mem;
	gm.base = 0;
	gm.size = FUZZ_MEM_SIZE;
	if (elf_load(copy, size, &gm, no_protect, NULL, &img, &err) == 0 &&
	    (img.entry < ELF_MIN_LOAD_ADDR || img.entry >= FUZZ_MEM_SIZE || img.end > FUZZ_MEM_SIZE))
		abort();
	free(copy);
	return 0;
}
