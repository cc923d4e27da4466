/* storage/kv_store_wire.h: the writable store's on-disk layout: superblock, sector header and record constants (docs/storage-store.md). */
#ifndef RIAD_STORAGE_KV_STORE_WIRE_H
#define RIAD_STORAGE_KV_STORE_WIRE_H

#include <stdint.h>

/* Superblock copies live in sectors 0 and 1; copy (seq & 1) holds seq. */
#define STORE_MAGIC "RIADKVS1"
#define STORE_VERSION 1u
#define STORE_SB_LEN 64
#define STORE_SB_MAGIC 0      /* 8 bytes */
#define STORE_SB_VERSION 8    /* u32 */
#define STORE_SB_SECSIZE 12   /* u32 */
#define STORE_SB_SECTORS 16   /* u64: device sectors at format */
#define STORE_SB_SEQ 24       /* u64 */
#define STORE_SB_GEN 32       /* u64 */
#define STORE_SB_HALF 40      /* u32: 0 or 1 */
#define STORE_SB_EPOCH 44     /* u32 */
#define STORE_SB_H 48         /* u64: sectors per half */
#define STORE_SB_RESERVED 56  /* u32: 0 */
#define STORE_SB_CRC 60       /* u32: CRC32C of bytes 0..59 */

/* The log's halves start after the two superblocks. */
#define STORE_LOG_FIRST 2u
/* Fewest sectors per half a store may have. */
#define STORE_MIN_HALF 8u
/* pos is 32 bits wide: a half has at most this many sectors. */
#define STORE_MAX_HALF 0xffffffffu

/* Every log sector begins with this header; the payload follows. */
#define STORE_HDR_LEN 32
#define STORE_HDR_CRC 0      /* u32: CRC32C of bytes 4..sector size - 1 */
#define STORE_HDR_POS 4      /* u32: index of the sector in its half */
#define STORE_HDR_GEN 8      /* u64 */
#define STORE_HDR_EPOCH 16   /* u32 */
#define STORE_HDR_USED 20    /* u16: payload bytes in use */
#define STORE_HDR_FLAGS 22   /* u16 */
#define STORE_HDR_FIRST 24   /* u32, COMMIT only (else 0): pos of the batch's first sector */
#define STORE_HDR_BCRC 28    /* u32, COMMIT only (else 0): CRC32C of the payloads of
                                sectors FIRST..pos-1, in order */
#define STORE_FLAG_COMMIT 0x0001u

/* Records, in the log's payload bytes. */
#define STORE_REC_SET 1
#define STORE_REC_REMOVE 2
#define STORE_REC_RENAME 3
#define STORE_SET_HDR_LEN 24     /* type, 0, u16 keylen, u32 0, u64 vlen, i64 mtime */
#define STORE_REMOVE_HDR_LEN 4   /* type, 0, u16 keylen */
#define STORE_RENAME_HDR_LEN 6   /* type, 0, u16 fromlen, u16 tolen */

#endif
