/* tcp/tcp_rtt.c: the round-trip time estimator and retransmission timeout of RFC 6298. */
#include "tcp_int.h"

/* Clock granularity G (RFC 6298 2): timestamps tick in milliseconds. */
#define TCP_RTT_G TCP_NS_PER_MS

void tcp_rtt_init(struct tcp_conn *c)
{
	c->srtt = 0;
	c->rttvar = 0;
	c->rto = RIAD_TCP_RTO_INIT_NS; /* RFC 6298 2.1 */
	c->backoff = 0;
	c->rtt_valid = false;
}

void tcp_rtt_sample(struct tcp_conn *c, int64_t r)
{
	if (r < TCP_RTT_G)
		r = TCP_RTT_G;
	if (r > RIAD_TCP_RTO_MAX_NS)
		r = RIAD_TCP_RTO_MAX_NS;
	if (!c->rtt_valid) {
		/* RFC 6298 2.2 */
		c->srtt = r;
		c->rttvar = r / 2;
		c->rtt_valid = true;
	} else {
		/* RFC 6298 2.3, alpha 1/8, beta 1/4 (RTTVAR first, with the old SRTT) */
		int64_t delta = c->srtt > r ? c->srtt - r : r - c->srtt;
		c->rttvar = (3 * c->rttvar + delta) / 4;
		c->srtt = (7 * c->srtt + r) / 8;
	}
	int64_t var = 4 * c->rttvar;
	c->rto = c->srtt + (var > TCP_RTT_G ? var : TCP_RTT_G);
	/* RFC 6298 2.4, 2.5 (riad's floor: see RIAD_TCP_RTO_MIN_NS) */
	if (c->rto < RIAD_TCP_RTO_MIN_NS)
		c->rto = RIAD_TCP_RTO_MIN_NS;
	if (c->rto > RIAD_TCP_RTO_MAX_NS)
		c->rto = RIAD_TCP_RTO_MAX_NS;
	/* A fresh sample ends the backoff (RFC 6298 5.5 and the note after 5.7). */
	c->backoff = 0;
}
