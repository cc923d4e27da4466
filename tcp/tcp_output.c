/* tcp/tcp_output.c: building segments and deciding what a connection sends: SYN, data under the send, congestion and Nagle rules, FIN, retransmissions, ACKs, probes and RSTs. */
#include <string.h>

#include "tcp_int.h"
#include "wire.h"

/* ---- one segment on the wire ---- */

static size_t tcp_output_optlen(const struct tcp_tx *tx)
{
	size_t n = 0;
	if (tx->flags & TCP_SYN) {
		if (tx->mss)
			n += TCP_OPT_MSS_LEN;
		if (tx->ts || tx->sack_ok)
			n += 12; /* SACK_OK + TS, NOP NOP TS, or NOP NOP SACK_OK + 8 unused */
		if (tx->sack_ok && !tx->ts)
			n -= 8;
		if (tx->ws >= 0)
			n += 4; /* NOP WS */
		return n;
	}
	if (tx->ts)
		n += 12;
	if (tx->nsack)
		n += 4 + (size_t)tx->nsack * TCP_OPT_SACK_BLOCK;
	return n;
}

static uint8_t *tcp_output_put_ts(uint8_t *o, const struct tcp_tx *tx)
{
	*o++ = TCP_OPT_TS;
	*o++ = TCP_OPT_TS_LEN;
	wire_put32(o, tx->tsval);
	wire_put32(o + 4, tx->tsecr);
	return o + 8;
}

static void tcp_output_put_options(uint8_t *o, const struct tcp_tx *tx)
{
	if (tx->flags & TCP_SYN) {
		if (tx->mss) {
			*o++ = TCP_OPT_MSS;
			*o++ = TCP_OPT_MSS_LEN;
			wire_put16(o, tx->mss);
			o += 2;
		}
		if (tx->sack_ok && tx->ts) {
			*o++ = TCP_OPT_SACK_OK;
			*o++ = TCP_OPT_SACK_OK_LEN;
			o = tcp_output_put_ts(o, tx);
		} else if (tx->ts) {
			*o++ = TCP_OPT_NOP;
			*o++ = TCP_OPT_NOP;
			o = tcp_output_put_ts(o, tx);
		} else if (tx->sack_ok) {
			*o++ = TCP_OPT_NOP;
			*o++ = TCP_OPT_NOP;
			*o++ = TCP_OPT_SACK_OK;
			*o++ = TCP_OPT_SACK_OK_LEN;
		}
		if (tx->ws >= 0) {
			*o++ = TCP_OPT_NOP;
			*o++ = TCP_OPT_WS;
			*o++ = TCP_OPT_WS_LEN;
			*o++ = (uint8_t)tx->ws;
		}
		return;
	}
	if (tx->ts) {
		*o++ = TCP_OPT_NOP;
		*o++ = TCP_OPT_NOP;
		o = tcp_output_put_ts(o, tx);
	}
	if (tx->nsack) {
		*o++ = TCP_OPT_NOP;
		*o++ = TCP_OPT_NOP;
		*o++ = TCP_OPT_SACK;
		*o++ = (uint8_t)(2 + tx->nsack * TCP_OPT_SACK_BLOCK);
		for (unsigned i = 0; i < tx->nsack; i++) {
			wire_put32(o, tx->sack[i].start);
			wire_put32(o + 4, tx->sack[i].end);
			o += 8;
		}
	}
}

int tcp_output_tx(struct tcp_stack *st, const struct tcp_tx *tx, struct net_txq *out)
{
	size_t optlen = tcp_output_optlen(tx);
	size_t hlen = TCP_HDR_LEN + optlen;
	struct riad_pbuf *p = riad_pbuf_alloc(NET_HEADROOM, hlen + tx->len);
	if (!p) {
		tcp_stat(st, tx_no_mem);
		return -1;
	}
	uint8_t *h = p->data;
	wire_put16(h, tx->t.lport);
	wire_put16(h + 2, tx->t.rport);
	wire_put32(h + 4, tx->seq);
	wire_put32(h + 8, (tx->flags & TCP_ACK) ? tx->ack : 0);
	h[12] = (uint8_t)((hlen / 4) << 4);
	h[13] = tx->flags;
	wire_put16(h + 14, tx->wnd);
	wire_put16(h + 16, 0);
	wire_put16(h + 18, 0);
	tcp_output_put_options(h + TCP_HDR_LEN, tx);
	if (tx->len)
		tcp_buf_read_at(tx->src, tx->src_off, h + hlen, tx->len);
	uint32_t sum = wire_csum_pseudo4(tx->t.laddr, tx->t.raddr, NET_PROTO_TCP, (uint16_t)p->len);
	if (st->offload & TCP_OFFLOAD_CSUM) {
		/* The device sums the segment from the TCP header on (after
		 * cutting it, for TSO: each piece then with its own length,
		 * which the host folds in); we give it the pseudo-header. */
		wire_put16(h + 16, (uint16_t)~wire_csum_fold(sum));
		p->offload = RIAD_PBUF_TX_CSUM_TCP4;
		if (tx->gso_size && tx->len > tx->gso_size)
			p->gso_size = tx->gso_size;
	} else {
		wire_put16(h + 16, wire_csum_fold(wire_csum_add(sum, h, p->len)));
	}
	if (net_txq_push(out, tx->t.laddr, tx->t.raddr, NET_PROTO_TCP, p) < 0) {
		tcp_stat(st, tx_overflow);
		return -1;
	}
	tcp_stat(st, tx);
	st->stats->tx_bytes += tx->len;
	if (tx->flags & TCP_RST)
		tcp_stat(st, resets_tx);
	return 0;
}

/* ---- a connection's segments ---- */

uint32_t tcp_output_tsval(const struct tcp_conn *c, int64_t now)
{
	return (uint32_t)(now / TCP_NS_PER_MS) + c->ts_off;
}

/* RFC 9293 3.8.6.2.2 (receiver SWS avoidance): the right edge moves only
 * by at least min(RCV.BUFF / 2, MSS); it never moves left (3.8.6, RFC 7323
 * 2.4 aside: scaling may round a few bytes off). */
uint16_t tcp_output_wnd(struct tcp_conn *c, bool syn)
{
	uint32_t wnd = tcp_conn_rcv_wnd(c);
	uint32_t adv = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	uint32_t step = c->rb.cap / 2 < c->adv_mss ? c->rb.cap / 2 : c->adv_mss;
	if (wnd > adv && wnd - adv < step)
		wnd = adv;
	uint32_t field;
	if (syn) {
		field = wnd > 0xffff ? 0xffff : wnd;
		wnd = field;
	} else {
		field = wnd >> c->rcv_scale;
		if (field > 0xffff)
			field = 0xffff;
		wnd = field << c->rcv_scale;
	}
	if (seq_gt(c->rcv_nxt + wnd, c->rcv_adv))
		c->rcv_adv = c->rcv_nxt + wnd;
	return (uint16_t)field;
}

static bool tcp_output_dsack_due(const struct tcp_conn *c)
{
	return seq_lt(c->dsack.start, c->dsack.end);
}

static bool tcp_output_active_syn(uint8_t flags)
{
	return (flags & TCP_SYN) && !(flags & TCP_ACK);
}

int tcp_output_seg(struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags, int64_t now,
                   struct net_txq *out)
{
	struct tcp_tx tx = { .t = c->t, .seq = seq, .flags = flags, .ws = -1 };
	bool syn = flags & TCP_SYN;
	if (flags & TCP_ACK)
		tx.ack = c->rcv_nxt;
	tx.wnd = tcp_output_wnd(c, syn);
	if (syn) {
		/* Our SYN offers every option; a SYN-ACK answers only those the
		 * peer offered (RFC 7323 2.2, 3.2; RFC 2018 2). */
		bool active = tcp_output_active_syn(flags);
		unsigned off = c->st->features;
		tx.mss = c->adv_mss;
		tx.ws = (active && !(off & TCP_FEAT_NO_WS)) || c->ws_ok ? c->st->rcv_scale : -1;
		tx.sack_ok = (active && !(off & TCP_FEAT_NO_SACK)) || c->sack_ok;
		tx.ts = (active && !(off & TCP_FEAT_NO_TS)) || c->ts_ok;
	} else {
		tx.ts = c->ts_ok;
	}
	if (tx.ts) {
		tx.tsval = tcp_output_tsval(c, now);
		tx.tsecr = (flags & TCP_ACK) ? c->ts_recent : 0;
	}
	if (c->sack_ok && !syn && !(flags & TCP_RST) && (c->nooo || tcp_output_dsack_due(c))) {
		tx.nsack = tcp_reass_blocks(c, tx.sack, tx.ts ? 3 : 4);
		/* Keep a full data segment within the peer's MSS: drop blocks that
		 * would not fit (the next pure ACK carries them). */
		uint32_t piece = len < c->mss ? len : c->mss; /* a TSO segment's pieces are full */
		while (tx.nsack && piece > 0 && piece + 4 + 8u * tx.nsack > c->mss)
			tx.nsack--;
	}
	if (len) {
		tx.src = &c->sb;
		tx.src_off = seq - c->sb_seq;
		tx.len = len;
		if (len > c->mss)
			tx.gso_size = c->mss;
	}
	int r = tcp_output_tx(c->st, &tx, out);
	if (r == 0 && (flags & TCP_ACK)) {
		c->last_ack_sent = c->rcv_nxt;
		c->segs_unacked = 0;
		c->ack_now = false;
		c->ack_soon = false;
		c->t_delack = TCP_NEVER;
		c->dsack.end = c->dsack.start; /* RFC 2883: reported once, by this ACK */
	}
	return r;
}

void tcp_output_ack(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	tcp_output_seg(c, c->snd_nxt, 0, TCP_ACK, now, out);
}

void tcp_output_challenge_ack(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	int64_t sec = now / TCP_NS_PER_S;
	if (sec != c->chal_second) {
		c->chal_second = sec;
		c->chal_count = 0;
	}
	if (c->chal_count >= RIAD_TCP_CHALLENGE_ACKS_PER_S) {
		tcp_stat(c->st, challenge_limited);
		return;
	}
	c->chal_count++;
	tcp_stat(c->st, challenge_acks);
	tcp_output_ack(c, now, out);
}

void tcp_output_rst(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	/* RFC 9293 3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST>; SND.MAX is where the
	 * peer's RCV.NXT most likely is (RFC 5961 wants it exact), and the ACK
	 * makes it acceptable to every state of the peer. */
	tcp_output_seg(c, c->snd_max, 0, TCP_RST | TCP_ACK, now, out);
}

void tcp_output_reset_for(struct tcp_stack *st, const struct tcp_tuple *t, const struct tcp_seg *seg,
                          int64_t now, struct net_txq *out)
{
	if (seg->flags & TCP_RST)
		return;
	/* A token bucket of RIAD_TCP_RST_PER_S per second. */
	int64_t el = now - st->rst_at;
	if (el < 0 || el >= TCP_NS_PER_S) {
		st->rst_tokens = RIAD_TCP_RST_PER_S;
		st->rst_at = now;
	} else {
		uint64_t add = (uint64_t)el * RIAD_TCP_RST_PER_S / TCP_NS_PER_S;
		if (add) {
			st->rst_tokens = (uint32_t)(st->rst_tokens + add > RIAD_TCP_RST_PER_S
			                                ? RIAD_TCP_RST_PER_S
			                                : st->rst_tokens + add);
			st->rst_at = now;
		}
	}
	if (st->rst_tokens == 0) {
		tcp_stat(st, rst_limited);
		return;
	}
	st->rst_tokens--;
	/* RFC 9293 3.10.7.1 */
	struct tcp_tx tx = { .t = *t, .ws = -1 };
	if (seg->flags & TCP_ACK) {
		tx.seq = seg->ack;
		tx.flags = TCP_RST;
	} else {
		tx.seq = 0;
		tx.ack = seg->seq + tcp_seg_seqlen(seg);
		tx.flags = TCP_RST | TCP_ACK;
	}
	tcp_output_tx(st, &tx, out);
}

/* ---- what to send ---- */

static uint32_t tcp_output_data_end(const struct tcp_conn *c)
{
	return c->sb_seq + c->sb.len;
}

static bool tcp_output_fin_allowed(const struct tcp_conn *c)
{
	return c->fin_queued && c->state != TCP_SYN_SENT && c->state != TCP_SYN_RECEIVED;
}

/* Send what lies at seq: the SYN, or up to maxlen data bytes and the FIN
 * if they reach it. Updates snd_max, counts retransmissions, starts RTT
 * timing on new data; the caller moves snd_nxt. Returns the sequence space
 * sent, 0 if there was nothing, -1 if the segment could not be queued. */
static int tcp_output_at(struct tcp_conn *c, uint32_t seq, uint32_t maxlen, int64_t now,
                         struct net_txq *out)
{
	uint32_t n;
	uint8_t flags = TCP_ACK;
	uint32_t len = 0;
	if ((c->state == TCP_SYN_SENT || c->state == TCP_SYN_RECEIVED) && seq == c->iss) {
		flags = c->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;
		n = 1;
	} else {
		uint32_t end = tcp_output_data_end(c);
		if (seq_lt(seq, c->sb_seq))
			return 0;
		if (seq_lt(seq, end))
			len = end - seq < maxlen ? end - seq : maxlen;
		bool fin = tcp_output_fin_allowed(c) && seq + len == end;
		if (!len && !fin)
			return 0;
		if (fin)
			flags |= TCP_FIN;
		if (len && seq + len == end)
			flags |= TCP_PSH;
		n = len + (fin ? 1 : 0);
	}
	if (tcp_output_seg(c, seq, len, flags, now, out) < 0)
		return -1;
	if (len)
		c->last_data_tx = now;
	if (seq_lt(seq, c->snd_max)) {
		tcp_stat(c->st, retransmits);
	} else if (!c->rtt_timing) {
		c->rtt_timing = true;
		c->rtt_seq = seq + n;
		c->rtt_start = now;
	}
	if (seq_gt(seq + n, c->snd_max))
		c->snd_max = seq + n;
	return (int)n;
}

/* The retransmission timer: resend the first unacknowledged segment. */
int tcp_output_rexmit(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	/* Into a zero window only the one byte of a probe (3.8.6.1). */
	int n = tcp_output_at(c, c->snd_una, c->snd_wnd ? c->mss : 1, now, out);
	if (n > 0 && seq_gt(c->snd_una + (uint32_t)n, c->snd_nxt))
		c->snd_nxt = c->snd_una + (uint32_t)n;
	return n;
}

/* A zero-window probe (RFC 9293 3.8.6.1): one byte at SND.UNA beyond the
 * window; or, with a small non-zero window that sender SWS avoidance keeps
 * us from using, what fits (3.8.6.2.1's override timeout). */
int tcp_output_probe(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	uint32_t len = 1;
	uint32_t seq = c->snd_una;
	if (c->snd_wnd > 0) {
		seq = c->snd_nxt;
		uint32_t right = c->snd_una + c->snd_wnd;
		len = seq_lt(seq, right) ? right - seq : 0;
		if (len > c->mss)
			len = c->mss;
		if (len == 0)
			return 0;
	} else {
		c->snd_nxt = c->snd_una;
	}
	int n = tcp_output_at(c, seq, len, now, out);
	if (n > 0 && seq_gt(seq + (uint32_t)n, c->snd_nxt))
		c->snd_nxt = seq + (uint32_t)n;
	return n;
}

/* RFC 1122 4.2.3.6: <SEQ=SND.NXT-1> with no data, so the peer must ACK. */
void tcp_output_keepalive(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	tcp_output_seg(c, c->snd_una - 1, 0, TCP_ACK, now, out);
}

/* Which timer guards the connection's unacknowledged or unsent data:
 * persist while the peer's window is zero (or too small to use with
 * nothing in flight), retransmission while data is in flight. */
static void tcp_output_timers(struct tcp_conn *c, int64_t now)
{
	uint32_t end = tcp_output_data_end(c);
	bool fin_unsent = tcp_output_fin_allowed(c) && seq_leq(c->snd_max, end);
	bool data_unsent = seq_lt(c->snd_nxt, end);
	bool in_flight = c->snd_max != c->snd_una;
	bool data_out = seq_lt(c->snd_una, end); /* data sent or not, unacknowledged */
	bool synced = c->state != TCP_SYN_SENT && c->state != TCP_SYN_RECEIVED;
	if (!in_flight && !data_unsent && !fin_unsent) {
		c->t_rexmt = c->t_persist = TCP_NEVER;
		c->persist_count = 0;
		return;
	}
	if (synced && data_out && (c->snd_wnd == 0 || (!in_flight && data_unsent))) {
		c->t_rexmt = TCP_NEVER;
		if (c->t_persist == TCP_NEVER) {
			int64_t iv = tcp_timer_rto(c);
			for (unsigned i = 0; i < c->persist_count && iv < RIAD_TCP_PERSIST_MAX_NS; i++)
				iv *= 2;
			if (iv > RIAD_TCP_PERSIST_MAX_NS)
				iv = RIAD_TCP_PERSIST_MAX_NS;
			c->t_persist = now + iv;
		}
		return;
	}
	c->t_persist = TCP_NEVER;
	c->persist_count = 0;
	if (in_flight && c->t_rexmt == TCP_NEVER)
		tcp_timer_arm_rexmt(c, now);
}

/* The most payload one data segment of c's may carry: the MSS, or with
 * TSO as many whole MSS as fit in an IPv4 datagram beside the largest
 * headers (20 + 60 bytes). Retransmissions (the timer's, and SACK
 * recovery's holes) stay at one MSS: a loss is one wire segment, and
 * SACK reports at that grain. */
static uint32_t tcp_output_seg_max(const struct tcp_conn *c)
{
	if (!(c->st->offload & TCP_OFFLOAD_TSO) || c->mss == 0)
		return c->mss;
	uint32_t n = (65535u - 20 - 60) / c->mss;
	return n * c->mss;
}

/* Send new data and the FIN, as far as the windows allow; in recovery with
 * SACK, holes first (RFC 6675 NextSeg, simplified). */
static void tcp_output_data(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	for (;;) {
		if (net_txq_space(out) <= TCP_TXQ_RESERVE) {
			c->t_output = now;
			return;
		}
		uint32_t end = tcp_output_data_end(c);
		uint32_t usable_cwnd;
		if (c->in_recovery && c->sack_ok) {
			/* RFC 6675 5 (C): while cwnd - pipe >= 1 SMSS. */
			uint32_t pipe = tcp_sack_pipe(c);
			if (pipe + c->mss > c->cc.cwnd)
				return;
			usable_cwnd = c->cc.cwnd - pipe;
			uint32_t hs, he;
			if (tcp_sack_next_hole(c, c->rexmit_nxt, &hs, &he)) {
				uint32_t len = he - hs < c->mss ? he - hs : c->mss;
				int n = tcp_output_at(c, hs, len, now, out);
				if (n < 0)
					return;
				c->rexmit_nxt = hs + (n > 0 ? (uint32_t)n : len);
				continue;
			}
		} else {
			uint32_t cwnd = c->cc.cwnd;
			/* RFC 3042 limited transmit: one more segment per early dup ACK. */
			if (!c->in_recovery && c->dupacks > 0 && c->dupacks < 3)
				cwnd += c->dupacks * (uint32_t)c->mss;
			uint32_t flight = c->snd_nxt - c->snd_una;
			usable_cwnd = cwnd > flight ? cwnd - flight : 0;
		}
		uint32_t seq = c->snd_nxt;
		uint32_t avail = seq_lt(seq, end) ? end - seq : 0;
		uint32_t right = c->snd_una + c->snd_wnd;
		uint32_t usable_wnd = seq_lt(seq, right) ? right - seq : 0;
		uint32_t len = avail;
		uint32_t cap = tcp_output_seg_max(c);
		if (len > cap)
			len = cap;
		if (len > usable_wnd)
			len = usable_wnd;
		if (len > usable_cwnd)
			len = usable_cwnd;
		/* A TSO segment cut short by a window ends on a whole MSS, so
		 * that no small piece goes out in mid-stream (the tail of what
		 * the application wrote may be one). */
		if (len > c->mss && len < avail)
			len -= len % c->mss;
		/* The small last piece of a TSO segment that the data's end
		 * cuts is a small segment on the wire: Nagle's rule below
		 * applies to it (Linux's tcp_mss_split_point does the same),
		 * so while another small one is unacknowledged it waits and
		 * the whole MSS before it go now. */
		else if (len > c->mss && len % c->mss && !c->nodelay && c->snd_nxt != c->snd_una &&
		         seq_gt(c->snd_sml, c->snd_una) && !tcp_output_fin_allowed(c))
			len -= len % c->mss;
		bool fin = tcp_output_fin_allowed(c) && seq + len == end && seq_leq(seq, end);
		if (!len && !fin)
			return;
		if (len < c->mss && len < avail) {
			/* RFC 9293 3.8.6.2.1 sender SWS avoidance: a piece of the
			 * window smaller than an MSS only when it is at least half
			 * the largest window the peer offered. */
			if (len < c->max_snd_wnd / 2 || len == 0)
				return;
		} else if (len < c->mss && !fin && !c->nodelay && c->snd_nxt != c->snd_una &&
		           seq_gt(c->snd_sml, c->snd_una)) {
			/* RFC 9293 3.7.4 Nagle, in Minshall's form: hold a small
			 * segment while another small one is unacknowledged (the
			 * tail of a larger write goes at once). */
			return;
		}
		if (len && c->snd_una == c->snd_max && c->last_data_tx &&
		    now - c->last_data_tx > tcp_timer_rto(c))
			tcp_cc_after_idle(c);
		int n = tcp_output_at(c, seq, len, now, out);
		if (n <= 0)
			return;
		c->snd_nxt = seq + (uint32_t)n;
		if (len % c->mss) /* the last piece on the wire is small */
			c->snd_sml = c->snd_nxt;
	}
}

/* Keep c's ACK for tcp_input_end(). */
static void tcp_output_hold_ack(struct tcp_conn *c)
{
	if (c->ack_held)
		return;
	c->ack_held = true;
	c->ack_next = c->st->held;
	c->st->held = c;
}

void tcp_output(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	if (c->ack_soon && !c->ack_now) {
		if (c->st->batching)
			tcp_output_hold_ack(c); /* a data segment below may carry it yet */
		else
			c->ack_now = true;
	}
	switch (c->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
		return;
	case TCP_TIME_WAIT:
	case TCP_FIN_WAIT_2:
		if (c->ack_now)
			tcp_output_ack(c, now, out);
		break;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		if (c->snd_nxt == c->iss) {
			int n = tcp_output_at(c, c->iss, 0, now, out);
			if (n > 0)
				c->snd_nxt = c->iss + 1;
			else if (n < 0)
				c->t_output = now;
		} else if (c->ack_now) {
			tcp_output_ack(c, now, out);
		}
		if (c->snd_max != c->snd_una && c->t_rexmt == TCP_NEVER)
			tcp_timer_arm_rexmt(c, now);
		break;
	default:
		/* A D-SACK goes on a pure ACK ahead of any data: a full data
		 * segment has no room for it, and it is the duplicate ACK the
		 * peer's fast retransmit counts (RFC 5681 4.2). */
		if (c->ack_now && tcp_output_dsack_due(c))
			tcp_output_ack(c, now, out);
		tcp_output_data(c, now, out);
		if (c->ack_now)
			tcp_output_ack(c, now, out);
		tcp_output_timers(c, now);
		break;
	}
	/* RFC 9293 3.8.6.3 / RFC 5681 4.2: an ACK owed but not yet sent waits
	 * at most RIAD_TCP_DELACK_NS. */
	if (c->ack_now)
		c->t_output = now; /* the queue was full */
	else if (c->segs_unacked && !c->ack_held && c->t_delack == TCP_NEVER)
		c->t_delack = now + RIAD_TCP_DELACK_NS;
	tcp_timer_update(c);
}
