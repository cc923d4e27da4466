/* riad/pbuf.h: the one packet-buffer type, used from the device to the
 * application in both directions.
 *
 * A pbuf is one contiguous byte range [data, data+len) inside a block of
 * memory [buf, buf+size). The space before data is headroom: a protocol adds
 * its header by pushing into it, without copying the payload; on receive a
 * protocol strips its header by pulling. A pbuf is reference counted: whoever
 * holds a reference may read it; it is freed (through its release hook, so a
 * device can recycle its own receive buffers) when the last reference goes.
 *
 * Ownership: a function that takes a pbuf says whether it takes the caller's
 * reference ("consumes") or borrows it for the duration of the call. Nothing
 * here blocks. Allocation failure returns NULL; misuse (unref of a freed
 * pbuf, push beyond the headroom by a caller that did not check) is a
 * programmer error and aborts.
 */
#ifndef RIAD_PBUF_H
#define RIAD_PBUF_H

#include <stddef.h>
#include <stdint.h>

struct riad_pbuf {
	uint8_t *data;            /* first valid byte */
	size_t len;               /* valid bytes from data */
	uint8_t *buf;             /* start of the memory block */
	size_t size;              /* bytes in the memory block */
	unsigned refs;
	/* Called when refs drops to 0; NULL frees buf and the pbuf with free()
	 * (riad_pbuf_alloc allocates both in one block, and sets its own hook
	 * on the large ones it recycles). */
	void (*release)(struct riad_pbuf *p);
	void *release_arg;
	struct riad_pbuf *next;   /* for the queue of whoever holds the pbuf */
	/* Offload marks between the stack and a device that offers offloads
	 * (riad/netif.h, RIAD_NETIF_F_*); zero on a new pbuf, and a device
	 * without offloads never looks at them. Whoever copies a pbuf's bytes
	 * into a new one copies these too (riad_pbuf_copy_marks). */
	uint16_t gso_size;        /* tx: a TCP segment the device splits into
	                           * wire segments of this many payload bytes
	                           * (RIAD_NETIF_F_TSO4); 0: one frame as it is */
	uint8_t offload;          /* RIAD_PBUF_* below */
};

/* The frame is TCP over IPv4 whose checksum field holds only the
 * pseudo-header sum (folded, not complemented, over the TCP length): the
 * device completes it (tx, RIAD_NETIF_F_CSUM4). */
#define RIAD_PBUF_TX_CSUM_TCP4 0x01
/* The frame's TCP or UDP checksum need not be verified: the device, or the
 * host behind it, did (or the bytes never left this machine, and the
 * checksum field may hold a partial sum). Set on receive only. */
#define RIAD_PBUF_RX_CSUM_OK 0x02

/* A new pbuf with headroom bytes before data and len valid bytes
 * (uninitialised), in one allocation; refs = 1. NULL if out of memory or if
 * headroom + len overflows. */
struct riad_pbuf *riad_pbuf_alloc(size_t headroom, size_t len);

/* A pbuf over memory the caller owns (e.g. a device ring slot); release is
 * called with the pbuf when the last reference goes. refs = 1. */
void riad_pbuf_init(struct riad_pbuf *p, void *buf, size_t size, size_t headroom, size_t len,
                    void (*release)(struct riad_pbuf *p), void *release_arg);

/* Prepend n bytes (data moves back by n, len grows by n); returns the new
 * data pointer, or NULL (and nothing changes) if the headroom is smaller
 * than n. */
static inline uint8_t *riad_pbuf_push(struct riad_pbuf *p, size_t n)
{
	if ((size_t)(p->data - p->buf) < n)
		return NULL;
	p->data -= n;
	p->len += n;
	return p->data;
}

/* Drop n bytes from the front; returns the old data pointer (the dropped
 * header), or NULL (and nothing changes) if len < n. */
static inline uint8_t *riad_pbuf_pull(struct riad_pbuf *p, size_t n)
{
	if (p->len < n)
		return NULL;
	uint8_t *old = p->data;
	p->data += n;
	p->len -= n;
	return old;
}

/* Shorten to len bytes (e.g. to drop Ethernet padding); no-op if len is
 * not smaller. */
static inline void riad_pbuf_trim(struct riad_pbuf *p, size_t len)
{
	if (len < p->len)
		p->len = len;
}

/* Headroom left before data. */
static inline size_t riad_pbuf_headroom(const struct riad_pbuf *p)
{
	return (size_t)(p->data - p->buf);
}

/* Copy p's offload marks to c (a copy of p's bytes). */
static inline void riad_pbuf_copy_marks(struct riad_pbuf *c, const struct riad_pbuf *p)
{
	c->gso_size = p->gso_size;
	c->offload = p->offload;
}

/* Take another reference / drop one (freeing at zero). unref(NULL) is a
 * no-op. */
void riad_pbuf_ref(struct riad_pbuf *p);
void riad_pbuf_unref(struct riad_pbuf *p);

/* A queue of pbufs linked through next; it holds one reference to each. */
struct riad_pbuf_queue {
	struct riad_pbuf *head, *tail;
	size_t count;
};

/* Append p (the queue takes the caller's reference). */
void riad_pbuf_queue_push(struct riad_pbuf_queue *q, struct riad_pbuf *p);
/* Remove the first pbuf and hand its reference to the caller; NULL if empty. */
struct riad_pbuf *riad_pbuf_queue_pop(struct riad_pbuf_queue *q);
/* Drop every pbuf. */
void riad_pbuf_queue_clear(struct riad_pbuf_queue *q);

/* Live pbufs allocated by riad_pbuf_alloc (for leak checks in tests). */
size_t riad_pbuf_live(void);

#endif
