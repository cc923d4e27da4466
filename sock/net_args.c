/* sock/net_args.c: the boot options and declarations every stack implementation reads (--ipv4, --ipv4-gateway, the interfaces of RIAD_NET_IFACE), apart from riad's own stack so that the host-socket stack reads them without linking it. */
#include <string.h>

#include <riad/args.h>
#include <riad/net.h>

#include "net_api.h"

RIAD_ARG_IPV4(opt_ipv4, "ipv4", NULL,
              "Address/prefix of the interface, as 10.0.0.2/24 (default: DHCP; the host-socket "
              "stack: the host address to bind to). With several interfaces, use --NAME-ipv4.");
RIAD_ARG_IPV4(opt_gateway, "ipv4-gateway", NULL, "Default gateway of the interface.");

const struct riad_arg_ipv4 *net_arg_ipv4(void)
{
	return &opt_ipv4;
}

const struct riad_arg_ipv4 *net_arg_gateway(void)
{
	return &opt_gateway;
}

/* The interfaces RIAD_NET_IFACE declared; the section may be empty. */
extern struct riad_net_iface_decl_ *const __start_riad_net_ifaces[] __attribute__((weak));
extern struct riad_net_iface_decl_ *const __stop_riad_net_ifaces[] __attribute__((weak));

static size_t decl_count(void)
{
	if (!__start_riad_net_ifaces)
		return 0;
	return (size_t)(__stop_riad_net_ifaces - __start_riad_net_ifaces);
}

struct riad_net_iface_decl_ *net_iface_decl(const char *name)
{
	for (size_t i = 0; i < decl_count(); i++)
		if (strcmp(__start_riad_net_ifaces[i]->name, name) == 0)
			return __start_riad_net_ifaces[i];
	return NULL;
}

/* Count distinct names (a name declared in two files is one interface). */
size_t net_iface_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < decl_count(); i++) {
		size_t j;
		for (j = 0; j < i; j++)
			if (strcmp(__start_riad_net_ifaces[i]->name, __start_riad_net_ifaces[j]->name) == 0)
				break;
		n += j == i;
	}
	return n;
}
