/* tender/common/mft.c: manifest validation, lookup and the attachment rule. */
#include "mft.h"

#include <inttypes.h>
#include <string.h>

int mft_validate(const struct riad_mft *mft, size_t size, struct tender_error *err)
{
	if (size < sizeof *mft)
		return error_set(err, "manifest too small (%zu bytes)", size);
	if (mft->version != RIAD_MFT_VERSION)
		return error_set(err, "manifest version %" PRIu32 ", expected %u", mft->version,
				 RIAD_MFT_VERSION);
	if (mft->entries < 1 || mft->entries > RIAD_MFT_MAX_ENTRIES)
		return error_set(err, "manifest has %" PRIu32 " entries, expected 1 to %u",
				 mft->entries, RIAD_MFT_MAX_ENTRIES);
	if (size != RIAD_MFT_SIZE((size_t)mft->entries))
		return error_set(err, "manifest is %zu bytes, but %" PRIu32 " entries need %zu", size,
				 mft->entries, RIAD_MFT_SIZE((size_t)mft->entries));
	if (mft->e[0].type != RIAD_MFT_RESERVED_FIRST)
		return error_set(err, "manifest entry 0 has type %" PRIu32 ", expected RESERVED_FIRST",
				 mft->e[0].type);
	if (mft->e[0].name[0] != '\0')
		return error_set(err, "manifest entry 0 has a name; it must be empty");
	for (uint32_t i = 0; i < mft->entries; i++) {
		if (mft->e[i].name[RIAD_MFT_NAME_MAX] != '\0')
			return error_set(err, "manifest entry %" PRIu32 ": name is not NUL-terminated", i);
		/* Read as a byte: a bool holding anything but 0 or 1 is UB. */
		if (*(const uint8_t *)&mft->e[i].attached != 0)
			return error_set(err, "manifest entry %" PRIu32 " ('%s'): marked attached in "
					      "the binary", i, mft->e[i].name);
	}
	return 0;
}

int mft_find(const struct riad_mft *mft, const char *name, uint32_t type)
{
	for (uint32_t i = 0; i < mft->entries; i++)
		if (mft->e[i].type == type && strncmp(mft->e[i].name, name, RIAD_MFT_NAME_SIZE) == 0)
			return (int)i;
	return -1;
}

const char *mft_type_name(uint32_t type)
{
	switch (type) {
	case RIAD_MFT_DEV_NET_BASIC:
		return "NET_BASIC";
	case RIAD_MFT_DEV_BLOCK_BASIC:
		return "BLOCK_BASIC";
	case RIAD_MFT_RESERVED_FIRST:
		return "RESERVED_FIRST";
	default:
		return "unknown";
	}
}

int mft_check_attached(const struct riad_mft *mft, struct tender_error *err)
{
	uint32_t missing = 0, first = 0;

	for (uint32_t i = 1; i < mft->entries; i++) {
		if (mft->e[i].type >= RIAD_MFT_RESERVED_FIRST || mft->e[i].attached)
			continue;
		if (missing++ == 0)
			first = i;
	}
	if (missing == 0)
		return 0;
	if (missing == 1)
		return error_set(err, "Device '%s' of type %s declared but not attached",
				 mft->e[first].name, mft_type_name(mft->e[first].type));
	return error_set(err, "Device '%s' of type %s declared but not attached (and %" PRIu32
			      " more); see --help", mft->e[first].name,
			 mft_type_name(mft->e[first].type), missing - 1);
}
