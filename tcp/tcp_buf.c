/* tcp/tcp_buf.c: the byte rings behind each connection's send and receive buffers. */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

int tcp_buf_reserve(struct tcp_buf *b, uint32_t cap)
{
	if (b->mem)
		return 0;
	b->mem = malloc(cap);
	if (!b->mem)
		return -RIAD_ENOMEM;
	b->cap = cap;
	b->head = 0;
	b->len = 0;
	return 0;
}

void tcp_buf_release(struct tcp_buf *b)
{
	free(b->mem);
	b->mem = NULL;
	b->head = 0;
	b->len = 0;
}

/* Offsets are from head and must satisfy off + n <= cap (callers bound
 * them by the window or the buffer space). */
void tcp_buf_write_at(struct tcp_buf *b, uint32_t off, const uint8_t *src, uint32_t n)
{
	uint32_t pos = (uint32_t)(((uint64_t)b->head + off) % b->cap);
	uint32_t first = b->cap - pos < n ? b->cap - pos : n;
	memcpy(b->mem + pos, src, first);
	memcpy(b->mem, src + first, n - first);
}

void tcp_buf_read_at(const struct tcp_buf *b, uint32_t off, uint8_t *dst, uint32_t n)
{
	uint32_t pos = (uint32_t)(((uint64_t)b->head + off) % b->cap);
	uint32_t first = b->cap - pos < n ? b->cap - pos : n;
	memcpy(dst, b->mem + pos, first);
	memcpy(dst + first, b->mem, n - first);
}

void tcp_buf_consume(struct tcp_buf *b, uint32_t n)
{
	if (n > b->len)
		n = b->len;
	b->len -= n;
	/* head moves even when the ring empties: out-of-order data may lie
	 * beyond len at fixed offsets. */
	b->head = (uint32_t)(((uint64_t)b->head + n) % b->cap);
}
