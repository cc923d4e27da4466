/* riad/netif.h: network interfaces (net devices), an instance interface.
 *
 * A unikernel may have several network interfaces (a firewall has two; a
 * test wires several stacks to one in-memory switch), so a net device is an
 * explicit instance, struct riad_netif, not a link-time singleton
 * (DESIGN.md section 2). Callers use the inline riad_netif_*() wrappers
 * below and never touch the ops table. Implementations in riad:
 *
 *	riad_netif_tap_open()      a Linux tap (unix target only)
 *	riad_netif_switch_port()   a port of an in-memory Ethernet switch
 *	riad_netif_fault_wrap()    seeded fault injection over any other netif
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
 * Counters start at zero. */
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

/* A group (broadcast or multicast) address: the I/G bit is set. */
static inline bool riad_netif_mac_is_group(const uint8_t *mac)
{
	return (mac[0] & 1) != 0;
}

/* A tap (runtime/unix/netif_tap.c; the unix target only, so a unikernel
 * that calls it links on unix and nowhere else).
 *
 * Opens the existing tap interface ifname through /dev/net/tun (IFF_TAP,
 * IFF_NO_PI: no offloads, one frame per read or write), non-blocking and
 * watched by the scheduler's epoll. It never creates an interface: make
 * one with `ip tuntap add dev NAME mode tap` and `ip link set NAME up`.
 * mac is the unikernel's own address (NULL: riad_netif_random_mac()); the
 * MTU is the interface's (SIOCGIFMTU). Received frames are read into
 * recycled buffers (at most RIAD_NETIF_TAP_POOL kept) with
 * RIAD_NETIF_RX_HEADROOM of headroom. send writes the frame at once: the
 * kernel takes it or drops it, it never blocks.
 *
 * Returns the device, or NULL after logging one line on the "netif" log
 * source that names the interface and the cause (no such interface, not a
 * tap, busy, down, no /dev/net/tun, no permission), and storing the
 * negative errno in *err if err is not NULL (-RIAD_ENODEV for a missing
 * interface, -RIAD_ENETDOWN for one that is down). */
struct riad_netif *riad_netif_tap_open(const char *ifname, const uint8_t *mac, int *err);

/* The in-memory switch (netif/netif_switch.c), for tests: several stacks in
 * one process, each on its own port.
 *
 * A frame sent on a port is queued on every other port whose MAC is the
 * frame's destination; a broadcast or multicast frame on every other port;
 * a promiscuous port gets a copy of every frame. Frames to no port are
 * dropped and counted (no_dest). Queuing wakes the fibers waiting on the
 * receiving port; they run when the sender parks, as with a real device.
 * Each port's queue holds at most RIAD_NETIF_SWITCH_QUEUE frames; beyond
 * that, frames for it are dropped and counted in its rx_drop_queue. Frame
 * lengths are checked against the sending port's MTU (tx_drop_size) and
 * the receiving port's (rx_drop_size). Each receiver gets its own pbuf: the
 * sender's if nobody else holds it and it has the headroom, else a copy. */
struct riad_netif_switch;

struct riad_netif_switch_stats {
	uint64_t frames;      /* frames sent on any port */
	uint64_t delivered;   /* frame copies queued on a receiving port */
	uint64_t no_dest;     /* unicast frames no port had the address of */
	uint64_t dropped;     /* copies dropped at a receiving port */
};

/* A new switch with no port; NULL if out of memory. */
struct riad_netif_switch *riad_netif_switch_new(void);

/* Close every port still open and free the switch. */
void riad_netif_switch_free(struct riad_netif_switch *sw);

/* A new port: mac NULL picks 02:72:69:61:64:NN (NN the port's number,
 * from 0, so tests are reproducible); mtu 0 means 1500. Named "swS.N".
 * Close it with riad_netif_close(). NULL if RIAD_NETIF_SWITCH_PORTS ports
 * are open or memory runs out. */
struct riad_netif *riad_netif_switch_port(struct riad_netif_switch *sw, const uint8_t *mac,
                                          unsigned mtu);

/* Make port receive every frame sent on the switch (its own excepted). */
void riad_netif_switch_promisc(struct riad_netif *port, bool on);

void riad_netif_switch_stats(const struct riad_netif_switch *sw,
                             struct riad_netif_switch_stats *out);

/* The fault wrapper (netif/netif_fault.c): wraps any netif and applies
 * seeded, reproducible faults to each direction, as netem would.
 *
 * Each frame entering a direction (tx: passed to send; rx: received from
 * the inner device) goes through these steps, each decided by the
 * direction's own PRNG (xoshiro256**, seeded from the seed with
 * splitmix64; not the Fortuna generator):
 *
 *   1. loss: dropped with probability loss_ppm / 1e6;
 *   2. corruption: with probability corrupt_ppm / 1e6, corrupt_bits bits
 *      (at least 1) at random positions after the 14-byte Ethernet header
 *      are flipped (a damaged header is what a real FCS catches and turns
 *      into loss); frames of 14 bytes or less are left alone;
 *   3. duplication: with probability duplicate_ppm / 1e6 a copy follows
 *      the frame;
 *   4. reordering: with probability reorder_ppm / 1e6 the frame is held
 *      back until reorder_gap (0 means 1) later frames have gone past it,
 *      or reorder_max_ns (0 means 10 ms) have passed, whichever is first;
 *   5. delay: the frame (and its copy) leaves delay_ns plus a uniform
 *      random [0, jitter_ns) later; frames that leave at the same time
 *      keep their order, so jitter reorders but a fixed delay does not.
 *
 * Every frame consumes the same number of draws from its direction's PRNG
 * whatever the settings, so a seed reproduces the same decisions for the
 * n-th frame of a direction in every run, and changing one probability
 * does not change the other kinds of faults. Delayed transmissions leave
 * from a fiber of the wrapper, at their time, through the scheduler's
 * timers; delayed receptions become ready for recv at their time (wait
 * returns then). At most RIAD_NETIF_FAULT_HELD frames per direction are
 * held back or delayed; a frame beyond that is dropped and counted in
 * overflow.
 *
 * The wrapper owns inner: closing it closes inner too. Its MAC, MTU and
 * name ("fault(inner)") are inner's; its riad_netif_stats count what
 * crosses its own boundary (frames sent by the caller, frames handed to
 * it). */
struct riad_netif_fault_dir {
	uint32_t loss_ppm;       /* parts per million, 0..1000000 */
	uint32_t corrupt_ppm;
	uint32_t corrupt_bits;   /* bits flipped in a corrupted frame (0: 1) */
	uint32_t duplicate_ppm;
	uint32_t reorder_ppm;
	uint32_t reorder_gap;    /* later frames a held frame waits for (0: 1) */
	int64_t reorder_max_ns;  /* longest hold (0: 10 ms) */
	int64_t delay_ns;        /* fixed delay of every frame */
	int64_t jitter_ns;       /* plus a uniform random [0, jitter_ns) */
};

struct riad_netif_fault_config {
	uint64_t seed;
	struct riad_netif_fault_dir rx, tx;
};

/* What the wrapper did, per direction. Once nothing is held back,
 * frames + duplicated == passed + lost + overflow + (frames dropped for
 * nomem): every frame and every copy either left or was dropped once. */
struct riad_netif_fault_stats {
	uint64_t frames;      /* frames that entered this direction */
	uint64_t passed;      /* frames (and copies) that left it */
	uint64_t lost;
	uint64_t corrupted;
	uint64_t duplicated;  /* copies made */
	uint64_t reordered;   /* frames held back for later frames */
	uint64_t delayed;     /* frames that waited for delay_ns/jitter_ns */
	uint64_t overflow;    /* frames or copies dropped: RIAD_NETIF_FAULT_HELD
	                       * were held already */
	uint64_t nomem;       /* copies not made for want of memory: a skipped
	                       * duplicate, or a dropped frame that was to be
	                       * corrupted while others held it */
};

enum riad_netif_dir { RIAD_NETIF_RX = 0, RIAD_NETIF_TX = 1 };

/* Wrap inner (which the wrapper then owns) with the faults in cfg (copied).
 * NULL if out of memory (inner is then left open and unchanged). */
struct riad_netif *riad_netif_fault_wrap(struct riad_netif *inner,
                                         const struct riad_netif_fault_config *cfg);

/* Change one direction's faults from now on (e.g. stop losing frames to
 * let a test finish). The PRNG streams go on where they were; frames
 * already held keep their times. nif must come from riad_netif_fault_wrap
 * (aborts otherwise). */
void riad_netif_fault_set(struct riad_netif *nif, enum riad_netif_dir dir,
                          const struct riad_netif_fault_dir *faults);

void riad_netif_fault_stats(const struct riad_netif *nif, enum riad_netif_dir dir,
                            struct riad_netif_fault_stats *out);

/* The inner device (for its own counters). */
struct riad_netif *riad_netif_fault_inner(const struct riad_netif *nif);

/* The text form of a configuration (netif/netif_fault_spec.c), as the boot
 * option --net-faults takes it: "seed=42,loss=1%,tx:delay=10ms" (the
 * grammar is in docs/netif.md). Parse fills *cfg (only on success) and
 * *seeded (whether seed= was given) and returns 0, or -RIAD_EINVAL with a
 * one-line reason naming the offending item in err (errlen bytes, always
 * NUL-terminated; err may be NULL). Format writes the canonical text of
 * cfg, which parses back to cfg, as snprintf does: at most len bytes, and
 * returns the length the whole text needs. */
int riad_netif_fault_spec_parse(const char *spec, struct riad_netif_fault_config *cfg,
                                bool *seeded, char *err, size_t errlen);
size_t riad_netif_fault_spec_format(const struct riad_netif_fault_config *cfg, char *buf,
                                    size_t len);

#endif
