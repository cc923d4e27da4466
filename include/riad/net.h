/* riad/net.h: the network stack and its sockets (UDP, TCP) in plain
 * blocking style for fibers.
 *
 * Stacks. A stack is an instance (struct riad_net), one per network
 * interface, of one of two implementations behind the same functions:
 * riad's own TCP/IP (net/: Ethernet, ARP, IPv4, ICMP, UDP, TCP, the DHCP
 * client) over a net device (riad/netif.h), opened by riad_net_open or
 * riad_net_create; or, on unix only, the host kernel's sockets, opened by
 * riad_net_open_host. One unikernel may hold both at once. Linking with
 * pkg-config riad-unix-hostnet (`riad build --hostnet`) makes
 * riad_net_open itself open the host's sockets, so that an application
 * written for riad's stack runs unchanged as an ordinary process. The
 * ops table behind the instances is at the end of this file.
 *
 * Interfaces are declared in the source, one line each at file scope:
 *
 *	RIAD_NET_IFACE(service);
 *
 * which declares the net device `service` (riad/devices.h: `riad run
 * --net service=tap0` attaches it) and its boot options --service-ipv4,
 * --service-ipv4-gateway and --service-net-faults (seeded fault injection,
 * as --net-faults; docs/netif.md). riad_net_open("service", ...) brings it up. Its
 * address comes from, in order: --service-ipv4=A.B.C.D/N (and
 * --service-ipv4-gateway=A.B.C.D); the unprefixed --ipv4 and --ipv4-gateway
 * when the unikernel declares exactly one interface; else DHCP. --dhcp=false
 * with no address leaves the interface unconfigured (it answers nothing).
 * A bare RIAD_DEVICE_NET(name) works too, with only the unprefixed options.
 *
 * Addresses and ports are in host byte order everywhere here (10.0.0.2 is
 * 0x0a000002; RIAD_IPV4(10, 0, 0, 2)).
 *
 * Errors. Functions return 0 (or a count) on success, a negative RIAD_E*
 * value (Linux numbering) on failure; each function lists what it may
 * return. -RIAD_ETIMEDOUT always means "the deadline passed first", and
 * nothing else: a connection that died because the peer stopped answering
 * (retransmissions, SYNs or keepalive probes unanswered) reports
 * -RIAD_ECONNABORTED, on every call after, so a read loop with short
 * deadlines can tell an idle peer from a dead one. Passing
 * a handle after closing it is a programmer error (undefined, like free()).
 *
 * Blocking. Functions that say "may park" park the calling fiber (never
 * the whole unikernel) until they can complete or until `deadline`
 * (absolute riad_time_ns() nanoseconds; RIAD_TIME_NEVER waits for ever;
 * a deadline already past makes them try once without parking). They must
 * be called from a fiber. Besides what each lists, they return
 * -RIAD_EINTR when riad_fiber_interrupt ends their wait. Everything else never parks. Several fibers may
 * use one stack; each socket is used by one fiber at a time for reading
 * and one for writing (two readers of one socket each get some of the
 * data, in no defined split).
 *
 * Ownership. Buffers passed in are the caller's and only borrowed for the
 * call; data is copied in and out. Handles (struct riad_net, riad_udp,
 * riad_tcp, riad_tcp_listener) belong to the application from the call
 * that returns them until the matching close.
 *
 * Closing a stack (riad_net_close) leaves its sockets' handles valid:
 * every socket function on them then returns -RIAD_ENETDOWN (those that
 * return nothing do nothing; riad_tcp_endpoints still answers) until the
 * application closes them, which frees them as usual.
 *
 * Counters. Every packet the stack drops is counted in the stack's
 * struct riad_net_stats (riad/net_stats.h) by layer and reason;
 * riad_net_stats() reads them, riad_net_log_stats() logs them.
 */
#ifndef RIAD_NET_H
#define RIAD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/args.h>
#include <riad/devices.h>
#include <riad/errno.h>
#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net_stats.h>
#include <riad/opt.h> /* RIAD_NET_UDP_SOCKETS, RIAD_NET_UDP_RCVQ, RIAD_TCP_* */

#define RIAD_IPV4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define RIAD_IPV4_ANY 0u
#define RIAD_IPV4_BROADCAST 0xffffffffu
/* Longest text of riad_ipv4_format(), NUL included ("255.255.255.255"). */
#define RIAD_IPV4_STRLEN 16

/* Parse "A.B.C.D" into *addr: 0, or -RIAD_EINVAL. */
int riad_ipv4_parse(const char *s, uint32_t *addr);
/* Write addr as "A.B.C.D" into buf; returns buf. */
char *riad_ipv4_format(uint32_t addr, char buf[RIAD_IPV4_STRLEN]);

/* ---- declaring interfaces ---- */

/* The check of --net-faults and --NAME-net-faults (riad/args.h): a
 * malformed fault specification is refused before main(), with one line
 * and status 64. Public because RIAD_NET_IFACE names it. */
int riad_net_faults_check(const char *value, char *why, size_t len);

/* The macro's, not an API: what RIAD_NET_IFACE registers in the section
 * riad_net_ifaces, read by the stacks (sock/net_args.c). It is here only
 * because the macro defines one in the application's file; the trailing
 * underscore marks it, as RIAD_ARG_DEFINE_ and RIAD_RETAIN_ are marked. */
struct riad_net_iface_decl_ {
	const char *name;
	struct riad_arg_ipv4 *ipv4, *gateway;
	const char **faults; /* --NAME-net-faults (NULL when not given) */
};

#define RIAD_NET_IFACE(name)                                                          \
	RIAD_DEVICE_NET(name);                                                        \
	RIAD_ARG_IPV4(riad_net_##name##_ipv4, #name "-ipv4", NULL,                    \
	              "Address/prefix of interface " #name " (default: DHCP).");       \
	RIAD_ARG_IPV4(riad_net_##name##_gw, #name "-ipv4-gateway", NULL,              \
	              "Default gateway of interface " #name ".");                      \
	RIAD_ARG_STRING_CHECKED(riad_net_##name##_faults, #name "-net-faults", NULL,  \
	                        riad_net_faults_check,                                \
	                        "Inject seeded faults on interface " #name            \
	                        " (the grammar of --net-faults).");                   \
	static struct riad_net_iface_decl_ riad_net_##name##_decl_ = {                \
		#name, &riad_net_##name##_ipv4, &riad_net_##name##_gw,                \
		&riad_net_##name##_faults };                                          \
	static struct riad_net_iface_decl_ *const riad_net_##name##_decl_reg_         \
		__attribute__((__used__, RIAD_RETAIN_ __section__("riad_net_ifaces"))) = \
			&riad_net_##name##_decl_

/* ---- stacks ---- */

struct riad_net; /* one interface's stack (the head of an instance; see the end) */

/* Bring up the interface declared as `name` (or return it if already up):
 * acquire its net device (on unix the tap given as --net:NAME=TAP, which
 * `riad run --net NAME=TAP` passes; on hvt and spt the tender's device),
 * start the stack's fibers, and configure the address (static at once,
 * DHCP in the background: riad_net_wait_up waits for it). Never parks.
 * Returns 0 and the stack in *out, or -RIAD_ENODEV (no such device
 * attached; one line on the "net" log source says which and how to attach
 * it), -RIAD_EINVAL (inconsistent options, logged), -RIAD_EBUSY (the
 * host-socket stack is open under that name), -RIAD_ENOMEM. */
int riad_net_open(const char *name, struct riad_net **out);

/* Unix target only (other targets do not link it): the host-socket stack
 * as the interface `name`, or the one already opened so. Its sockets are
 * the host kernel's (non-blocking, watched by the scheduler): listeners and
 * UDP sockets bind to every host address, or to the one --NAME-ipv4 gives
 * (when RIAD_NET_IFACE(NAME) declares it), else to the one --ipv4 gives (a
 * /prefix is ignored; the declaration is optional). No device, no ARP, no
 * DHCP: it is up at once. ICMP errors are not reported, and its counters
 * count only what it sees itself (datagrams and bytes; the kernel's drops
 * are the kernel's: netstat -s). Never parks. 0 and the stack in *out, or
 * -RIAD_EBUSY (riad's own stack is open under that name), -RIAD_ENOMEM.
 * riad_net_open opens the same stack in a unikernel linked with
 * riad-unix-hostnet (`riad build --hostnet`), and riad's own otherwise. */
int riad_net_open_host(const char *name, struct riad_net **out);

/* Park until the interface has an IPv4 address (at once when static, and
 * for the host-socket stack), or the deadline. 0, -RIAD_ETIMEDOUT, or
 * -RIAD_ENETDOWN (riad_net_close ran). */
int riad_net_wait_up(struct riad_net *net, int64_t deadline);

/* The start every network unikernel makes, in one call: riad_net_open
 * (name), then riad_net_wait_up until timeout_ns from now. On failure it
 * logs one line (which device, or "no address after N ms") and returns
 * the error: -RIAD_ENODEV, -RIAD_EINVAL, -RIAD_ENOMEM as riad_net_open,
 * -RIAD_ETIMEDOUT when no address came. May park. */
int riad_net_up(const char *name, int64_t timeout_ns, struct riad_net **out);

/* The rest of a server's main(), once its listeners run in fibers of
 * their own: park until run_ns has passed (0: never) or, if quit_port is
 * not 0, until a UDP datagram arrives on that port of net (a way for tests
 * to end a unikernel cleanly); every stats_ns (0: never) log the stack's
 * counters at debug level, and once at info level before returning. May
 * park; returns 0, or the error of binding quit_port. */
int riad_net_serve(struct riad_net *net, int64_t run_ns, uint16_t quit_port, int64_t stats_ns);

/* A stack over a net device the caller opened (a switch port in tests, a
 * fault wrapper over a tap), configured by cfg instead of the boot
 * options; it takes nif over (riad_net_close closes it). name is copied
 * (NULL: the device's name). Never parks.
 * 0, or -RIAD_EINVAL (a prefix above 32), -RIAD_ENOMEM. */
struct riad_net_config {
	uint32_t addr;      /* 0: none (DHCP if dhcp) */
	unsigned prefix;    /* 0..32; 0 with an address means 24 */
	uint32_t gateway;   /* 0: none */
	bool dhcp;          /* run the DHCP client when addr is 0 */
};
struct riad_netif;
int riad_net_create(struct riad_netif *nif, const char *name, const struct riad_net_config *cfg,
                    struct riad_net **out);

/* Take the interface down and free the stack. In order: the interface
 * leaves riad_net_open's list (it may be opened again at once after this
 * returns); every TCP connection the application holds is reset (a RST
 * to the peer, received data not yet read is lost) and every listener
 * closed (connections not yet accepted are reset too); datagrams queued
 * on UDP sockets are dropped; every fiber parked on a socket of the stack
 * or in riad_net_wait_up returns -RIAD_ENETDOWN; the stack's fibers stop;
 * connections the application had already closed that were still ending
 * in the background (FIN-WAIT, TIME-WAIT) are dropped without a word; the
 * ARP cache, packets waiting for ARP and fragments waiting for reassembly
 * are freed; the net device is closed (with the fault injector of
 * --net-faults, and for riad_net_create the nif it was given). Socket
 * handles stay valid (see Ownership above); the stack's memory goes with
 * the last of them. net is invalid afterwards; closing it twice is a
 * programmer error (aborts).
 * Parks until the stack's fibers have returned, so it must be
 * called from a fiber. Returns 0. The host-socket stack
 * (riad_net_open_host) does the same with the host's sockets (SO_LINGER 0
 * for the resets; the host ends connections already closed as usual) and
 * never parks. */
int riad_net_close(struct riad_net *net);

/* The interface's configuration now: address (0 while DHCP has none yet),
 * prefix length, gateway (0: none). Any pointer may be NULL. */
void riad_net_ipv4(const struct riad_net *net, uint32_t *addr, unsigned *prefix,
                   uint32_t *gateway);

/* The interface's name as declared ("service"). */
const char *riad_net_name(const struct riad_net *net);

/* The stack's counters, live. The host-socket stack counts only what it
 * sees itself (datagrams and bytes; no drops below the socket). */
const struct riad_net_stats *riad_net_stats(const struct riad_net *net);

/* Log every non-zero counter of the stack (each layer on one line, drops
 * marked) on the "net" source at `level`. */
void riad_net_log_stats(const struct riad_net *net, enum riad_log_level level);

/* The sum of every drop counter (for a one-number summary). */
uint64_t riad_net_drops(const struct riad_net *net);

/* ---- UDP ---- */

struct riad_udp; /* opaque: a bound UDP socket */

/* Bind a socket to local port `port` (0: a free ephemeral port,
 * 49152..65535) on every address of the interface. Received datagrams
 * queue on it (at most RIAD_NET_UDP_RCVQ; beyond that they are dropped and
 * counted in the socket's drops). Never parks. 0 and the socket in *out,
 * or -RIAD_EADDRINUSE, -RIAD_EADDRNOTAVAIL (no free port), -RIAD_ENOBUFS
 * (RIAD_NET_UDP_SOCKETS sockets open), -RIAD_ENOMEM. */
int riad_udp_bind(struct riad_net *net, uint16_t port, struct riad_udp **out);

/* ICMP errors (RFC 1122 4.1.3.3). When a destination-unreachable error
 * comes back about the last datagram the socket sent (the quote names our
 * address, the socket's port and the destination address and port of that
 * last datagram; anything else is ignored and counted in udp.icmp_ignored),
 * the socket holds it, wakes a fiber parked in recvfrom, and returns it
 * once, from whichever of recvfrom or sendto is called next:
 * -RIAD_ECONNREFUSED (port or protocol unreachable), -RIAD_EHOSTUNREACH
 * (host unreachable, unknown or prohibited), -RIAD_ENETUNREACH (network
 * unreachable). A later error replaces one not yet returned. Datagrams
 * queued are not lost: the call after the error returns them. A server
 * answering many peers may see its last peer's error this way and should
 * carry on. The host-socket stack (riad_net_open_host) reports none of
 * these. */

/* Send one datagram of len bytes (at most 65507; larger than the MTU is
 * fragmented) to dst:dport. Never parks: the datagram is queued for the
 * device, or for ARP resolution, and may still be lost like any datagram.
 * Returns len, or -RIAD_EMSGSIZE, -RIAD_EINVAL (dport 0),
 * -RIAD_ENETUNREACH (no address yet, or no route), -RIAD_ENOMEM, or a held
 * ICMP error (see above; the datagram is then not sent). */
long riad_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                     size_t len);

/* Receive the next datagram: copy up to len bytes of it into buf, store
 * its source in *src and *sport (either may be NULL). A datagram longer
 * than len is cut, the rest discarded. May park until one arrives or the
 * deadline. Returns the datagram's full length (so a result above len
 * says it was cut), or -RIAD_ETIMEDOUT, -RIAD_EINTR (riad_fiber_interrupt
 * ended the wait), or a held ICMP error (see above; returned before any
 * queued datagram). */
long riad_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                       uint16_t *sport, int64_t deadline);

/* The bound port. */
uint16_t riad_udp_port(const struct riad_udp *u);

/* Datagrams dropped because this socket's queue was full. */
uint64_t riad_udp_drops(const struct riad_udp *u);

/* Unbind and free; queued datagrams are discarded. A fiber parked in
 * recvfrom on u is a programmer error (aborts). */
void riad_udp_close(struct riad_udp *u);

/* ---- TCP ---- */

struct riad_tcp_listener; /* opaque */
struct riad_tcp;          /* opaque: one connection */

/* Listen on `port` on every address of the interface; backlog bounds the
 * connections not yet accepted (further SYNs get SYN cookies). Never parks.
 * 0, or -RIAD_EINVAL (port 0), -RIAD_EADDRINUSE, -RIAD_ENOBUFS,
 * -RIAD_ENOMEM. */
int riad_tcp_listen(struct riad_net *net, uint16_t port, unsigned backlog,
                    struct riad_tcp_listener **out);

/* The next established connection. May park until one arrives or the
 * deadline. 0 and the connection in *out, or -RIAD_ETIMEDOUT. */
int riad_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out, int64_t deadline);

/* Stop listening; connections not yet accepted are reset. A fiber parked
 * in accept on l is a programmer error (aborts). */
void riad_tcp_listener_close(struct riad_tcp_listener *l);

/* Connect to dst:port from an ephemeral port. May park until the
 * handshake completes or the deadline (the attempt is then abandoned).
 * 0 and the connection in *out, or -RIAD_ETIMEDOUT (the deadline),
 * -RIAD_ECONNABORTED (every SYN went unanswered), -RIAD_ECONNREFUSED,
 * -RIAD_EHOSTUNREACH, -RIAD_ENETUNREACH (no address yet), -RIAD_EINVAL,
 * -RIAD_ENOBUFS, -RIAD_ENOMEM. */
int riad_tcp_connect(struct riad_net *net, uint32_t dst, uint16_t port, struct riad_tcp **out,
                     int64_t deadline);

/* Read up to len bytes. May park until at least one byte, the end of the
 * stream or an error, or the deadline. Returns the bytes read (> 0), 0 at
 * the end of the stream (the peer shut its side; again on every later
 * call), or -RIAD_ETIMEDOUT (the deadline passed; the connection is
 * fine), -RIAD_ECONNRESET, -RIAD_ECONNABORTED (the connection died of
 * timeouts), -RIAD_EINVAL (len 0). */
long riad_tcp_read(struct riad_tcp *c, void *buf, size_t len, int64_t deadline);

/* Hand c to a new fiber that runs fn(arg) once riad_tcp_read would not
 * park (data, the end of the stream or an error are there), or at the
 * deadline, whichever comes first. Until then c holds no fiber and no
 * stack, only the stack's record of the connection: how a server holds
 * thousands of idle keep-alive connections in little memory
 * (riad_fiber_spawn_waiting in riad/fiber.h; bench/net_mem.sh). fn owns c
 * as the caller did: it reads with the same deadline, which returns
 * -RIAD_ETIMEDOUT at once if that is what ended the wait. Never parks.
 * Returns 0, or -RIAD_ENOMEM (no memory, or RIAD_FIBERS_MAX fibers) and
 * -RIAD_ENETDOWN (the stack is closed), and then fn will not run. */
int riad_tcp_when_readable(struct riad_tcp *c, int64_t deadline, riad_fiber_fn *fn, void *arg,
                           size_t stack_size);

/* Write all len bytes (copied into the send buffer as room frees up). May
 * park while the send buffer is full. Returns len, or, if the deadline
 * passed or an error came first, the bytes taken so far if any, else
 * -RIAD_ETIMEDOUT, -RIAD_EPIPE (after riad_tcp_shutdown), -RIAD_ECONNRESET,
 * -RIAD_ECONNABORTED (the connection died of timeouts). */
long riad_tcp_write(struct riad_tcp *c, const void *buf, size_t len, int64_t deadline);

/* Send a FIN after the data written (half close: reading goes on). Never
 * parks. 0, or -RIAD_ENOTCONN. */
int riad_tcp_shutdown(struct riad_tcp *c);

/* Close and free: data written still goes out and the connection ends
 * gracefully in the background; unread received data makes it a reset
 * (RFC 9293). A fiber parked on c is a programmer error (aborts). */
void riad_tcp_close(struct riad_tcp *c);

/* Reset the connection and free it. */
void riad_tcp_abort(struct riad_tcp *c);

/* Nagle off (true) or on (false, the default). */
void riad_tcp_set_nodelay(struct riad_tcp *c, bool on);

/* Keepalive probes after idle_ns of silence, every intvl_ns, failing the
 * connection after `probes` unanswered (zeros: RIAD_TCP_KEEPALIVE_* from
 * riad/opt.h). */
void riad_tcp_set_keepalive(struct riad_tcp *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                            unsigned probes);

/* The two ends of the connection (any pointer may be NULL). */
void riad_tcp_endpoints(const struct riad_tcp *c, uint32_t *laddr, uint16_t *lport,
                        uint32_t *raddr, uint16_t *rport);

/* ---- implementations (not for applications) ----
 *
 * A stack is an instance: an implementation embeds struct riad_net first
 * in its own state, and each socket handle embeds struct riad_udp,
 * riad_tcp_listener or riad_tcp first. The functions above are the only
 * callers of the ops, and do for every implementation what is common:
 * they check the arguments (len, ports, a fiber parked on a handle being
 * closed), return -RIAD_ENETDOWN on every handle of a closed stack, park
 * and keep the deadlines, hold the references that keep a closed stack's
 * memory until its last handle closes, and keep the list of stacks opened
 * by name.
 *
 * Each op tries once and never parks, except down. Where it would have to
 * wait it returns -RIAD_EAGAIN, and the caller parks on the handle's wait
 * queue (rq for recvfrom, accept and read; wq for connect and write) until
 * the implementation wakes it or the deadline passes, then calls again.
 * The ops are called only while the stack is up, except the *_close ops
 * and free; the handle given to a *_close op is the implementation's to
 * free. */
struct riad_udp;
struct riad_tcp;
struct riad_tcp_listener;

struct riad_net_ops {
	/* Whether the interface has an address (riad_net_wait_up parks on the
	 * head's up_wq until it has: the implementation wakes it). */
	bool (*up)(struct riad_net *net);
	void (*ipv4)(const struct riad_net *net, uint32_t *addr, unsigned *prefix,
	             uint32_t *gateway);
	/* riad_net_close, after down is set and the name forgotten: end every
	 * socket as riad_net_close says and wake every fiber parked on one;
	 * may park. */
	void (*down)(struct riad_net *net);
	/* The last reference went (after down): free the instance. */
	void (*free)(struct riad_net *net);
	/* Lines of its own after the common counters (NULL: none). */
	void (*log_stats)(const struct riad_net *net, enum riad_log_level level);

	/* UDP: as the functions above, without parking (recvfrom returns
	 * -RIAD_EAGAIN when nothing is queued). */
	int (*udp_bind)(struct riad_net *net, uint16_t port, struct riad_udp **out);
	long (*udp_sendto)(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
	                   size_t len);
	long (*udp_recvfrom)(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
	                     uint16_t *sport);
	void (*udp_close)(struct riad_udp *u);

	/* TCP. connect starts the handshake and returns the handle at once;
	 * connected then says 0 (established: the endpoints are filled in),
	 * -RIAD_EAGAIN (not yet) or the error, after which the caller aborts
	 * the handle (tcp_close with abort). write returns the bytes taken
	 * (> 0), or -RIAD_EAGAIN when none fit, or the error. */
	int (*tcp_listen)(struct riad_net *net, uint16_t port, unsigned backlog,
	                  struct riad_tcp_listener **out);
	int (*tcp_accept)(struct riad_tcp_listener *l, struct riad_tcp **out);
	void (*tcp_listener_close)(struct riad_tcp_listener *l);
	int (*tcp_connect)(struct riad_net *net, uint32_t dst, uint16_t port, struct riad_tcp **out);
	int (*tcp_connected)(struct riad_tcp *c);
	long (*tcp_read)(struct riad_tcp *c, void *buf, size_t len);
	/* Whether tcp_read would return something other than -RIAD_EAGAIN. */
	bool (*tcp_readable)(struct riad_tcp *c);
	long (*tcp_write)(struct riad_tcp *c, const void *buf, size_t len);
	int (*tcp_shutdown)(struct riad_tcp *c);
	void (*tcp_close)(struct riad_tcp *c, bool abort);
	void (*tcp_set_nodelay)(struct riad_tcp *c, bool on);
	void (*tcp_set_keepalive)(struct riad_tcp *c, bool on, int64_t idle_ns, int64_t intvl_ns,
	                          unsigned probes);
};

/* Longest interface name kept (riad_net_name), NUL included. */
#define RIAD_NET_NAME_MAX 32

/* The common head of a stack, filled by riad_net_init. */
struct riad_net {
	const struct riad_net_ops *ops;
	const char *kind;          /* "riad", "host": for logs */
	char name[RIAD_NET_NAME_MAX];
	bool down;                 /* riad_net_close has begun */
	unsigned refs;             /* the application's, and one per socket handle */
	struct riad_waitq up_wq;   /* riad_net_wait_up parks here */
	struct riad_net_stats stats;
	struct riad_net *next;     /* on the list of stacks opened by name */
};

/* The heads of the socket handles: the implementation fills in all but
 * net (the functions above set it). */
struct riad_udp {
	struct riad_net *net;
	struct riad_waitq *rq;     /* recvfrom parks here */
	uint16_t port;
	uint64_t drops;            /* riad_udp_drops */
};

struct riad_tcp_listener {
	struct riad_net *net;
	struct riad_waitq *rq;     /* accept parks here */
};

struct riad_tcp {
	struct riad_net *net;
	struct riad_waitq *rq, *wq; /* read parks on rq; connect and write on wq */
	uint32_t laddr, raddr;      /* riad_tcp_endpoints: filled in when established */
	uint16_t lport, rport;
};

/* Fill the head of a new stack: one reference (the application's), not
 * down, not on the list. Aborts (programmer error) if ops lacks a member
 * other than log_stats. name is copied (cut to RIAD_NET_NAME_MAX - 1). */
void riad_net_init(struct riad_net *net, const struct riad_net_ops *ops, const char *kind,
                   const char *name);

#endif
