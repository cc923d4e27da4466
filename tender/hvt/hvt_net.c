/* tender/hvt/hvt_net.c: the POLL, NET_WRITE and NET_READ hypercalls, the epoll set and timer POLL waits on, and the frame I/O the net ring shares. */
#include "hvt.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <solo5.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* epoll data of the timer; net devices carry their handle (1..63). */
#define NET_TIMER_TAG UINT64_MAX

int hvt_net_setup(struct hvt *h, struct tender_error *err)
{
	struct epoll_event ev;

	h->epollfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->epollfd < 0)
		return error_set(err, "epoll_create1: %s", strerror(errno));
	h->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (h->timerfd < 0)
		return error_set(err, "timerfd_create: %s", strerror(errno));
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u64 = NET_TIMER_TAG;
	if (epoll_ctl(h->epollfd, EPOLL_CTL_ADD, h->timerfd, &ev) < 0)
		return error_set(err, "epoll_ctl(timerfd): %s", strerror(errno));
	for (uint32_t i = 1; i < h->mft->entries; i++) {
		const struct riad_mft_entry *e = &h->mft->e[i];

		if (e->type != RIAD_MFT_DEV_NET_BASIC || !e->attached)
			continue;
		ev.events = EPOLLIN;
		ev.data.u64 = i;
		if (epoll_ctl(h->epollfd, EPOLL_CTL_ADD, e->b.hostfd, &ev) < 0)
			return error_set(err, "net device '%s': epoll_ctl(fd %d): %s", e->name,
					 e->b.hostfd, strerror(errno));
	}
	return 0;
}

static void hc_poll(struct hvt *h, uint64_t gpa)
{
	struct epoll_event ev[RIAD_MFT_MAX_ENTRIES];
	struct riad_hvt_hc_poll a;
	struct itimerspec it;
	int n;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "POLL struct"), sizeof a);
	(void)hvt_guest_out(h, gpa, sizeof a, "POLL struct");
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)(a.timeout_nsecs / 1000000000ull);
	/* Never 0, which would disarm the timer: a 0 timeout still fires. */
	it.it_value.tv_nsec = (long)(a.timeout_nsecs % 1000000000ull) | 1;
	if (timerfd_settime(h->timerfd, 0, &it, NULL) < 0)
		hvt_fatal("POLL: timerfd_settime: %s", strerror(errno));
	do
		n = epoll_pwait(h->epollfd, ev, RIAD_MFT_MAX_ENTRIES, -1, NULL);
	while (n < 0 && errno == EINTR && !h->run->immediate_exit);
	/* gdb's Ctrl-C (hvt_gdb.c): back to the guest early, as a wake-up
	 * with nothing ready, so that the run loop stops it now rather than
	 * at its deadline. */
	if (n < 0 && errno == EINTR)
		n = 0;
	if (n < 0)
		hvt_fatal("POLL: epoll_pwait: %s", strerror(errno));
	a.ready_set = 0;
	a.ret = 0;
	for (int i = 0; i < n; i++) {
		if (ev[i].data.u64 == NET_TIMER_TAG)
			continue;
		a.ready_set |= 1ull << ev[i].data.u64;
		a.ret++;
	}
	memcpy(hvt_guest_out(h, gpa, sizeof a, "POLL struct"), &a, sizeof a);
}

int32_t hvt_net_write_frame(const struct riad_mft_entry *e, const uint8_t *p, uint64_t len)
{
	bool vnet = e->u.net_basic.riad_flags & RIAD_MFT_NET_F_VNET;
	ssize_t n;

	if (vnet ? len < RIAD_MFT_NET_HDR_LEN || len > RIAD_MFT_NET_HDR_LEN + RIAD_MFT_NET_FRAME_MAX
		 : len > (uint64_t)e->u.net_basic.mtu + SOLO5_NET_HLEN)
		return SOLO5_R_EINVAL;
	do
		n = write(e->b.hostfd, p, len);
	while (n < 0 && errno == EINTR);
	/* A full queue drops the frame, as a wire would; the kernel's
	 * verdict on what the guest wrote is the guest's business. */
	if (n < 0 && errno == EINVAL)
		return SOLO5_R_EINVAL;
	if (n < 0 && errno != EAGAIN && errno != ENOBUFS)
		hvt_fatal("net device '%s': write: %s", e->name, strerror(errno));
	if (n >= 0 && (uint64_t)n != len)
		hvt_fatal("net device '%s': short write (%zd of %" PRIu64 " bytes)", e->name, n, len);
	return SOLO5_R_OK;
}

int32_t hvt_net_read_frame(const struct riad_mft_entry *e, uint8_t *p, uint64_t size,
			   uint64_t *len)
{
	ssize_t n;

	do
		n = read(e->b.hostfd, p, size);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EINVAL)
		return SOLO5_R_EINVAL;
	if (n < 0 && errno != EAGAIN)
		hvt_fatal("net device '%s': read: %s", e->name, strerror(errno));
	if (n <= 0)
		return SOLO5_R_AGAIN;
	*len = (uint64_t)n;
	return SOLO5_R_OK;
}

static void hc_net_write(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_net_write a;
	const struct riad_mft_entry *e;
	const uint8_t *p;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "NET_WRITE struct"), sizeof a);
	(void)hvt_guest_out(h, gpa, sizeof a, "NET_WRITE struct");
	p = hvt_guest_in(h, a.data, a.len, "NET_WRITE data");
	e = hvt_device(h, a.handle, RIAD_MFT_DEV_NET_BASIC);
	a.ret = e != NULL ? hvt_net_write_frame(e, p, a.len) : SOLO5_R_EINVAL;
	memcpy(hvt_guest_out(h, gpa, sizeof a, "NET_WRITE struct"), &a, sizeof a);
}

static void hc_net_read(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_net_read a;
	const struct riad_mft_entry *e;
	uint8_t *p;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "NET_READ struct"), sizeof a);
	(void)hvt_guest_out(h, gpa, sizeof a, "NET_READ struct");
	p = hvt_guest_out(h, a.data, a.len, "NET_READ data");
	e = hvt_device(h, a.handle, RIAD_MFT_DEV_NET_BASIC);
	a.ret = e != NULL ? hvt_net_read_frame(e, p, a.len, &a.len) : SOLO5_R_EINVAL;
	memcpy(hvt_guest_out(h, gpa, sizeof a, "NET_READ struct"), &a, sizeof a);
}

HVT_HYPERCALL(poll, RIAD_HVT_HYPERCALL_POLL, hc_poll);
HVT_HYPERCALL(net_write, RIAD_HVT_HYPERCALL_NET_WRITE, hc_net_write);
HVT_HYPERCALL(net_read, RIAD_HVT_HYPERCALL_NET_READ, hc_net_read);
