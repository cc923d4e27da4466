/* runtime/unix/netif_args.c: which tap backs each net device of a unix unikernel: the --net:NAME=TAP arguments (riad run --net NAME=TAP passes them), and riad_net_device_open() over them.
 *
 * On hvt and spt the tender attaches devices (--net:NAME=TAP on its own
 * command line); a unix unikernel is its own tender, so it takes the same
 * words on its command line, before or among its options:
 *
 *	./dist/app.unix --net:service=tap0 --ipv4=10.0.0.2/24
 *
 * The words are recorded before start-up parses the command line: glibc
 * calls the constructors of .init_array with main's argc and argv, so the
 * constructor below sees them first. It rewrites each "--net:" into
 * "--net=", which the runtime option declared here (repeatable, a string
 * the parser only checks for presence) then accepts, so --help lists it
 * and riad_args_parse needs no special case. "--net=NAME=TAP" and
 * "--net NAME=TAP" are recorded too. The scan stops at "--", like the
 * parser. This file is linked only into unikernels that use the network
 * stack (stack/net_open.c calls riad_net_device_open).
 */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/netif.h>
#include <riad/netif_tap.h>

#include "../net_device.h"
#include "unix.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (interfaces, addresses, DHCP)");

#define MAX_NETS 64

static const char *net_last;
static struct riad_arg net_arg = {
	.name = "net",
	.type = RIAD_ARG_TYPE_STRING,
	.flags = RIAD_ARG_RUNTIME | RIAD_ARG_REPEATABLE,
	.var = (void *)&net_last,
	.def.s = NULL,
	.doc = "NAME=TAP: attach the net device NAME to the tap interface TAP (unix; also "
	       "written --net:NAME=TAP, as riad run --net NAME=TAP passes it).",
};
RIAD_ARG_REGISTER(net_arg);

/* --net-offload: "on" (the default: IFF_VNET_HDR, TSO and checksum
 * offload where the kernel takes them, riad/netif_tap.h) or "off" (plain
 * frames, one per read or write: for comparisons, and a way round a host
 * whose offloads misbehave). */
static int offload_check(const char *value, char *why, size_t len)
{
	if (strcmp(value, "on") == 0 || strcmp(value, "off") == 0)
		return 0;
	snprintf(why, len, "'%s' is neither on nor off", value);
	return 1;
}

static const char *offload = "on";
static struct riad_arg offload_arg = {
	.name = "net-offload",
	.type = RIAD_ARG_TYPE_STRING,
	.flags = RIAD_ARG_RUNTIME,
	.var = (void *)&offload,
	.def.s = "on",
	.doc = "on|off: segmentation (TSO, GRO) and checksum offload on the taps where the "
	       "kernel offers them (unix; docs/netif.md).",
	.check = offload_check,
};
RIAD_ARG_REGISTER(offload_arg);

static const char *nets[MAX_NETS]; /* NAME=TAP, in argv's memory */
static unsigned n_nets;

__attribute__((constructor)) static void netif_args_scan(int argc, char **argv, char **envp)
{
	(void)envp;
	n_nets = riad_unix_dev_scan(argc, argv, "net", nets, MAX_NETS);
}

struct riad_netif *riad_net_device_open(const char *name, int *err)
{
	const char *tap = riad_unix_dev_find(nets, n_nets, name);
	if (!tap) {
		riad_err(net_log, "net device '%s' is not attached (run with --net:%s=TAP, or "
		         "riad run --net %s=TAP)", name, name, name);
		if (err)
			*err = -RIAD_ENODEV;
		return NULL;
	}
	unsigned flags = strcmp(offload, "off") == 0 ? 0 : RIAD_NETIF_TAP_OFFLOAD;
	return riad_netif_tap_open_ex(tap, NULL, flags, err);
}
