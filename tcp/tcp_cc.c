/* tcp/tcp_cc.c: congestion control: slow start and congestion avoidance of RFC 5681 (NewReno's window growth) and CUBIC (RFC 9438), in integer arithmetic (guests have no FPU code). */
#include "tcp_int.h"

#define TCP_CC_CWND_MAX (1u << 30)

uint32_t tcp_cc_flight(const struct tcp_conn *c)
{
	return c->snd_max - c->snd_una;
}

uint32_t tcp_cc_initial_window(const struct tcp_conn *c)
{
	/* RFC 6928 2: IW = min(10*MSS, max(2*MSS, 14600)), with RIAD_TCP_INIT_CWND for 10 */
	uint32_t mss = c->mss;
	uint32_t iw = RIAD_TCP_INIT_CWND * mss;
	uint32_t cap = 2 * mss > 14600 ? 2 * mss : 14600;
	if (RIAD_TCP_INIT_CWND > 4 && iw > cap)
		iw = cap;
	return iw;
}

void tcp_cc_after_idle(struct tcp_conn *c)
{
	/* RFC 5681 4.1: cwnd = min(RW, cwnd), RW the initial window; RFC 9438
	 * 5.8: and a new CUBIC epoch. */
	uint32_t rw = tcp_cc_initial_window(c);
	if (c->cc.cwnd > rw)
		c->cc.cwnd = rw;
	c->cc.epoch = 0;
}

void tcp_cc_init(struct tcp_conn *c)
{
	c->cc.cwnd = tcp_cc_initial_window(c);
	c->cc.ssthresh = UINT32_MAX; /* RFC 5681 3.1: arbitrarily high */
	c->cc.acked_acc = 0;
	c->cc.w_max = c->cc.w_last_max = 0;
	c->cc.epoch = 0;
}

/* Integer cube root (floor) of x < 2^63. */
static uint64_t tcp_cc_cbrt(uint64_t x)
{
	uint64_t lo = 0, hi = 1u << 21;
	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;
		if (mid * mid * mid <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* RFC 9438 4.2: W_cubic(t) = C * (t - K)^3 + W_max, C = 0.4 segments/s^3,
 * in bytes with t in ms. */
static int64_t tcp_cc_cubic_w(const struct tcp_conn *c, int64_t t_ms)
{
	int64_t d = t_ms - c->cc.k_ns / TCP_NS_PER_MS;
	const int64_t lim = 1 << 20; /* about 17 minutes: d^3 stays below 2^60 */
	if (d > lim)
		d = lim;
	if (d < -lim)
		d = -lim;
	int64_t delta = d * d * d * 4 / 10 / 1000000 * (int64_t)c->mss / 1000;
	return (int64_t)c->cc.w_max + delta;
}

static void tcp_cc_cubic_ack(struct tcp_conn *c, uint32_t acked, int64_t now)
{
	struct tcp_cc *cc = &c->cc;
	uint32_t mss = c->mss;
	if (cc->epoch == 0) {
		/* RFC 9438 4.2, eq. 2: a new epoch. */
		cc->epoch = now;
		cc->cwnd_epoch = cc->cwnd;
		cc->w_est = cc->cwnd;
		if (cc->w_max <= cc->cwnd) {
			cc->k_ns = 0;
			cc->w_max = cc->cwnd;
		} else {
			uint64_t x = (uint64_t)(cc->w_max - cc->cwnd) * 2500000000ull / mss;
			cc->k_ns = (int64_t)tcp_cc_cbrt(x) * TCP_NS_PER_MS;
		}
	}
	int64_t t = now - cc->epoch;
	int64_t rtt = c->rtt_valid ? c->srtt : 100 * TCP_NS_PER_MS;
	/* 4.4-4.5: aim at W_cubic(t + RTT), clamped to [cwnd, 1.5 cwnd]. */
	int64_t target = tcp_cc_cubic_w(c, (t + rtt) / TCP_NS_PER_MS);
	if (target < cc->cwnd)
		target = cc->cwnd;
	if (target > (int64_t)cc->cwnd * 3 / 2)
		target = (int64_t)cc->cwnd * 3 / 2;
	/* 4.3: the Reno-friendly estimate, alpha = 3(1-beta)/(1+beta) = 0.529
	 * until it passes W_max, then 1. */
	uint64_t a1000 = cc->w_est >= cc->w_max ? 1000 : 529;
	cc->w_est += (uint32_t)(a1000 * mss / 1000 * acked / (cc->cwnd ? cc->cwnd : 1));
	int64_t wc = tcp_cc_cubic_w(c, t / TCP_NS_PER_MS);
	if (wc < (int64_t)cc->w_est) {
		if (cc->w_est > cc->cwnd)
			cc->cwnd = cc->w_est;
		return;
	}
	/* 4.4: cwnd += (target - cwnd) / cwnd per segment ACKed. */
	cc->acked_acc += (uint64_t)(target - cc->cwnd) * acked;
	if (cc->acked_acc >= cc->cwnd) {
		uint32_t inc = (uint32_t)(cc->acked_acc / cc->cwnd);
		cc->acked_acc -= (uint64_t)inc * cc->cwnd;
		cc->cwnd += inc;
	}
}

void tcp_cc_on_ack(struct tcp_conn *c, uint32_t acked, int64_t now)
{
	struct tcp_cc *cc = &c->cc;
	uint32_t mss = c->mss;
	/* Grow only while the window is used (RFC 7661's idea, RFC 9438 4.9):
	 * an application-limited sender must not build a window it never
	 * tested. */
	if (tcp_cc_flight(c) + acked < cc->cwnd / 2)
		return;
	if (cc->cwnd < cc->ssthresh) {
		/* RFC 5681 3.1 slow start with RFC 3465's L = 2 */
		cc->cwnd += acked < 2 * mss ? acked : 2 * mss;
		if (cc->cwnd > cc->ssthresh && cc->ssthresh != UINT32_MAX)
			cc->cwnd = cc->ssthresh;
	} else if (cc->algo == TCP_CC_CUBIC) {
		tcp_cc_cubic_ack(c, acked, now);
	} else {
		/* RFC 5681 3.1 congestion avoidance, byte counted: one MSS per cwnd ACKed. */
		cc->acked_acc += acked;
		if (cc->acked_acc >= cc->cwnd) {
			cc->acked_acc -= cc->cwnd;
			cc->cwnd += mss;
		}
	}
	if (cc->cwnd > TCP_CC_CWND_MAX)
		cc->cwnd = TCP_CC_CWND_MAX;
}

void tcp_cc_on_loss(struct tcp_conn *c, int64_t now)
{
	(void)now;
	struct tcp_cc *cc = &c->cc;
	uint32_t mss = c->mss;
	uint32_t ss;
	if (cc->algo == TCP_CC_CUBIC) {
		/* RFC 9438 4.6-4.7: beta 0.7, fast convergence. */
		if (cc->cwnd < cc->w_last_max)
			cc->w_max = (uint32_t)((uint64_t)cc->cwnd * 17 / 20); /* (1 + beta) / 2 */
		else
			cc->w_max = cc->cwnd;
		cc->w_last_max = cc->cwnd;
		ss = (uint32_t)((uint64_t)cc->cwnd * 7 / 10);
		cc->epoch = 0;
	} else {
		/* RFC 5681 eq. 4: max(FlightSize / 2, 2 * SMSS) */
		ss = tcp_cc_flight(c) / 2;
	}
	cc->ssthresh = ss > 2 * mss ? ss : 2 * mss;
	cc->acked_acc = 0;
}

void tcp_cc_on_rto(struct tcp_conn *c, int64_t now)
{
	/* RFC 5681 3.1 eq. 4 and the loss window; RFC 9438 4.8. A second
	 * timeout of the same data does not lower ssthresh again. */
	if (c->backoff == 0)
		tcp_cc_on_loss(c, now);
	c->cc.cwnd = c->mss;
	c->cc.epoch = 0;
	c->cc.acked_acc = 0;
}
