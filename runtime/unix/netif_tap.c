/* runtime/unix/netif_tap.c: a net device over an existing Linux tap
 * interface (riad/netif_tap.h), read and written through /dev/net/tun and
 * waited on through the scheduler's epoll.
 *
 * Receive buffers are one allocation each (struct tap_buf: the pbuf, then
 * RIAD_NETIF_RX_HEADROOM, then room for the largest frame plus one byte, so
 * that a longer frame shows as too long instead of silently truncated).
 * Their release hook puts them back in the tap's pool, which outlives the
 * device until the last buffer handed out comes back.
 *
 * Offloads (riad_netif_tap_open_ex with RIAD_NETIF_TAP_OFFLOAD): the tap is
 * attached with IFF_VNET_HDR, so every frame read or written is preceded by
 * a struct virtio_net_hdr (10 bytes: no mergeable buffers, which only a
 * virtio ring needs), and TUNSETOFFLOAD tells the kernel we take partial
 * checksums (TUN_F_CSUM) and TCP/IPv4 segments of up to 64 KiB (TUN_F_TSO4)
 * from it, which it then also takes from us. On send, a frame the stack
 * marked gets a header asking the kernel to complete the TCP checksum
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM, from csum_start on, into csum_offset) and,
 * with gso_size, to split it into MSS-sized segments (GSO_TCPV4); on
 * receive, NEEDS_CSUM (the host left the checksum to the "device": the
 * bytes never crossed a wire) and DATA_VALID (the host verified it) both
 * mark the pbuf RIAD_PBUF_RX_CSUM_OK, and frames of up to 64 KiB (the
 * host's TSO segments and GRO'd ones) are taken. When the kernel refuses
 * any of this the tap is attached plainly instead, which costs nothing
 * but speed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <riad/log.h>
#include <riad/netif.h>
#include <riad/netif_tap.h>

#include "../runtime.h"
#include "netif_vnet.h"
#include "unix.h"

RIAD_LOG_SRC(netif_log, "netif", "Network interfaces");

struct tap;

struct tap_buf {
	struct riad_pbuf p;
	struct tap *tap;
	struct tap_buf *next;  /* in the pool */
	uint8_t mem[];
};

struct tap {
	struct riad_netif nif;
	struct riad_unix_fd w;
	size_t buf_size;        /* headroom + largest frame + 1 */
	struct tap_buf *pool;
	size_t pooled;
	size_t out;             /* buffers handed out, not yet released */
	bool readable;          /* the last read did not end in EAGAIN */
	bool gone;              /* the interface disappeared */
	bool closed;
	bool vnet;              /* frames carry a struct virtio_net_hdr */
};

#define VNET_HDR_LEN sizeof(struct virtio_net_hdr)

/* riad's copy of the header (netif_vnet.h) is the kernel's. */
_Static_assert(sizeof(struct virtio_net_hdr) == sizeof(struct riad_vnet_hdr), "vnet header");
_Static_assert(offsetof(struct virtio_net_hdr, csum_offset) ==
               offsetof(struct riad_vnet_hdr, csum_offset), "vnet header layout");
_Static_assert(VIRTIO_NET_HDR_F_NEEDS_CSUM == RIAD_VNET_F_NEEDS_CSUM &&
               VIRTIO_NET_HDR_F_DATA_VALID == RIAD_VNET_F_DATA_VALID &&
               VIRTIO_NET_HDR_GSO_TCPV4 == RIAD_VNET_GSO_TCPV4, "vnet header values");

static void tap_buf_release(struct riad_pbuf *p)
{
	struct tap_buf *b = p->release_arg;
	struct tap *t = b->tap;
	t->out--;
	if (!t->closed && t->pooled < RIAD_NETIF_TAP_POOL) {
		b->next = t->pool;
		t->pool = b;
		t->pooled++;
		return;
	}
	free(b);
	if (t->closed && t->out == 0)
		free(t);
}

static struct tap_buf *buf_get(struct tap *t)
{
	struct tap_buf *b = t->pool;
	if (b) {
		t->pool = b->next;
		t->pooled--;
		return b;
	}
	b = malloc(sizeof(*b) + t->buf_size);
	if (b)
		b->tap = t;
	return b;
}

static void buf_put(struct tap *t, struct tap_buf *b)
{
	b->next = t->pool;
	t->pool = b;
	t->pooled++;
}

static struct riad_pbuf *tap_recv(struct riad_netif *nif)
{
	struct tap *t = nif->state;
	size_t cap = t->buf_size - RIAD_NETIF_RX_HEADROOM;
	while (!t->gone) {
		struct tap_buf *b = buf_get(t);
		struct riad_vnet_hdr vh;
		struct iovec iov[2] = { { &vh, VNET_HDR_LEN }, { NULL, cap } };
		ssize_t n;
		if (b) {
			iov[1].iov_base = b->mem + RIAD_NETIF_RX_HEADROOM;
			n = t->vnet ? readv(t->w.fd, iov, 2) : read(t->w.fd, iov[1].iov_base, cap);
		} else {
			/* Take the frame off the device anyway: leaving it
			 * there would keep the fd readable for ever. */
			static uint8_t scratch[RIAD_NETIF_GSO_MAX + 64];
			n = read(t->w.fd, scratch, sizeof(scratch));
			if (n >= 0) {
				nif->stats.rx_drop_nomem++;
				continue;
			}
		}
		if (n < 0) {
			int e = errno;
			if (b)
				buf_put(t, b);
			if (e == EINTR)
				continue;
			if (e == EAGAIN || e == EWOULDBLOCK) {
				t->readable = false;
				return NULL;
			}
			if (e == EBADFD || e == ENXIO || e == ENODEV) {
				riad_err(netif_log, "tap %s: interface gone", nif->name);
				t->gone = true;
				return NULL;
			}
			nif->stats.rx_drop_error++;
			t->readable = false;
			return NULL;
		}
		uint8_t marks = 0;
		if (t->vnet) {
			/* The header first; then, as the frame's length, a
			 * coalesced segment may exceed the MTU (cap stops it at
			 * RIAD_NETIF_GSO_MAX + 1). */
			if ((size_t)n < VNET_HDR_LEN) {
				nif->stats.rx_drop_size++;
				buf_put(t, b);
				continue;
			}
			n -= (ssize_t)VNET_HDR_LEN;
			marks = riad_netif_vnet_rx_marks(&vh);
		}
		if (!riad_netif_vnet_rx_len_ok(nif, t->vnet, (size_t)n)) {
			nif->stats.rx_drop_size++;
			buf_put(t, b);
			continue;
		}
		t->readable = true;
		t->out++;
		riad_pbuf_init(&b->p, b->mem, t->buf_size, RIAD_NETIF_RX_HEADROOM, (size_t)n,
		               tap_buf_release, b);
		b->p.offload = marks;
		nif->stats.rx_frames++;
		nif->stats.rx_bytes += (uint64_t)n;
		return &b->p;
	}
	return NULL;
}

static int tap_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	struct tap *t = nif->state;
	int r = 0;
	struct riad_vnet_hdr vh;
	if (!riad_netif_tx_len_ok(nif, p) || (t->vnet && riad_netif_vnet_fill(&vh, p) < 0)) {
		nif->stats.tx_drop_size++;
		r = -RIAD_EMSGSIZE;
		goto out;
	}
	ssize_t n;
	struct iovec iov[2] = { { &vh, VNET_HDR_LEN }, { p->data, p->len } };
	do
		n = t->vnet ? writev(t->w.fd, iov, 2) : write(t->w.fd, p->data, p->len);
	while (n < 0 && errno == EINTR);
	if (t->vnet && n >= (ssize_t)VNET_HDR_LEN)
		n -= (ssize_t)VNET_HDR_LEN;
	if (n == (ssize_t)p->len) {
		nif->stats.tx_frames++;
		nif->stats.tx_bytes += p->len;
	} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
		nif->stats.tx_drop_queue++;
		r = -RIAD_ENOBUFS;
	} else {
		/* EIO: the interface is down; a short write cannot happen
		 * on a tap but would be a broken frame all the same. */
		nif->stats.tx_drop_error++;
		r = -RIAD_EIO;
	}
out:
	riad_pbuf_unref(p);
	return r;
}

static int tap_wait(struct riad_netif *nif, int64_t deadline)
{
	struct tap *t = nif->state;
	if (t->gone)
		return -RIAD_EIO;
	if (t->readable)
		return 0;
	return riad_unix_fd_wait_readable(&t->w, deadline);
}

static void tap_close(struct riad_netif *nif)
{
	struct tap *t = nif->state;
	if (t->w.readable.head)
		riad_panic("netif %s closed while a fiber waits on it", nif->name);
	riad_unix_fd_unregister(&t->w);
	/* The offloads belong to the interface, not to this file: a plain
	 * user after us must not be handed 64 KiB segments. */
	if (t->vnet)
		(void)ioctl(t->w.fd, TUNSETOFFLOAD, 0);
	close(t->w.fd);
	while (t->pool) {
		struct tap_buf *b = t->pool;
		t->pool = b->next;
		free(b);
	}
	t->pooled = 0;
	t->closed = true;
	if (t->out == 0)
		free(t);
}

static const struct riad_netif_ops tap_ops = {
	.send = tap_send,
	.recv = tap_recv,
	.wait = tap_wait,
	.close = tap_close,
};

/* Log the one line that explains why ifname cannot be opened. */
static struct riad_netif *fail(int *err, int e, const char *ifname, const char *why,
                               const char *hint)
{
	riad_err(netif_log, "tap %s: %s%s%s%s", ifname, why, hint ? " (" : "", hint ? hint : "",
	         hint ? ")" : "");
	if (err)
		*err = -e;
	return NULL;
}

/* Attach fd to ifname with flags; 0 or the errno. */
static int attach(int fd, const char *ifname, short flags)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_flags = flags;
	return ioctl(fd, TUNSETIFF, &ifr) < 0 ? errno : 0;
}

/* Ask for the virtio-net header and the offloads on the fd attached with
 * IFF_VNET_HDR; false if the kernel refused any of it. */
static bool offloads_on(int fd)
{
	int sz = (int)VNET_HDR_LEN;
	if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0)
		return false;
	return ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) == 0;
}

static int open_tun(void)
{
	return open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
}

struct riad_netif *riad_netif_tap_open(const char *ifname, const uint8_t *mac, int *err)
{
	return riad_netif_tap_open_ex(ifname, mac, 0, err);
}

struct riad_netif *riad_netif_tap_open_ex(const char *ifname, const uint8_t *mac, unsigned flags_in,
                                          int *err)
{
	char hint[128];
	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '/'))
		return fail(err, EINVAL, ifname ? ifname : "(null)", "not a valid interface name",
		            NULL);

	/* What the interface is, asked of the kernel before opening it: a
	 * TUNSETIFF on a name that does not exist would create a new tap. */
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return fail(err, errno, ifname, "cannot make a socket to ask about it", NULL);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		int e = errno;
		close(s);
		if (e == ENODEV) {
			snprintf(hint, sizeof(hint), "create it with: ip tuntap add dev %s mode tap",
			         ifname);
			return fail(err, RIAD_ENODEV, ifname, "no such interface", hint);
		}
		return fail(err, e, ifname, strerror(e), NULL);
	}
	short flags = ifr.ifr_flags;
	if (ioctl(s, SIOCGIFMTU, &ifr) < 0) {
		int e = errno;
		close(s);
		return fail(err, e, ifname, "cannot read its MTU", strerror(e));
	}
	int mtu = ifr.ifr_mtu;
	close(s);
	if (mtu < 68)
		return fail(err, EINVAL, ifname, "MTU below 68", NULL);
	if (mtu > 65535 - RIAD_NETIF_HDR_MAX)
		mtu = 65535 - RIAD_NETIF_HDR_MAX;

	bool vnet = false;
	int fd = -1;
	if (flags_in & RIAD_NETIF_TAP_OFFLOAD) {
		/* Offloads if the kernel takes them; else the plain attach
		 * below on a fresh fd (IFF_VNET_HDR cannot be dropped from an
		 * attached one). */
		fd = open_tun();
		int ae = fd >= 0 ? attach(fd, ifname, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR) : -1;
		if (ae == 0 && offloads_on(fd))
			vnet = true;
		else if (ae == 0 || ae == EINVAL)
			riad_info(netif_log, "tap %s: the kernel refused offloads; plain frames",
			          ifname);
		/* Other failures (busy, no permission) the plain attach
		 * meets again and explains. */
		if (!vnet && fd >= 0) {
			close(fd);
			fd = -1;
		}
	}
	if (!vnet)
		fd = open_tun();
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENXIO || e == ENODEV)
			return fail(err, e, ifname, "no /dev/net/tun", "the tun driver is missing");
		if (e == EACCES || e == EPERM)
			return fail(err, e, ifname, "permission denied opening /dev/net/tun", NULL);
		return fail(err, e, ifname, "cannot open /dev/net/tun", strerror(e));
	}
	int e = vnet ? 0 : attach(fd, ifname, IFF_TAP | IFF_NO_PI);
	if (e) {
		close(fd);
		if (e == EBUSY)
			return fail(err, e, ifname, "busy", "another process has it open");
		if (e == EINVAL)
			return fail(err, e, ifname, "not a tap", "a tun, a multi-queue tap, or another kind of interface");
		if (e == EPERM || e == EACCES)
			return fail(err, e, ifname, "permission denied",
			            "needs CAP_NET_ADMIN, or a tap made with: ip tuntap add ... user USER");
		return fail(err, e, ifname, "cannot attach", strerror(e));
	}
	/* A plain attach leaves no offloads behind a previous user's (one
	 * that died before its close could clear them). */
	if (!vnet)
		(void)ioctl(fd, TUNSETOFFLOAD, 0);
	if (!(flags & IFF_UP)) {
		close(fd);
		snprintf(hint, sizeof(hint), "bring it up with: ip link set %s up", ifname);
		return fail(err, RIAD_ENETDOWN, ifname, "interface is down", hint);
	}

	struct tap *t = calloc(1, sizeof(*t));
	if (!t) {
		close(fd);
		return fail(err, ENOMEM, ifname, "out of memory", NULL);
	}
	uint8_t own_mac[RIAD_NETIF_MAC_LEN];
	if (mac)
		memcpy(own_mac, mac, sizeof(own_mac));
	else
		riad_netif_random_mac(own_mac);
	riad_netif_init(&t->nif, &tap_ops, t, own_mac, (unsigned)mtu, ifname);
	t->vnet = vnet;
	if (vnet) {
		t->nif.features = RIAD_NETIF_F_CSUM4 | RIAD_NETIF_F_TSO4 | RIAD_NETIF_F_RX_LARGE |
		                  RIAD_NETIF_F_RX_CSUM;
		t->buf_size = RIAD_NETIF_RX_HEADROOM + RIAD_NETIF_GSO_MAX + 1;
	} else {
		t->buf_size = RIAD_NETIF_RX_HEADROOM + (size_t)mtu + RIAD_NETIF_HDR_MAX + 1;
	}
	t->readable = true;
	int r = riad_unix_fd_register(&t->w, fd);
	if (r < 0) {
		close(fd);
		free(t);
		return fail(err, -r, ifname, "cannot watch it with epoll", strerror(-r));
	}
	riad_debug(netif_log, "tap %s: open, MTU %d, offloads %s, MAC %02x:%02x:%02x:%02x:%02x:%02x",
	           ifname, mtu, vnet ? "on" : "off", own_mac[0], own_mac[1], own_mac[2], own_mac[3], own_mac[4], own_mac[5]);
	return &t->nif;
}
