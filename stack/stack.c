/* stack/stack.c: the stack glue: one stack per interface, driven by a receive fiber and a timer fiber over the pure protocol state machines.
 *
 *   device --recv--> ether_input --+--> arp_input --(while DHCP probes)--> dhcp_arp
 *                                  +--> ipv4_input --+--> icmp_input --(errors)--> tcp_icmp_error | net_udp_icmp_error
 *                                                    +--> ICMP parameter problem (malformed options)
 *                                                    +--> udp_input --> dhcp_input | socket queue | ICMP port unreachable
 *                                                    +--> tcp_input
 *                                                    +--> ICMP protocol unreachable
 *   protocols --> net_txq (IP packets) --ipv4_output--> ether_txq (frames) --send--> device
 *
 * Invariants:
 *  1. Both queues are empty whenever a fiber parks: every path that
 *     calls a protocol ends with net_stack_flush().
 *  2. The timer fiber sleeps until at most the earliest protocol deadline:
 *     net_stack_flush() wakes it when the earliest deadline moved before
 *     the one it sleeps until.
 *  3. A frame is handled to the end (and its replies queued) before the
 *     next one is taken from the device; only TCP's ACKs for in-order data
 *     wait, for the end of the burst of frames (tcp_input_end), which comes
 *     after at most RX_BATCH frames or when the device is empty.
 */
#include <stdlib.h>
#include <string.h>

#include <riad/netif_fault.h>
#include <riad/random.h>
#include <riad/time.h>

#include "net_stats.h"
#include "runtime.h"
#include "stack.h"
#include "udp.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (interfaces, addresses, DHCP)");

/* Frames taken from the device before the queues are flushed, so that a
 * burst does not fill them (RIAD_NET_TXQ_MAX and RIAD_NET_ETHER_TXQ_MAX
 * are far larger than what one frame can produce). */
#define RX_BATCH 32

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t next_deadline(const struct net_stack *net)
{
	int64_t d = min64(arp_deadline(&net->arp), ipv4_deadline(&net->ip));
	if (net->dhcp_on)
		d = min64(d, dhcp_deadline(&net->dhcp));
	if (net->tcp)
		d = min64(d, tcp_next_deadline(net->tcp));
	return d;
}

static void send_frames(struct net_stack *net)
{
	for (size_t i = 0; i < net->etxq.n; i++)
		riad_netif_send(net->nif, net->etxq.frames[i]);
	net->etxq.n = 0;
}

void net_stack_flush(struct net_stack *net)
{
	net_stack_flush_at(net, riad_time_ns());
}

void net_stack_flush_at(struct net_stack *net, int64_t now)
{
	while (net->txq.n) {
		/* A full frame queue is sent first so that IPv4 never has to
		 * drop for want of room. */
		if (ether_txq_space(&net->etxq) < RIAD_NET_ETHER_TXQ_MAX / 2)
			send_frames(net);
		ipv4_output_txq(&net->ip, &net->arp, &net->txq, now, &net->etxq, &net->h.stats);
	}
	send_frames(net);
	if (net->tcp) {
		void *user;
		while ((user = tcp_notify_next(net->tcp)) != NULL)
			net_sock_wake(user);
	}
	if (next_deadline(net) < net->timer_armed)
		riad_waitq_wake_all(&net->timer_wq);
}

static unsigned mask_prefix(uint32_t mask)
{
	unsigned n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

static uint32_t prefix_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

static void configure(struct net_stack *net, uint32_t addr, unsigned prefix, uint32_t gateway,
                      int64_t now)
{
	ipv4_set_addr(&net->ip, addr, addr ? prefix_mask(prefix) : 0, gateway);
	net->prefix = addr ? prefix : 0;
	arp_set_ip(&net->arp, addr, now, &net->etxq, &net->h.stats);
	char a[RIAD_IPV4_STRLEN], g[RIAD_IPV4_STRLEN];
	if (addr)
		riad_info(net_log, "%s: address %s/%u, gateway %s", net->h.name,
		          riad_ipv4_format(addr, a), prefix,
		          gateway ? riad_ipv4_format(gateway, g) : "none");
	else
		riad_info(net_log, "%s: no address", net->h.name);
	riad_waitq_wake_all(&net->h.up_wq);
}

static void dhcp_event(struct net_stack *net, enum dhcp_event ev, int64_t now)
{
	const struct dhcp_lease *l = &net->dhcp.lease;
	char s[RIAD_IPV4_STRLEN];
	switch (ev) {
	case DHCP_EV_BOUND:
		if (l->addr != net->ip.addr || mask_prefix(l->netmask) != net->prefix ||
		    l->router != net->ip.gateway) {
			riad_info(net_log, "%s: DHCP lease from %s for %u s", net->h.name,
			          riad_ipv4_format(l->server, s), (unsigned)l->lease_s);
			configure(net, l->addr, mask_prefix(l->netmask), l->router, now);
		} else {
			riad_debug(net_log, "%s: DHCP lease renewed", net->h.name);
		}
		break;
	case DHCP_EV_LOST:
		riad_warn(net_log, "%s: DHCP lease lost", net->h.name);
		configure(net, 0, 0, 0, now);
		break;
	case DHCP_EV_PROBE:
		arp_probe(&net->arp, net->dhcp.offer.addr, &net->etxq, &net->h.stats);
		break;
	case DHCP_EV_DECLINED: {
		const uint8_t *m = net->dhcp.conflict_mac;
		riad_warn(net_log,
		          "%s: DHCP address %s is in use by %02x:%02x:%02x:%02x:%02x:%02x; declined, "
		          "asking again in %lld ms",
		          net->h.name, riad_ipv4_format(net->dhcp.offer.addr, s), m[0], m[1], m[2], m[3],
		          m[4], m[5], (long long)(RIAD_NET_DHCP_DECLINE_WAIT_NS / 1000000));
		break;
	}
	case DHCP_EV_NONE:
		break;
	}
}

static uint64_t rnd64(void)
{
	return riad_random_u64();
}

static void input(struct net_stack *net, struct riad_pbuf *p, int64_t now)
{
	struct riad_net_stats *st = &net->h.stats;
	struct ether_rx erx;
	if (ether_input(net->mac, p, &erx, st) < 0)
		return;
	if (erx.type == ETHER_TYPE_ARP) {
		struct arp_rx ar;
		arp_input_rx(&net->arp, p, now, &net->etxq, st, &ar);
		/* RFC 2131 4.4.1: the DHCP client watches for its new address in use. */
		if (ar.ok && net->dhcp_on && dhcp_probing(&net->dhcp))
			dhcp_event(net, dhcp_arp(&net->dhcp, ar.sha, ar.spa, ar.tpa, now, &net->txq, st),
			           now);
		return;
	}
	struct ipv4_rx rx;
	int r = ipv4_input(&net->ip, p, erx.bcast, now, &rx, st);
	if (r == IPV4_RX_PARAM_PROBLEM) {
		icmp_param_problem(&net->icmp, net->ip.addr, &rx, rx.param_ptr, now, &net->txq, st);
		riad_pbuf_unref(rx.p);
		return;
	}
	if (r != 1)
		return;
	switch (rx.proto) {
	case NET_PROTO_ICMP: {
		struct icmp_err e;
		if (icmp_input(&net->icmp, &rx, now, &net->txq, &e, st) != 1)
			break;
		if (e.proto == NET_PROTO_TCP && net->tcp)
			tcp_icmp_error(net->tcp, e.src, e.dst, e.l4, e.l4_len, e.type, e.code, e.mtu,
			               now, &net->txq);
		else if (e.proto == NET_PROTO_UDP)
			net_udp_icmp_error(net, &e);
		break;
	}
	case NET_PROTO_UDP:
		net_udp_input(net, &rx, now);
		break;
	case NET_PROTO_TCP:
		if (net->tcp && net->ip.addr) {
			tcp_input(net->tcp, rx.src, rx.dst, rx.p, now, &net->txq);
			break;
		}
		riad_pbuf_unref(rx.p);
		break;
	default:
		icmp_error(&net->icmp, net->ip.addr, &rx, ICMP_DEST_UNREACH, ICMP_UNREACH_PROTO, now,
		           &net->txq, st);
		riad_pbuf_unref(rx.p);
		break;
	}
}

void net_stack_dhcp_input(struct net_stack *net, struct riad_pbuf *p, int64_t now)
{
	if (!net->dhcp_on) {
		riad_pbuf_unref(p);
		return;
	}
	dhcp_event(net, dhcp_input(&net->dhcp, p, now, rnd64(), &net->txq, &net->h.stats), now);
}

/* A fiber of the stack ends: the close may go on once both have. The
 * fibers hold no reference: this one touches net no more after the wake,
 * and the close (which holds the application's reference until it
 * returns) runs again only after this fiber has returned. */
static int fiber_end(struct net_stack *net)
{
	net->fibers--;
	if (net->orphan) {
		if (net->fibers == 0) {
			tcp_stack_destroy(net->tcp);
			free(net);
		}
		return 0;
	}
	riad_waitq_wake_all(&net->down_wq);
	return 0;
}

static int rx_fiber(void *arg)
{
	struct net_stack *net = arg;
	while (!net->h.down) {
		/* One burst: what the device holds, up to RX_BATCH frames, under
		 * one reading of the clock (a system call on spt), with TCP's
		 * ACKs for in-order data held to its end (tcp_input_end). */
		int64_t now = riad_time_ns();
		struct riad_pbuf *p = NULL;
		if (net->tcp)
			tcp_input_begin(net->tcp);
		for (unsigned n = 0; n < RX_BATCH && (p = riad_netif_recv(net->nif)) != NULL; n++)
			input(net, p, now);
		if (net->tcp)
			tcp_input_end(net->tcp, now, &net->txq);
		net_stack_flush_at(net, now);
		if (p)
			continue;
		/* riad_net_close ends this wait with riad_fiber_interrupt. */
		int r = riad_netif_wait(net->nif, RIAD_TIME_NEVER);
		if (r < 0 && r != -RIAD_EINTR) {
			riad_err(net_log, "%s: the device is gone; the interface stops", net->h.name);
			break;
		}
	}
	net->rx_fiber = NULL; /* detached: freed once it returns */
	return fiber_end(net);
}

static void run_timers(struct net_stack *net, int64_t now)
{
	struct riad_net_stats *st = &net->h.stats;
	if (arp_deadline(&net->arp) <= now)
		arp_timer(&net->arp, now, &net->etxq, st);
	if (ipv4_deadline(&net->ip) <= now)
		ipv4_timer(&net->ip, now, st);
	if (net->dhcp_on && dhcp_deadline(&net->dhcp) <= now)
		dhcp_event(net, dhcp_timer(&net->dhcp, now, rnd64(), &net->txq, st), now);
	if (net->tcp) {
		/* tcp_timers stops early (returning now) when the queue is
		 * full; flush and go on. */
		for (int i = 0; i < 64 && tcp_next_deadline(net->tcp) <= now; i++) {
			tcp_timers(net->tcp, now, &net->txq);
			net_stack_flush(net);
		}
	}
	net_stack_flush(net);
}

static int timer_fiber(void *arg)
{
	struct net_stack *net = arg;
	while (!net->h.down) {
		int64_t now = riad_time_ns();
		int64_t d = next_deadline(net);
		if (d <= now) {
			run_timers(net, now);
			continue;
		}
		net->timer_armed = d;
		riad_waitq_wait(&net->timer_wq, d == INT64_MAX ? RIAD_TIME_NEVER : d);
		net->timer_armed = INT64_MIN;
	}
	return fiber_end(net);
}

int riad_net_create(struct riad_netif *nif, const char *name, const struct riad_net_config *cfg,
                    struct riad_net **out)
{
	if (cfg->prefix > 32)
		return -RIAD_EINVAL;
	struct net_stack *net = calloc(1, sizeof(*net));
	if (!net)
		return -RIAD_ENOMEM;
	riad_net_init(&net->h, &net_stack_ops, "riad", name ? name : riad_netif_name(nif));
	net->nif = nif;
	memcpy(net->mac, riad_netif_mac(nif), ETHER_ADDR_LEN);
	net->timer_armed = INT64_MIN;
	arp_init(&net->arp, net->mac);
	unsigned mtu = riad_netif_mtu(nif);
	if (mtu > 65535)
		mtu = 65535;
	ipv4_init(&net->ip, (uint16_t)mtu, (uint16_t)riad_random_u32());
	icmp_init(&net->icmp);
	uint8_t secret[32];
	riad_random_bytes(secret, sizeof(secret));
	net->tcp = tcp_stack_create(secret, &net->h.stats.tcp);
	riad_wipe(secret, sizeof(secret));
	if (!net->tcp) {
		free(net);
		return -RIAD_ENOMEM;
	}
	tcp_stack_set_mss(net->tcp, (uint16_t)(mtu > 40 + 88 ? mtu - 40 : 88));
	unsigned feat = riad_netif_features(nif), off = 0;
	if (feat & RIAD_NETIF_F_CSUM4) {
		off |= TCP_OFFLOAD_CSUM;
		if (feat & RIAD_NETIF_F_TSO4)
			off |= TCP_OFFLOAD_TSO;
	}
	tcp_stack_set_offload(net->tcp, off);
	net->udp_next_port = (uint16_t)(49152 + riad_random_below(16384));
	net->rx_fiber = riad_fiber_spawn(rx_fiber, net, 0);
	net->timer_fiber = riad_fiber_spawn(timer_fiber, net, 0);
	if (!net->rx_fiber || !net->timer_fiber) {
		/* Out of memory (riad/net.h promises -RIAD_ENOMEM, not a
		 * panic). A fiber already spawned has not run yet: it finds
		 * the stack down at once and, the last to end, frees it. */
		net->h.down = true;
		net->fibers = (net->rx_fiber != NULL) + (net->timer_fiber != NULL);
		if (net->fibers == 0) {
			tcp_stack_destroy(net->tcp);
			free(net);
			return -RIAD_ENOMEM;
		}
		net->orphan = true;
		if (net->rx_fiber)
			riad_fiber_detach(net->rx_fiber);
		if (net->timer_fiber)
			riad_fiber_detach(net->timer_fiber);
		return -RIAD_ENOMEM;
	}
	riad_fiber_set_name(net->rx_fiber, "net-rx");
	riad_fiber_set_name(net->timer_fiber, "net-timer");
	riad_fiber_detach(net->rx_fiber);
	riad_fiber_detach(net->timer_fiber);
	net->fibers = 2;
	int64_t now = riad_time_ns();
	if (cfg->addr) {
		configure(net, cfg->addr, cfg->prefix ? cfg->prefix : 24, cfg->gateway, now);
	} else if (cfg->dhcp) {
		net->dhcp_on = true;
		dhcp_init(&net->dhcp, net->mac);
		riad_info(net_log, "%s: asking DHCP for an address", net->h.name);
		dhcp_start(&net->dhcp, now, rnd64(), &net->txq, &net->h.stats);
	}
	net_stack_flush(net);
	*out = &net->h;
	return 0;
}

static bool stack_up(struct riad_net *h)
{
	return net_stack_of(h)->ip.addr != 0;
}

static void stack_free(struct riad_net *h)
{
	free(net_stack_of(h));
}

/* Teardown order (riad/net.h, riad_net_close; the name is already
 * forgotten): abort TCP and fail the sockets while the device can still
 * carry the RSTs, stop the fibers (they touch the protocols and the
 * device), then free the protocols' pbufs and close the device. */
static void stack_down(struct riad_net *h)
{
	struct net_stack *net = net_stack_of(h);
	if (!riad_fiber_self())
		riad_panic("riad_net_close: called outside a fiber");
	int64_t now = riad_time_ns();
	net_tcp_down(net, now);
	net_udp_down(net);
	net_stack_flush_at(net, now);
	riad_waitq_wake_all(&net->timer_wq);
	if (net->rx_fiber) /* parked in the device, which only input wakes */
		riad_fiber_interrupt(net->rx_fiber);
	while (net->fibers)
		riad_waitq_wait(&net->down_wq, RIAD_TIME_NEVER);
	/* Connections the application closed that were still ending in the
	 * background (FIN-WAIT, TIME-WAIT) go silently. */
	tcp_stack_destroy(net->tcp);
	net->tcp = NULL;
	arp_flush(&net->arp);
	ipv4_flush(&net->ip);
	net->dhcp_on = false;
	net->ip.addr = 0;
	riad_netif_close(net->nif);
	net->nif = net->fault = NULL;
}

static void stack_ipv4(const struct riad_net *h, uint32_t *addr, unsigned *prefix,
                       uint32_t *gateway)
{
	const struct net_stack *net = (const struct net_stack *)h;
	*addr = net->ip.addr;
	*prefix = net->prefix;
	*gateway = net->ip.addr ? net->ip.gateway : 0;
}

/* What the fault injector wrapped around the device (--net-faults) did,
 * one line per direction that saw frames. */
static void log_fault_stats(const struct net_stack *net, enum riad_log_level level)
{
	static const enum riad_netif_dir dirs[] = { RIAD_NETIF_RX, RIAD_NETIF_TX };
	for (size_t i = 0; i < 2; i++) {
		struct riad_netif_fault_stats f;
		riad_netif_fault_stats(net->fault, dirs[i], &f);
		if (!f.frames)
			continue;
		riad_log(net_log, level,
		         "%s: faults %s: frames=%llu passed=%llu lost=%llu corrupted=%llu "
		         "duplicated=%llu reordered=%llu delayed=%llu overflow=%llu nomem=%llu",
		         net->h.name, dirs[i] == RIAD_NETIF_RX ? "rx" : "tx",
		         (unsigned long long)f.frames, (unsigned long long)f.passed,
		         (unsigned long long)f.lost, (unsigned long long)f.corrupted,
		         (unsigned long long)f.duplicated, (unsigned long long)f.reordered,
		         (unsigned long long)f.delayed, (unsigned long long)f.overflow,
		         (unsigned long long)f.nomem);
	}
}

static void stack_log_stats(const struct riad_net *h, enum riad_log_level level)
{
	const struct net_stack *net = (const struct net_stack *)h;
	if (net->fault && riad_log_enabled(net_log, level))
		log_fault_stats(net, level);
}

const struct riad_net_ops net_stack_ops = {
	.up = stack_up,
	.ipv4 = stack_ipv4,
	.down = stack_down,
	.free = stack_free,
	.log_stats = stack_log_stats,
	.udp_bind = net_udp_bind,
	.udp_sendto = net_udp_sendto,
	.udp_recvfrom = net_udp_recvfrom,
	.udp_close = net_udp_close,
	.tcp_listen = net_tcp_listen,
	.tcp_accept = net_tcp_accept,
	.tcp_listener_close = net_tcp_listener_close,
	.tcp_connect = net_tcp_connect,
	.tcp_connected = net_tcp_connected,
	.tcp_read = net_tcp_read,
	.tcp_readable = net_tcp_readable,
	.tcp_write = net_tcp_write,
	.tcp_shutdown = net_tcp_shutdown,
	.tcp_close = net_tcp_close,
	.tcp_set_nodelay = net_tcp_set_nodelay,
	.tcp_set_keepalive = net_tcp_set_keepalive,
};
