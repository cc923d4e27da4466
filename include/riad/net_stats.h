/* riad/net_stats.h: the network stack's counters, one struct per layer, that
 * an application may read (and print) to see what was sent, received and
 * dropped, and why.
 *
 * Every packet a protocol drops is counted in exactly one drop counter of the
 * layer that dropped it, named for the reason (`ipv4.bad_checksum`). The
 * other counters (rx, tx, delivered...) count traffic. All counters only grow
 * (uint64_t: they do not wrap in practice) and are plain fields: the stack
 * runs on one core without preemption, so a read between two calls into the
 * stack sees a consistent snapshot. Which stack instance fills which struct
 * is the stack glue's business (one struct riad_net_stats per interface).
 *
 * Nothing here allocates, blocks or has functions; it is a layout.
 */
#ifndef RIAD_NET_STATS_H
#define RIAD_NET_STATS_H

#include <stdint.h>

/* Ethernet (net/ether.c). */
struct riad_ether_stats {
	uint64_t rx;           /* frames accepted and handed up */
	uint64_t tx;           /* frames queued for the device */
	uint64_t runt;         /* drop: shorter than the 14-byte header */
	uint64_t not_for_us;   /* drop: destination neither our MAC nor broadcast */
	uint64_t bad_src;      /* drop: source MAC is multicast/broadcast */
	uint64_t unknown_type; /* drop: EtherType not IPv4 or ARP (incl. 802.3 lengths, VLAN tags) */
	uint64_t tx_overflow;  /* drop: output frame queue full (RIAD_NET_ETHER_TXQ_MAX) */
	uint64_t tx_no_mem;    /* drop: no pbuf (or headroom) for an output frame */
};

/* ARP (net/arp.c). */
struct riad_arp_stats {
	uint64_t rx;             /* ARP packets received */
	uint64_t tx_request;     /* requests sent (resolution, refresh, gratuitous) */
	uint64_t tx_reply;       /* replies sent */
	uint64_t resolved;       /* entries that became REACHABLE */
	uint64_t truncated;      /* drop: shorter than the 28-byte IPv4-over-Ethernet packet */
	uint64_t bad_format;     /* drop: hardware/protocol type or length not Ethernet/IPv4 */
	uint64_t bad_op;         /* drop: opcode neither request nor reply */
	uint64_t bad_sender;     /* drop: sender MAC multicast, or sender IP broadcast/multicast */
	uint64_t conflict;       /* drop: another host claims our IP address */
	uint64_t not_for_us;     /* ignored: request for another host's address */
	uint64_t queue_overflow; /* drop: packet waiting for resolution pushed out (RIAD_NET_ARP_QUEUE_MAX) */
	uint64_t unresolved;     /* drop: packet whose next hop never answered */
	uint64_t evicted;        /* entries pushed out of a full cache (RIAD_NET_ARP_CACHE_SIZE) */
	uint64_t no_mem;         /* drop: no pbuf for a request or reply */
};

/* IPv4 (net/ipv4.c, net/ipv4_frag.c). */
struct riad_ipv4_stats {
	uint64_t rx;             /* packets received */
	uint64_t delivered;      /* datagrams handed to a transport (after reassembly) */
	uint64_t tx;             /* packets sent (each fragment counts) */
	uint64_t truncated;      /* drop: shorter than 20 bytes */
	uint64_t bad_version;    /* drop: version not 4 */
	uint64_t bad_hlen;       /* drop: IHL below 5 or header beyond the frame */
	uint64_t bad_len;        /* drop: total length below the header or beyond the frame */
	uint64_t bad_checksum;   /* drop: header checksum */
	uint64_t bad_options;    /* drop: an option malformed (length below 2 or its minimum, past the header; pointer out of range; repeated): net/ipv4.c */
	uint64_t bad_src;        /* drop: source broadcast, multicast, 0, loopback or class E */
	uint64_t not_for_us;     /* drop: destination neither ours nor a broadcast */
	uint64_t frag_rx;        /* fragments received */
	uint64_t reassembled;    /* datagrams completed from fragments */
	uint64_t frag_overlap;   /* drop: fragment overlapping another (datagram discarded, RFC 5722 style) */
	uint64_t frag_dup;       /* drop: exact duplicate of a fragment held */
	uint64_t frag_poisoned;  /* drop: fragment of a datagram discarded for overlap */
	uint64_t frag_too_big;   /* drop: offset + length beyond 65535, or bad MF/length combination */
	uint64_t frag_too_many;  /* drop: more fragments than RIAD_NET_IPV4_REASS_FRAGS (datagram discarded) */
	uint64_t frag_timeout;   /* drop: datagrams not completed in RIAD_NET_IPV4_REASS_TIMEOUT_NS */
	uint64_t frag_evicted;   /* drop: datagrams pushed out by newer ones (slots or bytes full) */
	uint64_t frag_no_mem;    /* drop: no pbuf to hold a fragment or the reassembled datagram */
	uint64_t frag_tx;        /* fragments sent (datagrams larger than the MTU) */
	uint64_t no_route;       /* drop (output): no on-link route and no gateway, or our own address */
	uint64_t tx_bad;         /* drop (output): datagram longer than 65535 bytes */
	uint64_t tx_no_mem;      /* drop (output): no pbuf for a fragment or a header copy */
};

/* ICMP (net/icmp.c). */
struct riad_icmp_stats {
	uint64_t rx;            /* messages received */
	uint64_t truncated;     /* drop: shorter than its type's header */
	uint64_t bad_checksum;  /* drop: checksum */
	uint64_t unsupported;   /* drop: type we do not handle (timestamp, redirect...) */
	uint64_t echo_rx;       /* echo requests received */
	uint64_t echo_bcast;    /* drop: echo request to a broadcast address (RFC 1122 3.2.2.6) */
	uint64_t echo_tx;       /* echo replies sent */
	uint64_t err_rx;        /* errors received and handed to the transport */
	uint64_t err_bad;       /* drop: error quoting no usable datagram of ours */
	uint64_t err_tx;        /* errors sent (unreachable, parameter problem) */
	uint64_t param_tx;      /* of them, parameter problems (malformed IPv4 options, RFC 1122 3.2.2.5) */
	uint64_t err_suppressed; /* not sent: about an ICMP error, a broadcast, a non-first fragment (RFC 1122 3.2.2) */
	uint64_t rate_limited;  /* not sent: token bucket empty (RIAD_NET_ICMP_ERR_RATE) */
	uint64_t no_mem;        /* drop: no pbuf for a reply or an error */
};

/* UDP (net/udp.c). */
struct riad_udp_stats {
	uint64_t rx;            /* datagrams received */
	uint64_t tx;            /* datagrams sent */
	uint64_t truncated;     /* drop: shorter than the 8-byte header */
	uint64_t bad_len;       /* drop: UDP length below 8 or beyond the IP payload */
	uint64_t bad_checksum;  /* drop: checksum (0 means none and is accepted) */
	uint64_t no_port;       /* drop: no socket bound to the destination port */
	uint64_t tx_bad;        /* drop (output): payload too long for one datagram */
	uint64_t no_mem;        /* drop (output): no headroom and no pbuf for a copy */
	uint64_t icmp_err;      /* ICMP errors held for a socket to return (RFC 1122 4.1.3.3) */
	uint64_t icmp_ignored;  /* drop: ICMP error about UDP that matches no datagram a socket sent
	                         * last (port, peer, our address), quotes less than the UDP header,
	                         * or is not reported (needfrag, time exceeded...) */
};

/* DHCP client (net/dhcp.c). */
struct riad_dhcp_stats {
	uint64_t rx;            /* messages received */
	uint64_t tx;            /* messages sent */
	uint64_t truncated;     /* drop: shorter than the fixed part and magic cookie */
	uint64_t bad_header;    /* drop: not a BOOTREPLY for Ethernet, or bad magic cookie */
	uint64_t bad_xid;       /* drop: transaction id or client hardware address not ours */
	uint64_t bad_options;   /* drop: option overrunning its field, missing END, wrong length */
	uint64_t bad_lease;     /* drop: offer/ack without a usable address, server id or lease time */
	uint64_t unexpected;    /* drop: message type not expected in the current state */
	uint64_t offers;        /* offers accepted */
	uint64_t acks;          /* acks accepted */
	uint64_t naks;          /* naks accepted (back to INIT) */
	uint64_t expired;       /* leases that ran out (back to INIT) */
	uint64_t declines;      /* addresses declined: ARP showed them in use (RFC 2131 4.4.1) */
	uint64_t no_mem;        /* drop (output): no pbuf for a message */
};

/* ---- TCP: the TCP engineer adds `struct riad_tcp_stats` here (tcp/) ---- */

/* TCP (tcp/). Traffic first, then events, then one drop counter per
 * reason a received segment (or a piece of one) is thrown away or an output
 * segment is not sent. */
struct riad_tcp_stats {
	uint64_t rx;                /* segments received (before any check) */
	uint64_t tx;                /* segments queued for sending */
	uint64_t rx_bytes;          /* payload bytes accepted into receive buffers */
	uint64_t tx_bytes;          /* payload bytes sent, retransmissions included */
	uint64_t active_opens;      /* tcp_connect() calls that sent a SYN */
	uint64_t passive_opens;     /* connections created by a listener (SYN or cookie) */
	uint64_t established;       /* connections that reached ESTABLISHED */
	uint64_t resets_rx;         /* connections reset by a valid RST */
	uint64_t resets_tx;         /* RSTs sent */
	uint64_t timeouts;          /* connections given up: retransmissions, keepalive */
	uint64_t retransmits;       /* segments retransmitted (any reason) */
	uint64_t rto;               /* retransmission timer expiries */
	uint64_t fast_retransmits;  /* loss recoveries entered on duplicate ACKs / SACK */
	uint64_t dup_acks;          /* duplicate ACKs received (RFC 5681 definition) */
	uint64_t ooo_segs;          /* segments queued out of order */
	uint64_t dup_segs;          /* segments wholly below RCV.NXT or wholly held already (a retransmission, keepalive): ACKed, not a drop */
	uint64_t dup_bytes;         /* data bytes received again, whole or partly duplicate segments alike */
	uint64_t sack_blocks_rx;    /* SACK blocks taken into the scoreboard */
	uint64_t delayed_acks;      /* ACKs sent by the delayed-ACK timer */
	uint64_t challenge_acks;    /* RFC 5961 challenge ACKs sent */
	uint64_t syncookies_tx;     /* SYN-ACKs carrying a cookie (backlog full) */
	uint64_t syncookies_ok;     /* connections created from a valid cookie */
	uint64_t keepalive_probes;  /* keepalive probes sent */
	uint64_t persist_probes;    /* zero-window probes sent */
	uint64_t timewait_recycled; /* TIME-WAIT ended early: table full or new SYN */
	/* Drops of received segments, each in exactly one counter. */
	uint64_t short_seg;         /* drop: fewer than 20 bytes */
	uint64_t bad_offset;        /* drop: data offset below 5 or beyond the segment */
	uint64_t bad_option;        /* drop: option length 0/1, overrunning, or wrong for its kind */
	uint64_t bad_mss;           /* drop: MSS option 0 */
	uint64_t bad_urg;           /* drop: urgent pointer beyond the data */
	uint64_t bad_flags;         /* drop: SYN with FIN or RST */
	uint64_t bad_port;          /* drop: port 0 */
	uint64_t bad_addr;          /* drop: source or destination broadcast/multicast/0 */
	uint64_t bad_checksum;      /* drop: checksum */
	uint64_t no_conn;           /* drop: no connection or listener (answered by RST) */
	uint64_t listen_drop;       /* drop: at a listener, neither SYN nor a cookie ACK */
	uint64_t bad_cookie;        /* drop: ACK at a listener with an invalid cookie (RST sent) */
	uint64_t backlog_full;      /* drop: valid cookie, but the accept queue is full */
	uint64_t no_mem;            /* drop: memory for a connection or buffer failed */
	uint64_t synsent_drop;      /* drop: unacceptable segment in SYN-SENT */
	uint64_t paws;              /* drop: timestamp older than ts_recent (RFC 7323 5) */
	uint64_t no_timestamp;      /* drop: no timestamp on a connection that has them (RFC 7323 3.2) */
	uint64_t out_of_window;     /* drop: sequence number not acceptable (RFC 9293 3.10.7.4), old segments aside (dup_segs) */
	uint64_t rst_bad_seq;       /* drop: RST not exactly at RCV.NXT (challenge ACK or none) */
	uint64_t syn_in_window;     /* drop: SYN on a synchronised connection (challenge ACK) */
	uint64_t timewait_rst;      /* drop: RST in TIME-WAIT (RFC 1337) */
	uint64_t bad_ack;           /* drop: ACK outside [SND.UNA - MAX.SND.WND, SND.MAX] (RFC 5961 5) */
	uint64_t no_ack;            /* drop: no ACK bit where one is required */
	uint64_t after_close;       /* drop: data for a closed application (RST sent) */
	uint64_t ooo_full;          /* drop: out-of-order table full (RIAD_TCP_OOO_MAX) */
	uint64_t beyond_window;     /* data bytes trimmed beyond the receive window (bytes, not segments) */
	uint64_t challenge_limited; /* not sent: challenge ACK over RIAD_TCP_CHALLENGE_ACKS_PER_S */
	uint64_t rst_limited;       /* not sent: RST over RIAD_TCP_RST_PER_S */
	uint64_t tx_no_mem;         /* not sent: no pbuf for an output segment */
	uint64_t tx_overflow;       /* not sent: the output queue was full (ACK or RST) */
};

/* ---- end of TCP ---- */

/* Everything one interface's stack counts. */
struct riad_net_stats {
	struct riad_ether_stats ether;
	struct riad_arp_stats arp;
	struct riad_ipv4_stats ipv4;
	struct riad_icmp_stats icmp;
	struct riad_udp_stats udp;
	struct riad_dhcp_stats dhcp;
	struct riad_tcp_stats tcp;
};

#endif
