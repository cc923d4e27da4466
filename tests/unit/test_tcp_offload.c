/* tests/unit/test_tcp_offload.c: TCP over a device with checksum offload and TSO (tcp_stack_set_offload): segments carry the pseudo-header sum for the device to complete; bulk data goes as TSO segments of whole MSS within cwnd and the peer's window, a small tail held by Nagle; retransmissions are one MSS; received segments marked RIAD_PBUF_RX_CSUM_OK skip the check; a coalesced segment is ACKed at once. */
#include "test_tcp.h"

static uint8_t junk[RIAD_TCP_SND_BUF];

/* What the device does with the next queued segment: check the pseudo-
 * header sum TCP left in the field and complete the checksum; then pop it
 * (th_pop verifies the result). The pbuf's marks go to gso and marks. */
static bool pop_dev(struct th *h, struct th_seg *s, uint16_t *gso, uint8_t *marks)
{
	if (h->next >= h->out.n)
		return false;
	struct net_ip_tx *t = &h->out.items[h->next];
	struct riad_pbuf *p = t->p;
	*gso = p->gso_size;
	*marks = p->offload;
	if (p->offload & RIAD_PBUF_TX_CSUM_TCP4) {
		uint32_t pseudo = wire_csum_pseudo4(t->src, t->dst, 6, (uint16_t)p->len);
		CHECK_INT(wire_get16(p->data + 16), (uint16_t)~wire_csum_fold(pseudo));
		wire_put16(p->data + 16, wire_csum_fold(wire_csum_add(0, p->data, p->len)));
	}
	return th_pop(h, s);
}

static void set_up(struct th *h, struct th_conn *tc, int ws, unsigned offload)
{
	th_init(h);
	struct th_opt o = { .mss = 1000, .ws = ws };
	REQUIRE(th_connect(h, tc, &o));
	tcp_stack_set_offload(h->st, offload); /* th_connect's pops check whole sums */
	tcp_set_nodelay(tc->c, true, h->now, &h->out);
}

/* Rounds of: fill the send buffer, take every segment (each within the
 * TSO rules, all together within cwnd), ACK them. */
static void tso_bulk(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, 7, TCP_OFFLOAD_CSUM | TCP_OFFLOAD_TSO);
	uint32_t mss = tc.c->mss;
	CHECK_INT(mss, 1000);
	int big = 0;
	for (int round = 0; round < 6; round++) {
		while (tcp_send(tc.c, junk, sizeof(junk), h.now, &h.out) > 0)
			;
		uint32_t cwnd = tc.c->cc.cwnd, una = tc.c->snd_una, end = una;
		uint32_t data_end = tc.c->sb_seq + tc.c->sb.len;
		struct th_seg s;
		uint16_t gso;
		uint8_t marks;
		while (pop_dev(&h, &s, &gso, &marks)) {
			CHECK(marks & RIAD_PBUF_TX_CSUM_TCP4);
			if (!s.s.len)
				continue;
			CHECK(s.s.len <= 65535 - 80);
			if (s.s.len > mss) {
				big++;
				CHECK_INT(gso, mss);
			} else {
				CHECK_INT(gso, 0);
			}
			if (s.s.seq + s.s.len != data_end)
				CHECK_INT(s.s.len % mss, 0);
			CHECK_INT(s.s.seq, end);
			end = s.s.seq + s.s.len;
		}
		CHECK(end - una <= cwnd);
		CHECK(end - una + mss > cwnd); /* and cwnd is used */
		h.now += 10 * TH_MS;
		th_peer(&h, &tc, TCP_ACK, tc.peer_seq, end, 65535, NULL, 0); /* sends the next round */
	}
	CHECK(big >= 6);
	th_done(&h);
}

/* The peer's window cuts a TSO segment down to whole MSS. */
static void tso_window(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, -1, TCP_OFFLOAD_CSUM | TCP_OFFLOAD_TSO);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 2500, NULL, 0);
	th_clear(&h);
	CHECK(tcp_send(tc.c, junk, 8000, h.now, &h.out) > 0);
	struct th_seg s;
	uint16_t gso;
	uint8_t marks;
	REQUIRE(pop_dev(&h, &s, &gso, &marks));
	CHECK_INT(s.s.len, 2000);
	CHECK_INT(gso, 1000);
	CHECK(!th_pending(&h));
	th_done(&h);
}

/* Nagle for a TSO segment's small tail: while another small segment is
 * unacknowledged the whole MSS go and the tail waits for the ACK; with
 * nodelay it goes at once. */
static void tso_tail_nagle(void)
{
	for (int nodelay = 0; nodelay < 2; nodelay++) {
		struct th h;
		struct th_conn tc;
		set_up(&h, &tc, 7, TCP_OFFLOAD_CSUM | TCP_OFFLOAD_TSO);
		tcp_set_nodelay(tc.c, nodelay, h.now, &h.out);
		struct th_seg s;
		uint16_t gso;
		uint8_t marks;
		CHECK(tcp_send(tc.c, junk, 300, h.now, &h.out) == 300); /* a small one in flight */
		REQUIRE(pop_dev(&h, &s, &gso, &marks));
		CHECK_INT(s.s.len, 300);
		CHECK(tcp_send(tc.c, junk, 2500, h.now, &h.out) == 2500);
		REQUIRE(pop_dev(&h, &s, &gso, &marks));
		CHECK_INT(s.s.len, nodelay ? 2500 : 2000);
		CHECK_INT(gso, 1000);
		CHECK(!th_pending(&h));
		h.now += 10 * TH_MS;
		th_peer(&h, &tc, TCP_ACK, tc.peer_seq, s.s.seq + s.s.len, 65535, NULL, 0);
		if (!nodelay) {
			REQUIRE(pop_dev(&h, &s, &gso, &marks));
			CHECK_INT(s.s.len, 500);
			CHECK_INT(gso, 0);
		}
		CHECK(!th_pending(&h));
		th_done(&h);
	}
}

/* The retransmission timer resends one MSS, not the TSO segment. */
static void rexmit_one_mss(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, 7, TCP_OFFLOAD_CSUM | TCP_OFFLOAD_TSO);
	CHECK(tcp_send(tc.c, junk, 5000, h.now, &h.out) > 0);
	struct th_seg s;
	uint16_t gso;
	uint8_t marks;
	REQUIRE(pop_dev(&h, &s, &gso, &marks));
	CHECK_INT(s.s.len, 5000);
	CHECK_INT(gso, 1000);
	th_clear(&h);
	th_run_timers(&h, tcp_next_deadline(h.st)); /* the first RTO */
	REQUIRE(pop_dev(&h, &s, &gso, &marks));
	CHECK_INT(s.s.seq, tc.our_seq);
	CHECK_INT(s.s.len, 1000);
	CHECK_INT(gso, 0);
	CHECK(marks & RIAD_PBUF_TX_CSUM_TCP4);
	CHECK_INT(th_stats(&h)->retransmits, 1);
	th_clear(&h);
	th_done(&h);
}

/* Without offloads the checksum is whole and nothing is marked. */
static void no_offload(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, 7, 0);
	CHECK(tcp_send(tc.c, junk, 5000, h.now, &h.out) > 0);
	struct th_seg s;
	uint16_t gso;
	uint8_t marks;
	int n = 0;
	while (pop_dev(&h, &s, &gso, &marks)) {
		CHECK_INT(marks, 0);
		CHECK_INT(gso, 0);
		CHECK(s.s.len <= 1000);
		n++;
	}
	CHECK_INT(n, 5);
	th_done(&h);
}

/* A data segment from the peer with a wrong checksum: dropped, unless the
 * device marked it checked (the host left a partial sum in the field). */
static void rx_mark(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, 7, 0);
	for (int marked = 0; marked < 2; marked++) {
		struct riad_pbuf *p = th_build(tc.rport, tc.lport, TCP_ACK | TCP_PSH, tc.peer_seq,
		                               tc.our_seq, 65535, NULL, junk, 100);
		p->data[16] ^= 0x55;
		if (marked)
			p->offload = RIAD_PBUF_RX_CSUM_OK;
		uint64_t bad = th_stats(&h)->bad_checksum;
		uint32_t rcv = tc.c->rcv_nxt;
		tcp_input(h.st, TH_PEER, TH_US, p, h.now, &h.out);
		CHECK_INT(th_stats(&h)->bad_checksum, bad + (marked ? 0 : 1));
		CHECK_INT(tc.c->rcv_nxt, rcv + (marked ? 100 : 0));
	}
	th_clear(&h);
	th_done(&h);
}

/* A segment of more than one MSS (the host's GRO or TSO) is ACKed at once;
 * one of less waits for the delayed-ACK timer. */
static void coalesced_ack(void)
{
	struct th h;
	struct th_conn tc;
	set_up(&h, &tc, 7, TCP_OFFLOAD_CSUM | TCP_OFFLOAD_TSO);
	uint32_t adv = tc.c->adv_mss;
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, junk, 500);
	tc.peer_seq += 500;
	CHECK_INT(th_pending(&h), 0);
	th_peer(&h, &tc, TCP_ACK, tc.peer_seq, tc.our_seq, 65535, junk, 3 * adv);
	tc.peer_seq += 3 * adv;
	struct th_seg s;
	REQUIRE(th_pending(&h) == 1);
	uint16_t gso;
	uint8_t marks;
	REQUIRE(pop_dev(&h, &s, &gso, &marks));
	CHECK_INT(s.s.ack, tc.peer_seq);
	CHECK_INT(s.s.len, 0);
	th_done(&h);
}

int main(void)
{
	RUN(tso_bulk);
	RUN(tso_window);
	RUN(tso_tail_nagle);
	RUN(rexmit_one_mss);
	RUN(no_offload);
	RUN(rx_mark);
	RUN(coalesced_ack);
	return check_done();
}
