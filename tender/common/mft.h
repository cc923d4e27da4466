/* tender/common/mft.h: validating and querying a guest's manifest on the tender side. */
#ifndef RIAD_TENDER_MFT_H
#define RIAD_TENDER_MFT_H

#include <stddef.h>
#include <stdint.h>

#include "abi/mft.h"
#include "error.h"

/* Checks a manifest of size bytes as found in a guest binary (the rules of
 * abi/mft.h): exact size, version 1, 1..64 entries, entry 0 reserved and
 * unnamed, every name NUL-terminated, nothing attached. mft must be
 * 8-aligned and hold size bytes. */
int mft_validate(const struct riad_mft *mft, size_t size, struct tender_error *err);

/* Index of the entry called name with the given type, or -1 (an entry of
 * another type does not count). */
int mft_find(const struct riad_mft *mft, const char *name, uint32_t type);

/* "NET_BASIC", "BLOCK_BASIC", "RESERVED_FIRST" or "unknown". */
const char *mft_type_name(uint32_t type);

/* Fails, naming the first, if a declared device is not attached. */
int mft_check_attached(const struct riad_mft *mft, struct tender_error *err);

#endif
