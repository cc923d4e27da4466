/* stack/stack.h: the stack glue's state, shared by the files of stack/ (the glue, its sockets net_tcp.c and net_udp.c, riad_net_open in net_open.c); private to stack/.
 *
 * One struct net_stack per interface (riad/net.h's head, struct riad_net,
 * first; its ops are net_stack_ops). Two fibers drive it: the receive
 * fiber takes frames from the device and runs them up through the pure
 * protocol state machines; the timer fiber sleeps until the earliest
 * protocol deadline (ARP, reassembly, DHCP, TCP) and runs the timers. The
 * application's fibers call into the same state machines through the
 * sockets. Every one of these paths ends with net_stack_flush(), which
 * turns the queued IP packets into frames, hands the frames to the device,
 * wakes the sockets TCP named, and re-arms the timer if a deadline moved
 * earlier. Nothing here locks: no other fiber runs between two parking
 * calls.
 */
#ifndef RIAD_STACK_STACK_H
#define RIAD_STACK_STACK_H

#include <stdbool.h>
#include <stdint.h>

#include <riad/fiber.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/netif.h>

#include "arp.h"
#include "dhcp.h"
#include "ether.h"
#include "icmp.h"
#include "ipv4.h"
#include "net.h"
#include "tcp.h"

/* What every socket of this stack has, so that a user pointer TCP hands
 * back can be woken without knowing its kind: the handle's rq and wq
 * (riad/net.h) both point at wq. */
struct net_sock {
	struct riad_waitq wq;   /* fibers waiting for anything on the socket */
	struct net_sock *next, *prev; /* TCP sockets: in net->tcp_socks */
	bool listener;          /* TCP: in a struct net_tcp_listener, else net_tcp */
};

struct net_udp_dgram {
	uint32_t src;
	uint16_t sport;
	struct riad_pbuf *p;    /* data at the payload */
};

struct net_udp {
	struct riad_udp h;      /* first: the handle */
	struct net_sock sock;
	struct net_stack *net;
	struct net_udp *next;   /* in net->udp */
	unsigned head, n;       /* ring of queued datagrams */
	uint32_t last_dst;      /* where the last datagram went (last_dport 0: none yet) */
	uint16_t last_dport;
	int err;                /* an ICMP error not yet returned (negative errno), or 0 */
	struct net_udp_dgram q[RIAD_NET_UDP_RCVQ];
};

/* riad's own stack: an instance of riad/net.h's ops table. */
struct net_stack {
	struct riad_net h;       /* first: the head (name, counters, down, refs) */
	struct riad_netif *nif;
	struct riad_netif *fault; /* nif when --net-faults wrapped it, else NULL */
	uint8_t mac[ETHER_ADDR_LEN];
	struct arp arp;
	struct ipv4 ip;
	unsigned prefix;
	struct icmp icmp;
	bool dhcp_on;
	struct dhcp dhcp;
	struct tcp_stack *tcp;
	struct net_txq txq;      /* IP packets the protocols produced */
	struct ether_txq etxq;   /* frames for the device */
	struct riad_fiber *rx_fiber, *timer_fiber;
	struct riad_waitq timer_wq;
	int64_t timer_armed;     /* the deadline the timer fiber sleeps until */
	struct net_udp *udp;
	unsigned udp_count;
	uint16_t udp_next_port;
	unsigned fibers;         /* the receive and timer fibers still running */
	bool orphan;             /* creation failed after a fiber was spawned:
	                            the last fiber to end frees the stack */
	struct riad_waitq down_wq; /* the down op waits here for them */
	struct net_sock *tcp_socks; /* TCP connections and listeners (stack/net_tcp.c) */
};

/* The ops of riad's own stack (stack/stack.c); the socket ones are in
 * stack/net_udp.c and stack/net_tcp.c. */
extern const struct riad_net_ops net_stack_ops;

static inline struct net_stack *net_stack_of(struct riad_net *h)
{
	return (struct net_stack *)h;
}

/* Closing, one layer each: abort every TCP connection (with a RST) and
 * close every listener, leaving the handles valid (stack/net_tcp.c); drop
 * what the UDP sockets queued (stack/net_udp.c). Both wake every fiber
 * parked on a socket. */
void net_tcp_down(struct net_stack *net, int64_t now);
void net_udp_down(struct net_stack *net);

/* The socket ops (stack/net_udp.c, stack/net_tcp.c). */
int net_udp_bind(struct riad_net *h, uint16_t port, struct riad_udp **out);
long net_udp_sendto(struct riad_udp *u, uint32_t dst, uint16_t dport, const void *buf,
                    size_t len);
long net_udp_recvfrom(struct riad_udp *u, void *buf, size_t len, uint32_t *src,
                      uint16_t *sport);
void net_udp_close(struct riad_udp *u);
int net_tcp_listen(struct riad_net *h, uint16_t port, unsigned backlog,
                   struct riad_tcp_listener **out);
int net_tcp_accept(struct riad_tcp_listener *l, struct riad_tcp **out);
void net_tcp_listener_close(struct riad_tcp_listener *l);
int net_tcp_connect(struct riad_net *h, uint32_t dst, uint16_t port, struct riad_tcp **out);
int net_tcp_connected(struct riad_tcp *c);
long net_tcp_read(struct riad_tcp *c, void *buf, size_t len);
bool net_tcp_readable(struct riad_tcp *c);
long net_tcp_write(struct riad_tcp *c, const void *buf, size_t len);
int net_tcp_shutdown(struct riad_tcp *c);
void net_tcp_close(struct riad_tcp *c, bool abort);
void net_tcp_set_nodelay(struct riad_tcp *c, bool on);
void net_tcp_set_keepalive(struct riad_tcp *c, bool on, int64_t idle_ns, int64_t intvl_ns,
                           unsigned probes);

/* Send what the protocols queued, wake the sockets TCP named, re-arm the
 * timer. Call after every call into a protocol. Never parks. */
void net_stack_flush(struct net_stack *net);
/* The same with the caller's reading of the clock. */
void net_stack_flush_at(struct net_stack *net, int64_t now);

/* UDP (stack/net_udp.c): a received datagram (rx->p held: consumed here). */
void net_udp_input(struct net_stack *net, struct ipv4_rx *rx, int64_t now);
/* An ICMP error about a datagram a socket sent (RFC 1122 4.1.3.3),
 * held for that socket (stack/net_udp.c). */
void net_udp_icmp_error(struct net_stack *net, const struct icmp_err *e);
/* A datagram for the DHCP client's port (stack/stack.c; p consumed). */
void net_stack_dhcp_input(struct net_stack *net, struct riad_pbuf *p, int64_t now);

/* Wake the fibers of the socket behind a TCP user pointer. */
static inline void net_sock_wake(void *user)
{
	riad_waitq_wake_all(&((struct net_sock *)user)->wq);
}

#endif
