/* tender/spt/spt_net.c: riad-spt's --net-offload=on|off, whether it offers riad's net extension (abi/mft.h, tender/common/net.c). */
#include "spt.h"

#include <string.h>

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

static int net_offload_attach(struct tender *t, struct tender_error *err)
{
	(void)t, (void)err;
	return 0;
}

TENDER_MODULE(net_offload, .name = "net-offload",
	      .usage = "  --net-offload=on|off\n"
		       "                   on (default): a guest that asks gets its taps with the host's\n"
		       "                   segmentation and checksum offloads (frames behind a virtio-net\n"
		       "                   header); off: plain frames for every guest, as Solo5's spt gives\n",
	      .parse = net_offload_parse, .attach = net_offload_attach);
