/* storage/crc32c.h: CRC32C (Castagnoli), the checksum of the writable store's sectors (private). */
#ifndef RIAD_STORAGE_CRC32C_H
#define RIAD_STORAGE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CRC32C of len bytes at p, continuing from crc (0 to start):
 * crc32c(crc32c(0, a), b) == crc32c(0, a || b). crc32c(0, "123456789", 9)
 * is 0xe3069283. */
uint32_t storage_crc32c(uint32_t crc, const void *p, size_t len);

#endif
