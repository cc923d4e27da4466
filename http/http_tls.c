/* http_tls.c: riad_http_tls_ops, the stream ops of a TLS connection (riad/tls.h), so that riad_http_serve_conn and riad_http_serve_detached serve HTTPS.
 *
 * A file of its own, so that it is an archive member of its own in
 * libriad-net.a: a program links it (and through it tls/ and BearSSL's
 * TLS engine) only when it names riad_http_tls_ops; http_server.c never
 * refers to TLS, and a plain HTTP program pulls in none of it.
 *
 * read, write, close and when_readable are riad_tls_read, riad_tls_write,
 * riad_tls_close and riad_tls_when_readable as they are (so that
 * riad_http_serve_detached holds an idle HTTPS connection without a fiber
 * or a record buffer). riad_tls_shutdown takes a deadline where
 * the server's shutdown has none: the close_notify alert only has to go
 * into TCP's send buffer, so SHUTDOWN_NS bounds a peer whose window
 * stays shut (the server then closes the connection anyway).
 */
#include <riad/http.h>
#include <riad/time.h>
#include <riad/tls.h>

#define SHUTDOWN_NS (2 * RIAD_NS_PER_S)

static long tls_read(void *s, void *buf, size_t len, int64_t deadline)
{
	return riad_tls_read(s, buf, len, deadline);
}

static long tls_write(void *s, const void *buf, size_t len, int64_t deadline)
{
	return riad_tls_write(s, buf, len, deadline);
}

static int tls_shutdown(void *s)
{
	return riad_tls_shutdown(s, riad_time_ns() + SHUTDOWN_NS);
}

static void tls_close(void *s)
{
	riad_tls_close(s);
}

static int tls_when_readable(void *s, int64_t deadline, riad_fiber_fn *fn, void *arg,
                             size_t stack_size)
{
	return riad_tls_when_readable(s, deadline, fn, arg, stack_size);
}

const struct riad_http_stream_ops riad_http_tls_ops = {
	.read = tls_read,
	.write = tls_write,
	.shutdown = tls_shutdown,
	.close = tls_close,
	.when_readable = tls_when_readable,
};
