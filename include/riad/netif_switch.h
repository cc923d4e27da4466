/* riad/netif_switch.h: the in-memory Ethernet switch, for tests
 * (an implementation of the device contract, riad/netif.h).
 */
#ifndef RIAD_NETIF_SWITCH_H
#define RIAD_NETIF_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/netif.h>

/* The in-memory switch (netif/netif_switch.c), for tests: several stacks in
 * one process, each on its own port.
 *
 * A frame sent on a port is queued on every other port whose MAC is the
 * frame's destination; a broadcast or multicast frame on every other port;
 * a promiscuous port gets a copy of every frame. Frames to no port are
 * dropped and counted (no_dest). Queuing wakes the fibers waiting on the
 * receiving port; they run when the sender parks, as with a real device.
 * Each port's queue holds at most RIAD_NETIF_SWITCH_QUEUE frames; beyond
 * that, frames for it are dropped and counted in its rx_drop_queue. Frame
 * lengths are checked against the sending port's MTU (tx_drop_size) and
 * the receiving port's (rx_drop_size). Each receiver gets its own pbuf: the
 * sender's if nobody else holds it and it has the headroom, else a copy. */
struct riad_netif_switch;

struct riad_netif_switch_stats {
	uint64_t frames;      /* frames sent on any port */
	uint64_t delivered;   /* frame copies queued on a receiving port */
	uint64_t no_dest;     /* unicast frames no port had the address of */
	uint64_t dropped;     /* copies dropped at a receiving port */
};

/* A new switch with no port; NULL if out of memory. */
struct riad_netif_switch *riad_netif_switch_new(void);

/* Close every port still open and free the switch. */
void riad_netif_switch_free(struct riad_netif_switch *sw);

/* A new port: mac NULL picks 02:72:69:61:64:NN (NN the port's number,
 * from 0, so tests are reproducible); mtu 0 means 1500. Named "swS.N".
 * Close it with riad_netif_close(). NULL if RIAD_NETIF_SWITCH_PORTS ports
 * are open or memory runs out. */
struct riad_netif *riad_netif_switch_port(struct riad_netif_switch *sw, const uint8_t *mac,
                                          unsigned mtu);

/* Make port receive every frame sent on the switch (its own excepted). */
void riad_netif_switch_promisc(struct riad_netif *port, bool on);

void riad_netif_switch_stats(const struct riad_netif_switch *sw,
                             struct riad_netif_switch_stats *out);

#endif
