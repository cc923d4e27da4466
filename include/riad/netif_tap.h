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
 * IFF_NO_PI: no offloads, one frame per read or write; see
 * riad_netif_tap_open_ex for offloads), non-blocking and
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

/* riad_netif_tap_open_ex's flags. */
/* Segmentation and checksum offloads where the kernel offers them: the tap
 * attached with IFF_VNET_HDR and TUNSETOFFLOAD (TUN_F_CSUM, TUN_F_TSO4),
 * the device then offering RIAD_NETIF_F_CSUM4, RIAD_NETIF_F_TSO4,
 * RIAD_NETIF_F_RX_LARGE and RIAD_NETIF_F_RX_CSUM (riad/netif.h). When the
 * kernel refuses, the tap opens plainly, as without the flag (logged on
 * "netif" at level info); riad_netif_features() tells which. While open,
 * the interface offers TSO and checksum offload to the host's stack; the
 * close takes them back. */
#define RIAD_NETIF_TAP_OFFLOAD 0x01

/* riad_netif_tap_open, with flags (RIAD_NETIF_TAP_*; 0: the same). */
struct riad_netif *riad_netif_tap_open_ex(const char *ifname, const uint8_t *mac, unsigned flags,
                                          int *err);

#endif
