/* tcp/tcp_seq.h: TCP sequence-number arithmetic modulo 2^32 (RFC 9293 3.4), named so that no comparison is written by hand. */
#ifndef RIAD_TCP_TCP_SEQ_H
#define RIAD_TCP_TCP_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* a < b in sequence space: true when b lies less than 2^31 ahead of a. */
static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool seq_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

static inline uint32_t seq_max(uint32_t a, uint32_t b)
{
	return seq_gt(a, b) ? a : b;
}

static inline uint32_t seq_min(uint32_t a, uint32_t b)
{
	return seq_lt(a, b) ? a : b;
}

/* lo <= x < hi (an empty range when lo == hi). */
static inline bool seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
	return seq_leq(lo, x) && seq_lt(x, hi);
}

/* The distance from a forward to b: b - a, for b at or after a. */
static inline uint32_t seq_diff(uint32_t b, uint32_t a)
{
	return b - a;
}

#endif
