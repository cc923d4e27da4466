/* net/stack.h: the stack glue's state, shared by net/stack*.c and the sockets (net/sock_*.c); private to net/.
 *
 * One struct riad_net per interface. Two fibers drive it: the receive
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
#ifndef RIAD_NET_STACK_H
#define RIAD_NET_STACK_H

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

/* What every socket starts with, so that a user pointer TCP hands back can
 * be woken without knowing its kind. */
struct net_sock {
	struct riad_waitq wq;   /* fibers waiting for anything on the socket */
	struct net_sock *next, *prev; /* TCP sockets: in net->tcp_socks */
	bool listener;          /* TCP: a struct riad_tcp_listener, else riad_tcp */
};

struct net_udp_dgram {
	uint32_t src;
	uint16_t sport;
	struct riad_pbuf *p;    /* data at the payload */
};

struct riad_udp {
	struct net_sock sock;
	struct riad_net *net;
	struct riad_udp *next;  /* in net->udp */
	uint16_t port;
	unsigned head, n;       /* ring of queued datagrams */
	uint64_t drops;
	uint32_t last_dst;      /* where the last datagram went (last_dport 0: none yet) */
	uint16_t last_dport;
	int err;                /* an ICMP error not yet returned (negative errno), or 0 */
	struct net_udp_dgram q[RIAD_NET_UDP_RCVQ];
};

struct riad_net {
	char name[RIAD_NETIF_NAME_MAX];
	struct riad_netif *nif;
	struct riad_netif *fault; /* nif when --net-faults wrapped it, else NULL */
	uint8_t mac[ETHER_ADDR_LEN];
	struct riad_net_stats stats;
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
	struct riad_waitq up_wq; /* riad_net_wait_up */
	struct riad_udp *udp;
	unsigned udp_count;
	uint16_t udp_next_port;
	struct riad_net *next;   /* every stack opened by name */
	/* Closing (riad_net_close). The struct outlives the close while a
	 * socket handle, one of the two fibers or a fiber in
	 * riad_net_wait_up still uses it: each holds one of refs, and the
	 * application's handle one more until the close. */
	bool down;               /* closed: sockets return -RIAD_ENETDOWN */
	unsigned refs;
	unsigned fibers;         /* the receive and timer fibers still running */
	struct riad_waitq down_wq; /* riad_net_close waits here for them */
	struct net_sock *tcp_socks; /* TCP connections and listeners (net/sock_tcp.c) */
};

/* Take and drop a reference to net; the last drop after the close frees it. */
static inline void net_stack_ref(struct riad_net *net)
{
	net->refs++;
}
void net_stack_unref(struct riad_net *net);

/* The stacks riad_net_open brought up (net/stack_config.c), linked through
 * next; here (net/stack.c) so that riad_net_close can take one off
 * without linking the boot options in. */
extern struct riad_net *net_opened;

/* Closing, one layer each: abort every TCP connection (with a RST) and
 * close every listener, leaving the handles valid (net/sock_tcp.c); drop
 * what the UDP sockets queued (net/sock_udp.c). Both wake every fiber
 * parked on a socket. */
void net_tcp_down(struct riad_net *net, int64_t now);
void net_udp_down(struct riad_net *net);

/* Send what the protocols queued, wake the sockets TCP named, re-arm the
 * timer. Call after every call into a protocol. Never parks. */
void net_stack_flush(struct riad_net *net);
/* The same with the caller's reading of the clock. */
void net_stack_flush_at(struct riad_net *net, int64_t now);

/* UDP (net/sock_udp.c): a received datagram (rx->p held: consumed here). */
void net_udp_input(struct riad_net *net, struct ipv4_rx *rx, int64_t now);
/* An ICMP error about a datagram a socket sent (RFC 1122 4.1.3.3),
 * held for that socket (net/sock_udp.c). */
void net_udp_icmp_error(struct riad_net *net, const struct icmp_err *e);
/* A datagram for the DHCP client's port (net/stack.c; p consumed). */
void net_udp_dhcp(struct riad_net *net, struct riad_pbuf *p, int64_t now);

/* Wake the fibers of the socket behind a TCP user pointer. */
static inline void net_sock_wake(void *user)
{
	riad_waitq_wake_all(&((struct net_sock *)user)->wq);
}

#endif
