/* storage/part.h: the partition-table reader behind riad_block_part_open() (private to storage/, the unit tests and the fuzz target). */
#ifndef RIAD_STORAGE_PART_H
#define RIAD_STORAGE_PART_H

#include <stdbool.h>
#include <stdint.h>

#include <riad/block.h>
#include <riad/opt.h>

/* A GPT name is 36 UTF-16 code units; as UTF-8 at most 3 bytes each (a
 * surrogate pair, two units, is 4 bytes), plus the NUL. */
#define PART_NAME_MAX (36 * 3 + 1)

enum part_kind { PART_GPT = 1, PART_MBR = 2 };

struct part_entry {
	uint64_t first, count;  /* sectors of the disk */
	unsigned index;         /* GPT: entry slot from 1; MBR: 1-4 primary, 5.. logical */
	uint8_t type[16];       /* GPT type GUID, as stored (mixed endian) */
	uint8_t guid[16];       /* GPT unique GUID */
	uint8_t mbr_type;       /* MBR system id (0 for GPT) */
	bool container;         /* MBR extended partition (holds the logicals) */
	char name[PART_NAME_MAX]; /* GPT name as UTF-8 ("" for MBR) */
};

struct part_table {
	enum part_kind kind;
	bool backup;            /* GPT: read from the backup header */
	unsigned n;
	struct part_entry e[RIAD_PART_MAX];
};

/* Read disk's partition table into *t. Returns 0, -RIAD_EBADMSG (no valid
 * table; the reason is logged and counted), -RIAD_EIO or -RIAD_ENOMEM.
 * Every entry returned lies inside disk and no two overlap (an MBR
 * container holds its logicals). */
int part_table_read(struct riad_block *disk, struct part_table *t);

/* The entry spec names (riad_block_part_open's syntax), or -RIAD_ENOENT. */
int part_table_find(const struct part_table *t, const char *spec);

/* GUIDs in their text form (8-4-4-4-12 hex digits, any case) to and from
 * the 16 bytes GPT stores (first three fields little-endian). */
int part_guid_parse(const char *s, uint8_t out[16]);
void part_guid_format(const uint8_t g[16], char out[37]);

/* The CRC-32 of IEEE 802.3 (as GPT uses it): crc32(0, p, n) starts one. */
uint32_t part_crc32(uint32_t crc, const void *p, size_t n);

/* riad_block_range_open() with the new device's name given. */
struct riad_block *part_range_open(struct riad_block *inner, uint64_t first, uint64_t count,
                                   bool read_only, const char *name, int *err);

/* The counters behind riad_block_part_stats(). */
extern struct riad_block_part_stats part_stats;

#endif
