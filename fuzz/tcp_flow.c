/* fuzz/tcp_flow.c: stateful libFuzzer target: one TCP stack (a listener on port 80) driven through many segments, application calls and time steps, with its invariants checked after every step.
 *
 * The fuzzer plays up to four remote peers (ports 4000..4003 of 10.0.0.2).
 * So that crafted segments land near the right sequence numbers, the
 * harness watches what the stack sends each peer and builds sequence and
 * acknowledgment numbers relative to it. The input is a list of records:
 *
 *   op & 7 == 0  TIME     u16 n: now += n * unit, unit = (op >> 3 & 3):
 *                         1 ms, 20 ms, 1 s, 30 s; then the timers run
 *   op & 7 == 1  SEG      u8 peer, u8 flags, i8 dseq, i8 dack, u16 wnd,
 *                         u8 opts, u16 len: a segment at (what we last
 *                         ACKed + dseq * scale), acking (what we sent +
 *                         dack * scale), scale 1 or 4096 (opts bit 7),
 *                         len % 4096 payload bytes; opts bits: 0 MSS (from
 *                         wnd), 1 window scale (wnd & 15), 2 SACK-permitted,
 *                         3 timestamps (a growing TSval), 4 an older TSval,
 *                         5 a SACK block, 6 an MSS of 0
 *   op & 7 == 2  RAW      u8 peer, u8 len, len bytes: a raw TCP segment
 *                         (ports patched to the peer and our port)
 *   op & 7 == 3  APP      u8 conn, u8 action, u16 arg: tcp_send/recv/
 *                         shutdown/close/abort/nodelay/keepalive/set_cc on
 *                         one of the application's connections
 *   op & 7 == 4  CONNECT  u8 peer: tcp_connect to the peer
 *   op & 7 == 5  ICMP     u8 peer, u8 type, u8 code, u16 mtu: an ICMP
 *                         error quoting our last segment to the peer
 *   op & 7 == 6  ACCEPT   accept every pending connection
 *   op & 7 == 7  LISTEN   close the listener and listen again
 *
 * Bursts (the glue's tcp_input_begin/tcp_input_end around each batch of
 * frames it takes from the device): SEG, RAW and ICMP records with bit 7
 * of op set run inside a burst, opened before the first of them; bit 6
 * with bit 7 ends the open burst and opens a new one. Any other record
 * ends the open burst first (in the glue no application call, connect or
 * timer runs inside one), and so does a burst reaching 32 records (the
 * glue's RX_BATCH) and the end of the input. Records without bit 7 run
 * unbatched, acknowledging as they go.
 *
 * Every payload byte the fuzzer sends is the low byte of its own sequence
 * number, so each byte tcp_recv returns is checked against its position.
 * Checked after every record: no pbuf leaks (everything queued is parsed,
 * checksummed and freed), sequence invariants of every connection
 * (SND.UNA <= SND.NXT <= SND.MAX, buffers within capacity, out-of-order
 * ranges sorted and inside the window), the timer heap ordered and
 * indexed, the connection count matching the list, the list of held ACKs
 * exactly the connections marked ack_held, and empty outside a burst. At the end the stack is
 * destroyed and every pbuf must be back. */
#include <stdlib.h>
#include <string.h>

#include <riad/pbuf.h>

#include "tcp.h"
#include "tcp_int.h"
#include "tcp_seg.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define US 0x0a000001u
#define PEER 0x0a000002u
#define NPEER 4
#define NAPP 8

struct peer {
	uint16_t our_port;   /* the stack's port talking to this peer */
	uint32_t acked;      /* what the stack last acknowledged (peer's next seq) */
	uint32_t sent;       /* the end of what the stack sent */
	uint32_t last_seq;   /* seq of the stack's last segment (for ICMP quotes) */
	uint32_t tsval;
	bool seen;
};

struct fz {
	struct tcp_stack *st;
	struct tcp_listener *l;
	struct net_txq out;
	int64_t now;
	struct peer peer[NPEER];
	struct tcp_conn *app[NAPP];
	const uint8_t *p;
	size_t n;
	bool batching;       /* between tcp_input_begin and tcp_input_end */
	unsigned burst_len;  /* records in the open burst */
};

#define BURST_MAX 32 /* stack/stack.c's RX_BATCH */

static bool take(struct fz *f, void *dst, size_t k)
{
	if (f->n < k)
		return false;
	memcpy(dst, f->p, k);
	f->p += k;
	f->n -= k;
	return true;
}

static uint8_t u8(struct fz *f)
{
	uint8_t v = 0;
	take(f, &v, 1);
	return v;
}

static uint16_t u16(struct fz *f)
{
	uint8_t b[2] = { 0, 0 };
	take(f, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Look at what the stack queued, remember it per peer, free it. */
static void drain(struct fz *f)
{
	for (size_t i = 0; i < f->out.n; i++) {
		struct net_ip_tx *t = &f->out.items[i];
		struct tcp_seg s;
		if (t->proto != NET_PROTO_TCP || t->src != US || t->dst != PEER)
			abort();
		if (riad_pbuf_headroom(t->p) < NET_HEADROOM)
			abort();
		if (tcp_seg_parse(t->p->data, t->p->len, &s) != TCP_SEG_OK)
			abort();
		if (!tcp_seg_csum_ok(t->p->data, t->p->len, t->src, t->dst))
			abort();
		if (s.len > 65535 - 60)
			abort();
		unsigned k = s.dport - 4000u;
		if (k < NPEER) {
			struct peer *pe = &f->peer[k];
			pe->our_port = s.sport;
			if (s.flags & TCP_ACK)
				pe->acked = s.ack;
			uint32_t end = s.seq + tcp_seg_seqlen(&s);
			if (!pe->seen || seq_gt(end, pe->sent))
				pe->sent = end;
			pe->last_seq = s.seq;
			pe->seen = true;
		}
	}
	net_txq_clear(&f->out);
}

static void check_conn(const struct tcp_conn *c)
{
	if (c->state == TCP_CLOSED)
		return;
	if (!seq_leq(c->snd_una, c->snd_nxt) || !seq_leq(c->snd_nxt, c->snd_max))
		abort();
	if (c->sb.len > c->sb.cap || c->rb.len > c->rb.cap)
		abort();
	if (c->nooo > RIAD_TCP_OOO_MAX || c->nsacked > RIAD_TCP_SACK_MAX)
		abort();
	uint32_t read_seq = c->rcv_nxt - c->rb.len - (c->rcv_fin ? 1u : 0u);
	for (unsigned i = 0; i < c->nooo; i++) {
		const struct tcp_range *r = &c->ooo[i];
		if (!seq_lt(r->start, r->end) || !seq_gt(r->start, c->rcv_nxt))
			abort();
		if (seq_gt(r->end, read_seq + c->rb.cap))
			abort();
		if (i && !seq_gt(r->start, c->ooo[i - 1].end))
			abort();
	}
	for (unsigned i = 0; i < c->nsacked; i++) {
		const struct tcp_range *r = &c->sacked[i];
		if (!seq_lt(r->start, r->end) || seq_lt(r->start, c->snd_una) || seq_gt(r->end, c->snd_max))
			abort();
		if (i && !seq_gt(r->start, c->sacked[i - 1].end))
			abort();
	}
	/* Invariant 3: the advertised right edge stays within the buffer (the
	 * FIN takes one sequence number but no buffer). */
	if (seq_gt(c->rcv_adv, read_seq + c->rb.cap + (c->rcv_fin ? 1u : 0u)))
		abort();
	/* Invariant 1: the send buffer starts at SND.UNA (+1 for an unACKed
	 * SYN, -1 after an ACKed FIN). */
	uint32_t d = c->sb_seq - c->snd_una;
	if (d != 0 && d != 1 && d != 0xffffffffu)
		abort();
	if (c->cc.cwnd < 1 || c->mss < 1)
		abort();
}

static void check(struct fz *f)
{
	struct tcp_stack *st = f->st;
	unsigned n = 0;
	for (const struct tcp_conn *c = st->all; c; c = c->anext) {
		check_conn(c);
		if (++n > RIAD_TCP_CONNS_MAX + RIAD_TCP_TIMEWAIT_MAX)
			abort();
	}
	if (n != st->nconns || st->timewait.n > RIAD_TCP_TIMEWAIT_MAX)
		abort();
	/* Held ACKs: a list of exactly the connections marked, none twice,
	 * and nothing held once the burst is over. */
	if (st->batching != f->batching || (!f->batching && st->held))
		abort();
	unsigned marked = 0, listed = 0;
	for (const struct tcp_conn *c = st->all; c; c = c->anext)
		marked += c->ack_held;
	for (const struct tcp_conn *c = st->held; c; c = c->ack_next) {
		if (!c->ack_held || ++listed > n)
			abort();
	}
	if (listed != marked)
		abort();
	for (unsigned i = 0; i < st->nheap; i++) {
		if (st->heap[i]->heap_idx != (int)i)
			abort();
		if (i && st->heap[(i - 1) / 2]->deadline > st->heap[i]->deadline)
			abort();
	}
}

static void burst_end(struct fz *f)
{
	if (!f->batching)
		return;
	tcp_input_end(f->st, f->now, &f->out);
	f->batching = false;
	f->burst_len = 0;
	drain(f);
}

/* Before a record: end, continue or open a burst as op says. */
static void burst_for(struct fz *f, uint8_t op)
{
	unsigned kind = op & 7;
	bool batched = (op & 0x80) && (kind == 1 || kind == 2 || kind == 5);
	if (f->batching && (!batched || (op & 0x40) || f->burst_len == BURST_MAX))
		burst_end(f);
	if (batched && !f->batching) {
		tcp_input_begin(f->st);
		f->batching = true;
	}
	if (batched)
		f->burst_len++;
}

static void op_time(struct fz *f, uint8_t op)
{
	static const int64_t unit[4] = { 1000000LL, 20000000LL, 1000000000LL, 30000000000LL };
	f->now += (int64_t)u16(f) * unit[(op >> 3) & 3];
	for (int i = 0; i < 64; i++) {
		int64_t d = tcp_next_deadline(f->st);
		if (d > f->now)
			break;
		tcp_timers(f->st, f->now, &f->out);
		drain(f);
	}
}

static void op_seg(struct fz *f)
{
	uint8_t pi = u8(f) % NPEER, flags = u8(f);
	int8_t dseq = (int8_t)u8(f), dack = (int8_t)u8(f);
	uint16_t wnd = u16(f);
	uint8_t o = u8(f);
	uint16_t len = u16(f) % 4096;
	struct peer *pe = &f->peer[pi];
	int32_t scale = (o & 0x80) ? 4096 : 1;
	uint32_t seq = (pe->seen ? pe->acked : 1000) + (uint32_t)((int32_t)dseq * scale);
	uint32_t ack = (pe->seen ? pe->sent : 0) + (uint32_t)((int32_t)dack * scale);
	uint8_t opt[40];
	size_t ol = 0;
	if (o & 0x41) {
		opt[ol++] = TCP_OPT_MSS, opt[ol++] = 4;
		wire_put16(opt + ol, (o & 0x40) ? 0 : (uint16_t)(wnd | 1));
		ol += 2;
	}
	if (o & 2)
		opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_WS, opt[ol++] = 3, opt[ol++] = (uint8_t)(wnd & 15);
	if (o & 4)
		opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_SACK_OK, opt[ol++] = 2;
	if (o & 0x18) {
		pe->tsval += (o & 0x10) ? (uint32_t)-100 : 7;
		opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_TS, opt[ol++] = 10;
		wire_put32(opt + ol, pe->tsval);
		wire_put32(opt + ol + 4, (uint32_t)(f->now / 1000000));
		ol += 8;
	}
	if (o & 0x20) {
		opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_NOP, opt[ol++] = TCP_OPT_SACK, opt[ol++] = 10;
		wire_put32(opt + ol, ack + (uint32_t)dack * 100);
		wire_put32(opt + ol + 4, ack + (uint32_t)dack * 100 + len + 1);
		ol += 8;
	}
	size_t hl = 20 + ol;
	struct riad_pbuf *p = riad_pbuf_alloc(64, hl + len);
	if (!p)
		abort();
	uint8_t *b = p->data;
	memset(b, 0, 20);
	wire_put16(b, (uint16_t)(4000 + pi));
	wire_put16(b + 2, pe->our_port ? pe->our_port : 80);
	wire_put32(b + 4, seq);
	wire_put32(b + 8, ack);
	b[12] = (uint8_t)((hl / 4) << 4);
	b[13] = flags;
	wire_put16(b + 14, wnd);
	memcpy(b + 20, opt, ol);
	/* Every payload byte is the low byte of its sequence number, so the
	 * application side can check what reassembly hands it. */
	uint32_t first = seq + ((flags & TCP_SYN) ? 1u : 0u);
	for (size_t i = 0; i < len; i++)
		b[hl + i] = (uint8_t)(first + i);
	tcp_input(f->st, PEER, US, p, f->now, &f->out);
	drain(f);
}

static void op_raw(struct fz *f)
{
	uint8_t pi = u8(f) % NPEER, len = u8(f);
	if (f->n < len)
		len = (uint8_t)f->n;
	struct riad_pbuf *p = riad_pbuf_alloc(64, len);
	if (!p)
		abort();
	take(f, p->data, len);
	if (len >= 4) {
		wire_put16(p->data, (uint16_t)(4000 + pi));
		wire_put16(p->data + 2, f->peer[pi].our_port ? f->peer[pi].our_port : 80);
	}
	if (len >= 20) {
		size_t hl = (size_t)(p->data[12] >> 4) * 4;
		uint32_t first = wire_get32(p->data + 4) + ((p->data[13] & TCP_SYN) ? 1u : 0u);
		for (size_t i = hl; i < len; i++)
			p->data[i] = (uint8_t)(first + (i - hl));
	}
	tcp_input(f->st, PEER, US, p, f->now, &f->out);
	drain(f);
}

static void op_app(struct fz *f)
{
	uint8_t ci = u8(f) % NAPP, act = u8(f);
	uint16_t arg = u16(f);
	struct tcp_conn *c = f->app[ci];
	if (!c)
		return;
	static uint8_t buf[65536];
	switch (act % 10) {
	case 0:
	case 1: {
		size_t n = (size_t)arg * ((act & 0x10) ? 16 : 1);
		if (n > sizeof(buf))
			n = sizeof(buf);
		memset(buf, act, n);
		long r = tcp_send(c, buf, n, f->now, &f->out);
		if (r > (long)n || (n && r == 0))
			abort();
		break;
	}
	case 2:
	case 3: {
		size_t n = arg ? arg : sizeof(buf);
		uint32_t at = c->rcv_nxt - c->rb.len - (c->rcv_fin ? 1u : 0u);
		long r = tcp_recv(c, buf, n, f->now, &f->out);
		if (r > (long)n)
			abort();
		for (long i = 0; i < r; i++)
			if (buf[i] != (uint8_t)(at + (uint32_t)i))
				abort(); /* reassembly handed out the wrong bytes */
		break;
	}
	case 4:
		tcp_shutdown_write(c, f->now, &f->out);
		break;
	case 5:
		tcp_close(c, f->now, &f->out);
		f->app[ci] = NULL;
		break;
	case 6:
		tcp_abort(c, f->now, &f->out);
		f->app[ci] = NULL;
		break;
	case 7:
		tcp_set_nodelay(c, arg & 1, f->now, &f->out);
		break;
	case 8:
		tcp_set_keepalive(c, arg & 1, (int64_t)(arg >> 1) * 1000000LL, 1000000000LL, 3, f->now);
		break;
	default:
		tcp_set_cc(c, (arg & 1) ? TCP_CC_NEWRENO : TCP_CC_CUBIC);
		break;
	}
	if (f->app[ci]) {
		unsigned ev = tcp_conn_events(f->app[ci]);
		if ((ev & TCP_EV_ERROR) && tcp_conn_error(f->app[ci]) >= 0)
			abort();
	}
	drain(f);
}

static void app_put(struct fz *f, struct tcp_conn *c)
{
	for (int i = 0; i < NAPP; i++) {
		if (!f->app[i]) {
			f->app[i] = c;
			return;
		}
	}
	tcp_abort(c, f->now, &f->out); /* the application's table is full */
}

static void op_connect(struct fz *f)
{
	uint8_t pi = u8(f) % NPEER;
	struct tcp_conn *c;
	if (tcp_connect(f->st, US, 0, PEER, (uint16_t)(4000 + pi), f->now, &f->out, &c) == 0) {
		f->peer[pi].seen = false;
		drain(f);
		app_put(f, c);
	}
	drain(f);
}

static void op_icmp(struct fz *f)
{
	uint8_t pi = u8(f) % NPEER, type = u8(f), code = u8(f);
	uint16_t mtu = u16(f);
	struct peer *pe = &f->peer[pi];
	uint8_t q[8];
	wire_put16(q, pe->our_port ? pe->our_port : 80);
	wire_put16(q + 2, (uint16_t)(4000 + pi));
	wire_put32(q + 4, pe->last_seq);
	tcp_icmp_error(f->st, US, PEER, q, sizeof(q), type % 13, code % 6, mtu, f->now, &f->out);
	drain(f);
}

static void op_accept(struct fz *f)
{
	struct tcp_conn *c;
	while (f->l && (c = tcp_accept(f->l))) {
		if (!(tcp_conn_events(c) & TCP_EV_CONNECTED))
			abort();
		app_put(f, c);
	}
	drain(f);
}

static void op_listen(struct fz *f)
{
	if (f->l)
		tcp_listener_close(f->l, f->now, &f->out);
	f->l = NULL;
	if (tcp_listen(f->st, 0, 80, 1 + f->n % 4, &f->l) != 0)
		abort();
	drain(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz f;
	size_t live = riad_pbuf_live();
	memset(&f, 0, sizeof(f));
	static const uint8_t secret[32] = { 3, 1, 4, 1, 5, 9, 2, 6 };
	f.st = tcp_stack_create(secret, NULL);
	if (!f.st || tcp_listen(f.st, 0, 80, 2, &f.l) != 0)
		abort();
	f.now = 1000000000000LL;
	f.p = data;
	f.n = size;
	for (int steps = 0; f.n > 0 && steps < 4096; steps++) {
		uint8_t op = u8(&f);
		burst_for(&f, op);
		switch (op & 7) {
		case 0:
			op_time(&f, op);
			break;
		case 1:
			op_seg(&f);
			break;
		case 2:
			op_raw(&f);
			break;
		case 3:
			op_app(&f);
			break;
		case 4:
			op_connect(&f);
			break;
		case 5:
			op_icmp(&f);
			break;
		case 6:
			op_accept(&f);
			break;
		default:
			op_listen(&f);
			break;
		}
		check(&f);
		if (riad_pbuf_live() != live)
			abort();
	}
	burst_end(&f);
	check(&f);
	tcp_stack_destroy(f.st);
	if (riad_pbuf_live() != live)
		abort();
	return 0;
}
