/* net/ether.h: Ethernet II framing (private: net/, and tcp/ and stack/ above it): parsing with
 * destination filtering, building, and the bounded queue of frames that the
 * protocols below IP produce for the device.
 *
 * Ownership: ether_input either drops the frame (unref, counted, -1) or
 * leaves the caller's reference with the header pulled (0). ether_output
 * and ether_txq_push take the caller's reference whatever they return.
 * Nothing here blocks or reads the clock.
 */
#ifndef RIAD_NET_ETHER_H
#define RIAD_NET_ETHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <riad/net_stats.h>
#include <riad/opt.h>
#include <riad/pbuf.h>

#include "ether_wire.h"

extern const uint8_t ether_broadcast[ETHER_ADDR_LEN];

/* Frames ready for the device, each a pbuf from the Ethernet header on. The
 * glue sends items[0..n) in order (the device takes each reference) and
 * sets n to 0, or calls ether_txq_clear. */
struct ether_txq {
	struct riad_pbuf *frames[RIAD_NET_ETHER_TXQ_MAX];
	size_t n;
};

static inline size_t ether_txq_space(const struct ether_txq *q)
{
	return RIAD_NET_ETHER_TXQ_MAX - q->n;
}

/* Append a whole frame (taking p's reference); on a full queue drop it,
 * count ether.tx_overflow and return -1. Counts ether.tx. */
int ether_txq_push(struct ether_txq *q, struct riad_pbuf *p, struct riad_net_stats *st);

/* Unref every queued frame and empty the queue. */
void ether_txq_clear(struct ether_txq *q);

/* What ether_input learnt from the header. */
struct ether_rx {
	uint8_t src[ETHER_ADDR_LEN];
	uint16_t type;  /* ETHER_TYPE_IPV4 or ETHER_TYPE_ARP */
	bool bcast;     /* sent to the broadcast address */
};

/* Parse the frame at p->data for the interface whose address is mac. Keeps
 * frames to mac or to the broadcast address, from a unicast source, of
 * type IPv4 or ARP: pulls the header, fills rx, returns 0. Anything else is
 * counted, dropped (p unref'd) and -1 returned. Frames shorter than the
 * minimum of 60 bytes are accepted as long as the header is there (taps
 * deliver them unpadded); the layer above trims padding by its own length. */
int ether_input(const uint8_t mac[ETHER_ADDR_LEN], struct riad_pbuf *p, struct ether_rx *rx,
                struct riad_net_stats *st);

/* Push an Ethernet header (dst, src, type) in front of p and queue the frame
 * on q. If p lacks headroom the payload is copied into a new pbuf first.
 * Takes p's reference; returns 0, or -1 if the frame was dropped (counted:
 * ether.tx_no_mem or ether.tx_overflow). */
int ether_output(struct ether_txq *q, struct riad_pbuf *p, const uint8_t dst[ETHER_ADDR_LEN],
                 const uint8_t src[ETHER_ADDR_LEN], uint16_t type, struct riad_net_stats *st);

static inline bool ether_addr_is_multicast(const uint8_t a[ETHER_ADDR_LEN])
{
	return a[0] & 1; /* the I/G bit; broadcast included */
}

/* The Ethernet multicast address of an IPv4 multicast group (RFC 1112 6.4). */
void ether_ipv4_multicast(uint32_t group, uint8_t out[ETHER_ADDR_LEN]);

#endif
