/* net/wire.c: the Internet checksum (RFC 1071). */
#include "wire.h"

/* The one's-complement sum does not depend on byte order (RFC 1071 section
 * 2(B)): sum the data as native little-endian words, eight bytes at a time
 * into a 64-bit accumulator, and swap the folded result once at the end.
 * This is the hot loop of bulk TCP, several times faster than a big-endian
 * word at a time. */
static uint64_t fold64(uint64_t acc)
{
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return acc;
}

uint32_t wire_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = 0;
	while (len >= 64) {
		/* Each 32-bit half adds < 2^32, so 16 of them cannot overflow
		 * 64 bits however large acc already is after folding. */
		for (int i = 0; i < 8; i++) {
			uint64_t w;
			__builtin_memcpy(&w, p + 8 * i, 8);
			acc += (w & 0xffffffff) + (w >> 32);
		}
		acc = fold64(acc);
		p += 64;
		len -= 64;
	}
	while (len >= 8) {
		uint64_t w;
		__builtin_memcpy(&w, p, 8);
		acc += (w & 0xffffffff) + (w >> 32);
		p += 8;
		len -= 8;
	}
	while (len >= 2) {
		acc += (uint32_t)(p[0] | p[1] << 8);
		p += 2;
		len -= 2;
	}
	if (len)
		acc += p[0]; /* the high byte of a big-endian word padded with 0 */
	acc = fold64(acc);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	uint32_t be = (uint32_t)((acc & 0xff) << 8 | acc >> 8);
	uint64_t total = (uint64_t)sum + be;
	return (uint32_t)((total & 0xffffffff) + (total >> 32));
}

uint16_t wire_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t wire_csum_pseudo4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	uint64_t acc = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	return (uint32_t)acc;
}
