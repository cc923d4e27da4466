/* netif/pbuf.c: packet buffers (riad/pbuf.h). */
#include <stdlib.h>

#include <riad/metrics.h>
#include <riad/pbuf.h>

#include "runtime.h"

static size_t live;

/* Large pbufs (a TSO segment is up to 64 KiB, one per segment sent) are
 * kept for reuse instead of going back to malloc: glibc gives a freed
 * block of that size at the top of the heap back to the kernel, and the
 * next one comes in again page fault by page fault (7% of the unikernel's
 * time sending with TSO, before this). They are allocated at one size,
 * BIG_SIZE, and at most BIG_KEEP are kept (2 MiB): a burst of segments
 * lives from TCP to the device's write, so that many are never idle at
 * once. Small pbufs are cheap to malloc and stay as they were. */
#define BIG_MIN (16 * 1024)
#define BIG_SIZE (65536 + 512)
#define BIG_KEEP 32

static struct riad_pbuf *big_free;
static size_t big_kept;

static void big_release(struct riad_pbuf *p)
{
	live--;
	if (big_kept < BIG_KEEP) {
		p->next = big_free;
		big_free = p;
		big_kept++;
		return;
	}
	free(p);
}

struct riad_pbuf *riad_pbuf_alloc(size_t headroom, size_t len)
{
	size_t size = headroom + len;
	if (size < headroom || size > SIZE_MAX - sizeof(struct riad_pbuf))
		return NULL;
	struct riad_pbuf *p;
	if (size >= BIG_MIN && size <= BIG_SIZE) {
		p = big_free;
		if (p) {
			big_free = p->next;
			big_kept--;
		} else {
			p = malloc(sizeof(*p) + BIG_SIZE);
			if (!p)
				return NULL;
		}
		riad_pbuf_init(p, p + 1, size, headroom, len, big_release, NULL);
		live++;
		return p;
	}
	p = malloc(sizeof(*p) + size);
	if (!p)
		return NULL;
	riad_pbuf_init(p, p + 1, size, headroom, len, NULL, NULL);
	live++;
	return p;
}

void riad_pbuf_init(struct riad_pbuf *p, void *buf, size_t size, size_t headroom, size_t len,
                    void (*release)(struct riad_pbuf *p), void *release_arg)
{
	if (headroom > size || len > size - headroom)
		riad_panic("pbuf: headroom %zu + len %zu exceed size %zu", headroom, len, size);
	p->buf = buf;
	p->size = size;
	p->data = p->buf + headroom;
	p->len = len;
	p->refs = 1;
	p->release = release;
	p->release_arg = release_arg;
	p->next = NULL;
	p->gso_size = 0;
	p->offload = 0;
}

void riad_pbuf_ref(struct riad_pbuf *p)
{
	if (p->refs == 0)
		riad_panic("pbuf: reference taken on a freed pbuf");
	p->refs++;
}

void riad_pbuf_unref(struct riad_pbuf *p)
{
	if (!p)
		return;
	if (p->refs == 0)
		riad_panic("pbuf: freed twice");
	if (--p->refs > 0)
		return;
	if (p->release) {
		p->release(p);
	} else {
		live--;
		free(p);
	}
}

void riad_pbuf_queue_push(struct riad_pbuf_queue *q, struct riad_pbuf *p)
{
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->count++;
}

struct riad_pbuf *riad_pbuf_queue_pop(struct riad_pbuf_queue *q)
{
	struct riad_pbuf *p = q->head;
	if (!p)
		return NULL;
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	p->next = NULL;
	return p;
}

void riad_pbuf_queue_clear(struct riad_pbuf_queue *q)
{
	struct riad_pbuf *p;
	while ((p = riad_pbuf_queue_pop(q)))
		riad_pbuf_unref(p);
}

size_t riad_pbuf_live(void)
{
	return live;
}

static uint64_t pbufs_live(void)
{
	return live;
}
RIAD_METRIC_HISTORY_FN(pbufs_live, "riad_pbufs", "Packet buffers allocated and not yet freed.");
