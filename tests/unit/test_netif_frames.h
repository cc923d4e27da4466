/* tests/unit/test_netif_frames.h: numbered test frames for the netif tests:
 * make one, and tell its number and whether its bytes are intact. */
#ifndef RIAD_TESTS_NETIF_FRAMES_H
#define RIAD_TESTS_NETIF_FRAMES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <riad/netif.h>
#include <riad/pbuf.h>

#define TEST_ETHERTYPE 0x88b5 /* IEEE 802 local experimental */

static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Every bit of seq matters: one flipped bit in the number changes every
 * byte of the pattern. */
static inline uint8_t frame_byte(uint32_t seq, size_t i)
{
	uint32_t fold = seq ^ seq >> 8 ^ seq >> 16 ^ seq >> 24;
	return (uint8_t)(fold * 31u + i * 7u + (i >> 8));
}

/* A frame of len bytes (at least 18) from src to dst carrying seq, with
 * headroom bytes before it. */
static inline struct riad_pbuf *frame_make(const uint8_t *dst, const uint8_t *src, uint32_t seq,
                                           size_t len, size_t headroom)
{
	struct riad_pbuf *p = riad_pbuf_alloc(headroom, len);
	if (!p)
		return NULL;
	uint8_t *d = p->data;
	memcpy(d, dst, 6);
	memcpy(d + 6, src, 6);
	d[12] = TEST_ETHERTYPE >> 8;
	d[13] = TEST_ETHERTYPE & 0xff;
	d[14] = (uint8_t)(seq >> 24);
	d[15] = (uint8_t)(seq >> 16);
	d[16] = (uint8_t)(seq >> 8);
	d[17] = (uint8_t)seq;
	for (size_t i = 18; i < len; i++)
		d[i] = frame_byte(seq, i);
	return p;
}

static inline uint32_t frame_seq(const struct riad_pbuf *p)
{
	const uint8_t *d = p->data;
	return (uint32_t)d[14] << 24 | (uint32_t)d[15] << 16 | (uint32_t)d[16] << 8 | d[17];
}

/* Whether the payload after the sequence number is as frame_make wrote it
 * (a corrupted sequence number shows as a wrong byte further on, almost
 * always). */
static inline bool frame_intact(const struct riad_pbuf *p)
{
	uint32_t seq = frame_seq(p);
	for (size_t i = 18; i < p->len; i++)
		if (p->data[i] != frame_byte(seq, i))
			return false;
	return true;
}

/* Bits that differ between a and b over n bytes. */
static inline unsigned bits_differ(const uint8_t *a, const uint8_t *b, size_t n)
{
	unsigned d = 0;
	for (size_t i = 0; i < n; i++)
		d += (unsigned)__builtin_popcount((unsigned)(a[i] ^ b[i]));
	return d;
}

#endif
