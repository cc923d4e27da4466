/* runtime/solo5/netif_solo5.c: the net device on the solo5 targets: a riad_netif over solo5_net_read/solo5_net_write, woken through solo5_yield, and riad_net_device_open() by manifest name.
 *
 * Receive buffers are one allocation each (the pbuf, then
 * RIAD_NETIF_RX_HEADROOM, then the largest frame) and go back to a pool
 * from their release hook, as with the tap on unix. solo5_net_read takes
 * frames until SOLO5_R_AGAIN; the scheduler's solo5_yield reports the
 * handle ready again when more came, which wakes riad_netif_wait.
 *
 * Offloads: when riad-spt or riad-hvt grants riad's net extension
 * (abi/mft.h: the guest asks for it in its ABI1 note, which this file's
 * riad_abi1_net_request turns on; riad_base.h), every frame crosses the tap
 * behind a virtio-net header and the device offers the stack what the
 * unix tap with offloads does (netif_vnet.h, docs/netif.md "Offloads"):
 * partial TCP checksums and TSO segments of up to 64 KiB out, the host's
 * TSO and coalesced segments and its checksum verdict in. The header
 * shares the frame's buffer, so each frame is still one read or write of
 * the tap (the sandbox allows no other): received frames are read 10
 * bytes before their headroom ends, and a sent frame's header goes into
 * its headroom for the write, the bytes there put back after (on hvt the
 * write has returned only once the tender has taken the frame). Elsewhere
 * (Solo5's tenders, --net-offload=off) frames are plain.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <riad/log.h>
#include <riad/net.h>
#include <riad/netif.h>

#include "../net_device.h"
#include "../runtime.h"
#include "netif_vnet.h"
#include "riad_base.h"
#include "solo5.h"

#include <abi/elf_note.h>

RIAD_LOG_SRC(netif_log, "netif", "Network interfaces");

#define POOL_MAX RIAD_NETIF_TAP_POOL
#define VNET_LEN RIAD_MFT_NET_HDR_LEN

_Static_assert(RIAD_MFT_NET_HDR_LEN == RIAD_VNET_HDR_LEN, "the extension's header is virtio-net's");
_Static_assert(RIAD_MFT_NET_FRAME_MAX == RIAD_NETIF_GSO_MAX, "the extension's largest frame");
_Static_assert(RIAD_NETIF_RX_HEADROOM >= VNET_LEN, "room for the header before a received frame");

/* Asks riad's tenders for the net extension: base/common/abi_note.h adds
 * this to the ABI1 note's reserved0, so only a guest with this device asks. */
_Static_assert(RIAD_ABI1_F_NET_OFFLOAD == 2, "riad_abi1_net_request");
__asm__(".globl riad_abi1_net_request\n\t.set riad_abi1_net_request, 2\n");

struct s5net;

struct s5buf {
	struct riad_pbuf p;
	struct s5net *dev;
	struct s5buf *next;
	uint8_t mem[];
};

struct s5net {
	struct riad_netif nif;
	struct riad_solo5_watch w;
	solo5_handle_t h;
	size_t frame_max;  /* largest frame: MTU + SOLO5_NET_HLEN, or
	                    * RIAD_NETIF_GSO_MAX with the header */
	bool vnet;         /* frames carry a struct riad_vnet_hdr */
	struct s5buf *pool;
	size_t pooled, out;
	bool readable, closed;
};

static void buf_release(struct riad_pbuf *p)
{
	struct s5buf *b = p->release_arg;
	struct s5net *d = b->dev;
	d->out--;
	if (!d->closed && d->pooled < POOL_MAX) {
		b->next = d->pool;
		d->pool = b;
		d->pooled++;
		return;
	}
	free(b);
	if (d->closed && d->out == 0)
		free(d);
}

static struct s5buf *buf_get(struct s5net *d)
{
	struct s5buf *b = d->pool;
	if (b) {
		d->pool = b->next;
		d->pooled--;
		return b;
	}
	b = malloc(sizeof(*b) + RIAD_NETIF_RX_HEADROOM + d->frame_max);
	if (b)
		b->dev = d;
	return b;
}

static void buf_put(struct s5net *d, struct s5buf *b)
{
	b->next = d->pool;
	d->pool = b;
	d->pooled++;
}

static struct riad_pbuf *s5_recv(struct riad_netif *nif)
{
	struct s5net *d = nif->state;
	size_t hl = d->vnet ? VNET_LEN : 0;
	for (;;) {
		struct s5buf *b = buf_get(d);
		static uint8_t scratch[VNET_LEN + RIAD_NETIF_GSO_MAX];
		uint8_t *dst = b ? b->mem + RIAD_NETIF_RX_HEADROOM - hl : scratch;
		size_t n = 0;
		solo5_result_t r = d->vnet ? riad_base_net_read(d->h, dst, hl + d->frame_max, &n)
		                           : solo5_net_read(d->h, dst, d->frame_max, &n);
		if (r != SOLO5_R_OK) {
			if (b)
				buf_put(d, b);
			if (r != SOLO5_R_AGAIN)
				nif->stats.rx_drop_error++;
			d->readable = false;
			return NULL;
		}
		if (!b) {
			/* Taken off the device anyway, so it does not stay ready. */
			nif->stats.rx_drop_nomem++;
			continue;
		}
		uint8_t marks = 0;
		if (d->vnet) {
			/* The header, then a frame that may exceed the MTU
			 * (the host's TSO and coalesced segments). */
			struct riad_vnet_hdr vh;
			if (n < hl) {
				nif->stats.rx_drop_size++;
				buf_put(d, b);
				continue;
			}
			memcpy(&vh, dst, sizeof(vh));
			marks = riad_netif_vnet_rx_marks(&vh);
			n -= hl;
		}
		if (!riad_netif_vnet_rx_len_ok(nif, d->vnet, n)) {
			nif->stats.rx_drop_size++;
			buf_put(d, b);
			continue;
		}
		d->readable = true;
		d->out++;
		riad_pbuf_init(&b->p, b->mem, RIAD_NETIF_RX_HEADROOM + d->frame_max,
		               RIAD_NETIF_RX_HEADROOM, n, buf_release, b);
		b->p.offload = marks;
		nif->stats.rx_frames++;
		nif->stats.rx_bytes += n;
		return &b->p;
	}
}

/* One frame behind its header, in one write. The header goes into p's
 * headroom, whose bytes are put back after (p may be a TCP segment that is
 * kept for retransmission: it must come back as it was), or, with no
 * headroom left, both are copied into a buffer of our own. */
static solo5_result_t vnet_write(struct s5net *d, struct riad_pbuf *p,
                                 const struct riad_vnet_hdr *vh)
{
	static uint8_t copy[VNET_LEN + RIAD_NETIF_GSO_MAX];
	if (riad_pbuf_headroom(p) < VNET_LEN) {
		memcpy(copy, vh, VNET_LEN);
		memcpy(copy + VNET_LEN, p->data, p->len);
		return riad_base_net_write(d->h, copy, VNET_LEN + p->len);
	}
	uint8_t saved[VNET_LEN];
	uint8_t *at = p->data - VNET_LEN;
	memcpy(saved, at, VNET_LEN);
	memcpy(at, vh, VNET_LEN);
	solo5_result_t r = riad_base_net_write(d->h, at, VNET_LEN + p->len);
	memcpy(at, saved, VNET_LEN);
	return r;
}

static int s5_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	struct s5net *d = nif->state;
	int r = 0;
	struct riad_vnet_hdr vh;
	if (!riad_netif_tx_len_ok(nif, p) || p->len > d->frame_max ||
	    (d->vnet && riad_netif_vnet_fill(&vh, p) < 0)) {
		nif->stats.tx_drop_size++;
		r = -RIAD_EMSGSIZE;
	} else if ((d->vnet ? vnet_write(d, p, &vh) : solo5_net_write(d->h, p->data, p->len)) !=
	           SOLO5_R_OK) {
		nif->stats.tx_drop_error++;
		r = -RIAD_EIO;
	} else {
		nif->stats.tx_frames++;
		nif->stats.tx_bytes += p->len;
	}
	riad_pbuf_unref(p);
	return r;
}

static int s5_wait(struct riad_netif *nif, int64_t deadline)
{
	struct s5net *d = nif->state;
	if (d->readable)
		return 0;
	return riad_solo5_wait_readable(&d->w, deadline);
}

static void s5_close(struct riad_netif *nif)
{
	struct s5net *d = nif->state;
	if (d->w.readable.head)
		riad_panic("netif %s closed while a fiber waits on it", nif->name);
	riad_solo5_watch_stop(&d->w);
	while (d->pool) {
		struct s5buf *b = d->pool;
		d->pool = b->next;
		free(b);
	}
	d->pooled = 0;
	d->closed = true;
	if (d->out == 0)
		free(d);
}

static const struct riad_netif_ops s5_ops = {
	.send = s5_send,
	.recv = s5_recv,
	.wait = s5_wait,
	.close = s5_close,
};

struct riad_netif *riad_net_device_open(const char *name, int *err)
{
	solo5_handle_t h;
	struct solo5_net_info info;
	if (solo5_net_acquire(name, &h, &info) != SOLO5_R_OK) {
		riad_err(netif_log, "net device '%s' is not in the manifest or not attached "
		         "(declare it with RIAD_NET_IFACE(%s); attach it with riad run --net %s=TAP)",
		         name, name, name);
		if (err)
			*err = -RIAD_ENODEV;
		return NULL;
	}
	struct s5net *d = calloc(1, sizeof(*d));
	if (!d) {
		if (err)
			*err = -RIAD_ENOMEM;
		return NULL;
	}
	unsigned mtu = (unsigned)info.mtu;
	if (mtu < 68 || mtu > 65535 - SOLO5_NET_HLEN)
		mtu = mtu < 68 ? 68 : 65535 - SOLO5_NET_HLEN;
	unsigned granted = riad_base_net_flags(h);
	d->h = h;
	d->vnet = (granted & RIAD_MFT_NET_F_VNET) != 0;
	d->frame_max = d->vnet ? RIAD_NETIF_GSO_MAX : (size_t)mtu + SOLO5_NET_HLEN;
	d->readable = true;
	riad_netif_init(&d->nif, &s5_ops, d, info.mac_address, mtu, name);
	if (d->vnet && (granted & RIAD_MFT_NET_F_CSUM))
		d->nif.features |= RIAD_NETIF_F_CSUM4 | RIAD_NETIF_F_RX_CSUM;
	if (d->vnet && (granted & RIAD_MFT_NET_F_CSUM) && (granted & RIAD_MFT_NET_F_TSO4))
		d->nif.features |= RIAD_NETIF_F_TSO4 | RIAD_NETIF_F_RX_LARGE;
	if (riad_solo5_watch_start(&d->w, h) < 0) {
		free(d);
		riad_err(netif_log, "net device '%s' is open already", name);
		if (err)
			*err = -RIAD_EAGAIN;
		return NULL;
	}
	riad_debug(netif_log, "net %s: open, MTU %u, offloads %s", name, mtu,
	           d->nif.features ? "on" : "off");
	return &d->nif;
}
