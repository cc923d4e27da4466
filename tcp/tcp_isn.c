/* tcp/tcp_isn.c: initial sequence numbers (RFC 6528) and the other per-4-tuple values keyed by the stack's secret. */
#include <string.h>

#include "tcp_int.h"
#include "tcp_siphash.h"

static size_t tcp_isn_tuple_bytes(const struct tcp_tuple *t, uint8_t *b)
{
	b[0] = (uint8_t)(t->laddr >> 24);
	b[1] = (uint8_t)(t->laddr >> 16);
	b[2] = (uint8_t)(t->laddr >> 8);
	b[3] = (uint8_t)t->laddr;
	b[4] = (uint8_t)(t->raddr >> 24);
	b[5] = (uint8_t)(t->raddr >> 16);
	b[6] = (uint8_t)(t->raddr >> 8);
	b[7] = (uint8_t)t->raddr;
	b[8] = (uint8_t)(t->lport >> 8);
	b[9] = (uint8_t)t->lport;
	b[10] = (uint8_t)(t->rport >> 8);
	b[11] = (uint8_t)t->rport;
	return 12;
}

/* RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a timer ticking every 4 microseconds (here from `now`),
 * F a keyed hash (SipHash-2-4 under a key used for nothing else). */
uint32_t tcp_isn(const struct tcp_stack *st, const struct tcp_tuple *t, int64_t now)
{
	uint8_t b[12];
	size_t n = tcp_isn_tuple_bytes(t, b);
	uint32_t f = (uint32_t)tcp_siphash(st->key_isn, b, n);
	return f + (uint32_t)(now / 4000);
}

/* A keyed hash of the tuple for a purpose named by domain (so that one
 * value never reveals another). */
uint32_t tcp_isn_hash(const struct tcp_stack *st, const struct tcp_tuple *t, uint8_t domain)
{
	uint8_t b[13];
	b[0] = domain;
	size_t n = 1 + tcp_isn_tuple_bytes(t, b + 1);
	return (uint32_t)tcp_siphash(st->key_misc, b, n);
}

/* RFC 7323 5.4 / 7.1: a per-connection random offset for TSval, so that
 * timestamps reveal neither uptime nor a clock shared across connections. */
uint32_t tcp_isn_ts_offset(const struct tcp_stack *st, const struct tcp_tuple *t)
{
	return tcp_isn_hash(st, t, 'T');
}
