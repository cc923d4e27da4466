/* runtime/unix/unix.h: what the unix target offers its own device code
 * (tap, files, sockets); private to runtime/unix and the unix devices. */
#ifndef RIAD_RUNTIME_UNIX_H
#define RIAD_RUNTIME_UNIX_H

#include <stdint.h>

#include <riad/fiber.h>

/* A host file descriptor watched by the scheduler's epoll set. Registration
 * is edge-triggered: a fiber must read (or write) until EAGAIN before it
 * waits, and then wakes when more is possible. */
struct riad_unix_fd {
	int fd;
	struct riad_waitq readable;
	struct riad_waitq writable;
};

/* Start watching fd (made non-blocking). Returns 0 or -errno. */
int riad_unix_fd_register(struct riad_unix_fd *w, int fd);

/* Stop watching; wakes every waiter so that it can see the fd is gone. */
void riad_unix_fd_unregister(struct riad_unix_fd *w);

/* Park until the fd is readable (or writable) or the deadline passes.
 * 0, or -RIAD_ETIMEDOUT. */
int riad_unix_fd_wait_readable(struct riad_unix_fd *w, int64_t deadline);
int riad_unix_fd_wait_writable(struct riad_unix_fd *w, int64_t deadline);

#endif
