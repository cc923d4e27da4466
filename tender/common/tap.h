/* tender/common/tap.h: attaching a guest network device to a Linux tap interface, and its MAC address. */
#ifndef RIAD_TENDER_TAP_H
#define RIAD_TENDER_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Longest interface name (IFNAMSIZ - 1). */
#define TAP_IFNAME_MAX 15

/* Checks the syntax of a --net value: an interface name of 1..15
 * characters, or @N with N a decimal descriptor number. */
int tap_check_source(const char *source, struct tender_error *err);

/* Opens source: for IFACE, an existing tap interface that is up, through
 * /dev/net/tun (TUNSETIFF with IFF_TAP | IFF_NO_PI, non-blocking; the tender
 * never creates one), with GRO and GSO turned off so no frame exceeds the
 * MTU; for @N, descriptor N, made non-blocking. *mtu gets the interface's
 * MTU (for @N: its tap's, or 1500 if it is not a tap). Returns the descriptor or -1. */
int tap_attach(const char *source, int *mtu, struct tender_error *err);

/* tap_attach(), and for IFACE with offload true, first with offloads: the
 * tap attached with IFF_VNET_HDR (a 10-byte virtio-net header before every
 * frame read or written), TUNSETOFFLOAD with TUN_F_CSUM | TUN_F_TSO4, and
 * the interface's GRO and GSO left on; *vnet (if not NULL) says whether
 * the kernel took it all, else the tap is attached plainly. A plain attach
 * also clears the interface's offloads (TUNSETOFFLOAD 0), which a
 * previous user may have left. @N is always plain. */
int tap_attach_ex(const char *source, bool offload, int *mtu, bool *vnet,
		  struct tender_error *err);

/* Parses xx:xx:xx:xx:xx:xx (two hex digits each). False if malformed. */
bool tap_mac_parse(const char *s, uint8_t mac[6]);

/* A random unicast, locally administered MAC (multicast bit clear,
 * local bit set). */
int tap_mac_generate(uint8_t mac[6], struct tender_error *err);

#endif
