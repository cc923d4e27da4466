/* tests/unit/test_tcp_wire.c: TCP's building blocks: SipHash-2-4's published vectors, sequence arithmetic, the segment parser on good and bad input (each drop counted, nothing leaked), ISNs and SYN cookies. */
#include "tcp_siphash.h"
#include "test_tcp.h"

static void siphash_matches_the_paper(void)
{
	uint8_t key[16], msg[64];
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	/* Appendix A of "SipHash: a fast short-input PRF": 15 bytes 00..0e. */
	CHECK(tcp_siphash(key, msg, 15) == 0xa129ca6149be45e5ull);
	/* The reference implementation's vectors.h, first entries (outputs
	 * as little-endian byte strings). */
	CHECK(tcp_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ull);
	CHECK(tcp_siphash(key, msg, 1) == 0x74f839c593dc67fdull);
	CHECK(tcp_siphash(key, msg, 8) == 0x93f5f5799a932462ull);
	CHECK(tcp_siphash(key, msg, 2) == 0x0d6c8009d9a94f5aull);
	CHECK(tcp_siphash(key, msg, 12) == 0x751e8fbc860ee5fbull);
}

static void sequence_arithmetic_wraps(void)
{
	CHECK(seq_lt(1, 2) && !seq_lt(2, 1) && !seq_lt(5, 5));
	CHECK(seq_lt(0xfffffff0u, 0x10));
	CHECK(seq_gt(0x10, 0xfffffff0u));
	CHECK(seq_leq(7, 7) && seq_geq(7, 7));
	CHECK(seq_max(0xffffffffu, 3) == 3 && seq_min(0xffffffffu, 3) == 0xffffffffu);
	CHECK(seq_in(0, 0xfffffffeu, 2) && !seq_in(2, 0xfffffffeu, 2) && !seq_in(5, 5, 5));
	CHECK_INT(seq_diff(3, 0xfffffffdu), 6);
}

static int parse(const uint8_t *b, size_t n, struct tcp_seg *s)
{
	return tcp_seg_parse(b, n, s);
}

static void parser_reads_header_and_options(void)
{
	struct th_opt o = { .mss = 1400, .ws = 7, .sack_ok = true, .ts = true, .tsval = 5, .tsecr = 6 };
	struct riad_pbuf *p = th_build(1234, 80, TCP_SYN, 100, 0, 5000, &o, "ab", 2);
	struct tcp_seg s;
	CHECK_INT(parse(p->data, p->len, &s), TCP_SEG_OK);
	CHECK_INT(s.sport, 1234);
	CHECK_INT(s.dport, 80);
	CHECK_INT(s.seq, 100);
	CHECK_INT(s.wnd, 5000);
	CHECK_INT(s.opts, TCP_SEG_MSS | TCP_SEG_WS | TCP_SEG_SACK_OK | TCP_SEG_TS);
	CHECK_INT(s.mss, 1400);
	CHECK_INT(s.wscale, 7);
	CHECK_INT(s.tsval, 5);
	CHECK_INT(s.tsecr, 6);
	CHECK_INT(s.len, 2);
	CHECK_MEM(s.data, "ab", 2);
	CHECK_INT(tcp_seg_seqlen(&s), 3);
	CHECK(tcp_seg_csum_ok(p->data, p->len, TH_PEER, TH_US));
	p->data[25] ^= 1;
	CHECK(!tcp_seg_csum_ok(p->data, p->len, TH_PEER, TH_US));
	riad_pbuf_unref(p);

	/* A window scale above 14 is taken as 14 (RFC 7323 2.3); SACK blocks. */
	struct th_opt o2 = { .ws = 15, .nsack = 2, .sack = { { 10, 20 }, { 30, 40 } } };
	p = th_build(1, 2, TCP_ACK, 0, 0, 0, &o2, NULL, 0);
	CHECK_INT(parse(p->data, p->len, &s), TCP_SEG_OK);
	CHECK_INT(s.wscale, 14);
	CHECK_INT(s.nsack, 2);
	CHECK_INT(s.sack[1].start, 30);
	CHECK_INT(s.sack[1].end, 40);
	riad_pbuf_unref(p);
}

/* Raw options, padded to a multiple of 4 by the caller. */
static int parse_opts(const uint8_t *opt, size_t n, uint8_t flags)
{
	struct th_opt o = { .ws = -1, .raw = opt, .rawlen = n };
	struct riad_pbuf *p = th_build(1, 2, flags, 0, 0, 0, &o, NULL, 0);
	struct tcp_seg s;
	int r = parse(p->data, p->len, &s);
	riad_pbuf_unref(p);
	return r;
}

static void parser_refuses_bad_options(void)
{
	static const uint8_t len0[] = { 8, 0, 0, 0 }, len1[] = { 8, 1, 0, 0 },
	                     over[] = { 1, 1, 8, 10 }, over2[] = { 3, 5, 1, 0 },
	                     mss0[] = { 2, 4, 0, 0 }, msslen[] = { 2, 3, 5, 0 },
	                     tslen[] = { 8, 4, 0, 0 }, sacklen[] = { 5, 6, 0, 0, 0, 0, 0, 0 },
	                     kindonly[] = { 1, 1, 1, 2 }, unknown[] = { 99, 4, 0, 0 },
	                     eol[] = { 0, 8, 0, 0 };
	CHECK_INT(parse_opts(len0, 4, TCP_ACK), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(len1, 4, TCP_ACK), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(over, 4, TCP_ACK), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(over2, 4, TCP_ACK), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(mss0, 4, TCP_SYN), TCP_SEG_ERR_MSS);
	CHECK_INT(parse_opts(msslen, 4, TCP_SYN), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(tslen, 4, TCP_ACK), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(sacklen, 8, TCP_ACK), TCP_SEG_ERR_OPTION);
	CHECK_INT(parse_opts(kindonly, 4, TCP_ACK), TCP_SEG_ERR_OPTION); /* kind 2, no length byte */
	CHECK_INT(parse_opts(unknown, 4, TCP_ACK), TCP_SEG_OK);          /* skipped */
	CHECK_INT(parse_opts(eol, 4, TCP_ACK), TCP_SEG_OK);              /* nothing after EOL is read */
}

static void parser_refuses_bad_headers(void)
{
	uint8_t b[40] = { 0 };
	struct tcp_seg s;
	wire_put16(b, 1);
	wire_put16(b + 2, 2);
	b[13] = TCP_ACK;
	CHECK_INT(parse(b, 19, &s), TCP_SEG_ERR_SHORT);
	b[12] = 4 << 4;
	CHECK_INT(parse(b, 40, &s), TCP_SEG_ERR_OFFSET); /* below 5 */
	b[12] = 11 << 4;
	CHECK_INT(parse(b, 40, &s), TCP_SEG_ERR_OFFSET); /* 44 bytes of header in 40 */
	b[12] = 10 << 4;
	CHECK_INT(parse(b, 40, &s), TCP_SEG_OK);         /* 20 zero bytes of options: EOL */
	b[12] = 5 << 4;
	b[13] = TCP_ACK | TCP_URG;
	wire_put16(b + 18, 21);
	CHECK_INT(parse(b, 40, &s), TCP_SEG_ERR_URG);    /* 20 bytes of data, pointer 21 */
	wire_put16(b + 18, 20);
	CHECK_INT(parse(b, 40, &s), TCP_SEG_OK);
	b[13] = TCP_SYN | TCP_FIN;
	CHECK_INT(parse(b, 40, &s), TCP_SEG_ERR_FLAGS);
	b[13] = TCP_SYN | TCP_RST;
	CHECK_INT(parse(b, 40, &s), TCP_SEG_ERR_FLAGS);
	b[13] = TCP_ACK;
	wire_put16(b, 0);
	CHECK_INT(parse(b, 40, &s), TCP_SEG_ERR_PORT);
}

/* Every kind of bad input through tcp_input: dropped, counted, no reply,
 * nothing leaked. */
static void bad_input_is_dropped_and_counted(void)
{
	struct th h;
	th_init(&h);
	struct tcp_listener *l;
	REQUIRE(tcp_listen(h.st, 0, 80, 4, &l) == 0);
	struct riad_tcp_stats *st = th_stats(&h);

	struct riad_pbuf *p = riad_pbuf_alloc(64, 10);
	memset(p->data, 0, 10);
	tcp_input(h.st, TH_PEER, TH_US, p, h.now, &h.out);
	CHECK_INT(st->short_seg, 1);

	p = th_build(4000, 80, TCP_SYN, 1, 0, 100, NULL, NULL, 0);
	p->data[12] = 4 << 4;
	tcp_input(h.st, TH_PEER, TH_US, p, h.now, &h.out);
	CHECK_INT(st->bad_offset, 1);
	p = th_build(4000, 80, TCP_SYN, 1, 0, 100, NULL, NULL, 0);
	p->data[12] = 6 << 4; /* beyond the 20-byte segment */
	tcp_input(h.st, TH_PEER, TH_US, p, h.now, &h.out);
	CHECK_INT(st->bad_offset, 2);

	static const uint8_t o0[] = { 3, 0, 0, 0 }, o1[] = { 3, 1, 0, 0 }, oo[] = { 1, 1, 2, 8 },
	                     m0[] = { 2, 4, 0, 0 };
	const uint8_t *raws[] = { o0, o1, oo };
	for (int i = 0; i < 3; i++) {
		struct th_opt o = { .ws = -1, .raw = raws[i], .rawlen = 4 };
		th_send(&h, 4000, 80, TCP_SYN, 1, 0, 100, &o, NULL, 0);
	}
	CHECK_INT(st->bad_option, 3);
	struct th_opt om = { .ws = -1, .raw = m0, .rawlen = 4 };
	th_send(&h, 4000, 80, TCP_SYN, 1, 0, 100, &om, NULL, 0);
	CHECK_INT(st->bad_mss, 1);
	p = th_build(4000, 80, TCP_ACK | TCP_URG, 1, 0, 100, NULL, "x", 1);
	p->data[19] = 2; /* urgent pointer 2, one byte of data */
	tcp_input(h.st, TH_PEER, TH_US, p, h.now, &h.out);
	CHECK_INT(st->bad_urg, 1);
	p = th_build(4000, 80, TCP_SYN, 1, 0, 100, NULL, NULL, 0);
	p->data[16] ^= 0x40;
	tcp_input(h.st, TH_PEER, TH_US, p, h.now, &h.out);
	CHECK_INT(st->bad_checksum, 1);
	th_send(&h, 4000, 80, TCP_SYN | TCP_FIN, 1, 0, 100, NULL, NULL, 0);
	CHECK_INT(st->bad_flags, 1);
	th_send(&h, 0, 80, TCP_SYN, 1, 0, 100, NULL, NULL, 0);
	CHECK_INT(st->bad_port, 1);
	p = th_build(4000, 80, TCP_SYN, 1, 0, 100, NULL, NULL, 0);
	tcp_input(h.st, 0xe0000001u, TH_US, p, h.now, &h.out);
	CHECK_INT(st->bad_addr, 1);
	CHECK_INT(th_pending(&h), 0);
	CHECK_INT(st->passive_opens, 0);
	CHECK_INT(st->rx, 12);
	th_done(&h);
}

static void isn_and_cookies(void)
{
	struct th h;
	th_init(&h);
	struct tcp_tuple t = { TH_US, TH_PEER, 80, 4000 }, u = t;
	u.rport = 4001;
	/* RFC 6528: different tuples give unrelated ISNs; time moves them on
	 * by one per 4 microseconds. */
	uint32_t a = tcp_isn(h.st, &t, 0), b = tcp_isn(h.st, &u, 0);
	CHECK(a != b);
	CHECK_INT(tcp_isn(h.st, &t, 4000 * 1000) - a, 1000);
	uint16_t mss, mss2;
	uint32_t ck = tcp_syncookie_make(h.st, &t, 555, 1460, h.now, &mss);
	CHECK_INT(mss, 1460);
	CHECK(tcp_syncookie_check(h.st, &t, 555, ck, h.now, &mss2) && mss2 == 1460);
	CHECK(tcp_syncookie_check(h.st, &t, 555, ck, h.now + 60 * TH_S, &mss2));
	CHECK(!tcp_syncookie_check(h.st, &t, 555, ck, h.now + 200 * TH_S, &mss2));
	CHECK(!tcp_syncookie_check(h.st, &t, 556, ck, h.now, &mss2));
	CHECK(!tcp_syncookie_check(h.st, &u, 555, ck, h.now, &mss2));
	CHECK(!tcp_syncookie_check(h.st, &t, 555, ck ^ 1, h.now, &mss2));
	ck = tcp_syncookie_make(h.st, &t, 555, 1000, h.now, &mss);
	CHECK_INT(mss, 536);
	int ws;
	bool sack;
	tcp_syncookie_ts_opts(tcp_syncookie_tsval(0x12345678, 7, true), &ws, &sack);
	CHECK(ws == 7 && sack);
	tcp_syncookie_ts_opts(tcp_syncookie_tsval(0x12345678, -1, false), &ws, &sack);
	CHECK(ws == -1 && !sack);
	th_done(&h);
}

int main(void)
{
	RUN(siphash_matches_the_paper);
	RUN(sequence_arithmetic_wraps);
	RUN(parser_reads_header_and_options);
	RUN(parser_refuses_bad_options);
	RUN(parser_refuses_bad_headers);
	RUN(bad_input_is_dropped_and_counted);
	RUN(isn_and_cookies);
	return check_done();
}
