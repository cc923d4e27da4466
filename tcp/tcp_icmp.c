/* tcp/tcp_icmp.c: ICMP errors about our segments (RFC 1122 4.2.3.9, RFC 1191 path MTU, RFC 5927 defences). */
#include "tcp_int.h"
#include "wire.h"

#define TCP_ICMP_UNREACH 3
#define TCP_ICMP_TIME_EXCEEDED 11
#define TCP_ICMP_PARAM_PROBLEM 12
#define TCP_ICMP_UNREACH_PROTO 2
#define TCP_ICMP_UNREACH_PORT 3
#define TCP_ICMP_UNREACH_NEEDFRAG 4

void tcp_icmp_error(struct tcp_stack *st, uint32_t src, uint32_t dst, const uint8_t *quoted,
                    size_t len, uint8_t type, uint8_t code, uint16_t mtu, int64_t now,
                    struct net_txq *out)
{
	struct wire_rd r = wire_rd(quoted, len);
	struct tcp_tuple t = { .laddr = src, .raddr = dst };
	t.lport = wire_u16(&r);
	t.rport = wire_u16(&r);
	uint32_t seq = wire_u32(&r);
	if (r.err)
		return;
	struct tcp_conn *c = tcp_conn_lookup(st, &t);
	if (!c || c->state == TCP_TIME_WAIT)
		return;
	/* RFC 5927 4.1: only a quote of data in flight is believed. */
	if (!seq_in(seq, c->snd_una, c->snd_max))
		return;
	if (type == TCP_ICMP_UNREACH && code == TCP_ICMP_UNREACH_NEEDFRAG) {
		/* RFC 1191: lower the MSS to fit the next hop and resend. */
		if (mtu < 68)
			return;
		uint32_t m = (uint32_t)mtu - 40 - (c->ts_ok ? 12u : 0u);
		if (m < RIAD_TCP_MSS_MIN)
			m = RIAD_TCP_MSS_MIN;
		if (m >= c->mss)
			return;
		c->mss = (uint16_t)m;
		if (c->cc.cwnd < c->mss)
			c->cc.cwnd = c->mss;
		c->snd_nxt = c->snd_una;
		tcp_output(c, now, out);
		return;
	}
	if (type != TCP_ICMP_UNREACH && type != TCP_ICMP_TIME_EXCEEDED &&
	    type != TCP_ICMP_PARAM_PROBLEM)
		return;
	/* RFC 1122 4.2.3.9 lists protocol and port unreachable as hard errors;
	 * RFC 5927 4.2 treats them as hard only while connecting. */
	if (c->state == TCP_SYN_SENT && type == TCP_ICMP_UNREACH &&
	    (code == TCP_ICMP_UNREACH_PROTO || code == TCP_ICMP_UNREACH_PORT)) {
		tcp_conn_close(c, -RIAD_ECONNREFUSED);
		return;
	}
	c->soft_error = -RIAD_EHOSTUNREACH;
}
