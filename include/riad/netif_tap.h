/* riad/netif_tap.h: a net device over a Linux tap, on the unix target only
 * (an implementation of the device contract, riad/netif.h).
 */
#ifndef RIAD_NETIF_TAP_H
#define RIAD_NETIF_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/netif.h>

/* A tap (runtime/unix/netif_tap.c; the unix target only, so a unikernel
 * that calls it links on unix and nowhere else).
 *
 * Opens the existing tap interface ifname through /dev/net/tun (IFF_TAP,
 * IFF_NO_PI: no offloads, one frame per read or write), non-blocking and
 * watched by the scheduler's epoll. It never creates an interface: make
 * one with `ip tuntap add dev NAME mode tap` and `ip link set NAME up`.
 * mac is the unikernel's own address (NULL: riad_netif_random_mac()); the
 * MTU is the interface's (SIOCGIFMTU). Received frames are read into
 * recycled buffers (at most RIAD_NETIF_TAP_POOL kept) with
 * RIAD_NETIF_RX_HEADROOM of headroom. send writes the frame at once: the
 * kernel takes it or drops it, it never blocks.
 *
 * Returns the device, or NULL after logging one line on the "netif" log
 * source that names the interface and the cause (no such interface, not a
 * tap, busy, down, no /dev/net/tun, no permission), and storing the
 * negative errno in *err if err is not NULL (-RIAD_ENODEV for a missing
 * interface, -RIAD_ENETDOWN for one that is down). */
struct riad_netif *riad_netif_tap_open(const char *ifname, const uint8_t *mac, int *err);

#endif
