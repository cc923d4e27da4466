/* runtime/solo5/netif_solo5.c: the net device on the solo5 targets: a riad_netif over solo5_net_read/solo5_net_write, woken through solo5_yield, and riad_net_device_open() by manifest name.
 *
 * Receive buffers are one allocation each (the pbuf, then
 * RIAD_NETIF_RX_HEADROOM, then the largest frame) and go back to a pool
 * from their release hook, as with the tap on unix. solo5_net_read takes
 * frames until SOLO5_R_AGAIN; the scheduler's solo5_yield reports the
 * handle ready again when more came, which wakes riad_netif_wait.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <riad/log.h>
#include <riad/net.h>
#include <riad/netif.h>

#include "../net_device.h"
#include "../runtime.h"
#include "solo5.h"

RIAD_LOG_SRC(netif_log, "netif", "Network interfaces");

#define POOL_MAX RIAD_NETIF_TAP_POOL

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
	size_t frame_max;  /* what solo5_net_read may write: MTU + SOLO5_NET_HLEN */
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
	for (;;) {
		struct s5buf *b = buf_get(d);
		static uint8_t scratch[65536];
		uint8_t *dst = b ? b->mem + RIAD_NETIF_RX_HEADROOM : scratch;
		size_t n = 0;
		solo5_result_t r = solo5_net_read(d->h, dst, d->frame_max, &n);
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
		if (!riad_netif_len_ok(nif, n)) {
			nif->stats.rx_drop_size++;
			buf_put(d, b);
			continue;
		}
		d->readable = true;
		d->out++;
		riad_pbuf_init(&b->p, b->mem, RIAD_NETIF_RX_HEADROOM + d->frame_max,
		               RIAD_NETIF_RX_HEADROOM, n, buf_release, b);
		nif->stats.rx_frames++;
		nif->stats.rx_bytes += n;
		return &b->p;
	}
}

static int s5_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	struct s5net *d = nif->state;
	int r = 0;
	if (!riad_netif_len_ok(nif, p->len) || p->len > d->frame_max) {
		nif->stats.tx_drop_size++;
		r = -RIAD_EMSGSIZE;
	} else if (solo5_net_write(d->h, p->data, p->len) != SOLO5_R_OK) {
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
	d->h = h;
	d->frame_max = (size_t)mtu + SOLO5_NET_HLEN;
	d->readable = true;
	riad_netif_init(&d->nif, &s5_ops, d, info.mac_address, mtu, name);
	if (riad_solo5_watch_start(&d->w, h) < 0) {
		free(d);
		riad_err(netif_log, "net device '%s' is open already", name);
		if (err)
			*err = -RIAD_EAGAIN;
		return NULL;
	}
	return &d->nif;
}
