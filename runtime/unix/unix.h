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

/* The device words a unix unikernel takes on its command line, since it
 * is its own tender: "--KIND:NAME=SOURCE" (the form riad run passes),
 * "--KIND=NAME=SOURCE" and "--KIND NAME=SOURCE", up to "--".
 * riad_unix_dev_scan() records each NAME=SOURCE (pointers into argv) in
 * specs, at most max of them, rewrites "--KIND:" into "--KIND=" so that the
 * option parser takes the word as the runtime option KIND, and returns the
 * count; call it from a constructor, which sees argv before start-up
 * parses it. riad_unix_dev_find() returns the SOURCE given last for name,
 * or NULL (none, or an empty one). */
unsigned riad_unix_dev_scan(int argc, char **argv, const char *kind, const char **specs,
                            unsigned max);
const char *riad_unix_dev_find(const char *const *specs, unsigned n, const char *name);

#endif
