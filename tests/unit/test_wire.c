/* tests/unit/test_wire.c: packet buffers, the bounds-checked reader and the
 * Internet checksum. */
#include <stdlib.h>

#include <riad/pbuf.h>

#include "wire.h"
#include "check.h"

static void reader_stops_at_the_end(void)
{
	const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct wire_rd r = wire_rd(b, sizeof(b));
	CHECK_INT(wire_u16(&r), 0x1234);
	CHECK_INT(wire_u8(&r), 0x56);
	CHECK(!r.err);
	CHECK_INT(wire_u32(&r), 0); /* only 2 bytes left */
	CHECK(r.err);
	CHECK_INT(wire_u8(&r), 0);  /* stays in error */
	CHECK_INT(wire_left(&r), 0);
	struct wire_rd e = wire_rd(b, 0);
	CHECK(wire_take(&e, 1) == NULL && e.err);
	struct wire_rd s = wire_rd(b, sizeof(b));
	wire_skip(&s, 6);
	CHECK(s.err);
}

static void checksum_matches_rfc1071(void)
{
	/* RFC 1071 section 3's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
	const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	CHECK_INT(wire_csum_fold(wire_csum_add(0, b, sizeof(b))), (uint16_t)~0xddf2);
	/* A real IPv4 header with its checksum verifies to 0. */
	const uint8_t ip[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	                       0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	CHECK_INT(wire_csum_fold(wire_csum_add(0, ip, sizeof(ip))), 0);
	/* Odd length: the last byte is the high half of a word. */
	const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	CHECK_INT(wire_csum_fold(wire_csum_add(0, odd, 3)), (uint16_t)~(0x0102 + 0x0300));
}

/* The RFC's definition, a big-endian word at a time: the reference the
 * fast version must agree with after folding. */
static uint16_t csum_reference(uint32_t start, const uint8_t *p, size_t len)
{
	uint64_t acc = start;
	for (size_t i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static void checksum_agrees_with_the_definition(void)
{
	static uint8_t buf[9001];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	int bad = 0;
	for (size_t off = 0; off < 9; off++) {
		for (size_t len = 0; len + off <= sizeof(buf); len += (len < 200 ? 1 : 997)) {
			uint32_t start = (uint32_t)(len * 2654435761u);
			if (wire_csum_fold(wire_csum_add(start, buf + off, len)) !=
			    csum_reference(start, buf + off, len))
				bad++;
		}
	}
	CHECK_INT(bad, 0);
	memset(buf, 0xff, sizeof(buf)); /* all ones: carries everywhere */
	CHECK_INT(wire_csum_fold(wire_csum_add(0xffffffff, buf, sizeof(buf))),
	          csum_reference(0xffffffff, buf, sizeof(buf)));
	/* Sums chain: two calls over even-length pieces equal one call. */
	CHECK_INT(wire_csum_fold(wire_csum_add(wire_csum_add(0, buf, 1000), buf + 1000, 501)),
	          wire_csum_fold(wire_csum_add(0, buf, 1501)));
}

static int released;

static void release_hook(struct riad_pbuf *p)
{
	(void)p;
	released++;
}

static void pbuf_push_pull_and_refs(void)
{
	size_t live = riad_pbuf_live();
	struct riad_pbuf *p = riad_pbuf_alloc(16, 100);
	REQUIRE(p);
	CHECK_INT(riad_pbuf_headroom(p), 16);
	CHECK(riad_pbuf_push(p, 17) == NULL); /* more than the headroom */
	uint8_t *h = riad_pbuf_push(p, 14);
	CHECK(h == p->data && p->len == 114);
	CHECK(riad_pbuf_pull(p, 14) == h && p->len == 100);
	CHECK(riad_pbuf_pull(p, 101) == NULL && p->len == 100);
	riad_pbuf_trim(p, 60);
	CHECK_INT(p->len, 60);
	riad_pbuf_ref(p);
	riad_pbuf_unref(p);
	CHECK_INT(riad_pbuf_live(), live + 1);
	riad_pbuf_unref(p);
	CHECK_INT(riad_pbuf_live(), live);
	CHECK(riad_pbuf_alloc(SIZE_MAX, 2) == NULL);

	static uint8_t mem[256];
	struct riad_pbuf q;
	riad_pbuf_init(&q, mem, sizeof(mem), 64, 10, release_hook, NULL);
	released = 0;
	riad_pbuf_unref(&q);
	CHECK_INT(released, 1);
}

static void pbuf_queue_holds_references(void)
{
	struct riad_pbuf_queue q = { 0 };
	size_t live = riad_pbuf_live();
	for (int i = 0; i < 3; i++)
		riad_pbuf_queue_push(&q, riad_pbuf_alloc(0, (size_t)i + 1));
	CHECK_INT(q.count, 3);
	struct riad_pbuf *p = riad_pbuf_queue_pop(&q);
	CHECK_INT(p->len, 1);
	riad_pbuf_unref(p);
	riad_pbuf_queue_clear(&q);
	CHECK(q.head == NULL && q.count == 0);
	CHECK_INT(riad_pbuf_live(), live);
}

int main(void)
{
	RUN(reader_stops_at_the_end);
	RUN(checksum_matches_rfc1071);
	RUN(checksum_agrees_with_the_definition);
	RUN(pbuf_push_pull_and_refs);
	RUN(pbuf_queue_holds_references);
	return check_done();
}
