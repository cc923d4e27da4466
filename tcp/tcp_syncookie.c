/* tcp/tcp_syncookie.c: SYN cookies, the stateless answer to a SYN when the listen backlog is full. */
#include "tcp_int.h"
#include "tcp_siphash.h"

/* The cookie (our ISN) is
 *
 *   bits 31..27  a 64-second counter from `now`, modulo 32
 *   bits 26..24  an index into tcp_syncookie_mss
 *   bits 23..0   SipHash of (4-tuple, peer ISN, full counter, index)
 *
 * so the ACK completing the handshake (ack = cookie + 1) proves the peer
 * saw our SYN-ACK in the last two periods (64 to 128 s); a blind guess
 * succeeds with probability 2^-24 per try. Window scale and SACK-permitted
 * cannot fit as well; they ride in the low bits of our TSval, echoed in the
 * ACK's TSecr, so a cookie SYN-ACK offers them only when the SYN carried
 * timestamps. */
#define TCP_COOKIE_PERIOD_NS (64 * TCP_NS_PER_S)

static const uint16_t tcp_syncookie_mss[8] = { 256, 536, 1200, 1360, 1400, 1440, 1460, 8960 };

static uint32_t tcp_syncookie_hash(const struct tcp_stack *st, const struct tcp_tuple *t,
                                   uint32_t peer_isn, uint64_t count, unsigned idx)
{
	uint8_t b[26];
	b[0] = 'C';
	uint32_t w[3] = { t->laddr, t->raddr, (uint32_t)t->lport << 16 | t->rport };
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			b[1 + 4 * i + j] = (uint8_t)(w[i] >> (24 - 8 * j));
	for (int j = 0; j < 4; j++)
		b[13 + j] = (uint8_t)(peer_isn >> (24 - 8 * j));
	for (int j = 0; j < 8; j++)
		b[17 + j] = (uint8_t)(count >> (56 - 8 * j));
	b[25] = (uint8_t)idx;
	return (uint32_t)tcp_siphash(st->key_misc, b, sizeof(b)) & 0xffffff;
}

uint32_t tcp_syncookie_make(const struct tcp_stack *st, const struct tcp_tuple *t, uint32_t peer_isn,
                            uint16_t peer_mss, int64_t now, uint16_t *mss)
{
	unsigned idx = 0;
	for (unsigned i = 0; i < 8; i++)
		if (tcp_syncookie_mss[i] <= peer_mss && tcp_syncookie_mss[i] <= st->mss)
			idx = i;
	uint64_t count = (uint64_t)(now / TCP_COOKIE_PERIOD_NS);
	*mss = tcp_syncookie_mss[idx];
	return (uint32_t)(count & 0x1f) << 27 | (uint32_t)idx << 24 |
	       tcp_syncookie_hash(st, t, peer_isn, count, idx);
}

bool tcp_syncookie_check(const struct tcp_stack *st, const struct tcp_tuple *t, uint32_t peer_isn,
                         uint32_t cookie, int64_t now, uint16_t *mss)
{
	uint64_t count = (uint64_t)(now / TCP_COOKIE_PERIOD_NS);
	unsigned idx = (cookie >> 24) & 7;
	for (uint64_t back = 0; back < 2 && back <= count; back++) {
		uint64_t c = count - back;
		if ((c & 0x1f) != cookie >> 27)
			continue;
		if (tcp_syncookie_hash(st, t, peer_isn, c, idx) == (cookie & 0xffffff)) {
			*mss = tcp_syncookie_mss[idx];
			return true;
		}
	}
	return false;
}

/* Low 5 bits of TSval: the peer's window scale (0..14, 15: none) and
 * SACK-permitted. The caller passes a TSval at least 32 ticks in the past,
 * so that the connection's later TSvals never go backwards. */
uint32_t tcp_syncookie_tsval(uint32_t tsval, int wscale, bool sack_ok)
{
	uint32_t ws = wscale < 0 ? 15u : (uint32_t)wscale;
	return (tsval & ~0x1fu) | ws | (sack_ok ? 0x10u : 0u);
}

void tcp_syncookie_ts_opts(uint32_t tsecr, int *wscale, bool *sack_ok)
{
	uint32_t ws = tsecr & 0xf;
	*wscale = ws == 15 ? -1 : (ws > TCP_WS_MAX ? TCP_WS_MAX : (int)ws);
	*sack_ok = (tsecr & 0x10) != 0;
}
