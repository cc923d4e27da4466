/* sock/net_serve.c: riad_net_up and riad_net_serve, the start and the main loop every network unikernel would otherwise write itself, over the public API only (so they serve the host-socket stack too). */
#include <stdbool.h>

#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

int riad_net_up(const char *name, int64_t timeout_ns, struct riad_net **out)
{
	struct riad_net *net;
	int r = riad_net_open(name, &net);
	if (r < 0)
		return r;
	r = riad_net_wait_up(net, riad_time_ns() + timeout_ns);
	if (r < 0) {
		riad_err(NULL, "%s: no address after %lld ms", name,
		         (long long)(timeout_ns / RIAD_NS_PER_MS));
		return r;
	}
	*out = net;
	return 0;
}

struct serve_quit {
	struct riad_udp *u;
	bool quit, stop;
	struct riad_waitq wq;
};

/* Any datagram, or an error on the socket, ends the serve loop; a stop
 * (riad_fiber_interrupt from riad_net_serve) ends only this fiber. */
static int serve_quit_fiber(void *arg)
{
	struct serve_quit *q = arg;
	char b[16];
	(void)riad_udp_recvfrom(q->u, b, sizeof(b), NULL, NULL, RIAD_TIME_NEVER);
	if (!q->stop) {
		q->quit = true;
		riad_waitq_wake_all(&q->wq);
	}
	return 0;
}

int riad_net_serve(struct riad_net *net, int64_t run_ns, uint16_t quit_port, int64_t stats_ns)
{
	struct serve_quit q = { 0 };
	struct riad_fiber *qf = NULL;
	if (quit_port) {
		int r = riad_udp_bind(net, quit_port, &q.u);
		if (r < 0) {
			riad_err(NULL, "cannot bind the quit port %u (error %d)", quit_port, -r);
			return r;
		}
		qf = riad_fiber_spawn(serve_quit_fiber, &q, 0);
		if (!qf) {
			riad_udp_close(q.u);
			riad_err(NULL, "no memory for the quit port's fiber");
			return -RIAD_ENOMEM;
		}
	}
	int64_t end = run_ns > 0 ? riad_time_ns() + run_ns : RIAD_TIME_NEVER;
	while (!q.quit && riad_time_ns() < end) {
		int64_t next = stats_ns > 0 ? riad_time_ns() + stats_ns : end;
		riad_waitq_wait(&q.wq, next < end ? next : end);
		if (!q.quit && riad_time_ns() < end && stats_ns > 0)
			riad_net_log_stats(net, RIAD_LOG_DEBUG);
	}
	if (qf) {
		q.stop = !q.quit;
		if (q.stop)
			riad_fiber_interrupt(qf);
		riad_fiber_join(qf);
		riad_udp_close(q.u);
	}
	riad_net_log_stats(net, RIAD_LOG_INFO);
	return 0;
}
