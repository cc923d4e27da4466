/* fuzz/support/http_stubs.c: what fuzz/http_server.c's server code needs of the runtime and of TCP without linking them: a monotonic clock that ticks, and TCP, fibers and wait queues that the target never reaches (it calls riad_http_serve_conn on a memory stream, never riad_http_listen). */
#include <stdlib.h>

#include <riad/fiber.h>
#include <riad/net.h>
#include <riad/time.h>

int64_t riad_time_ns(void)
{
	static int64_t t;
	return t += 1000;
}

int riad_fiber_spawn_detached(riad_fiber_fn *fn, void *arg, size_t stack_size, const char *name)
{
	(void)fn, (void)arg, (void)stack_size, (void)name;
	abort();
}
struct riad_fiber *riad_fiber_self(void) { abort(); }
void riad_fiber_set_name(struct riad_fiber *f, const char *name) { (void)f, (void)name; abort(); }
int riad_waitq_wait(struct riad_waitq *q, int64_t deadline) { (void)q, (void)deadline; abort(); }
int riad_waitq_wake_one(struct riad_waitq *q)
{
	(void)q;
	return 0;
}
long riad_tcp_read(struct riad_tcp *c, void *buf, size_t len, int64_t deadline)
{
	(void)c, (void)buf, (void)len, (void)deadline;
	abort();
}
long riad_tcp_write(struct riad_tcp *c, const void *buf, size_t len, int64_t deadline)
{
	(void)c, (void)buf, (void)len, (void)deadline;
	abort();
}
int riad_tcp_shutdown(struct riad_tcp *c) { (void)c; abort(); }
void riad_tcp_close(struct riad_tcp *c) { (void)c; abort(); }
void riad_tcp_abort(struct riad_tcp *c) { (void)c; abort(); }
int riad_tcp_when_readable(struct riad_tcp *c, int64_t deadline, riad_fiber_fn *fn, void *arg,
                           size_t stack_size)
{
	(void)c, (void)deadline, (void)fn, (void)arg, (void)stack_size;
	abort();
}
void riad_tcp_set_nodelay(struct riad_tcp *c, bool on) { (void)c, (void)on; abort(); }
int riad_tcp_listen(struct riad_net *net, uint16_t port, unsigned backlog,
                    struct riad_tcp_listener **out)
{
	(void)net, (void)port, (void)backlog, (void)out;
	abort();
}
int riad_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out, int64_t deadline)
{
	(void)l, (void)out, (void)deadline;
	abort();
}
void riad_tcp_listener_close(struct riad_tcp_listener *l) { (void)l; abort(); }
