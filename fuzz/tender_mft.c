/* fuzz/tender_mft.c: libFuzzer target: arbitrary bytes as a manifest through the tender's validation, lookup and attachment check. */
#include "../tender/common/mft.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tender_error err;
	struct riad_mft *m;

	if (size < 8 || size > RIAD_MFT_SIZE(RIAD_MFT_MAX_ENTRIES + 2))
		return 0;
	/* The tender validates an 8-aligned copy of exactly the note's size. */
	m = malloc(size);
	if (m == NULL)
		return 0;
	memcpy(m, data, size);
	if (mft_validate(m, size, &err) == 0) {
		if (RIAD_MFT_SIZE((size_t)m->entries) != size)
			abort();
		for (uint32_t i = 0; i < m->entries; i++) {
			int j = mft_find(m, m->e[i].name, m->e[i].type);
			if (j < 0 || (uint32_t)j > i)
				abort();
		}
		(void)mft_find(m, "service", RIAD_MFT_DEV_NET_BASIC);
		(void)mft_check_attached(m, &err);
		for (uint32_t i = 0; i < m->entries; i++)
			m->e[i].attached = true;
		if (mft_check_attached(m, &err) != 0)
			abort();
	}
	free(m);
	return 0;
}
