/* tender/hvt/hvt_ring.c: the optional net ring: a thread that serves the guest's queued NET_WRITE and NET_READ entries, woken by an ioeventfd on port 0x600. */
#include "hvt.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <solo5.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* How long the thread looks for work before it asks for a kick and sleeps. */
#define RING_SPIN 4096

struct hvt_ring_state {
	struct hvt *h;
	struct riad_hvt_ring *r; /* in guest memory: every field is untrusted */
	int efd;
	pthread_t thread;
	uint32_t ent_head, com_tail; /* the host's own copies of its indices */
	int stop; /* atomic */
	int running; /* atomic: the thread has started */
};

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void commit(struct hvt_ring_state *s, uint32_t id, int32_t ret, uint32_t len)
{
	struct riad_hvt_ring_commit c = {.id = id, .ret = ret, .len = len};

	memcpy(&s->r->commits[s->com_tail & (RIAD_HVT_RING_SIZE - 1)], &c, sizeof c);
	store_release(&s->r->com_tail, ++s->com_tail);
}

static void ring_write(struct hvt_ring_state *s, const struct riad_hvt_ring_entry *e)
{
	const struct riad_mft_entry *dev = hvt_device(s->h, e->handle, RIAD_MFT_DEV_NET_BASIC);
	const uint8_t *p = hvt_guest_in(s->h, e->data, e->len, "ring NET_WRITE data");

	/* Writes have no commit: a bad one is dropped, as a wire would. */
	if (dev != NULL)
		(void)hvt_net_write_frame(dev, p, e->len);
}

static void ring_read(struct hvt_ring_state *s, const struct riad_hvt_ring_entry *e)
{
	const struct riad_mft_entry *dev = hvt_device(s->h, e->handle, RIAD_MFT_DEV_NET_BASIC);
	uint8_t *p = hvt_guest_out(s->h, e->data, e->len, "ring NET_READ buffer");
	uint64_t n = 0;
	int32_t ret;

	ret = dev != NULL ? hvt_net_read_frame(dev, p, e->len, &n) : SOLO5_R_EINVAL;
	commit(s, e->id, ret, (uint32_t)n);
}

/* Serves every entry queued now; false if there was none. */
static bool ring_serve(struct hvt_ring_state *s)
{
	uint32_t tail = load_acquire(&s->r->ent_tail);

	if (tail == s->ent_head)
		return false;
	if (tail - s->ent_head > RIAD_HVT_RING_SIZE)
		hvt_fatal("Invalid guest ring state: ent_tail=%" PRIu32 " is %" PRIu32
			  " entries ahead of ent_head (at most %u)", tail, tail - s->ent_head,
			  RIAD_HVT_RING_SIZE);
	while (s->ent_head != tail) {
		struct riad_hvt_ring_entry e;

		/* One copy, then only the copy: the guest runs meanwhile. */
		memcpy(&e, &s->r->entries[s->ent_head & (RIAD_HVT_RING_SIZE - 1)], sizeof e);
		if (e.operation == RIAD_HVT_RING_OP_NET_WRITE)
			ring_write(s, &e);
		else if (e.operation == RIAD_HVT_RING_OP_NET_READ)
			ring_read(s, &e);
		else
			hvt_fatal("Invalid guest ring entry: operation %" PRIu32, e.operation);
		store_release(&s->r->ent_head, ++s->ent_head);
	}
	return true;
}

static void *ring_thread(void *arg)
{
	struct hvt_ring_state *s = arg;

	__atomic_store_n(&s->running, 1, __ATOMIC_RELEASE);
	for (;;) {
		bool work = false;
		uint64_t v;

		for (int i = 0; i < RING_SPIN && !work; i++) {
			work = ring_serve(s);
			if (!work)
				__builtin_ia32_pause();
		}
		if (work)
			continue;
		if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
			return NULL;
		__atomic_store_n(&s->r->needs_kick, 1, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!ring_serve(s) && !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
			while (read(s->efd, &v, sizeof v) < 0 && errno == EINTR) {
			}
		}
		__atomic_store_n(&s->r->needs_kick, 0, __ATOMIC_SEQ_CST);
	}
}

int hvt_ring_setup(struct hvt *h, struct tender_error *err)
{
	struct hvt_ring_state *s;
	struct kvm_ioeventfd io;
	sigset_t all, old;
	int rc;

	s = calloc(1, sizeof *s);
	if (s == NULL)
		return error_set(err, "out of memory for the net ring");
	s->h = h;
	s->r = guest_ptr(&h->mem, h->ring_gpa, sizeof *s->r);
	if (s->r == NULL)
		return error_set(err, "the net ring does not fit in guest memory");
	memset(s->r, 0, HVT_RING_ALLOC);
	s->r->needs_kick = 1; /* until the thread runs */
	s->efd = eventfd(0, EFD_CLOEXEC);
	if (s->efd < 0)
		return error_set(err, "eventfd: %s", strerror(errno));
	memset(&io, 0, sizeof io);
	io.addr = RIAD_HVT_RING_KICK_PIO_BASE;
	io.len = 4;
	io.fd = s->efd;
	io.flags = KVM_IOEVENTFD_FLAG_PIO;
	if (ioctl(h->vm, KVM_IOEVENTFD, &io) < 0)
		return error_set(err, "KVM_IOEVENTFD (port 0x%x): %s", RIAD_HVT_RING_KICK_PIO_BASE,
				 strerror(errno));
	/* Signals go to the vCPU thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->thread, NULL, ring_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return error_set(err, "cannot start the net ring thread: %s", strerror(rc));
	/* The C library's start of a thread makes system calls (rseq) that
	 * the sandbox forbids: let it finish before the filter goes on. */
	while (!__atomic_load_n(&s->running, __ATOMIC_ACQUIRE))
		sched_yield();
	h->ring = s;
	return 0;
}

void hvt_ring_stop(struct hvt *h)
{
	struct hvt_ring_state *s = h->ring;
	uint64_t one = 1;

	if (s == NULL)
		return;
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	if (write(s->efd, &one, sizeof one) < 0)
		hvt_fatal("cannot wake the net ring thread: %s", strerror(errno));
	pthread_join(s->thread, NULL);
	h->ring = NULL;
}

int hvt_ring_eventfd(const struct hvt *h)
{
	return h->ring != NULL ? h->ring->efd : -1;
}
