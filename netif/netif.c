/* netif/netif.c: what every net device implementation shares (riad/netif.h). */
#include <string.h>

#include <riad/netif.h>
#include <riad/random.h>

#include "runtime.h"

void riad_netif_init(struct riad_netif *nif, const struct riad_netif_ops *ops, void *state,
                     const uint8_t mac[RIAD_NETIF_MAC_LEN], unsigned mtu, const char *name)
{
	if (!ops || !ops->send || !ops->recv || !ops->wait || !ops->close)
		riad_panic("netif %s: incomplete ops table", name ? name : "?");
	if (mtu < 68 || mtu > 65535)
		riad_panic("netif %s: MTU %u out of range 68..65535", name ? name : "?", mtu);
	memset(nif, 0, sizeof(*nif));
	nif->ops = ops;
	nif->state = state;
	memcpy(nif->mac, mac, RIAD_NETIF_MAC_LEN);
	nif->mtu = (uint16_t)mtu;
	if (!name)
		name = "net";
	size_t n = strlen(name);
	if (n >= sizeof(nif->name))
		n = sizeof(nif->name) - 1;
	memcpy(nif->name, name, n);
	nif->name[n] = 0;
}

void riad_netif_random_mac(uint8_t mac[RIAD_NETIF_MAC_LEN])
{
	riad_random_bytes(mac, RIAD_NETIF_MAC_LEN);
	/* Unicast (I/G bit clear), locally administered (U/L bit set). */
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
}
