/* tender/common/net.c: the net module: --net:NAME=IFACE|@FD and --net-mac:NAME=MAC for NET_BASIC devices; --net-offload=on|off.
 *
 * riad's net extension (abi/mft.h): on a tender that offers it (riad-spt
 * and riad-hvt, unless --net-offload=off), for a guest whose ABI1 note
 * asks, each tap is attached with the virtio-net header and the host's
 * offloads, and the entry's riad_flags say what the kernel took;
 * everything else gets plain frames and riad_flags 0, as from Solo5's
 * tenders. */
#include "abi/elf_note.h"
#include "mft.h"
#include "tap.h"
#include "tender.h"

#include <string.h>

static int net_parse(struct tender *t, const char *arg, struct tender_error *err)
{
	const char *value;
	int i;

	i = args_attach(t, arg, "--net:", RIAD_MFT_DEV_NET_BASIC, &value, err);
	if (i != 0) {
		if (i < 0)
			return -1;
		if (tap_check_source(value, err) < 0) {
			struct tender_error e2 = *err;
			return error_set(err, "%s: %s", arg, e2.msg);
		}
		t->dev[i].source = value;
		return 1;
	}
	i = args_device(t, arg, "--net-mac:", RIAD_MFT_DEV_NET_BASIC, &value, err);
	if (i != 0) {
		if (i < 0)
			return -1;
		if (!tap_mac_parse(value, t->dev[i].mac))
			return error_set(err, "%s: '%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", arg,
					 value);
		if (t->dev[i].mac[0] & 1)
			return error_set(err, "%s: %s is a multicast address", arg, value);
		t->dev[i].mac_set = true;
		return 1;
	}
	return 0;
}

static int net_attach(struct tender *t, struct tender_error *err)
{
	/* The same for every device: the tender offers it, the user did not
	 * refuse it, the guest asked. */
	bool offload = t->target->net_offload && !t->net_offload_off &&
		       (t->abi_flags & RIAD_ABI1_F_NET_OFFLOAD);

	for (uint32_t i = 1; i < t->mft->entries; i++) {
		struct riad_mft_entry *e = &t->mft->e[i];
		struct tender_dev *d = &t->dev[i];
		int fd, mtu;
		bool vnet = false;

		if (e->type != RIAD_MFT_DEV_NET_BASIC || d->source == NULL)
			continue;
		fd = tap_attach_ex(d->source, offload, &mtu, &vnet, err);
		if (fd < 0)
			return -1;
		if (mtu < 68 || mtu > UINT16_MAX)
			return error_set(err, "interface '%s': MTU %d outside [68, 65535]", d->source, mtu);
		if (d->mac_set)
			memcpy(e->u.net_basic.mac, d->mac, 6);
		else if (tap_mac_generate(e->u.net_basic.mac, err) < 0)
			return -1;
		e->u.net_basic.mtu = (uint16_t)mtu;
		if (vnet)
			e->u.net_basic.riad_flags =
				RIAD_MFT_NET_F_VNET | RIAD_MFT_NET_F_CSUM | RIAD_MFT_NET_F_TSO4;
		e->b.hostfd = fd;
		e->attached = true;
	}
	return 0;
}

TENDER_MODULE(net, .name = "net",
	      .usage = "  --net:NAME=IFACE attach net device NAME to the existing, up tap IFACE\n"
		       "  --net:NAME=@FD   ... or to the already open descriptor FD\n"
		       "  --net-mac:NAME=xx:xx:xx:xx:xx:xx\n"
		       "                   its MAC address (default: random, locally administered)\n",
	      .parse = net_parse, .attach = net_attach);

/* --net-offload=on|off: whether the tender offers the extension at all. */
static int net_offload_parse(struct tender *t, const char *arg, struct tender_error *err)
{
	const char *v;

	if (strncmp(arg, "--net-offload=", 14) != 0)
		return 0;
	v = arg + 14;
	if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
		return error_set(err, "%s: '%s' is neither on nor off", arg, v);
	t->net_offload_off = strcmp(v, "off") == 0;
	return 1;
}

static bool net_offload_offered(const struct tender_target *target)
{
	return target->net_offload;
}

TENDER_MODULE(net_offload, .name = "net-offload",
	      .usage = "  --net-offload=on|off\n"
		       "                   on (default): a guest that asks gets its taps with the host's\n"
		       "                   segmentation and checksum offloads (frames behind a virtio-net\n"
		       "                   header); off: plain frames for every guest, as Solo5's tenders give\n",
	      .parse = net_offload_parse, .offered = net_offload_offered);
