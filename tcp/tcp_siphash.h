/* tcp/tcp_siphash.h: SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed hash behind TCP's ISNs, SYN cookies, timestamp offsets, ephemeral ports and connection-table buckets. */
#ifndef RIAD_TCP_TCP_SIPHASH_H
#define RIAD_TCP_TCP_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of len bytes at msg under the 16-byte key: the 64-bit
 * result of the paper (its test vector: key 00..0f, message 00..0e gives
 * 0xa129ca6149be45e5). */
uint64_t tcp_siphash(const uint8_t key[16], const void *msg, size_t len);

#endif
