/* tender/common/block.h: attaching a guest block device to a host file or block device. */
#ifndef RIAD_TENDER_BLOCK_H
#define RIAD_TENDER_BLOCK_H

#include <stdint.h>

#include "error.h"

#define BLOCK_SECTOR_DEFAULT 512u
#define BLOCK_SECTOR_MIN 512u
#define BLOCK_SECTOR_MAX 32768u /* the manifest stores it in a uint16_t */
/* riad's block extension: the most bytes one call may move. */
#define BLOCK_EXT_MAX_BYTES (1024u * 1024u)

/* Parses a sector size: a power of two in [512, 32768]. */
int block_sector_parse(const char *s, uint32_t *sector, struct tender_error *err);

/* Opens path read-write; its capacity (lseek to the end) must be a
 * non-zero multiple of sector. Returns the descriptor or -1. */
int block_attach(const char *path, uint32_t sector, uint64_t *capacity, struct tender_error *err);

#endif
