/* net/wire.h: the one bounds-checked way to read and write protocol headers
 * (private: net/, and tcp/ and stack/ above it).
 *
 * Every parser of untrusted bytes reads through a struct wire_rd: each read
 * checks the remaining length; a read past the end returns 0 and sets err,
 * which the parser checks once at the end of a header (so a runt frame never
 * reads out of bounds, even if a check is forgotten in between). Multi-byte
 * fields are big-endian (network order) unless the name says otherwise.
 * Writers work the same way on a buffer the caller sized.
 */
#ifndef RIAD_NET_WIRE_H
#define RIAD_NET_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wire_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;
};

static inline struct wire_rd wire_rd(const void *p, size_t len)
{
	return (struct wire_rd){ .p = p, .len = len, .off = 0, .err = false };
}

static inline size_t wire_left(const struct wire_rd *r)
{
	return r->err ? 0 : r->len - r->off;
}

static inline bool wire_need(struct wire_rd *r, size_t n)
{
	if (r->err || r->len - r->off < n) {
		r->err = true;
		return false;
	}
	return true;
}

static inline uint8_t wire_u8(struct wire_rd *r)
{
	if (!wire_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static inline uint16_t wire_u16(struct wire_rd *r)
{
	if (!wire_need(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static inline uint32_t wire_u32(struct wire_rd *r)
{
	if (!wire_need(r, 4))
		return 0;
	const uint8_t *b = r->p + r->off;
	r->off += 4;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Copy n bytes out (zeros on error). */
static inline void wire_bytes(struct wire_rd *r, void *out, size_t n)
{
	if (!wire_need(r, n)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p + r->off, n);
	r->off += n;
}

/* A pointer to the next n bytes, consumed; NULL on error. */
static inline const uint8_t *wire_take(struct wire_rd *r, size_t n)
{
	if (!wire_need(r, n))
		return NULL;
	const uint8_t *q = r->p + r->off;
	r->off += n;
	return q;
}

static inline void wire_skip(struct wire_rd *r, size_t n)
{
	if (wire_need(r, n))
		r->off += n;
}

/* Big-endian stores into a buffer the caller has sized. */
static inline void wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wire_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t wire_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t wire_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The Internet checksum (RFC 1071): add 16-bit big-endian words into a
 * 32-bit accumulator with wire_csum_add (any number of calls, any lengths:
 * an odd length is handled as the RFC says only for the last call), then
 * fold and complement with wire_csum_fold. A packet whose checksum field is
 * included verifies when wire_csum_fold(sum) == 0. */
uint32_t wire_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t wire_csum_fold(uint32_t sum);

/* The pseudo-header sum of TCP and UDP over IPv4 (RFC 793, RFC 768). */
uint32_t wire_csum_pseudo4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

#endif
