/* main.c: the HTTP example: a minimal HTTP/1.1 server on --port of the
 * interface "service" that answers GET and HEAD of / (and /index.html)
 * with a fixed page: Content-Length on every response, keep-alive
 * (HTTP/1.1's default; HTTP/1.0 with "Connection: keep-alive"), pipelined
 * requests answered in order, 404 for other paths, 405 (with Allow) for
 * other methods, 400 for what does not parse (then the connection
 * closes). One fiber per connection.
 *
 *	riad run --net service=tap0 -- --ipv4=10.0.0.2/24
 *	curl http://10.0.0.2/
 *
 * It ends after --run-ms (0: never) or when a datagram arrives on UDP
 * --quit-port, logging the counters (and every --stats-ms with -l debug).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <riad/args.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/time.h>

RIAD_NET_IFACE(service);

RIAD_ARG_INT(port, "port", 80, "The TCP port to listen on.");
RIAD_ARG_INT(backlog, "backlog", 1024, "Connections waiting to be accepted.");
RIAD_ARG_INT(idle_ms, "idle-ms", 30000, "Close a keep-alive connection idle this long.");
RIAD_ARG_INT(run_ms, "run-ms", 0, "Exit after this many ms (0: run for ever).");
RIAD_ARG_INT(quit_port, "quit-port", 0, "End when a UDP datagram arrives on this port (0: none).");
RIAD_ARG_INT(stats_ms, "stats-ms", 10000, "Log the counters this often, at debug level.");
RIAD_ARG_INT(up_ms, "up-ms", 30000, "Give up if no address came in this many ms (DHCP).");

static const char page[] =
	"<!DOCTYPE html>\n<html><head><title>riad</title></head>\n"
	"<body><h1>Hello from a riad unikernel</h1>\n"
	"<p>This page was served by riad's own TCP/IP stack.</p></body></html>\n";

/* Longest request header block; one that fits in REQ_SMALL is read in the
 * connection fiber's frame. */
#define REQ_MAX 8192
#define REQ_SMALL 512

/* Stack of a connection's fiber: serve() and the deepest path under it
 * (riad_tcp_write through TCP, IPv4 and the device) used 4.2 KiB at
 * most under curl and wrk on unix. */
#define CONN_STACK (8 * 1024)

static unsigned long long requests, responses[6];

/* Case-insensitive search for a header's value among the header lines
 * [h, end); returns the value (leading blanks skipped) and its length. */
static const char *header(const char *h, const char *end, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	while (h < end) {
		const char *eol = memchr(h, '\n', (size_t)(end - h));
		if (!eol)
			eol = end;
		if ((size_t)(eol - h) > nl && strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
			const char *v = h + nl + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			const char *ve = eol;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			*len = (size_t)(ve - v);
			return v;
		}
		h = eol + 1;
	}
	return NULL;
}

static bool value_is(const char *v, size_t len, const char *word)
{
	return v && len == strlen(word) && strncasecmp(v, word, len) == 0;
}

/* Copy the run of characters at *p for which ok() holds into out (at most
 * cap - 1 of them, NUL-terminated); returns how many, or 0 if none or too
 * many. */
static size_t word(const char **p, const char *end, bool (*ok)(char), char *out, size_t cap)
{
	size_t n = 0;
	while (*p < end && ok(**p)) {
		if (n + 1 >= cap)
			return 0;
		out[n++] = *(*p)++;
	}
	out[n] = 0;
	return n;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_target(char c)
{
	return c > ' ' && c < 127;
}

static bool is_version(char c)
{
	return (c >= '0' && c <= '9') || c == '.';
}

/* "METHOD SP TARGET SP HTTP/VERSION [CR]": 3 with the parts filled, else 0. */
static int request_line(const char *l, size_t len, char *method, char *target, char *version)
{
	const char *p = l, *end = l + len;
	if (len && end[-1] == '\r')
		end--;
	if (!word(&p, end, is_upper, method, 16) || p == end || *p++ != ' ' ||
	    !word(&p, end, is_target, target, 1024) || p == end || *p++ != ' ' ||
	    (size_t)(end - p) < 5 || memcmp(p, "HTTP/", 5) != 0)
		return 0;
	p += 5;
	if (!word(&p, end, is_version, version, 16) || p != end)
		return 0;
	return 3;
}

/* Build the response to one request into out; returns its length and
 * sets *keep to whether the connection stays open. */
static size_t respond(const char *req, size_t hdr_len, char *out, size_t cap, bool *keep)
{
	const char *end = req + hdr_len;
	const char *eol = memchr(req, '\n', hdr_len);
	int status = 400;
	bool head = false, body_follows = false;
	*keep = false;
	char method[16], target[1024], version[16];
	int n = 0;
	if (eol)
		n = request_line(req, (size_t)(eol - req), method, target, version);
	if (n == 3 && (strcmp(version, "1.1") == 0 || strcmp(version, "1.0") == 0)) {
		size_t vl;
		const char *conn = header(eol + 1, end, "Connection", &vl);
		bool v11 = strcmp(version, "1.1") == 0;
		*keep = v11 ? !value_is(conn, vl, "close") : value_is(conn, vl, "keep-alive");
		const char *cl = header(eol + 1, end, "Content-Length", &vl);
		const char *te = header(eol + 1, end, "Transfer-Encoding", &vl);
		body_follows = te || (cl && !(vl == 1 && cl[0] == '0'));
		if (v11 && !header(eol + 1, end, "Host", &vl))
			status = 400;
		else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			status = 405;
		else if (body_follows)
			status = 400;
		else if (strcmp(target, "/") == 0 || strcmp(target, "/index.html") == 0)
			status = 200;
		else
			status = 404;
		head = strcmp(method, "HEAD") == 0;
	}
	if (status == 400 || body_follows)
		*keep = false; /* we do not read bodies: the stream cannot be trusted past one */
	const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" :
	                     status == 405 ? "Method Not Allowed" : "Bad Request";
	const char *body = status == 200 ? page : status == 404 ? "not found\n" :
	                   status == 405 ? "method not allowed\n" : "bad request\n";
	size_t blen = strlen(body);
	int h = snprintf(out, cap,
	                 "HTTP/1.1 %d %s\r\nServer: riad\r\nContent-Type: %s\r\n"
	                 "Content-Length: %zu\r\n%s%s\r\n",
	                 status, reason, status == 200 ? "text/html" : "text/plain", blen,
	                 status == 405 ? "Allow: GET, HEAD\r\n" : "",
	                 *keep ? "" : "Connection: close\r\n");
	size_t len = (size_t)h;
	if (!head && len + blen <= cap) {
		memcpy(out + len, body, blen);
		len += blen;
	}
	responses[status == 200 ? 0 : status == 404 ? 1 : status == 405 ? 2 : 3]++;
	return len;
}

/* The end of the header block in buf[0..len) (after "\r\n\r\n" or
 * "\n\n"), or 0 if it is not complete. */
static size_t header_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == '\n' && buf[i + 1] == '\n')
			return i + 2;
		if (buf[i] == '\n' && buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Answer the request whose header block is req[0..end) and write the
 * response; false when the connection is to close. The response buffer
 * lives only for this call (heap, not the fiber's stack: see serve). */
static bool answer(struct riad_tcp *c, const char *req, size_t end)
{
	enum { OUT_MAX = 2048 };
	char *out = malloc(OUT_MAX);
	if (!out)
		return false;
	bool keep;
	size_t n = respond(req, end, out, OUT_MAX, &keep);
	bool ok = riad_tcp_write(c, out, n, riad_time_ns() + idle_ms * RIAD_NS_PER_MS) == (long)n;
	free(out);
	return ok && keep;
}

/* One connection. What an idle keep-alive connection costs is this fiber's
 * stack (CONN_STACK, of which waiting touches one page) and TCP's record:
 * the request is read into a small buffer in the frame, moved to the heap
 * only when it outgrows it and moved back once the pipeline is drained,
 * and TCP allocates its buffers only while data is in flight. */
static int serve(void *arg)
{
	struct riad_tcp *c = arg;
	char small[REQ_SMALL];
	char *req = small;
	size_t cap = sizeof(small), have = 0;
	riad_tcp_set_nodelay(c, true);
	for (;;) {
		size_t end;
		while ((end = header_end(req, have)) == 0) {
			if (have == cap && cap < REQ_MAX) {
				char *big = malloc(REQ_MAX);
				if (!big)
					goto done;
				memcpy(big, req, have);
				req = big;
				cap = REQ_MAX;
			}
			if (have == cap) {
				answer(c, "", 0); /* too long: 400, then close */
				goto done;
			}
			long k = riad_tcp_read(c, req + have, cap - have,
			                       riad_time_ns() + idle_ms * RIAD_NS_PER_MS);
			if (k <= 0)
				goto done;
			have += (size_t)k;
		}
		requests++;
		if (!answer(c, req, end))
			goto done;
		memmove(req, req + end, have - end);
		have -= end;
		if (req != small && have <= sizeof(small)) {
			memcpy(small, req, have);
			free(req);
			req = small;
			cap = sizeof(small);
		}
	}
done:
	if (req != small)
		free(req);
	riad_tcp_close(c);
	return 0;
}

static int acceptor(void *arg)
{
	struct riad_tcp_listener *l = arg;
	for (;;) {
		struct riad_tcp *c;
		if (riad_tcp_accept(l, &c, RIAD_TIME_NEVER) < 0)
			continue;
		struct riad_fiber *f = riad_fiber_spawn(serve, c, CONN_STACK);
		if (!f) {
			riad_tcp_abort(c);
			continue;
		}
		riad_fiber_detach(f);
	}
	return 0;
}

int main(void)
{
	if (port < 1 || port > 65535) {
		riad_err(NULL, "--port must be 1..65535");
		return 64;
	}
	if (quit_port < 0 || quit_port > 65535) {
		riad_err(NULL, "--quit-port must be 0..65535");
		return 64;
	}
	struct riad_net *net;
	if (riad_net_up("service", up_ms * RIAD_NS_PER_MS, &net) < 0)
		return 1;
	struct riad_tcp_listener *l;
	int r = riad_tcp_listen(net, (uint16_t)port, (unsigned)backlog, &l);
	if (r < 0) {
		riad_err(NULL, "cannot listen on TCP port %lld (error %d)", (long long)port, -r);
		return 1;
	}
	riad_fiber_detach(riad_fiber_spawn(acceptor, l, 0));
	uint32_t addr;
	char text[RIAD_IPV4_STRLEN];
	riad_net_ipv4(net, &addr, NULL, NULL);
	riad_info(NULL, "serving http://%s:%lld/", riad_ipv4_format(addr, text), (long long)port);
	if (riad_net_serve(net, run_ms * RIAD_NS_PER_MS, (uint16_t)quit_port,
	                   stats_ms * RIAD_NS_PER_MS) < 0)
		return 1;
	riad_info(NULL, "%llu requests: %llu 200, %llu 404, %llu 405, %llu 400", requests,
	          responses[0], responses[1], responses[2], responses[3]);
	return 0;
}
