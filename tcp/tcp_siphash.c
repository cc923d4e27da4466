/* tcp/tcp_siphash.c: SipHash-2-4, written from the paper's description (2 compression rounds per word, 4 finalisation rounds). */
#include "tcp_siphash.h"

static inline uint64_t tcp_siphash_rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static inline uint64_t tcp_siphash_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct tcp_siphash_state {
	uint64_t v0, v1, v2, v3;
};

static void tcp_siphash_round(struct tcp_siphash_state *s)
{
	s->v0 += s->v1;
	s->v1 = tcp_siphash_rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = tcp_siphash_rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = tcp_siphash_rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = tcp_siphash_rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = tcp_siphash_rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = tcp_siphash_rotl(s->v2, 32);
}

static void tcp_siphash_word(struct tcp_siphash_state *s, uint64_t m)
{
	s->v3 ^= m;
	tcp_siphash_round(s);
	tcp_siphash_round(s);
	s->v0 ^= m;
}

uint64_t tcp_siphash(const uint8_t key[16], const void *msg, size_t len)
{
	const uint8_t *p = msg;
	uint64_t k0 = tcp_siphash_le64(key), k1 = tcp_siphash_le64(key + 8);
	struct tcp_siphash_state s = {
		.v0 = k0 ^ 0x736f6d6570736575ull,
		.v1 = k1 ^ 0x646f72616e646f6dull,
		.v2 = k0 ^ 0x6c7967656e657261ull,
		.v3 = k1 ^ 0x7465646279746573ull,
	};
	size_t n = len;
	while (n >= 8) {
		tcp_siphash_word(&s, tcp_siphash_le64(p));
		p += 8;
		n -= 8;
	}
	/* The last word: the remaining bytes, little-endian, and the length's
	 * low byte on top. */
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	for (size_t i = 0; i < n; i++)
		last |= (uint64_t)p[i] << (8 * i);
	tcp_siphash_word(&s, last);
	s.v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		tcp_siphash_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
