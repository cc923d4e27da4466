/* tcp/tcp_input.c: segment arrival: the RFC 9293 state machine (3.10.7) with the RFC 5961 defences, RFC 7323 PAWS, and the ACK side of loss recovery.
 *
 * The states and what moves a connection between them ("rcv X / snd Y"):
 *
 *             tcp_connect / snd SYN             tcp_listen
 *   CLOSED ---------------------------> SYN-SENT     (LISTEN: a listener,
 *     ^                                   |    \      not a connection; a
 *     |            rcv SYN / snd SYN,ACK  |     \     SYN there creates a
 *     |        (simultaneous open)        |      \    SYN-RECEIVED one, or
 *     |     +-----------------------------+       \   a cookie when full)
 *     |     v                                      \
 *     | SYN-RECEIVED ---- rcv ACK of SYN -----+     \ rcv SYN,ACK / snd ACK
 *     |                                       v      v
 *     |                                   ESTABLISHED
 *     |             tcp_close or shutdown /        \  rcv FIN / snd ACK
 *     |                  snd FIN          v         v
 *     |                           FIN-WAIT-1      CLOSE-WAIT
 *     |     rcv ACK of FIN   /        |                 |  tcp_close / snd FIN
 *     |                     v         | rcv FIN         v
 *     |            FIN-WAIT-2         | / snd ACK   LAST-ACK
 *     |                |              v                 |  rcv ACK of FIN
 *     |     rcv FIN    |           CLOSING              v
 *     |     / snd ACK  |              | rcv ACK      CLOSED
 *     |                v              v   of FIN
 *     +--- 2*MSL -- TIME-WAIT <-------+
 *
 * RST (in window, exactly at RCV.NXT) takes every synchronised state to
 * CLOSED; a passive SYN-RECEIVED "returns to LISTEN", which here means the
 * half-open connection is freed.
 *
 * Invariants (checked by the tests and the fuzz targets):
 *  1. SND.UNA <= SND.NXT <= SND.MAX; the send buffer holds exactly the data
 *     bytes [sb_seq, sb_seq + sb.len), and sb_seq is SND.UNA, or SND.UNA + 1
 *     while our SYN is unacknowledged, or SND.UNA - 1 once our FIN is.
 *  2. The receive buffer holds the unread in-order bytes [RCV.NXT - rb.len,
 *     RCV.NXT) and, at their offsets, the out-of-order ranges, all inside
 *     (RCV.NXT, RCV.NXT - rb.len + cap].
 *  3. The right edge of the receive window we advertised never moves left
 *     (rcv_adv only grows), and never passes RCV.NXT - rb.len + cap.
 *  4. A connection is in the 4-tuple table unless it is CLOSED; it is on the
 *     timer heap exactly when one of its timers is set.
 *  5. Every received segment ends in exactly one of: processed, or one drop
 *     counter of struct riad_tcp_stats.
 *  6. A connection is freed only when the application does not hold it.
 *  7. tcp_input() consumes the pbuf on every path; no byte of it is read
 *     outside [data, data + len) (tcp_seg_parse is the only reader).
 *  8. We never send beyond the peer's window, except a one-byte zero-window
 *     probe and retransmissions of data already sent.
 */
#include "tcp_int.h"

/* Result of a step of segment processing. */
enum tcp_in {
	TCP_IN_CONT, /* go on with the next step */
	TCP_IN_STOP, /* done with this segment; the connection lives */
	TCP_IN_GONE, /* the connection was closed (and maybe freed) */
};

static enum tcp_in tcp_input_gone(struct tcp_conn *c, int err)
{
	tcp_conn_close(c, err);
	return TCP_IN_GONE;
}

/* ---- options of a SYN (RFC 9293 3.7.1, RFC 7323 2-3, RFC 2018 2) ---- */

static void tcp_input_syn_options(struct tcp_conn *c, const struct tcp_seg *seg_in, int64_t now)
{
	struct tcp_seg s = *seg_in;
	const struct tcp_seg *seg = &s;
	if (c->st->features & TCP_FEAT_NO_WS)
		s.opts &= (uint8_t)~TCP_SEG_WS;
	if (c->st->features & TCP_FEAT_NO_SACK)
		s.opts &= (uint8_t)~TCP_SEG_SACK_OK;
	if (c->st->features & TCP_FEAT_NO_TS)
		s.opts &= (uint8_t)~TCP_SEG_TS;
	/* 3.7.1: without an MSS option, 536 (IPv4). */
	uint32_t peer = (seg->opts & TCP_SEG_MSS) ? seg->mss : 536;
	if (peer < RIAD_TCP_MSS_MIN)
		peer = RIAD_TCP_MSS_MIN;
	if (seg->opts & TCP_SEG_WS) {
		c->ws_ok = true;
		c->snd_scale = seg->wscale;
		c->rcv_scale = c->st->rcv_scale;
	} else {
		/* RFC 7323 2.2: scaling only if both sides sent the option. */
		c->ws_ok = false;
		c->snd_scale = c->rcv_scale = 0;
	}
	c->sack_ok = (seg->opts & TCP_SEG_SACK_OK) != 0;
	c->ts_ok = (seg->opts & TCP_SEG_TS) != 0;
	if (c->ts_ok) {
		c->ts_recent = seg->tsval;
		c->ts_recent_at = now;
	}
	uint32_t m = peer < c->adv_mss ? peer : c->adv_mss;
	/* RFC 6691: the MSS counts payload only; our timestamp option comes out
	 * of it. */
	if (c->ts_ok)
		m -= 12;
	c->mss = (uint16_t)m;
	tcp_cc_init(c);
}

/* The handshake completed (SYN-SENT or SYN-RECEIVED to ESTABLISHED). */
static void tcp_input_established(struct tcp_conn *c, int64_t now)
{
	tcp_conn_set_state(c, TCP_ESTABLISHED);
	c->rexmt_count = 0;
	/* RFC 6298 5.7: after a retransmitted SYN, RTO 3 s until measured. */
	if (c->syn_rexmit && !c->rtt_valid && c->rto < 3 * TCP_NS_PER_S)
		c->rto = 3 * TCP_NS_PER_S;
	c->backoff = 0;
	if (c->fin_queued)
		tcp_conn_set_state(c, TCP_FIN_WAIT_1); /* a shutdown queued during the handshake */
	if (c->keepalive)
		c->t_keep = now + c->ka_idle;
	if (c->parent)
		tcp_conn_ready(c);
}

/* ---- steps 7 and 8: text and FIN ---- */

static void tcp_input_fin(struct tcp_conn *c, int64_t now)
{
	/* RFC 9293 3.10.7.4 eighth */
	c->rcv_nxt++;
	c->rcv_fin = true;
	c->fin_ooo = false;
	tcp_reass_clear(c); /* nothing lies beyond a FIN: such "data" is forgotten */
	c->ack_now = true;
	tcp_conn_notify(c);
	switch (c->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_conn_set_state(c, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		if (c->fin_queued && c->snd_una == c->snd_max &&
		    c->snd_max == c->sb_seq + c->sb.len + 1)
			tcp_conn_time_wait(c, now);
		else
			tcp_conn_set_state(c, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		tcp_conn_time_wait(c, now);
		break;
	default:
		break;
	}
}

/* RFC 2883: the next ACK reports [s, e) as received twice (only where
 * SACK was negotiated; the latest duplicate wins). */
static void tcp_input_dsack(struct tcp_conn *c, uint32_t s, uint32_t e)
{
	if (c->sack_ok)
		c->dsack = (struct tcp_range){ s, e };
}

static enum tcp_in tcp_input_text(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                                  struct net_txq *out)
{
	struct tcp_stack *st = c->st;
	uint32_t seq = seg->seq + ((seg->flags & TCP_SYN) ? 1u : 0u);
	const uint8_t *data = seg->data;
	uint32_t len = seg->len;
	bool fin = (seg->flags & TCP_FIN) != 0;
	uint32_t fin_seq = seq + len;
	if (!len && !fin)
		return TCP_IN_CONT;
	/* Seventh: text is taken in ESTABLISHED and the FIN-WAITs; after the
	 * peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT) it is ignored. */
	if (c->rcv_fin || (c->state != TCP_ESTABLISHED && c->state != TCP_FIN_WAIT_1 &&
	                   c->state != TCP_FIN_WAIT_2))
		return TCP_IN_CONT;
	/* Nobody will read data arriving after tcp_close: reset (RFC 2525 2.17). */
	if (len && !c->app && !c->parent) {
		tcp_stat(st, after_close);
		tcp_output_rst(c, now, out);
		return tcp_input_gone(c, -RIAD_ECONNRESET);
	}
	/* Trim what we already have on the left... */
	uint32_t dup = 0;
	if (seq_lt(seq, c->rcv_nxt)) {
		uint32_t d = c->rcv_nxt - seq;
		dup = d < len ? d : len;
		if (dup)
			tcp_input_dsack(c, seq, seq + dup);
		if (d >= len) {
			len = 0;
			if (seq_lt(fin_seq, c->rcv_nxt))
				fin = false;
		} else {
			data += d;
			len -= d;
		}
		seq = c->rcv_nxt;
		c->ack_now = true; /* RFC 5681 4.2: duplicate data is ACKed at once */
	}
	/* ... and what is beyond the window on the right. */
	uint32_t right = c->rcv_nxt + tcp_conn_rcv_wnd(c);
	if (seq_gt(seq + len, right)) {
		uint32_t over = seq_lt(seq, right) ? seq + len - right : len;
		len -= over;
		st->stats->beyond_window += over;
		fin = false;
		c->ack_now = true;
	}
	/* ... and count what we hold already out of order (RFC 2883 4: the
	 * D-SACK block then names that piece). */
	struct tcp_range held;
	uint32_t n_held = len ? tcp_reass_overlap(c, seq, seq + len, &held) : 0;
	if (n_held) {
		dup += n_held;
		tcp_input_dsack(c, held.start, held.end);
		c->ack_now = true;
	}
	if (dup) {
		st->stats->dup_bytes += dup;
		if (dup == seg->len && !(seg->flags & (TCP_SYN | TCP_FIN)))
			tcp_stat(st, dup_segs);
	}
	if (len) {
		if (tcp_buf_reserve(&c->rb, c->rb.cap) < 0) {
			tcp_stat(st, no_mem);
			return TCP_IN_STOP;
		}
		tcp_buf_write_at(&c->rb, (seq - c->rcv_nxt) + c->rb.len, data, len);
		if (seq == c->rcv_nxt) {
			c->rcv_nxt += len;
			uint32_t more = tcp_reass_pull(c);
			c->rb.len += len + more;
			st->stats->rx_bytes += len + more;
			/* RFC 5681 4.2: at once when filling a hole; otherwise every
			 * second segment (held to the end of a burst, tcp_input_end),
			 * or after the delayed-ACK timer. */
			if (more || c->nooo)
				c->ack_now = true;
			else if ((c->segs_unacked += len > c->adv_mss ? 2 : 1) >= 2)
				c->ack_soon = true; /* a coalesced segment counts as two or more */
			tcp_conn_notify(c);
		} else {
			int r = tcp_reass_insert(c, seq, seq + len);
			if (r > 0) {
				tcp_stat(st, ooo_segs);
			} else {
				if (r == 0)
					tcp_stat(st, ooo_full);
				else
					tcp_stat(st, no_mem);
				fin = false;
			}
			c->ack_now = true; /* RFC 5681 4.2: out of order, a duplicate ACK at once */
		}
	}
	if (fin) {
		if (fin_seq == c->rcv_nxt) {
			tcp_input_fin(c, now);
		} else {
			c->fin_ooo = true;
			c->fin_ooo_seq = fin_seq;
			c->ack_now = true;
		}
	} else if (c->fin_ooo && c->rcv_nxt == c->fin_ooo_seq) {
		tcp_input_fin(c, now);
	}
	return TCP_IN_CONT;
}

/* ---- step 5: the ACK ---- */

static void tcp_input_recovery_start(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	/* RFC 6582 3.2 (2) and RFC 6675 5 (4): fast retransmit. */
	tcp_stat(c->st, fast_retransmits);
	c->in_recovery = true;
	c->recover = c->snd_max;
	c->recover_valid = true;
	tcp_cc_on_loss(c, now);
	if (!c->ts_ok)
		c->rtt_timing = false; /* Karn */
	int n = tcp_output_rexmit(c, now, out);
	if (c->sack_ok) {
		c->cc.cwnd = c->cc.ssthresh;
		c->rexmit_nxt = c->snd_una + (n > 0 ? (uint32_t)n : 0u);
	} else {
		c->cc.cwnd = c->cc.ssthresh + 3u * c->mss;
	}
}

static void tcp_input_dupack(struct tcp_conn *c, int64_t now, struct net_txq *out)
{
	tcp_stat(c->st, dup_acks);
	c->dupacks++;
	if (c->in_recovery) {
		/* RFC 6582 3.2 (3): inflate by one segment per duplicate (with SACK
		 * the pipe does this). */
		if (!c->sack_ok)
			c->cc.cwnd += c->mss;
		return;
	}
	/* RFC 5681 3.2 DupThresh 3, or RFC 6675 IsLost(HighACK + 1). */
	bool lost = c->dupacks >= 3 ||
	            (c->sack_ok && tcp_sack_bytes(c, c->snd_una, c->snd_max) > 2u * c->mss);
	if (!lost)
		return; /* RFC 3042 limited transmit happens in tcp_output */
	/* RFC 6582 4: duplicates of data sent before the last loss (below
	 * `recover`) start no new recovery. */
	if (c->recover_valid && seq_lt(c->snd_una, c->recover))
		return;
	tcp_input_recovery_start(c, now, out);
}

static void tcp_input_newack(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                             struct net_txq *out)
{
	uint32_t ack = seg->ack;
	uint32_t acked = ack - c->snd_una;
	if (c->snd_una == c->iss && acked)
		acked--; /* our SYN */
	uint32_t end = c->sb_seq + c->sb.len;
	if (c->fin_queued && seq_gt(ack, end) && acked)
		acked--; /* our FIN */
	if (seq_gt(ack, c->sb_seq)) {
		uint32_t n = ack - c->sb_seq;
		if (n > c->sb.len)
			n = c->sb.len;
		tcp_buf_consume(&c->sb, n);
		c->sb_seq += n;
		/* Everything acknowledged: an idle connection holds no send
		 * buffer (tcp_send allocates it again). */
		if (c->sb.len == 0)
			tcp_buf_release(&c->sb);
	}
	/* RTT: one sample per round trip; from the echoed timestamp when there
	 * is one (RFC 7323 4.1: valid across retransmissions), otherwise from
	 * the timed segment (Karn: timing stops on retransmission). */
	if (c->rtt_timing && seq_geq(ack, c->rtt_seq)) {
		if (c->ts_ok && (seg->opts & TCP_SEG_TS) && seg->tsecr) {
			int32_t ms = (int32_t)(tcp_output_tsval(c, now) - seg->tsecr);
			if (ms >= 0)
				tcp_rtt_sample(c, (int64_t)ms * TCP_NS_PER_MS);
		} else if (!c->ts_ok) {
			tcp_rtt_sample(c, now - c->rtt_start);
		}
		c->rtt_timing = false;
	}
	c->snd_una = ack;
	if (seq_lt(c->snd_nxt, ack))
		c->snd_nxt = ack;
	c->rexmt_count = 0;
	c->backoff = 0;
	tcp_sack_trim(c);
	if (c->in_recovery) {
		if (seq_geq(ack, c->recover)) {
			/* RFC 6582 3.2 (3) full acknowledgment, option 1. */
			uint32_t fl = c->snd_max - c->snd_una;
			uint32_t w = (fl > c->mss ? fl : c->mss) + c->mss;
			c->cc.cwnd = w < c->cc.ssthresh ? w : c->cc.ssthresh;
			c->in_recovery = false;
			c->dupacks = 0;
		} else if (!c->sack_ok) {
			/* RFC 6582 3.2 (4) partial acknowledgment: resend the next
			 * hole, deflate by what was ACKed, add back one segment. */
			tcp_output_rexmit(c, now, out);
			c->cc.cwnd = c->cc.cwnd > acked ? c->cc.cwnd - acked : 0;
			if (acked >= c->mss)
				c->cc.cwnd += c->mss;
			if (c->cc.cwnd < c->mss)
				c->cc.cwnd = c->mss;
		} else if (seq_lt(c->rexmit_nxt, c->snd_una)) {
			c->rexmit_nxt = c->snd_una;
		}
	} else {
		c->dupacks = 0;
		tcp_cc_on_ack(c, acked, now);
	}
	/* RFC 6298 5.2-5.3 */
	if (c->snd_una == c->snd_max)
		c->t_rexmt = TCP_NEVER;
	else
		tcp_timer_arm_rexmt(c, now);
	tcp_conn_notify(c);
}

static enum tcp_in tcp_input_ack(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                                 struct net_txq *out)
{
	uint32_t ack = seg->ack;
	/* RFC 5961 5.2: acceptable only within [SND.UNA - MAX.SND.WND, SND.MAX]
	 * (RFC 9293 says SND.NXT; SND.MAX also covers data sent before an RTO
	 * reset SND.NXT). */
	if (seq_gt(ack, c->snd_max) || seq_lt(ack, c->snd_una - c->max_snd_wnd)) {
		tcp_stat(c->st, bad_ack);
		tcp_output_challenge_ack(c, now, out);
		return TCP_IN_STOP;
	}
	uint32_t old_wnd = c->snd_wnd;
	/* RFC 9293 3.10.7.4 fifth, window update: only from a newer segment. */
	if (seq_geq(ack, c->snd_una) &&
	    (seq_lt(c->snd_wl1, seg->seq) || (c->snd_wl1 == seg->seq && seq_leq(c->snd_wl2, ack)))) {
		c->snd_wnd = (uint32_t)seg->wnd << c->snd_scale;
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = ack;
		if (c->snd_wnd > c->max_snd_wnd)
			c->max_snd_wnd = c->snd_wnd;
		if (c->snd_wnd > old_wnd)
			tcp_conn_notify(c);
	}
	tcp_sack_update(c, seg);
	if (seq_gt(ack, c->snd_una)) {
		tcp_input_newack(c, seg, now, out);
	} else if (ack == c->snd_una && c->snd_max != c->snd_una && seg->len == 0 &&
	           !(seg->flags & (TCP_SYN | TCP_FIN)) && c->snd_wnd == old_wnd && c->snd_wnd) {
		/* RFC 5681 2: the definition of a duplicate ACK (not while the
		 * window is closed: those answer zero-window probes). */
		tcp_input_dupack(c, now, out);
	}
	bool fin_acked = c->fin_queued && c->snd_una == c->snd_max &&
	                 c->snd_max == c->sb_seq + c->sb.len + 1;
	switch (c->state) {
	case TCP_FIN_WAIT_1:
		if (fin_acked) {
			tcp_conn_set_state(c, TCP_FIN_WAIT_2);
			if (!c->app && !c->parent)
				c->t_2msl = now + RIAD_TCP_FIN_WAIT2_NS;
		}
		break;
	case TCP_CLOSING:
		if (fin_acked)
			tcp_conn_time_wait(c, now);
		break;
	case TCP_LAST_ACK:
		if (fin_acked)
			return tcp_input_gone(c, 0);
		break;
	default:
		break;
	}
	return TCP_IN_CONT;
}

void tcp_input_synchronized(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                            struct net_txq *out)
{
	c->last_rx = now;
	c->ka_sent = 0;
	enum tcp_in r = tcp_input_ack(c, seg, now, out);
	if (r == TCP_IN_CONT)
		r = tcp_input_text(c, seg, now, out); /* sixth (URG) is inline data: nothing to do */
	if (r != TCP_IN_GONE)
		tcp_output(c, now, out);
}

/* ---- SYN-SENT (RFC 9293 3.10.7.3) ---- */

static enum tcp_in tcp_input_synsent(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                                     struct net_txq *out)
{
	struct tcp_stack *st = c->st;
	uint8_t f = seg->flags;
	bool ack_ok = false;
	if (f & TCP_ACK) {
		if (seq_leq(seg->ack, c->iss) || seq_gt(seg->ack, c->snd_max)) {
			tcp_stat(st, synsent_drop);
			tcp_output_reset_for(st, &c->t, seg, now, out);
			return TCP_IN_STOP;
		}
		ack_ok = true;
	}
	if (f & TCP_RST) {
		/* RFC 5961 3.2: in SYN-SENT an acceptable ACK makes the RST valid. */
		if (!ack_ok) {
			tcp_stat(st, synsent_drop);
			return TCP_IN_STOP;
		}
		tcp_stat(st, resets_rx);
		return tcp_input_gone(c, -RIAD_ECONNREFUSED);
	}
	if (!(f & TCP_SYN)) {
		tcp_stat(st, synsent_drop);
		return TCP_IN_STOP;
	}
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->rcv_adv = c->rcv_nxt;
	tcp_input_syn_options(c, seg, now);
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	c->snd_wnd = c->max_snd_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	if (!ack_ok) {
		/* Simultaneous open: SYN-RECEIVED, SYN,ACK with our ISS. Text in the
		 * SYN is not taken (the peer sends it again). */
		tcp_conn_set_state(c, TCP_SYN_RECEIVED);
		c->snd_nxt = c->iss;
		c->ack_now = false;
		return TCP_IN_CONT;
	}
	if (c->rtt_timing) {
		if (c->ts_ok && (seg->opts & TCP_SEG_TS) && seg->tsecr) {
			int32_t ms = (int32_t)(tcp_output_tsval(c, now) - seg->tsecr);
			if (ms >= 0)
				tcp_rtt_sample(c, (int64_t)ms * TCP_NS_PER_MS);
		} else if (!c->syn_rexmit) {
			tcp_rtt_sample(c, now - c->rtt_start);
		}
		c->rtt_timing = false;
	}
	c->snd_una = seg->ack;
	if (seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->t_rexmt = TCP_NEVER;
	tcp_input_established(c, now);
	c->last_rx = now;
	c->ack_now = true;
	/* "continue processing at the sixth step": data and FIN in the SYN,ACK */
	return tcp_input_text(c, seg, now, out);
}

/* ---- every state but LISTEN and SYN-SENT (RFC 9293 3.10.7.4) ---- */

static bool tcp_input_acceptable(const struct tcp_conn *c, const struct tcp_seg *seg)
{
	uint32_t wnd = tcp_conn_rcv_wnd(c), nxt = c->rcv_nxt, s = seg->seq;
	uint32_t n = tcp_seg_seqlen(seg);
	if (n == 0)
		return wnd == 0 ? s == nxt : seq_in(s, nxt, nxt + wnd);
	if (wnd == 0)
		return s == nxt; /* the zero-window allowance for ACKs; text is trimmed */
	return seq_in(s, nxt, nxt + wnd) || seq_in(s + n - 1, nxt, nxt + wnd);
}

/* A segment wholly below RCV.NXT: the peer sent again what we have (our
 * ACK was lost or late, a spurious RTO, a tail loss probe) or probes with
 * an old sequence number (Linux's keepalives and window probes). RFC 9293
 * 3.10.7.4 answers it with an ACK; it is counted as dup_segs, not as a
 * drop. Only up to a receive buffer below RCV.NXT (no window we offered
 * reached further back, so no sender retransmits from there): beyond that
 * it is out of window like any other. */
static bool tcp_input_old(const struct tcp_conn *c, const struct tcp_seg *seg)
{
	uint32_t nxt = c->rcv_nxt, s = seg->seq, n = tcp_seg_seqlen(seg);
	if (!seq_lt(s, nxt) || nxt - s > c->rb.cap + 1)
		return false;
	return n == 0 || seq_leq(s + n, nxt);
}

/* 24 days (RFC 7323 5.5): an older TS.Recent is not trusted for PAWS. */
#define TCP_PAWS_IDLE_NS (24LL * 24 * 3600 * TCP_NS_PER_S)

static enum tcp_in tcp_input_state(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                                   struct net_txq *out)
{
	struct tcp_stack *st = c->st;
	uint8_t f = seg->flags;
	/* A retransmitted SYN while our SYN,ACK is unanswered: answer again (it
	 * is below RCV.NXT, and the ACK step one would send could not help a
	 * peer in SYN-SENT). */
	if (c->state == TCP_SYN_RECEIVED && (f & TCP_SYN) && !(f & (TCP_ACK | TCP_RST)) &&
	    seg->seq == c->irs) {
		c->snd_nxt = c->iss;
		if (!c->ts_ok)
			c->rtt_timing = false;
		return TCP_IN_STOP;
	}
	/* RFC 7323 3.2 and 5.3 (R1-R3): PAWS before anything else. */
	if (c->ts_ok && !(f & TCP_RST)) {
		if (!(seg->opts & TCP_SEG_TS)) {
			tcp_stat(st, no_timestamp);
			return TCP_IN_STOP;
		}
		if (seq_lt(seg->tsval, c->ts_recent) && now - c->ts_recent_at <= TCP_PAWS_IDLE_NS) {
			tcp_stat(st, paws);
			c->ack_now = true;
			return TCP_IN_STOP;
		}
	}
	/* First: sequence number. */
	if (!tcp_input_acceptable(c, seg)) {
		if (f & TCP_RST) {
			tcp_stat(st, rst_bad_seq); /* RFC 5961 3.2: silently */
			return TCP_IN_STOP;
		}
		if (tcp_input_old(c, seg)) {
			tcp_stat(st, dup_segs);
			st->stats->dup_bytes += seg->len;
			if (tcp_seg_seqlen(seg))
				tcp_input_dsack(c, seg->seq, seg->seq + tcp_seg_seqlen(seg));
		} else {
			tcp_stat(st, out_of_window);
		}
		c->ack_now = true;
		if (c->state == TCP_TIME_WAIT && (f & TCP_FIN)) {
			/* The peer's FIN again: ACK it and restart 2*MSL. */
			c->t_2msl = now + 2 * RIAD_TCP_MSL_NS;
		}
		return TCP_IN_STOP;
	}
	/* RFC 7323 4.3: TS.Recent from the segment that moves the left edge. */
	if (c->ts_ok && (seg->opts & TCP_SEG_TS) && seq_leq(seg->seq, c->last_ack_sent) &&
	    seq_geq(seg->tsval, c->ts_recent)) {
		c->ts_recent = seg->tsval;
		c->ts_recent_at = now;
	}
	/* Second: RST, RFC 5961 3.2: exactly at RCV.NXT resets, elsewhere in
	 * the window earns a challenge ACK. */
	if (f & TCP_RST) {
		if (seg->seq != c->rcv_nxt) {
			tcp_stat(st, rst_bad_seq);
			tcp_output_challenge_ack(c, now, out);
			return TCP_IN_STOP;
		}
		if (c->state == TCP_TIME_WAIT) {
			/* RFC 1337: a RST must not assassinate TIME-WAIT (it would let
			 * old duplicates into a new incarnation early). */
			tcp_stat(st, timewait_rst);
			return TCP_IN_STOP;
		}
		tcp_stat(st, resets_rx);
		switch (c->state) {
		case TCP_SYN_RECEIVED:
			return tcp_input_gone(c, c->passive ? 0 : -RIAD_ECONNREFUSED);
		case TCP_ESTABLISHED:
		case TCP_FIN_WAIT_1:
		case TCP_FIN_WAIT_2:
		case TCP_CLOSE_WAIT:
			return tcp_input_gone(c, -RIAD_ECONNRESET);
		default:
			return tcp_input_gone(c, 0);
		}
	}
	/* Fourth: SYN. RFC 5961 4.2 answers with a challenge ACK; a passive
	 * SYN-RECEIVED goes back to LISTEN (RFC 9293). */
	if (f & TCP_SYN) {
		tcp_stat(st, syn_in_window);
		if (c->state == TCP_SYN_RECEIVED && c->passive)
			return tcp_input_gone(c, 0);
		tcp_output_challenge_ack(c, now, out);
		return TCP_IN_STOP;
	}
	/* Fifth: ACK. */
	if (!(f & TCP_ACK)) {
		tcp_stat(st, no_ack);
		return TCP_IN_STOP;
	}
	if (c->state == TCP_SYN_RECEIVED) {
		if (!seq_lt(c->snd_una, seg->ack) || seq_gt(seg->ack, c->snd_max)) {
			tcp_stat(st, bad_ack);
			tcp_output_reset_for(st, &c->t, seg, now, out);
			return TCP_IN_STOP;
		}
		c->snd_wnd = (uint32_t)seg->wnd << c->snd_scale;
		if (c->snd_wnd > c->max_snd_wnd)
			c->max_snd_wnd = c->snd_wnd;
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
		tcp_input_established(c, now);
	}
	return TCP_IN_CONT;
}

static void tcp_input_conn(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                           struct net_txq *out)
{
	if (c->state == TCP_SYN_SENT) {
		if (tcp_input_synsent(c, seg, now, out) != TCP_IN_GONE)
			tcp_output(c, now, out);
		return;
	}
	enum tcp_in r = tcp_input_state(c, seg, now, out);
	if (r == TCP_IN_GONE)
		return;
	if (r == TCP_IN_CONT && c->state != TCP_SYN_RECEIVED) {
		tcp_input_synchronized(c, seg, now, out);
		return;
	}
	tcp_output(c, now, out);
}

/* ---- LISTEN (RFC 9293 3.10.7.2) ---- */

static struct tcp_listener *tcp_input_listener(struct tcp_stack *st, uint32_t addr, uint16_t port)
{
	struct tcp_listener *any = NULL;
	for (struct tcp_listener *l = st->listeners; l; l = l->next) {
		if (l->port != port)
			continue;
		if (l->addr == addr)
			return l;
		if (l->addr == 0)
			any = l;
	}
	return any;
}

#define TCP_COOKIE_LIFE_NS (128 * TCP_NS_PER_S)

static void tcp_input_cookie_synack(struct tcp_listener *l, const struct tcp_tuple *t,
                                    const struct tcp_seg *seg, int64_t now, struct net_txq *out)
{
	struct tcp_stack *st = l->st;
	uint16_t peer = (seg->opts & TCP_SEG_MSS) ? seg->mss : 536;
	uint16_t mss;
	uint32_t isn = tcp_syncookie_make(st, t, seg->seq, peer, now, &mss);
	struct tcp_tx tx = {
		.t = *t,
		.seq = isn,
		.ack = seg->seq + 1,
		.flags = TCP_SYN | TCP_ACK,
		.wnd = RIAD_TCP_RCV_BUF > 0xffff ? 0xffff : RIAD_TCP_RCV_BUF,
		.mss = st->mss,
		.ws = -1,
	};
	/* Window scale and SACK only with timestamps, where the cookie's TSval
	 * remembers them (tcp_syncookie.c). */
	if (seg->opts & TCP_SEG_TS) {
		int ws = (seg->opts & TCP_SEG_WS) ? seg->wscale : -1;
		bool sack = (seg->opts & TCP_SEG_SACK_OK) != 0;
		uint32_t tsval = (uint32_t)(now / TCP_NS_PER_MS) + tcp_isn_ts_offset(st, t) - 64;
		tx.ts = true;
		tx.tsval = tcp_syncookie_tsval(tsval, ws, sack);
		tx.tsecr = seg->tsval;
		tx.ws = ws >= 0 ? st->rcv_scale : -1;
		tx.sack_ok = sack;
	}
	l->cookies_used = true;
	l->cookie_sent_at = now;
	if (tcp_output_tx(st, &tx, out) == 0)
		tcp_stat(st, syncookies_tx);
}

/* A valid cookie's ACK: the connection is born ESTABLISHED. */
static void tcp_input_cookie_ack(struct tcp_listener *l, const struct tcp_tuple *t,
                                 const struct tcp_seg *seg, uint16_t mss, int64_t now,
                                 struct net_txq *out)
{
	struct tcp_stack *st = l->st;
	if (l->ready.n >= l->backlog) {
		tcp_stat(st, backlog_full);
		return;
	}
	struct tcp_conn *c = tcp_conn_new(st, t, now);
	if (!c) {
		tcp_stat(st, no_mem);
		return;
	}
	tcp_stat(st, syncookies_ok);
	tcp_stat(st, passive_opens);
	c->passive = true;
	c->parent = l;
	c->irs = seg->seq - 1;
	c->rcv_nxt = seg->seq;
	c->rcv_adv = c->rcv_nxt;
	c->iss = seg->ack - 1;
	c->snd_una = c->snd_nxt = c->snd_max = seg->ack;
	c->sb_seq = seg->ack;
	c->snd_sml = seg->ack;
	c->ws_ok = c->sack_ok = c->ts_ok = false;
	c->snd_scale = c->rcv_scale = 0;
	uint32_t m = mss < st->mss ? mss : st->mss;
	if (seg->opts & TCP_SEG_TS) {
		int ws;
		bool sack;
		tcp_syncookie_ts_opts(seg->tsecr, &ws, &sack);
		c->ts_ok = true;
		c->ts_recent = seg->tsval;
		c->ts_recent_at = now;
		c->sack_ok = sack;
		if (ws >= 0) {
			c->ws_ok = true;
			c->snd_scale = (uint8_t)ws;
			c->rcv_scale = st->rcv_scale;
		}
		m -= 12;
	}
	c->mss = (uint16_t)m;
	tcp_cc_init(c);
	c->snd_wnd = c->max_snd_wnd = (uint32_t)seg->wnd << c->snd_scale;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	/* Our SYN-ACK's window was at most 65535 unscaled. */
	c->rcv_adv = c->rcv_nxt + (RIAD_TCP_RCV_BUF > 0xffff ? 0xffff : RIAD_TCP_RCV_BUF);
	tcp_input_established(c, now);
	tcp_input_synchronized(c, seg, now, out);
}

static void tcp_input_listen(struct tcp_listener *l, const struct tcp_tuple *t,
                             const struct tcp_seg *seg, int64_t now, struct net_txq *out)
{
	struct tcp_stack *st = l->st;
	uint8_t f = seg->flags;
	/* First: a RST is ignored. */
	if (f & TCP_RST) {
		tcp_stat(st, listen_drop);
		return;
	}
	/* Second: an ACK is bad here, unless it answers a cookie. */
	if (f & TCP_ACK) {
		uint16_t mss;
		if (!(f & TCP_SYN) && l->cookies_used && now - l->cookie_sent_at < TCP_COOKIE_LIFE_NS) {
			if (tcp_syncookie_check(st, t, seg->seq - 1, seg->ack - 1, now, &mss)) {
				tcp_input_cookie_ack(l, t, seg, mss, now, out);
				return;
			}
			tcp_stat(st, bad_cookie);
		} else {
			tcp_stat(st, listen_drop);
		}
		tcp_output_reset_for(st, t, seg, now, out);
		return;
	}
	/* Third: a SYN. */
	if (!(f & TCP_SYN)) {
		tcp_stat(st, listen_drop);
		return;
	}
	struct tcp_conn *c = NULL;
	if (l->pending.n + l->ready.n < l->backlog)
		c = tcp_conn_new(st, t, now);
	if (!c) {
		/* Backlog or connection table full (or no memory): a cookie. */
		tcp_input_cookie_synack(l, t, seg, now, out);
		return;
	}
	tcp_stat(st, passive_opens);
	c->passive = true;
	c->parent = l;
	tcp_list_push(&l->pending, c);
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->rcv_adv = c->rcv_nxt;
	tcp_input_syn_options(c, seg, now);
	c->iss = tcp_isn(st, t, now);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->sb_seq = c->iss + 1;
	c->snd_sml = c->iss;
	c->snd_wnd = c->max_snd_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = c->iss;
	tcp_conn_set_state(c, TCP_SYN_RECEIVED);
	/* Text and FIN in the SYN are not acknowledged: the peer sends them
	 * again once established. */
	tcp_output(c, now, out);
}

/* ---- bursts of received segments ---- */

void tcp_input_begin(struct tcp_stack *st)
{
	st->batching = true;
}

void tcp_input_end(struct tcp_stack *st, int64_t now, struct net_txq *out)
{
	st->batching = false;
	while (st->held) {
		struct tcp_conn *c = st->held;
		st->held = c->ack_next;
		c->ack_next = NULL;
		c->ack_held = false;
		if (c->ack_soon) {
			tcp_output(c, now, out);
		} else if (c->segs_unacked && c->t_delack == TCP_NEVER) {
			/* An ACK sent at once within the burst (a duplicate's, an
			 * out-of-order one's) took the held one; a segment after it
			 * still waits for the delayed-ACK timer, which holding had
			 * kept off. */
			c->t_delack = now + RIAD_TCP_DELACK_NS;
			tcp_timer_update(c);
		}
	}
}

/* ---- entry ---- */

static bool tcp_input_bad_addr(uint32_t a)
{
	return a == 0 || a == 0xffffffffu || (a >> 28) == 0xe;
}

void tcp_input(struct tcp_stack *st, uint32_t src, uint32_t dst, struct riad_pbuf *p, int64_t now,
               struct net_txq *out)
{
	struct tcp_seg seg;
	tcp_stat(st, rx);
	switch (tcp_seg_parse(p->data, p->len, &seg)) {
	case TCP_SEG_OK:
		break;
	case TCP_SEG_ERR_SHORT:
		tcp_stat(st, short_seg);
		goto drop;
	case TCP_SEG_ERR_OFFSET:
		tcp_stat(st, bad_offset);
		goto drop;
	case TCP_SEG_ERR_OPTION:
		tcp_stat(st, bad_option);
		goto drop;
	case TCP_SEG_ERR_MSS:
		tcp_stat(st, bad_mss);
		goto drop;
	case TCP_SEG_ERR_URG:
		tcp_stat(st, bad_urg);
		goto drop;
	case TCP_SEG_ERR_FLAGS:
		tcp_stat(st, bad_flags);
		goto drop;
	default:
		tcp_stat(st, bad_port);
		goto drop;
	}
	/* RFC 9293 3.10.7.2 / RFC 1122 4.2.3.10: nothing from or to broadcast
	 * or multicast addresses. */
	if (tcp_input_bad_addr(src) || tcp_input_bad_addr(dst)) {
		tcp_stat(st, bad_addr);
		goto drop;
	}
#ifndef RIAD_FUZZING
	/* The device's mark: the host verified the checksum, or left it to
	 * a "device" because the bytes never crossed a wire. */
	if (!(p->offload & RIAD_PBUF_RX_CSUM_OK) && !tcp_seg_csum_ok(p->data, p->len, src, dst)) {
		tcp_stat(st, bad_checksum);
		goto drop;
	}
#endif
	struct tcp_tuple t = { .laddr = dst, .raddr = src, .lport = seg.dport, .rport = seg.sport };
	struct tcp_conn *c = tcp_conn_lookup(st, &t);
	if (c && c->state == TCP_TIME_WAIT && (seg.flags & TCP_SYN) &&
	    !(seg.flags & (TCP_ACK | TCP_RST)) && tcp_input_listener(st, dst, seg.dport) &&
	    (seq_gt(seg.seq, c->rcv_nxt) ||
	     (c->ts_ok && (seg.opts & TCP_SEG_TS) && seq_gt(seg.tsval, c->ts_recent)))) {
		/* A new SYN ahead of the old connection's sequence space (RFC 9293
		 * 3.10.7.4 note, RFC 6191): TIME-WAIT gives way. */
		tcp_stat(st, timewait_recycled);
		tcp_conn_close(c, 0);
		c = NULL;
	}
	if (c) {
		tcp_input_conn(c, &seg, now, out);
		goto done;
	}
	struct tcp_listener *l = tcp_input_listener(st, dst, seg.dport);
	if (l) {
		tcp_input_listen(l, &t, &seg, now, out);
		goto done;
	}
	/* CLOSED (3.10.7.1): RST unless it is one. */
	tcp_stat(st, no_conn);
	tcp_output_reset_for(st, &t, &seg, now, out);
drop:
done:
	riad_pbuf_unref(p);
}
