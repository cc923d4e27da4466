/* runtime/net_device.h: the net device a target attaches by name, which
 * riad's own stack opens (stack/net_open.c); defined by each target's
 * driver (private; not installed). */
#ifndef RIAD_RUNTIME_NET_DEVICE_H
#define RIAD_RUNTIME_NET_DEVICE_H

#include <riad/netif.h>

/* The net device attached as `name` on this target: on unix the tap named
 * by --net:NAME=TAP (runtime/unix/netif_args.c), on hvt and spt
 * solo5_net_acquire(name) (runtime/solo5/netif_solo5.c). NULL after
 * logging one line that says why, with *err = -RIAD_ENODEV or another
 * negative errno. */
struct riad_netif *riad_net_device_open(const char *name, int *err);

#endif
