/* tender/spt/spt_poll.c: the epoll set and timer that the spt guest's solo5_yield waits on. */
#include "spt.h"

#include "abi/spt.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>

int spt_poll_init(struct spt *s, const struct riad_mft *mft, struct tender_error *err)
{
	struct epoll_event ev;

	s->epollfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epollfd < 0)
		return error_set(err, "epoll_create1: %s", strerror(errno));
	s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->timerfd < 0)
		return error_set(err, "timerfd_create: %s", strerror(errno));
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u64 = RIAD_SPT_INTERNAL_TIMERFD;
	if (epoll_ctl(s->epollfd, EPOLL_CTL_ADD, s->timerfd, &ev) < 0)
		return error_set(err, "epoll_ctl(timerfd): %s", strerror(errno));
	for (uint32_t i = 1; i < mft->entries; i++) {
		const struct riad_mft_entry *e = &mft->e[i];

		if (e->type != RIAD_MFT_DEV_NET_BASIC || !e->attached)
			continue;
		ev.events = EPOLLIN;
		ev.data.u64 = i; /* the handle, so the guest can fill its ready set */
		if (epoll_ctl(s->epollfd, EPOLL_CTL_ADD, e->b.hostfd, &ev) < 0)
			return error_set(err, "net device '%s': epoll_ctl(fd %d): %s", e->name,
					 e->b.hostfd, strerror(errno));
	}
	return 0;
}
