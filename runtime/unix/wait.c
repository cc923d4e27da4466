/* runtime/unix/wait.c: the scheduler's one blocking call on unix: epoll. */
#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <riad/time.h>

#include "../platform.h"
#include "../runtime.h"
#include "unix.h"

#define EVENTS_PER_WAIT 64

static int epfd = -1;
static unsigned watched;

static int epoll_fd(void)
{
	if (epfd < 0) {
		epfd = epoll_create1(EPOLL_CLOEXEC);
		if (epfd < 0)
			riad_panic("epoll_create1 failed (errno %d)", errno);
	}
	return epfd;
}

int riad_unix_fd_register(struct riad_unix_fd *w, int fd)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	w->fd = fd;
	w->readable = (struct riad_waitq)RIAD_WAITQ_INIT;
	w->writable = (struct riad_waitq)RIAD_WAITQ_INIT;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = w };
	if (epoll_ctl(epoll_fd(), EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	watched++;
	return 0;
}

void riad_unix_fd_unregister(struct riad_unix_fd *w)
{
	if (epoll_ctl(epoll_fd(), EPOLL_CTL_DEL, w->fd, NULL) == 0)
		watched--;
	riad_waitq_wake_all(&w->readable);
	riad_waitq_wake_all(&w->writable);
}

int riad_unix_fd_wait_readable(struct riad_unix_fd *w, int64_t deadline)
{
	return riad_waitq_wait(&w->readable, deadline);
}

int riad_unix_fd_wait_writable(struct riad_unix_fd *w, int64_t deadline)
{
	return riad_waitq_wait(&w->writable, deadline);
}

int riad_platform_wait(int64_t deadline)
{
	if (deadline == RIAD_TIME_NEVER && watched == 0)
		return -1;
	struct timespec ts = { 0, 0 }, *timeout = NULL;
	if (deadline != RIAD_TIME_NEVER) {
		int64_t left = deadline - riad_time_ns();
		if (left > 0) {
			ts.tv_sec = left / RIAD_NS_PER_S;
			ts.tv_nsec = left % RIAD_NS_PER_S;
		}
		timeout = &ts;
	}
	if (watched == 0) {
		/* Nothing to watch: a plain sleep is one syscall too, and needs
		 * no epoll descriptor. */
		if (timeout && (ts.tv_sec || ts.tv_nsec))
			while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
				;
		return 0;
	}
	struct epoll_event evs[EVENTS_PER_WAIT];
	int n = epoll_pwait2(epoll_fd(), evs, EVENTS_PER_WAIT, timeout, NULL);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		riad_panic("epoll_pwait2 failed (errno %d)", errno);
	}
	for (int i = 0; i < n; i++) {
		struct riad_unix_fd *w = evs[i].data.ptr;
		if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			riad_waitq_wake_all(&w->readable);
		if (evs[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
			riad_waitq_wake_all(&w->writable);
	}
	return n;
}
