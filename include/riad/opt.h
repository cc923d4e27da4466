/* riad/opt.h: every compile-time limit of the runtime, with its default and
 * what happens when it is reached.
 *
 * Each value may be overridden with -D on the compile line of the runtime
 * (not of the application alone: the runtime library is compiled against
 * these values). Nothing in riad grows without a bound written here.
 */
#ifndef RIAD_OPT_H
#define RIAD_OPT_H

/* Stack size of a fiber spawned with riad_fiber_spawn(), in bytes, not
 * counting the guard page below it. Small enough that thousands of fibers fit
 * in a few hundred MiB of address space (on unix the pages are only committed
 * when touched). A fiber that overruns its stack hits the guard page and the
 * unikernel dies with a fault, never a silent corruption. */
#ifndef RIAD_FIBER_STACK_DEFAULT
#define RIAD_FIBER_STACK_DEFAULT (64 * 1024)
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Smallest stack a fiber may ask for; smaller requests are rounded up. */
#ifndef RIAD_FIBER_STACK_MIN
#define RIAD_FIBER_STACK_MIN (8 * 1024)
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Stack of the first fiber, the one that runs main(). */
#ifndef RIAD_MAIN_STACK_SIZE
#define RIAD_MAIN_STACK_SIZE (256 * 1024)
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Longest log line, including the time stamp and source prefix. Longer
 * messages are truncated and end in "..." (never split, never dropped). */
#ifndef RIAD_LOG_LINE_MAX
#define RIAD_LOG_LINE_MAX 1024
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Most arguments the boot command line may carry on the solo5 targets,
 * where it arrives as one string (the tender's limit is 8191 characters).
 * More is an ill-formed command line: exit 64. */
#ifndef RIAD_ARGS_MAX
#define RIAD_ARGS_MAX 256
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Fortuna: the generator reseeds from the pools when pool 0 holds at least
 * this many bytes of input and at least RIAD_RANDOM_RESEED_NS has passed
 * since the last reseed (the values of Fortuna and mirage-crypto-rng). */
#ifndef RIAD_RANDOM_MIN_POOL_BYTES
#define RIAD_RANDOM_MIN_POOL_BYTES 64
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif
#ifndef RIAD_RANDOM_RESEED_NS
#define RIAD_RANDOM_RESEED_NS (100 * 1000 * 1000LL)
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Most fibers the scheduler will track at once. riad_fiber_spawn() returns
 * NULL (errno-style RIAD_EAGAIN via riad_fiber_spawn_error) beyond it. */
#ifndef RIAD_FIBERS_MAX
#define RIAD_FIBERS_MAX 65536
/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

#endif

/* Network: headroom of every outgoing transport pbuf, enough for an IPv4
 * header with options (60) and an Ethernet header (14), rounded up. */
#ifndef RIAD_NET_HEADROOM
#define RIAD_NET_HEADROOM 128
#endif

/* Network: most packets one protocol call may queue for sending (struct
 * net_txq in net/net.h). Beyond it, output that cannot wait (ACK, RST) is
 * dropped and counted; TCP defers new data instead. */
#ifndef RIAD_NET_TXQ_MAX
#define RIAD_NET_TXQ_MAX 256
#endif

/* Net devices: headroom, in bytes, before the frame in every pbuf that
 * riad_netif_recv() hands out, so an upper layer can push headers into a
 * received buffer and send it again without copying. The in-memory switch
 * passes the sender's pbuf on when it has this much headroom left and
 * copies the frame otherwise. Must stay below RIAD_NET_HEADROOM - 34 (what
 * is left in a transport pbuf after the IPv4 and Ethernet headers) for the
 * switch to be zero-copy. */
#ifndef RIAD_NETIF_RX_HEADROOM
#define RIAD_NETIF_RX_HEADROOM 64
#endif

/* Net devices, tap: receive buffers a tap keeps for reuse after their last
 * unref. More buffers in use at once are allocated as needed and freed
 * when released, so this bounds only idle memory (about 1.6 KiB each at
 * MTU 1500), not how many frames may be in flight. */
#ifndef RIAD_NETIF_TAP_POOL
#define RIAD_NETIF_TAP_POOL 256
#endif

/* Net devices, in-memory switch: ports on one switch.
 * riad_netif_switch_port() returns NULL beyond it. */
#ifndef RIAD_NETIF_SWITCH_PORTS
#define RIAD_NETIF_SWITCH_PORTS 64
#endif

/* Net devices, in-memory switch: frames queued on one port and not yet
 * received. A frame for a full port is dropped and counted in the port's
 * rx_drop_queue (as a NIC whose ring is full does), so a receiver that
 * falls behind loses frames instead of using unbounded memory. */
#ifndef RIAD_NETIF_SWITCH_QUEUE
#define RIAD_NETIF_SWITCH_QUEUE 256
#endif

/* Net devices, fault wrapper: frames one direction may hold back at once
 * (reordered or delayed). A frame that would be held beyond it is dropped
 * and counted (overflow in struct riad_netif_fault_stats), like netem's
 * queue limit. At 10 Gbit/s of 1514-byte frames, 4096 frames cover a delay
 * of about 5 ms. */
#ifndef RIAD_NETIF_FAULT_HELD
#define RIAD_NETIF_FAULT_HELD 4096
#endif

/* Network, Ethernet: most frames one call into the protocols may queue for
 * the device (struct ether_txq in net/ether.h). Beyond it a frame is dropped
 * and counted (ether.tx_overflow); IPv4 checks for room for all fragments of
 * a datagram before it fragments, so a datagram goes whole or not at all. */
#ifndef RIAD_NET_ETHER_TXQ_MAX
#define RIAD_NET_ETHER_TXQ_MAX 512
#endif

/* Network, ARP: entries in the cache of one interface. Resolving a new
 * address in a full cache evicts the least recently used entry (counted in
 * arp.evicted; packets that waited on it are dropped and counted in
 * arp.unresolved). */
#ifndef RIAD_NET_ARP_CACHE_SIZE
#define RIAD_NET_ARP_CACHE_SIZE 64
#endif

/* Network, ARP: packets that may wait for one address to be resolved. One
 * more pushes out the oldest (arp.queue_overflow): RFC 1122 2.3.2.2 asks to
 * keep at least the latest. */
#ifndef RIAD_NET_ARP_QUEUE_MAX
#define RIAD_NET_ARP_QUEUE_MAX 8
#endif

/* Network, ARP: requests sent for one address, RIAD_NET_ARP_RETRY_NS apart,
 * before giving up on it: its waiting packets are dropped (arp.unresolved)
 * and the entry is freed; the next packet to it starts over. */
#ifndef RIAD_NET_ARP_TRIES
#define RIAD_NET_ARP_TRIES 3
#endif
#ifndef RIAD_NET_ARP_RETRY_NS
#define RIAD_NET_ARP_RETRY_NS (1000 * 1000000LL)
#endif

/* Network, ARP: how long a resolved entry is trusted. When it runs out, an
 * entry used since it was last confirmed is re-confirmed (requests while
 * packets keep flowing to the old address, RIAD_NET_ARP_TRIES of them);
 * an unused one is freed. */
#ifndef RIAD_NET_ARP_TIMEOUT_NS
#define RIAD_NET_ARP_TIMEOUT_NS (60 * 1000000000LL)
#endif

/* Network, IPv4: TTL of the datagrams we send when the transport asks for
 * none (RFC 1122 3.2.1.7; RFC 1700's recommended value). */
#ifndef RIAD_NET_IPV4_TTL
#define RIAD_NET_IPV4_TTL 64
#endif

/* Network, IPv4 reassembly: datagrams being reassembled at once. A fragment
 * of one more evicts the oldest (ipv4.frag_evicted). */
#ifndef RIAD_NET_IPV4_REASS_MAX
#define RIAD_NET_IPV4_REASS_MAX 8
#endif

/* Network, IPv4 reassembly: fragments held for one datagram. One more
 * discards the datagram (ipv4.frag_too_many): this bounds "endless" streams
 * of tiny fragments. 64 covers a 65535-byte datagram in 1024-byte pieces. */
#ifndef RIAD_NET_IPV4_REASS_FRAGS
#define RIAD_NET_IPV4_REASS_FRAGS 64
#endif

/* Network, IPv4 reassembly: payload bytes held by all datagrams being
 * reassembled (fragments are copied out of device buffers, so this is the
 * memory used). A fragment that does not fit evicts the oldest other
 * datagrams (ipv4.frag_evicted); if it still does not fit, it is dropped
 * with its datagram. The default holds four maximal datagrams. */
#ifndef RIAD_NET_IPV4_REASS_BYTES
#define RIAD_NET_IPV4_REASS_BYTES (256 * 1024)
#endif

/* Network, IPv4 reassembly: a datagram not complete this long after its
 * first fragment arrived is discarded (ipv4.frag_timeout). RFC 791 suggests
 * 15 s, RFC 1122 3.3.2 60-120 s; 30 s (Linux's value) bounds the time an
 * identification number is in use (RFC 4963) and still lets slow paths
 * finish. */
#ifndef RIAD_NET_IPV4_REASS_TIMEOUT_NS
#define RIAD_NET_IPV4_REASS_TIMEOUT_NS (30 * 1000000000LL)
#endif

/* Network, ICMP: error messages (destination unreachable) sent per second
 * on average, in bursts of up to RIAD_NET_ICMP_ERR_BURST (a token bucket,
 * RFC 1812 4.3.2.8). An error beyond it is not sent (icmp.rate_limited).
 * Echo replies are not limited. */
#ifndef RIAD_NET_ICMP_ERR_RATE
#define RIAD_NET_ICMP_ERR_RATE 100
#endif
#ifndef RIAD_NET_ICMP_ERR_BURST
#define RIAD_NET_ICMP_ERR_BURST 50
#endif

/* Network, DHCP: DNS servers kept from a lease; the rest are ignored. */
#ifndef RIAD_NET_DHCP_DNS_MAX
#define RIAD_NET_DHCP_DNS_MAX 3
#endif

/* Network, DHCP: REQUESTs sent in the REQUESTING state (after an offer)
 * before the client gives the offer up and starts over from DISCOVER. */
#ifndef RIAD_NET_DHCP_REQUEST_TRIES
#define RIAD_NET_DHCP_REQUEST_TRIES 4
#endif

#endif
