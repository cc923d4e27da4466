/* tcp/tcp.h: TCP as a pure state machine: the contract between the TCP engine (tcp/) and the stack glue that feeds it.
 *
 * What it is. One struct tcp_stack holds every TCP connection of one
 * network stack: listeners, connections in every RFC 9293 state, TIME-WAIT
 * entries. It never reads the clock, never sleeps, never draws random
 * bytes and never sends: every call that can produce segments takes `now`
 * (monotonic ns, the glue's riad_time_ns()) and a struct net_txq `out` to
 * which it appends what must be sent (src, dst, proto 6, a pbuf holding the
 * TCP header and payload with NET_HEADROOM bytes of headroom for the IP
 * layer). The glue hands `out` to IPv4 afterwards; the queue may already
 * hold packets (TCP only appends). Time-driven work (retransmission,
 * delayed ACKs, persist, keepalive, TIME-WAIT, FIN-WAIT-2) runs in
 * tcp_timers(), which the glue calls once tcp_next_deadline() has passed.
 *
 * Unpredictability comes from the 32-byte secret given at creation (from
 * the random device): initial sequence numbers (RFC 6528, SipHash-2-4 of
 * the 4-tuple plus a 4 µs clock from `now`), SYN cookies, timestamp
 * offsets, ephemeral ports (RFC 6056 algorithm 3) and the connection
 * table's hash all derive from it, so TCP needs no other randomness.
 *
 * Memory. TCP allocates connection and listener structs, per-connection
 * send and receive buffers (lazily, RIAD_TCP_SND_BUF / RIAD_TCP_RCV_BUF),
 * the fixed tables made at creation, and output pbufs; every count is
 * bounded by riad/opt.h (RIAD_TCP_*), so no input can make it grow without
 * bound. Received segments are copied into the receive buffer; the pbuf
 * given to tcp_input() is always consumed.
 *
 * Errors. Functions return 0 or a count on success and a negative errno
 * value (RIAD_E*, Linux numbering, defined below when riad/fiber.h or the
 * public network header have not already) on failure. -RIAD_EAGAIN means
 * "not now": the glue parks the fiber until tcp_notify_next() names the
 * connection and tcp_conn_events() shows what it waits for. A connection
 * that failed keeps its error (tcp_conn_error(): -RIAD_ECONNREFUSED,
 * -RIAD_ECONNRESET, -RIAD_ETIMEDOUT, -RIAD_EHOSTUNREACH) until closed.
 * Passing a handle after it was released (tcp_close, tcp_abort,
 * tcp_listener_close) is a programmer error (undefined, like free()).
 *
 * Blocking. Nothing here blocks or parks a fiber; every function is O(1)
 * or O(work done) except tcp_connect's ephemeral-port search.
 *
 * Ownership. A struct tcp_conn * returned by tcp_connect() or tcp_accept()
 * is the application's handle until it passes it to tcp_close() or
 * tcp_abort(); TCP keeps the connection alive underneath as long as the
 * protocol needs it (sending the last data, FIN-WAIT, TIME-WAIT), then
 * frees it. A connection reset or timed out while the application holds it
 * stays (state CLOSED, its error set) until released. The same holds for a
 * struct tcp_listener * until tcp_listener_close(). Buffers passed to
 * tcp_send()/tcp_recv() are the caller's and only borrowed for the call.
 *
 * Wake-ups. Each connection and listener may carry a `user` pointer (the
 * glue's socket). Whenever its events may have changed (data, FIN, RST,
 * ACKed send space, a connection to accept, a state change), TCP puts it
 * on the stack's notify list (once until popped); tcp_notify_next() pops
 * the user pointers one at a time. Objects without a user pointer are not
 * listed. The glue drains the list after every call into TCP and wakes the
 * fibers waiting on those sockets, which then look at tcp_conn_events().
 */
#ifndef RIAD_TCP_TCP_H
#define RIAD_TCP_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/errno.h>
#include <riad/net_stats.h>
#include <riad/pbuf.h>

#include "net.h"

struct tcp_stack;    /* opaque */
struct tcp_conn;     /* opaque */
struct tcp_listener; /* opaque */

/* RFC 9293 3.3.2. */
enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

/* Congestion control, chosen per connection (tcp_set_cc). */
enum tcp_cc_algo {
	TCP_CC_CUBIC,   /* RFC 9438, the default */
	TCP_CC_NEWRENO, /* RFC 5681 + RFC 6582 */
};

/* Event bits (tcp_conn_events, tcp_listener_events). */
#define TCP_EV_READABLE 0x01  /* tcp_recv() would not return -RIAD_EAGAIN (data, EOF or error) */
#define TCP_EV_WRITABLE 0x02  /* tcp_send() would take bytes now (or fail at once) */
#define TCP_EV_CONNECTED 0x04 /* the handshake completed (stays set) */
#define TCP_EV_CLOSED 0x08    /* nothing more will be received or sent (CLOSED, TIME-WAIT) */
#define TCP_EV_ERROR 0x10     /* tcp_conn_error() is set */
#define TCP_EV_ACCEPT 0x20    /* listener: tcp_accept() would return a connection */

/* ---- the stack ---- */

/* A new TCP stack. secret: 32 bytes from the random device (copied).
 * stats: where to count (e.g. &riad_net_stats.tcp), or NULL for counters
 * of its own (tcp_stack_stats). NULL if memory runs out. */
struct tcp_stack *tcp_stack_create(const uint8_t secret[32], struct riad_tcp_stats *stats);

/* Free the stack and every connection and listener in it, sending
 * nothing; every handle into it becomes invalid. */
void tcp_stack_destroy(struct tcp_stack *st);

/* MSS to advertise and to clamp to (the interface MTU - 40); 0 restores
 * RIAD_TCP_MSS_DEFAULT. Applies to connections created afterwards. */
void tcp_stack_set_mss(struct tcp_stack *st, uint16_t mss);

/* What the device under the stack does for TCP (riad/netif.h's features,
 * as the glue reads them; 0 at creation: nothing). TCP_OFFLOAD_CSUM: TCP
 * leaves the checksum's payload part to the device (segments go out
 * marked RIAD_PBUF_TX_CSUM_TCP4). TCP_OFFLOAD_TSO (only with CSUM): a
 * data segment may carry up to TCP_TSO_MAX payload bytes, a whole number
 * of MSS-sized pieces (or a write's tail), gso_size the MSS; the device
 * cuts it. Received segments marked RIAD_PBUF_RX_CSUM_OK are taken without
 * a checksum check whatever this says. Applies at once. */
#define TCP_OFFLOAD_CSUM 0x01
#define TCP_OFFLOAD_TSO 0x02
void tcp_stack_set_offload(struct tcp_stack *st, unsigned offload);

struct riad_tcp_stats *tcp_stack_stats(struct tcp_stack *st);

/* ---- driving it ---- */

/* One received segment: src and dst are the IPv4 addresses (host order),
 * seg->data the TCP header, seg->len the IP payload length. The IPv4 layer
 * has checked its own header; TCP verifies the checksum (not in fuzzing
 * builds, -DRIAD_FUZZING), parses, and runs RFC 9293 3.10.7. Consumes seg. */
void tcp_input(struct tcp_stack *st, uint32_t src, uint32_t dst, struct riad_pbuf *seg,
               int64_t now, struct net_txq *out);

/* A burst of received segments (the glue brackets each batch of frames it
 * takes from the device). Between the two calls, the ACK that in-order data
 * earns (RFC 5681 4.2: for every second full-sized segment) is held back,
 * and tcp_input_end() sends one cumulative ACK per connection that still
 * owes one, as a receiver with GRO or LRO does: the sender learns the same
 * thing from one segment instead of one per two, and the host the tap
 * belongs to spends a fraction of the work on ACKs. Every other ACK
 * (duplicate and out-of-order data, which the sender's fast retransmit
 * counts; FIN; window probes; RFC 5961 challenges) still goes at once.
 * Without tcp_input_begin(), tcp_input() acknowledges as it goes. */
void tcp_input_begin(struct tcp_stack *st);
void tcp_input_end(struct tcp_stack *st, int64_t now, struct net_txq *out);

/* Run every timer due at `now`; returns the next deadline (INT64_MAX when
 * none). If `out` fills up it stops early and returns `now`: the glue
 * drains the queue and calls again. */
int64_t tcp_timers(struct tcp_stack *st, int64_t now, struct net_txq *out);

/* The earliest deadline of any connection (INT64_MAX when none). */
int64_t tcp_next_deadline(const struct tcp_stack *st);

/* The user pointer of the next connection or listener whose events may
 * have changed, removed from the notify list; NULL when the list is empty. */
void *tcp_notify_next(struct tcp_stack *st);

/* An ICMP error about a segment we sent (RFC 1122 4.2.3.9, RFC 5927):
 * src/dst are the addresses of the quoted datagram (src is ours), quoted
 * its first bytes after the IP header (at least 8), mtu the next-hop MTU of
 * a "fragmentation needed" (type 3 code 4). A quote whose sequence number
 * is not in flight is ignored. Fragmentation needed lowers the MSS and
 * resends; unreachables refuse a connection in SYN-SENT and are otherwise
 * remembered as the error reported if the connection later times out. */
void tcp_icmp_error(struct tcp_stack *st, uint32_t src, uint32_t dst, const uint8_t *quoted,
                    size_t len, uint8_t type, uint8_t code, uint16_t mtu, int64_t now,
                    struct net_txq *out);

/* ---- listeners ---- */

/* Listen on addr:port (addr 0: every local address). backlog (clamped to
 * 1..RIAD_TCP_BACKLOG_MAX) bounds half-open plus not yet accepted
 * connections; beyond it SYNs are answered with SYN cookies. Returns 0 and
 * the listener in *lp, -RIAD_EINVAL (port 0), -RIAD_EADDRINUSE (the same
 * addr:port is listening), -RIAD_ENOBUFS (RIAD_TCP_LISTENERS_MAX) or
 * -RIAD_ENOMEM. */
int tcp_listen(struct tcp_stack *st, uint32_t addr, uint16_t port, unsigned backlog,
               struct tcp_listener **lp);

/* The oldest established connection not yet accepted (now the caller's
 * handle, user pointer NULL), or NULL if there is none. It may already
 * have received data, a FIN, or even a RST (then tcp_conn_error() says so). */
struct tcp_conn *tcp_accept(struct tcp_listener *l);

/* TCP_EV_ACCEPT when tcp_accept() would return a connection. */
unsigned tcp_listener_events(const struct tcp_listener *l);

void tcp_listener_set_user(struct tcp_listener *l, void *user);

/* Stop listening: connections not yet accepted are reset (RST queued on
 * out) and freed; the handle is released. */
void tcp_listener_close(struct tcp_listener *l, int64_t now, struct net_txq *out);

/* ---- connections ---- */

/* Open a connection from laddr:lport to raddr:rport (lport 0: an
 * ephemeral port, RFC 6056 algorithm 3, 49152..65535), sending the SYN on
 * out. Returns 0 and the handle in *cp (state SYN-SENT; TCP_EV_CONNECTED
 * or TCP_EV_ERROR come later), or -RIAD_EINVAL (raddr or rport 0, laddr 0),
 * -RIAD_EADDRINUSE (the 4-tuple exists), -RIAD_EADDRNOTAVAIL (no free
 * ephemeral port), -RIAD_ENOBUFS (RIAD_TCP_CONNS_MAX) or -RIAD_ENOMEM. */
int tcp_connect(struct tcp_stack *st, uint32_t laddr, uint16_t lport, uint32_t raddr,
                uint16_t rport, int64_t now, struct net_txq *out, struct tcp_conn **cp);

/* Copy up to len bytes into the send buffer and send what the windows,
 * Nagle and the output queue allow. Returns the bytes taken (1..len),
 * -RIAD_EAGAIN if the buffer is full (wait for TCP_EV_WRITABLE), -RIAD_EPIPE
 * after tcp_shutdown_write() or the peer's reset, or the connection's
 * error. len 0 returns 0. Bytes given before the handshake completes are
 * sent once it does. */
long tcp_send(struct tcp_conn *c, const void *buf, size_t len, int64_t now, struct net_txq *out);

/* Copy up to len bytes of received in-order data out. Returns the bytes
 * copied (>0), 0 at end of stream (the peer's FIN, all data read, or a
 * connection that ended normally), -RIAD_EAGAIN if nothing is there yet
 * (also during the handshake: wait for TCP_EV_READABLE), or the
 * connection's error (a RST discards unread data, RFC 9293 3.10.7.4). Reading may open the window: a window update is queued
 * on out when it grew by enough (RFC 9293 3.8.6.2.2). */
long tcp_recv(struct tcp_conn *c, void *buf, size_t len, int64_t now, struct net_txq *out);

/* Bytes tcp_recv() could return now; free bytes in the send buffer. */
size_t tcp_conn_readable(const struct tcp_conn *c);
size_t tcp_conn_send_space(const struct tcp_conn *c);

/* Send a FIN after the data already given (half close). Returns 0 (also
 * when already shut; during the handshake the FIN waits for ESTABLISHED),
 * or on a CLOSED connection its error, or -RIAD_ENOTCONN. */
int tcp_shutdown_write(struct tcp_conn *c, int64_t now, struct net_txq *out);

/* Release the handle and close gracefully: the FIN follows the data
 * already given (a connection still in SYN-SENT is just dropped). If
 * received data was left unread (or arrives later), the connection is
 * reset instead (RFC 2525 2.17). TCP then finishes the close on its own:
 * retransmissions as needed, FIN-WAIT-2 for at most RIAD_TCP_FIN_WAIT2_NS,
 * TIME-WAIT. */
void tcp_close(struct tcp_conn *c, int64_t now, struct net_txq *out);

/* Release the handle and reset the connection at once (RST if it was
 * synchronised). */
void tcp_abort(struct tcp_conn *c, int64_t now, struct net_txq *out);

/* Nagle's algorithm (RFC 9293 3.7.4) off (true) or on (false, the
 * default). Turning it off sends what Nagle was holding back. */
void tcp_set_nodelay(struct tcp_conn *c, bool nodelay, int64_t now, struct net_txq *out);

/* Keepalive (RFC 1122 4.2.3.6; off by default): after idle_ns without any
 * segment from the peer, a probe every intvl_ns; after `probes` unanswered
 * ones the connection fails with -RIAD_ETIMEDOUT. Zeros take the
 * RIAD_TCP_KEEPALIVE_* defaults. */
void tcp_set_keepalive(struct tcp_conn *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                       unsigned probes, int64_t now);

/* Congestion control for this connection (before or during transfer). */
void tcp_set_cc(struct tcp_conn *c, enum tcp_cc_algo algo);

unsigned tcp_conn_events(const struct tcp_conn *c);
int tcp_conn_error(const struct tcp_conn *c);
enum tcp_state tcp_conn_state(const struct tcp_conn *c);
void tcp_conn_set_user(struct tcp_conn *c, void *user);
void *tcp_conn_user(const struct tcp_conn *c);
void tcp_conn_endpoints(const struct tcp_conn *c, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport);

/* A snapshot for tests, diagnostics and benchmarks. */
struct tcp_info {
	enum tcp_state state;
	uint32_t mss;           /* payload bytes per segment we send */
	uint32_t cwnd, ssthresh;
	uint32_t snd_wnd, rcv_wnd;
	uint8_t snd_scale, rcv_scale;
	bool ts, sack;          /* negotiated */
	int64_t srtt_ns, rttvar_ns, rto_ns;
	uint32_t in_flight;     /* bytes sent and not acknowledged */
	uint32_t unsent;        /* bytes in the send buffer not yet sent */
	bool in_recovery;
	enum tcp_cc_algo cc;
};
void tcp_conn_info(const struct tcp_conn *c, struct tcp_info *info);

#endif
