/* base/hvt/net.c: frames through the tender's net ring when it offers one (SOLO5-ABI.md 4.7), else through the NET_WRITE and NET_READ hypercalls, one exit per frame; plain, or behind a virtio-net header with riad's net extension.
 *
 * With the ring, a write copies the frame into its slot's buffer (bufs,
 * at the start of the heap: boot.c), publishes the entry and returns: the
 * tender's ring thread writes it to the tap later, in order. A read
 * publishes a NET_READ entry pointing at the caller's buffer and spins
 * until the thread has committed it (OK with a frame, or AGAIN). Neither
 * exits to the tender: a kick (port 0x600, an ioeventfd in the host
 * kernel) is needed only when the thread has said it is going to sleep
 * (needs_kick). solo5_yield (POLL, time.c) is unchanged: the tender's
 * epoll set still holds the tap, so a frame arriving wakes the guest, and
 * the reads that follow go through the ring.
 *
 * A frame larger than a slot's buffer (a tap with a jumbo MTU, or a TCP
 * segment of up to 64 KiB behind its virtio-net header with riad's net
 * extension) is an entry pointing at the caller's buffer, and the write
 * waits until the thread has taken it, so that the caller may reuse the
 * buffer: a spin instead of an exit, in order with the slots' frames.
 *
 * riad's net extension (riad_base.h, abi/mft.h): when riad-hvt grants it
 * in the manifest entry, riad_base_net_write/read carry each frame behind
 * its header in the same buffer, through the same ring or hypercalls; the
 * tender checks the lengths against what it granted.
 *
 * The ring pays only when the tender's ring thread has a CPU of its own:
 * sharing one with the vCPU (a tender pinned to one core), the guest
 * spins for a commit that the thread cannot post until the host
 * preempts one of them, and the thread's own spin for work steals the
 * vCPU's time. So a read whose commit, or a large write whose taking,
 * took longer than RING_SLOW_NS turns the ring off for RING_BACKOFF_NS:
 * hypercalls meanwhile (after draining the ring, for order), then the
 * ring again.
 *
 * Memory ordering (x86, TSO): the entry's fields before ent_tail (a
 * release store, which on x86 only has to stop the compiler); ent_tail
 * before needs_kick is read (a store-load order: mfence); com_tail before
 * the commit's fields (an acquire load). No atomic here needs SSE.
 */
#include "hvt.h"
#include "../riad_base.h"

/* Not defined, except in a guest linked with
 * --defsym=riad_hvt_net_hypercalls=1 (tests/e2e/hvt-ring.t), which leaves
 * the ring alone as a guest under a tender without one does. */
extern const char riad_hvt_net_hypercalls[] __attribute__((weak));

#define RING_MASK (RIAD_HVT_RING_SIZE - 1)
#define RING_SLOW_NS 1000000ull     /* 1 ms: more than a wake-up, a time slice */
#define RING_BACKOFF_NS 100000000ull /* 100 ms of hypercalls after a slow commit */

static struct riad_hvt_ring *ring; /* NULL: hypercalls only */
static uint8_t (*bufs)[RIAD_HVT_RING_BUF_SIZE];
static uint32_t ent_tail, com_head; /* the guest's own indices, as last published */
static uint32_t next_id;
static solo5_time_t ring_off_until; /* hypercalls until then (0: never) */

void hvt_net_init(uintptr_t ring_gpa, uintptr_t bufs_gpa)
{
	if (ring_gpa == 0 || bufs_gpa == 0 || riad_hvt_net_hypercalls != 0)
		return;
	ring = (struct riad_hvt_ring *)ring_gpa;
	bufs = (uint8_t (*)[RIAD_HVT_RING_BUF_SIZE])bufs_gpa;
	ent_tail = ring->ent_tail;
	com_head = ring->com_head;
}

static inline uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* rep movsb: fast on current CPUs, and no vector registers. */
static inline void copy(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* Waits until the entry at ent_tail is free: the host has taken all but
 * RIAD_HVT_RING_SIZE - 2 of those published (so also the slot's last
 * frame, whose buffer may now be reused). */
static void ring_wait_slot(void)
{
	while (ent_tail - load_acquire(&ring->ent_head) >= RIAD_HVT_RING_SIZE - 1)
		cpu_relax();
}

/* Publishes the entry at ent_tail, and kicks the thread if it sleeps. */
static void ring_publish(void)
{
	store_release(&ring->ent_tail, ++ent_tail);
	__asm__ volatile("mfence" : : : "memory");
	if (__atomic_load_n(&ring->needs_kick, __ATOMIC_RELAXED))
		__asm__ volatile("outl %0, %1"
				 :
				 : "a"((uint32_t)0), "d"((uint16_t)RIAD_HVT_RING_KICK_PIO_BASE)
				 : "memory");
}

/* Whether to use the ring now; when it is off, once its queued frames
 * have left (hypercalls must not overtake them). */
static bool ring_on(void)
{
	if (ring == NULL)
		return false;
	if (ring_off_until == 0)
		return true;
	if (solo5_clock_monotonic() >= ring_off_until) {
		ring_off_until = 0;
		return true;
	}
	while (load_acquire(&ring->ent_head) != ent_tail)
		cpu_relax();
	return false;
}

static struct riad_hvt_ring_entry *ring_entry(uint32_t op, solo5_handle_t handle, uintptr_t data,
					      size_t len)
{
	struct riad_hvt_ring_entry *e = &ring->entries[ent_tail & RING_MASK];
	e->operation = op;
	e->handle = (uint32_t)handle;
	e->data = data;
	e->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	e->id = next_id++;
	e->reserved = 0;
	return e;
}

/* Notes how long the guest waited for the ring thread since t0: after
 * RING_SLOW_NS, the thread has no CPU of its own, and hypercalls are
 * cheaper for a while. */
static void ring_waited(solo5_time_t t0)
{
	solo5_time_t t1 = solo5_clock_monotonic();
	if (t1 - t0 > RING_SLOW_NS)
		ring_off_until = t1 + RING_BACKOFF_NS;
}

static solo5_result_t hc_write(solo5_handle_t handle, const uint8_t *buf, size_t size)
{
	volatile struct riad_hvt_hc_net_write w = {
		.handle = handle, .data = (uintptr_t)buf, .len = size, .ret = 0,
	};
	hvt_hypercall(RIAD_HVT_HYPERCALL_NET_WRITE, &w);
	return (solo5_result_t)w.ret;
}

/* One frame of a length the device takes. A frame that fits a slot's
 * buffer is copied there and left to the thread. A larger one (a jumbo
 * MTU, a 64 KiB segment with riad's net extension) is published where it
 * is, and the guest waits until the thread has taken it (ent_head passes
 * its entry: written to the tap), since the caller may reuse the buffer
 * as soon as this returns: a spin on the thread instead of an exit, in
 * order with the frames before it. */
solo5_result_t base_net_write(const struct riad_mft_entry *e, solo5_handle_t handle,
			      const uint8_t *buf, size_t size)
{
	(void)e;
	if (!ring_on())
		return hc_write(handle, buf, size);
	ring_wait_slot();
	if (size > RIAD_HVT_RING_BUF_SIZE) {
		solo5_time_t t0 = solo5_clock_monotonic();
		ring_entry(RIAD_HVT_RING_OP_NET_WRITE, handle, (uintptr_t)buf, size);
		ring_publish();
		while (load_acquire(&ring->ent_head) != ent_tail)
			cpu_relax();
		ring_waited(t0);
		return SOLO5_R_OK;
	}
	uint8_t *slot = bufs[ent_tail & RING_MASK];
	copy(slot, buf, size);
	ring_entry(RIAD_HVT_RING_OP_NET_WRITE, handle, (uintptr_t)slot, size);
	ring_publish();
	return SOLO5_R_OK;
}

solo5_result_t base_net_read(const struct riad_mft_entry *e, solo5_handle_t handle, uint8_t *buf,
			     size_t size, size_t *read_size)
{
	(void)e;
	if (!ring_on()) {
		volatile struct riad_hvt_hc_net_read r = {
			.handle = handle, .data = (uintptr_t)buf, .len = size, .ret = 0,
		};
		hvt_hypercall(RIAD_HVT_HYPERCALL_NET_READ, &r);
		if (r.ret == SOLO5_R_OK)
			*read_size = r.len;
		return (solo5_result_t)r.ret;
	}
	ring_wait_slot();
	solo5_time_t t0 = solo5_clock_monotonic();
	uint32_t id = ring_entry(RIAD_HVT_RING_OP_NET_READ, handle, (uintptr_t)buf, size)->id;
	ring_publish();
	/* Only reads are committed, and one at a time. */
	while (load_acquire(&ring->com_tail) == com_head)
		cpu_relax();
	ring_waited(t0);
	const struct riad_hvt_ring_commit *c = &ring->commits[com_head & RING_MASK];
	uint32_t cid = c->id, len = c->len;
	int32_t ret = c->ret;
	store_release(&ring->com_head, ++com_head);
	if (cid != id)
		base_abort(__FILE__, "the tender's net ring committed another read than ours");
	if (ret == SOLO5_R_OK) {
		if (len > size)
			base_abort(__FILE__, "the tender's net ring read more than the buffer holds");
		*read_size = len;
	}
	return (solo5_result_t)ret;
}
