/* storage/block_crypt_wire.h: the on-disk layout of the encryption overlay (docs/storage-crypt.md), constants only. */
#ifndef RIAD_STORAGE_BLOCK_CRYPT_WIRE_H
#define RIAD_STORAGE_BLOCK_CRYPT_WIRE_H

/* Sector 0 of the device below: the header. All integers big-endian. */
#define CRYPT_MAGIC "RIADCRYP"       /* 8 bytes at offset 0 */
#define CRYPT_VERSION 2u             /* u32 at 8 */
#define CRYPT_HDR_OFF_VERSION 8
#define CRYPT_HDR_OFF_SECTOR_SIZE 12 /* u32: the sector size */
#define CRYPT_HDR_OFF_DATA 16        /* u64: data sectors the overlay offers */
#define CRYPT_HDR_OFF_ENTRIES 24     /* u32: entries per metadata sector */
#define CRYPT_HDR_OFF_EPOCH 28       /* u32: sessions that wrote, counted */
#define CRYPT_HDR_OFF_SALT 32        /* 32 bytes: random, the HKDF salt */
#define CRYPT_HDR_OFF_CHECK 64       /* 32 bytes: HMAC-SHA256(K_check, bytes 0..63) */
#define CRYPT_HDR_OFF_DIGEST 96      /* 32 bytes: SHA-256(bytes 0..95) */
#define CRYPT_HDR_LEN 128            /* the rest of the sector is zero */
#define CRYPT_SALT_LEN 32

/* HKDF-SHA256(salt, boot key, info) gives 128 bytes: K_data (AES-256-GCM),
 * K_mhash and K_mtag (AES-256, the MAC of metadata sectors), K_check (the
 * key check, HMAC-SHA256), in the order K_data, K_mhash, K_check, K_mtag. */
#define CRYPT_HKDF_INFO "riad-crypt v2"
#define CRYPT_KEYS_LEN 128

/* A metadata sector: CRYPT_ENTRIES(S) entries from offset 0, zero padding,
 * then a 16-byte MAC in its last bytes: AES-256(K_mtag, T) where T is the
 * AES-256-GCM tag under K_mhash with a zero 96-bit nonce, no plaintext and
 * u64 group number || bytes 0..S-17 as AAD. An all-zero
 * metadata sector is valid: every entry never written. */
#define CRYPT_ENTRY_LEN 34           /* u48 counter, u16 delta, u16 epoch, tags */
#define CRYPT_ENTRY_OFF_DELTA 6      /* the previous version's counter is
                                        counter - delta; 0: never written */
#define CRYPT_ENTRY_OFF_EPOCH 8      /* low 16 bits of the header's epoch
                                        when the entry was written */
#define CRYPT_ENTRY_OFF_TAG 10       /* tag of the current version */
#define CRYPT_ENTRY_OFF_PREV 22      /* tag of the previous version */
#define CRYPT_TAG_LEN 12             /* GCM tags truncated to 96 bits */
#define CRYPT_META_MAC_LEN 16
#define CRYPT_ENTRIES(ss) (((ss) - CRYPT_META_MAC_LEN) / CRYPT_ENTRY_LEN)

/* Counters and data sector numbers are 48 bits (the 96-bit GCM nonce is
 * u48 sector || u48 counter). */
#define CRYPT_U48_MAX ((UINT64_C(1) << 48) - 1)

#endif
