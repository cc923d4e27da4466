/* stack/net_open.c: bringing interfaces up by name: the boot options (--ipv4, --ipv4-gateway, --dhcp, --net-faults and the per-interface ones of RIAD_NET_IFACE), the device from the target, address text. */
#include <stdio.h>
#include <string.h>

#include <riad/args.h>
#include <riad/log.h>
#include <riad/net.h>
#include <riad/netif.h>
#include <riad/netif_fault.h>
#include <riad/random.h>

#include "net_api.h"
#include "net_device.h"
#include "stack.h"

RIAD_LOG_SRC(net_log, "net", "Network stack (interfaces, addresses, DHCP)");

RIAD_ARG_BOOL(opt_dhcp, "dhcp", true, "Ask DHCP for an address when none is given.");
RIAD_ARG_STRING_CHECKED(opt_faults, "net-faults", NULL, riad_net_faults_check,
                        "Inject seeded faults on the interface, as seed=42,loss=1%,tx:delay=10ms "
                        "(keys loss, corrupt, corrupt-bits, dup, reorder, reorder-gap, "
                        "reorder-max, delay, jitter; rx: or tx: for one direction; "
                        "docs/netif.md). One interface only.");

int riad_net_faults_check(const char *value, char *why, size_t len)
{
	struct riad_netif_fault_config faults;
	bool seeded;
	return riad_netif_fault_spec_parse(value, &faults, &seeded, why, len) < 0;
}

/* The sizes of the --net-faults texts: an error, the spec written back. */
#define FAULT_ERR_MAX 200
#define FAULT_TEXT_MAX 400

int riad_net_open(const char *name, struct riad_net **out)
{
	int found = net_named_find(name, &net_stack_ops, out);
	if (found != 0)
		return found < 0 ? found : 0;
	struct riad_net_config cfg = { .dhcp = opt_dhcp };
	const struct riad_arg_ipv4 *addr = NULL, *gw = NULL;
	const char *how = "--ipv4";
	struct riad_net_iface_decl_ *d = net_iface_decl(name);
	if (d && (d->ipv4->set || d->gateway->set)) {
		addr = d->ipv4;
		gw = d->gateway;
		how = "the interface's own options";
	} else if (net_iface_count() <= 1) {
		addr = net_arg_ipv4();
		gw = net_arg_gateway();
	} else if (net_arg_ipv4()->set || net_arg_gateway()->set) {
		riad_err(net_log, "%s: --ipv4 and --ipv4-gateway are ambiguous with %zu interfaces; "
		         "use --%s-ipv4 and --%s-ipv4-gateway", name, net_iface_count(), name, name);
		return -RIAD_EINVAL;
	}
	if (addr && addr->set) {
		cfg.addr = addr->addr;
		cfg.prefix = addr->prefix < 0 ? 24 : (unsigned)addr->prefix;
		uint32_t host = cfg.prefix == 32 ? 0 : ~(cfg.prefix == 0 ? 0 : 0xffffffffu << (32 - cfg.prefix));
		if (cfg.prefix == 0 || (cfg.prefix < 31 && ((addr->addr & host) == 0 ||
		                                            (addr->addr & host) == host))) {
			riad_err(net_log, "%s: %s: not a host address in its subnet", name, how);
			return -RIAD_EINVAL;
		}
	}
	if (gw && gw->set) {
		if (!cfg.addr) {
			riad_err(net_log, "%s: a gateway needs an address (%s)", name, how);
			return -RIAD_EINVAL;
		}
		if (gw->prefix >= 0) {
			riad_err(net_log, "%s: the gateway takes no /prefix", name);
			return -RIAD_EINVAL;
		}
		cfg.gateway = gw->addr;
	}
	/* Faults: --NAME-net-faults, else --net-faults when there is one
	 * interface. */
	const char *spec = NULL, *spec_opt = "--net-faults";
	char spec_name[96]; /* "--" NAME (at most 67) "-net-faults" */
	if (d && *d->faults) {
		spec = *d->faults;
		snprintf(spec_name, sizeof(spec_name), "--%s-net-faults", name);
		spec_opt = spec_name;
	} else if (opt_faults) {
		if (net_iface_count() > 1) {
			riad_err(net_log, "%s: --net-faults is ambiguous with %zu interfaces; use "
			         "--%s-net-faults", name, net_iface_count(), name);
			return -RIAD_EINVAL;
		}
		spec = opt_faults;
	}
	struct riad_netif_fault_config faults;
	if (spec) {
		/* The argument parser refused a bad spec before main()
		 * (riad_net_faults_check); this only catches a caller that
		 * set the option's variable itself. */
		char why[FAULT_ERR_MAX];
		bool seeded;
		if (riad_netif_fault_spec_parse(spec, &faults, &seeded, why, sizeof(why)) < 0) {
			riad_err(net_log, "option '%s': %s", spec_opt, why);
			return -RIAD_EINVAL;
		}
		if (!seeded)
			faults.seed = riad_random_u64();
	}
	int err = -RIAD_ENODEV;
	struct riad_netif *nif = riad_net_device_open(name, &err);
	if (!nif)
		return err;
	if (spec) {
		struct riad_netif *w = riad_netif_fault_wrap(nif, &faults);
		if (!w) {
			riad_netif_close(nif);
			return -RIAD_ENOMEM;
		}
		/* Loud, and with the seed: a run can be repeated exactly, and
		 * nobody forgets the faults are on. */
		char text[FAULT_TEXT_MAX];
		riad_netif_fault_spec_format(&faults, text, sizeof(text));
		riad_warn(net_log, "%s: injecting faults on %s: %s=%s", name,
		          riad_netif_name(nif), spec_opt, text);
		nif = w;
	}
	struct riad_net *net;
	int r = riad_net_create(nif, name, &cfg, &net);
	if (r < 0) {
		riad_netif_close(nif);
		return r;
	}
	if (spec)
		net_stack_of(net)->fault = nif;
	net_named_add(net);
	*out = net;
	return 0;
}
