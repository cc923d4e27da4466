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

/* Parses xx:xx:xx:xx:xx:xx (two hex digits each). False if malformed. */
bool tap_mac_parse(const char *s, uint8_t mac[6]);

/* A random unicast, locally administered MAC (multicast bit clear,
 * local bit set). */
int tap_mac_generate(uint8_t mac[6], struct tender_error *err);

#endif
