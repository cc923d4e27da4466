/* storage/block_crypt.h: the encryption overlay's geometry, for its tests, the fuzz target and riad disk (private). */
#ifndef RIAD_STORAGE_BLOCK_CRYPT_H
#define RIAD_STORAGE_BLOCK_CRYPT_H

#include <stdint.h>

/* Data sectors an overlay created on a device of inner_sectors sectors of
 * sector_size bytes offers (0: too small for one). */
uint64_t block_crypt_data_sectors(uint64_t inner_sectors, uint32_t sector_size);

/* The fewest inner sectors whose overlay offers at least data_sectors
 * (0 if data_sectors is 0 or more than the format can number). */
uint64_t block_crypt_inner_sectors(uint64_t data_sectors, uint32_t sector_size);

#endif
