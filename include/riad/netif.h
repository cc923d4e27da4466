/* riad/netif.h: network interfaces (net devices), an instance interface.
 *
 * A unikernel may have several network interfaces (a firewall has two; a
 * test wires several stacks to one in-memory switch), so a net device is an
 * explicit instance, struct riad_netif, not a link-time singleton
 * (DESIGN.md section 2). Callers use the inline riad_netif_*() wrappers
 * below and never touch the ops table. Implementations in riad:
 *
 *	riad_netif_tap_open()      a Linux tap (unix target only; riad/netif_tap.h)
 *	riad_netif_switch_port()   a port of an in-memory Ethernet switch, for
 *	                           tests (riad/netif_switch.h)
 *	riad_netif_fault_wrap()    seeded fault injection over any other netif
 *	                           (riad/netif_fault.h)
 *	(solo5 targets)            solo5_net_* (runtime/solo5)
 *
 * Frames. A frame is one Ethernet frame from the destination MAC address
 * on: a 14-byte header (destination, source, EtherType), an optional 802.1Q
 * tag, and the payload; no preamble, no frame check sequence, no padding
 * required (a device pads short frames if its medium needs it). The largest
 * frame a device sends or delivers is riad_netif_mtu() + RIAD_NETIF_HDR_MAX
 * bytes; the smallest is RIAD_NETIF_HDR_MIN.
 *
 * Buffers and ownership. Frames travel in pbufs (riad/pbuf.h), the frame
 * being [p->data, p->data + p->len).
 *  - riad_netif_send() consumes the caller's reference in every case, sent
 *    or dropped. A device never changes a pbuf somebody else also holds
 *    (p->refs > 1, e.g. a TCP segment kept for retransmission): it copies
 *    first if it must change or hand on the bytes.
 *  - riad_netif_recv() hands the caller a pbuf of its own (refs == 1) that
 *    the caller may change, pull headers from, push into and send again
 *    (zero-copy replies). It has at least RIAD_NETIF_RX_HEADROOM bytes of
 *    headroom (riad/opt.h). Its memory may belong to the device, which
 *    recycles it from the release hook: unref it when done, never free it.
 *
 * Blocking. send and recv never block and never park the fiber; only
 * riad_netif_wait() parks. Input is edge-triggered underneath (epoll on
 * unix), so the one correct receive loop is:
 *
 *	for (;;) {
 *		struct riad_pbuf *p = riad_netif_recv(nif);
 *		if (p) { handle(p); continue; }
 *		if (riad_netif_wait(nif, deadline) < 0) break; // timed out, or gone
 *	}
 *
 * (riad_netif_recv_until() is that loop for one frame.) wait returns at
 * once if input arrived since recv last returned NULL.
 *
 * Offloads. A device may offer some of the RIAD_NETIF_F_* features below
 * (riad_netif_features(); none unless it says so). The stack then marks
 * the pbufs it sends (riad/pbuf.h: gso_size, RIAD_PBUF_TX_CSUM_TCP4) and
 * honours the mark the device puts on what it receives
 * (RIAD_PBUF_RX_CSUM_OK). A device without a feature never sees a pbuf
 * that needs it.
 *
 * Errors. Functions return 0 or a negative RIAD_E* value; what each one
 * means is listed with the function. Every frame a device drops is counted
 * in its struct riad_netif_stats, by reason, so tests can assert on it.
 * Misuse (a NULL ops member, closing a device a fiber is waiting on) is a
 * programmer error and aborts the unikernel with a message.
 *
 * Fibers. A netif is used from one unikernel's fibers only; several fibers
 * may send on one netif, and several may wait on it (all wake, each then
 * calls recv). Nothing here needs locks: no other fiber runs between two
 * parking calls (riad/fiber.h).
 */
#ifndef RIAD_NETIF_H
#define RIAD_NETIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/errno.h>
#include <riad/fiber.h>
#include <riad/opt.h>
#include <riad/pbuf.h>

/* Ethernet header sizes: without and with one 802.1Q tag. */
#define RIAD_NETIF_HDR_MIN 14
#define RIAD_NETIF_HDR_MAX 18
#define RIAD_NETIF_MAC_LEN 6
/* Longest name (riad_netif_name()), including the terminating NUL. */
#define RIAD_NETIF_NAME_MAX 32

/* Per-device counters. Frames and bytes count whole frames as defined
 * above (header included). A frame is counted in exactly one of
 * tx_frames or one tx_drop_* counter, and in exactly one of rx_frames or
 * one rx_drop_* counter. Counters only grow; they are never reset. */
struct riad_netif_stats {
	uint64_t rx_frames, rx_bytes;   /* handed to the caller by recv */
	uint64_t tx_frames, tx_bytes;   /* put on the wire by send */
	uint64_t rx_drop_queue;   /* the device's receive queue was full */
	uint64_t rx_drop_nomem;   /* no memory for a receive buffer or copy */
	uint64_t rx_drop_size;    /* shorter than RIAD_NETIF_HDR_MIN, or longer
	                           * than the MTU allows (truncated) */
	uint64_t rx_drop_error;   /* the host reported an error reading */
	uint64_t tx_drop_queue;   /* the host's or peer's queue was full */
	uint64_t tx_drop_nomem;   /* no memory for a copy the device needed */
	uint64_t tx_drop_size;    /* shorter than RIAD_NETIF_HDR_MIN, or longer
	                           * than riad_netif_mtu() + RIAD_NETIF_HDR_MAX */
	uint64_t tx_drop_error;   /* the host refused the frame (interface
	                           * down, device gone) */
};

/* Device features (struct riad_netif.features). */
/* send completes the TCP/IPv4 checksum of a frame marked
 * RIAD_PBUF_TX_CSUM_TCP4. */
#define RIAD_NETIF_F_CSUM4 0x01
/* send takes a TCP/IPv4 frame of up to RIAD_NETIF_GSO_MAX bytes with
 * gso_size set (and RIAD_PBUF_TX_CSUM_TCP4) and puts it on the wire as
 * segments of gso_size payload bytes each (TSO, GSO). */
#define RIAD_NETIF_F_TSO4 0x02
/* recv may hand out frames longer than the MTU allows, up to
 * RIAD_NETIF_GSO_MAX bytes: TCP segments the host coalesced (GRO, or a
 * host's TSO segment not yet split), and may mark frames
 * RIAD_PBUF_RX_CSUM_OK. */
#define RIAD_NETIF_F_RX_LARGE 0x04
#define RIAD_NETIF_F_RX_CSUM 0x08

/* The longest frame with offloads: an IPv4 datagram's 65535 bytes and an
 * Ethernet header. */
#define RIAD_NETIF_GSO_MAX (65535 + RIAD_NETIF_HDR_MAX)

struct riad_netif;

/* The table an implementation provides. Each member is required. */
struct riad_netif_ops {
	/* Send one frame, consuming p. Returns 0 when the frame went onto the
	 * wire (it may still be lost further on, as on any link), or, after
	 * counting the drop: -RIAD_EMSGSIZE (bad length), -RIAD_ENOBUFS (a
	 * queue was full, or no memory), -RIAD_EIO (the host refused it).
	 * Never blocks. */
	int (*send)(struct riad_netif *nif, struct riad_pbuf *p);
	/* The next received frame (the caller owns the reference), or NULL if
	 * none is ready now. Never blocks. */
	struct riad_pbuf *(*recv)(struct riad_netif *nif);
	/* Park the calling fiber until input may be ready or riad_time_ns() >=
	 * deadline (RIAD_TIME_NEVER: no deadline). Returns 0 (call recv; it
	 * may still return NULL: wake-ups can be spurious), -RIAD_ETIMEDOUT,
	 * or -RIAD_EIO if the device is gone and no frame will ever arrive.
	 * Returns 0 at once when input is already ready. Must be called from
	 * a fiber. */
	int (*wait)(struct riad_netif *nif, int64_t deadline);
	/* Release everything the device holds: queued frames are dropped
	 * (not counted), the host resources closed, the instance freed. Frames
	 * recv handed out stay valid until their last unref. Never blocks. */
	void (*close)(struct riad_netif *nif);
};

/* An instance. The fields belong to the implementation: callers read
 * them only through the wrappers below. The implementation allocates it
 * (usually inside its own state) and fills it with riad_netif_init(). */
struct riad_netif {
	const struct riad_netif_ops *ops;
	void *state;                       /* the implementation's */
	uint8_t mac[RIAD_NETIF_MAC_LEN];   /* this interface's address */
	uint16_t mtu;                      /* largest payload of a frame */
	unsigned features;                 /* RIAD_NETIF_F_*, set by the
	                                    * implementation after init */
	char name[RIAD_NETIF_NAME_MAX];    /* for logs: "tap0", "sw0.1" */
	struct riad_netif_stats stats;
};

/* The wrappers. */

/* See struct riad_netif_ops. */
static inline int riad_netif_send(struct riad_netif *nif, struct riad_pbuf *p)
{
	return nif->ops->send(nif, p);
}

static inline struct riad_pbuf *riad_netif_recv(struct riad_netif *nif)
{
	return nif->ops->recv(nif);
}

static inline int riad_netif_wait(struct riad_netif *nif, int64_t deadline)
{
	return nif->ops->wait(nif, deadline);
}

/* Close nif (NULL: nothing). nif is invalid afterwards. */
static inline void riad_netif_close(struct riad_netif *nif)
{
	if (nif)
		nif->ops->close(nif);
}

/* The next frame, parking until one arrives; NULL when the deadline
 * passed first or the device is gone. */
static inline struct riad_pbuf *riad_netif_recv_until(struct riad_netif *nif, int64_t deadline)
{
	for (;;) {
		struct riad_pbuf *p = nif->ops->recv(nif);
		if (p || nif->ops->wait(nif, deadline) < 0)
			return p;
	}
}

/* The interface's MAC address (6 bytes, valid as long as nif is open). */
static inline const uint8_t *riad_netif_mac(const struct riad_netif *nif)
{
	return nif->mac;
}

/* The MTU: the largest payload after the Ethernet header (1500 usually).
 * It does not change while the device is open. */
static inline unsigned riad_netif_mtu(const struct riad_netif *nif)
{
	return nif->mtu;
}

/* The device's RIAD_NETIF_F_* features. They do not change while it is
 * open. */
static inline unsigned riad_netif_features(const struct riad_netif *nif)
{
	return nif->features;
}

/* A short name for logs ("tap0", "sw0.2", "fault(tap0)"). */
static inline const char *riad_netif_name(const struct riad_netif *nif)
{
	return nif->name;
}

/* The device's counters, live (they change as frames move). */
static inline const struct riad_netif_stats *riad_netif_stats(const struct riad_netif *nif)
{
	return &nif->stats;
}

/* For implementations. */

/* Fill nif: ops (every member must be set: aborts otherwise), state, mac,
 * mtu (68..65535, else aborts), and name (truncated to fit; NULL: "net").
 * Counters and features start at zero. */
void riad_netif_init(struct riad_netif *nif, const struct riad_netif_ops *ops, void *state,
                     const uint8_t mac[RIAD_NETIF_MAC_LEN], unsigned mtu, const char *name);

/* A random unicast, locally administered MAC address (from riad/random.h,
 * so only once the generator is seeded, as it is when main() runs). */
void riad_netif_random_mac(uint8_t mac[RIAD_NETIF_MAC_LEN]);

/* Whether the frame length len is one a device with this MTU may send. */
static inline bool riad_netif_len_ok(const struct riad_netif *nif, size_t len)
{
	return len >= RIAD_NETIF_HDR_MIN && len <= (size_t)nif->mtu + RIAD_NETIF_HDR_MAX;
}

/* Whether p is a frame a device with this MTU and these features may
 * send: a GSO frame (gso_size set) may be longer than the MTU. */
static inline bool riad_netif_tx_len_ok(const struct riad_netif *nif, const struct riad_pbuf *p)
{
	if (p->gso_size && (nif->features & RIAD_NETIF_F_TSO4))
		return p->len >= RIAD_NETIF_HDR_MIN && p->len <= RIAD_NETIF_GSO_MAX;
	return riad_netif_len_ok(nif, p->len);
}

/* A group (broadcast or multicast) address: the I/G bit is set. */
static inline bool riad_netif_mac_is_group(const uint8_t *mac)
{
	return (mac[0] & 1) != 0;
}

#endif
