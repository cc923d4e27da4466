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
#endif

/* Smallest stack a fiber may ask for; smaller requests are rounded up. */
#ifndef RIAD_FIBER_STACK_MIN
#define RIAD_FIBER_STACK_MIN (8 * 1024)
#endif

/* Stacks of finished fibers kept for the next ones instead of returned
 * (on unix each return and each new stack is an mmap, an mprotect and a
 * munmap): what a server that starts a fiber per request or per wake
 * (riad_fiber_spawn_waiting) would otherwise pay every time. Kept stacks
 * stay committed: at most this many times their size. 0 keeps none. */
#ifndef RIAD_FIBER_STACK_CACHE
#define RIAD_FIBER_STACK_CACHE 16
#endif

/* A fiber whose stackless wait ended when no memory was left for its stack
 * (riad_fiber_spawn_waiting) tries again after this long. */
#ifndef RIAD_FIBER_STACK_RETRY_NS
#define RIAD_FIBER_STACK_RETRY_NS (10 * 1000 * 1000LL)
#endif

/* Scheduler rounds that may end with fibers still ready before the
 * scheduler polls the platform for device events and wake-ups anyway (a
 * wait with deadline 0). 1 polls after every round. Larger values save the
 * poll when a round only woke another fiber (on spt it costs a timer
 * reprogramming and two system calls); reached, the poll is made, so a
 * fiber that yields in a loop delays devices by at most this many rounds. */
#ifndef RIAD_SCHED_POLL_ROUNDS
#define RIAD_SCHED_POLL_ROUNDS 8
#endif

/* Stack of the first fiber, the one that runs main(). */
#ifndef RIAD_MAIN_STACK_SIZE
#define RIAD_MAIN_STACK_SIZE (256 * 1024)
#endif

/* Longest log line, including the time stamp and source prefix. Longer
 * messages are truncated and end in "..." (never split, never dropped). */
#ifndef RIAD_LOG_LINE_MAX
#define RIAD_LOG_LINE_MAX 1024
#endif

/* How long a unikernel whose main() returned waits for its log reporters
 * to deliver the lines they hold (riad_log_flush): the syslog client's
 * queue, when its collector is slow or unreachable. Reached: the lines
 * left are lost. No wait when nothing is held. */
#ifndef RIAD_LOG_FLUSH_MS
#define RIAD_LOG_FLUSH_MS 2000
#endif

/* The syslog client (--syslog, docs/syslog.md): bytes of formatted messages
 * its queue holds (each message takes its length plus 2). Reached, for
 * example while the collector is unreachable: a new message is dropped,
 * counted, and the count logged once the queue has room again; logging
 * never waits. Static: linked into every unikernel with the network
 * library. */
#ifndef RIAD_SYSLOG_QUEUE_BYTES
#define RIAD_SYSLOG_QUEUE_BYTES (64 * 1024)
#endif

/* The syslog client over TCP: the first wait after a failed connection or
 * a lost one, doubled at each failure up to the second value. */
#ifndef RIAD_SYSLOG_BACKOFF_MIN_MS
#define RIAD_SYSLOG_BACKOFF_MIN_MS 100
#endif
#ifndef RIAD_SYSLOG_BACKOFF_MAX_MS
#define RIAD_SYSLOG_BACKOFF_MAX_MS 10000
#endif

/* Most arguments the boot command line may carry on the solo5 targets,
 * where it arrives as one string (the tender's limit is 8191 characters).
 * More is an ill-formed command line: exit 64. */
#ifndef RIAD_ARGS_MAX
#define RIAD_ARGS_MAX 256
#endif

/* Fortuna: the generator reseeds from the pools when pool 0 holds at least
 * this many bytes of input and at least RIAD_RANDOM_RESEED_NS has passed
 * since the last reseed (the values of Fortuna and mirage-crypto-rng). */
#ifndef RIAD_RANDOM_MIN_POOL_BYTES
#define RIAD_RANDOM_MIN_POOL_BYTES 64
#endif
#ifndef RIAD_RANDOM_RESEED_NS
#define RIAD_RANDOM_RESEED_NS (100 * 1000 * 1000LL)
#endif

/* Most fibers the scheduler will track at once. riad_fiber_spawn() returns
 * NULL (errno-style RIAD_EAGAIN via riad_fiber_spawn_error) beyond it. */
#ifndef RIAD_FIBERS_MAX
#define RIAD_FIBERS_MAX 65536
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

/* Network, UDP: sockets open at once per stack. Reached: riad_udp_bind()
 * returns -RIAD_ENOBUFS until one is closed. */
#ifndef RIAD_NET_UDP_SOCKETS
#define RIAD_NET_UDP_SOCKETS 256
#endif

/* Network, UDP: datagrams queued on one socket and not yet received (each
 * holds the device buffer it arrived in). Reached: a further datagram for
 * the socket is dropped and counted in its riad_udp_drops(). */
#ifndef RIAD_NET_UDP_RCVQ
#define RIAD_NET_UDP_RCVQ 128
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

/* Network, DHCP: ARP probes (sender address 0, RFC 5227 2.1.1) sent for an
 * address the server acknowledged, RIAD_NET_DHCP_PROBE_INTERVAL_NS apart,
 * before the client uses it (RFC 2131 4.4.1). The address is bound one
 * interval after the last probe unless an ARP packet from that address, or
 * another host's probe for it, arrives first: then the client declines it
 * (DHCPDECLINE, dhcp.declines) and starts over after
 * RIAD_NET_DHCP_DECLINE_WAIT_NS. RFC 5227 1.1 probes 3 times 1-2 s apart
 * after a random wait of up to 1 s, which would add seconds to a boot that
 * otherwise takes milliseconds; a host on the link answers a probe within
 * a millisecond or so, and DHCP servers usually check an address before
 * offering it, so 2 probes 100 ms apart (200 ms in all) catch a conflict
 * on a wired or virtual link at a small cost. 0 probes: no probing. */
#ifndef RIAD_NET_DHCP_PROBE_NUM
#define RIAD_NET_DHCP_PROBE_NUM 2
#endif
#ifndef RIAD_NET_DHCP_PROBE_INTERVAL_NS
#define RIAD_NET_DHCP_PROBE_INTERVAL_NS (100 * 1000000LL)
#endif

/* Network, DHCP: after declining an address in use, the client waits this
 * long before a new DISCOVER (RFC 2131 3.1 step 5: at least 10 s), so a
 * server that keeps offering it is not flooded. */
#ifndef RIAD_NET_DHCP_DECLINE_WAIT_NS
#define RIAD_NET_DHCP_DECLINE_WAIT_NS (10 * 1000000000LL)
#endif

/* ---- TCP (tcp/): every bound of the TCP state machine ---- */

/* TCP: most connections one TCP stack holds, in every state except a
 * TIME-WAIT the application has let go of (RIAD_TCP_TIMEWAIT_MAX bounds
 * those). Reached: a SYN to a listener is answered with a SYN cookie (no
 * state kept), tcp_connect() returns -RIAD_ENOBUFS. */
#ifndef RIAD_TCP_CONNS_MAX
#define RIAD_TCP_CONNS_MAX 16384
#endif

/* TCP: most connections kept in TIME-WAIT (RFC 9293 3.6) after the
 * application closed them. Reached: the oldest one ends early (counted in
 * riad_tcp_stats.timewait_recycled), as if its 2*MSL had passed. */
#ifndef RIAD_TCP_TIMEWAIT_MAX
#define RIAD_TCP_TIMEWAIT_MAX 4096
#endif

/* TCP: buckets of the connection table (a power of two). Only speed
 * depends on it: chains grow past it, bounded by the two limits above. */
#ifndef RIAD_TCP_HASH_BUCKETS
#define RIAD_TCP_HASH_BUCKETS 4096
#endif

/* TCP: most listening sockets per stack. Reached: tcp_listen() returns
 * -RIAD_ENOBUFS. */
#ifndef RIAD_TCP_LISTENERS_MAX
#define RIAD_TCP_LISTENERS_MAX 64
#endif

/* TCP: largest listen backlog (half-open connections plus connections
 * waiting for tcp_accept()); larger requests are clamped. Reached by a
 * listener: further SYNs are answered with SYN cookies; a cookie's ACK
 * while the accept queue is full is dropped and counted. */
#ifndef RIAD_TCP_BACKLOG_MAX
#define RIAD_TCP_BACKLOG_MAX 1024
#endif

/* TCP: send buffer per connection, in bytes (allocated on the first
 * tcp_send(), freed when the connection ends). Reached: tcp_send() takes
 * only what fits and returns -RIAD_EAGAIN when nothing fits. */
#ifndef RIAD_TCP_SND_BUF
#define RIAD_TCP_SND_BUF (128 * 1024)
#endif

/* TCP: receive buffer per connection, in bytes: the largest window
 * advertised (with window scaling), in-order and out-of-order data
 * together. Allocated when the first data arrives. Reached: the window is
 * closed (zero); data beyond the advertised window is trimmed and counted. */
#ifndef RIAD_TCP_RCV_BUF
#define RIAD_TCP_RCV_BUF (128 * 1024)
#endif

/* TCP: most separate out-of-order ranges held per connection (they live in
 * the receive buffer; this bounds their bookkeeping and the SACK blocks).
 * Reached: a segment that would start one more range is dropped and
 * counted (riad_tcp_stats.ooo_full); the peer retransmits it. */
#ifndef RIAD_TCP_OOO_MAX
#define RIAD_TCP_OOO_MAX 16
#endif

/* TCP: most SACKed ranges the sender remembers per connection (RFC 6675
 * scoreboard). Reached: the highest ranges are forgotten (they will be
 * reported again or retransmitted needlessly; never a correctness issue). */
#ifndef RIAD_TCP_SACK_MAX
#define RIAD_TCP_SACK_MAX 16
#endif

/* TCP: MSS advertised when the stack is not told its MTU (1500 - 40). */
#ifndef RIAD_TCP_MSS_DEFAULT
#define RIAD_TCP_MSS_DEFAULT 1460
#endif

/* TCP: smallest peer MSS used; smaller MSS options are raised to it, so a
 * peer cannot make us cut the stream into tiny segments (CVE-2019-11479). */
#ifndef RIAD_TCP_MSS_MIN
#define RIAD_TCP_MSS_MIN 88
#endif

/* TCP: initial congestion window, in segments (RFC 6928). */
#ifndef RIAD_TCP_INIT_CWND
#define RIAD_TCP_INIT_CWND 10
#endif

/* TCP: retransmission timeout before any RTT is measured (RFC 6298 2.1),
 * its floor and its ceiling, in ns. riad's floor is 200 ms, below RFC
 * 6298's 1 s (2.4 allows it; Linux and the BSDs use 200 ms and 30 ms): a
 * lost segment on a LAN otherwise stalls a connection for a full second.
 * Reached (ceiling): backoff stops doubling. */
#ifndef RIAD_TCP_RTO_INIT_NS
#define RIAD_TCP_RTO_INIT_NS (1000LL * 1000 * 1000)
#endif
#ifndef RIAD_TCP_RTO_MIN_NS
#define RIAD_TCP_RTO_MIN_NS (200LL * 1000 * 1000)
#endif
#ifndef RIAD_TCP_RTO_MAX_NS
#define RIAD_TCP_RTO_MAX_NS (60LL * 1000 * 1000 * 1000)
#endif

/* TCP: retransmissions of the same data before the connection is given up
 * with -RIAD_ETIMEDOUT (RFC 9293 3.8.3's R2; about 15 minutes with
 * backoff), of a SYN (-RIAD_ETIMEDOUT from connect, about 2 minutes) and
 * of a SYN-ACK (the half-open connection is forgotten). */
#ifndef RIAD_TCP_RETRIES
#define RIAD_TCP_RETRIES 15
#endif
#ifndef RIAD_TCP_SYN_RETRIES
#define RIAD_TCP_SYN_RETRIES 6
#endif
#ifndef RIAD_TCP_SYNACK_RETRIES
#define RIAD_TCP_SYNACK_RETRIES 5
#endif

/* TCP: delayed-ACK timer (RFC 9293 3.8.6.3: under 500 ms; RFC 5681 4.2:
 * every second full segment is ACKed at once). */
#ifndef RIAD_TCP_DELACK_NS
#define RIAD_TCP_DELACK_NS (40LL * 1000 * 1000)
#endif

/* TCP: maximum segment lifetime; TIME-WAIT lasts twice this. 30 s (the
 * 60 s TIME-WAIT of Linux) rather than RFC 9293's 2 minutes. */
#ifndef RIAD_TCP_MSL_NS
#define RIAD_TCP_MSL_NS (30LL * 1000 * 1000 * 1000)
#endif

/* TCP: how long a connection the application has closed may wait in
 * FIN-WAIT-2 for the peer's FIN. Reached: it is dropped (no RST). */
#ifndef RIAD_TCP_FIN_WAIT2_NS
#define RIAD_TCP_FIN_WAIT2_NS (60LL * 1000 * 1000 * 1000)
#endif

/* TCP: keepalive defaults (RFC 1122 4.2.3.6) when tcp_set_keepalive() is
 * given zeros: idle time before the first probe, time between probes,
 * unanswered probes before the connection fails with -RIAD_ETIMEDOUT. */
#ifndef RIAD_TCP_KEEPALIVE_IDLE_NS
#define RIAD_TCP_KEEPALIVE_IDLE_NS (7200LL * 1000 * 1000 * 1000)
#endif
#ifndef RIAD_TCP_KEEPALIVE_INTVL_NS
#define RIAD_TCP_KEEPALIVE_INTVL_NS (75LL * 1000 * 1000 * 1000)
#endif
#ifndef RIAD_TCP_KEEPALIVE_PROBES
#define RIAD_TCP_KEEPALIVE_PROBES 9
#endif

/* TCP: longest interval between zero-window probes (the persist timer
 * backs off from the RTO up to this, RFC 9293 3.8.6.1). A connection the
 * application still holds probes forever; one it has closed gives up after
 * RIAD_TCP_RETRIES unanswered probes. */
#ifndef RIAD_TCP_PERSIST_MAX_NS
#define RIAD_TCP_PERSIST_MAX_NS (60LL * 1000 * 1000 * 1000)
#endif

/* TCP: challenge ACKs (RFC 5961) per connection per second. Per connection,
 * not per stack: a stack-wide count is the side channel of CVE-2016-5696.
 * Reached: the segment is dropped without an ACK (counted). */
#ifndef RIAD_TCP_CHALLENGE_ACKS_PER_S
#define RIAD_TCP_CHALLENGE_ACKS_PER_S 10
#endif

/* TCP: RSTs per second sent for segments that match no connection (a token
 * bucket of this many per second, as deep). Reached: no RST (counted). */
#ifndef RIAD_TCP_RST_PER_S
#define RIAD_TCP_RST_PER_S 1000
#endif

/* ---- end of TCP ---- */

/* ---- TLS (riad/tls.h, docs/tls.md) ---- */

/* TLS: certificate chains a server configuration holds (one per set of
 * names chosen by SNI). Reached: riad_tls_config_add_chain returns
 * -RIAD_ENOSPC. */
#ifndef RIAD_TLS_CHAINS_MAX
#define RIAD_TLS_CHAINS_MAX 16
#endif

/* TLS: certificates in one chain. Reached: riad_tls_config_add_chain
 * returns -RIAD_ENOSPC. */
#ifndef RIAD_TLS_CHAIN_CERTS_MAX
#define RIAD_TLS_CHAIN_CERTS_MAX 8
#endif

/* TLS: trust anchors of a client configuration. Reached:
 * riad_tls_config_add_trust returns -RIAD_ENOSPC. */
#ifndef RIAD_TLS_ANCHORS_MAX
#define RIAD_TLS_ANCHORS_MAX 64
#endif

/* TLS: ALPN protocol names of a configuration. Reached:
 * riad_tls_config_set_alpn returns -RIAD_ENOSPC. */
#ifndef RIAD_TLS_ALPN_MAX
#define RIAD_TLS_ALPN_MAX 8
#endif

/* TLS: largest PEM file read from a KV store (riad_tls_config_*_kv).
 * Larger: -RIAD_EFBIG. */
#ifndef RIAD_TLS_PEM_MAX
#define RIAD_TLS_PEM_MAX (64 * 1024)
#endif

/* TLS: record buffers a configuration keeps for reuse, plaintext wiped,
 * once the connections that had them are idle (riad_tls_when_readable) or
 * closed: as many as were in use at once lately, up to this (33178 bytes
 * each with the bidirectional buffer: 2 MiB); one unused for a second is
 * freed when another is given back. Without them an allocator that gets
 * the buffer back and again at every request may return the pages and
 * fault them in each time (glibc on unix). At least 1. */
#ifndef RIAD_TLS_SPARES
#define RIAD_TLS_SPARES 64
#endif

/* TLS: bytes of a server's session cache by default (about 100 bytes a
 * session: 2560 sessions); the least recently used session goes when it
 * is full. riad_tls_config_set_session_cache changes it; 0 turns
 * resumption off. */
#ifndef RIAD_TLS_SESSION_CACHE_DEFAULT
#define RIAD_TLS_SESSION_CACHE_DEFAULT (256 * 1024)
#endif

/* ---- Storage (riad/block.h, riad/kv.h) ---- */

/* Storage, block devices: devices riad_block_open() may hold open at once
 * (by name). Reached: -RIAD_ENOMEM. */
#ifndef RIAD_BLOCK_OPEN_MAX
#define RIAD_BLOCK_OPEN_MAX 16
#endif

/* ---- storage: partitions ---- */

/* Partitions (riad_block_part_open): partitions one table may hold (GPT
 * entries in use; MBR primaries, the extended container and logicals).
 * Reached: the table is rejected with -RIAD_EBADMSG, counted in limit. */
#ifndef RIAD_PART_MAX
#define RIAD_PART_MAX 128
#endif

/* Partitions: bytes of a GPT partition entry array (number of entries
 * times entry size, as its header says; 128 x 128 = 16 KiB is usual). It is
 * read into memory whole. Reached: that header is rejected (counted in
 * limit) and the backup tried; -RIAD_EBADMSG if both are. */
#ifndef RIAD_PART_GPT_ARRAY_MAX
#define RIAD_PART_GPT_ARRAY_MAX (256 * 1024)
#endif

/* Partitions: extended boot records followed in an MBR's chain of logical
 * partitions (a chain that loops back is caught sooner). Reached: the table
 * is rejected with -RIAD_EBADMSG, counted in chain. */
#ifndef RIAD_PART_MBR_CHAIN_MAX
#define RIAD_PART_MBR_CHAIN_MAX 64
#endif

/* ---- storage: encryption overlay ---- */

/* Encryption overlay (riad_block_crypt_open): bytes of data sectors the
 * overlay's one working buffer holds (at least one sector), with the
 * metadata sectors among them: reads and writes go down in batches of
 * this much, each one request below (two when it starts inside a group),
 * docs/storage-crypt.md. A write costs one metadata-sector write per group
 * it touches in each batch: a smaller buffer raises the write
 * amplification of long sequential writes a little and the number of
 * requests below. Allocated at open (-RIAD_ENOMEM there if it cannot be).
 */
#ifndef RIAD_BLOCK_CRYPT_BUF_BYTES
#define RIAD_BLOCK_CRYPT_BUF_BYTES (1024 * 1024)
#endif

/* Encryption overlay: 1 flushes the device below between every metadata
 * write and the data write it covers, so that the order the format relies
 * on survives a power loss on a device that reorders writes in its cache;
 * it costs one flush per piece of a write. 0 (the default) relies on the
 * device below keeping the order of writes that have returned, which a
 * crash of the unikernel or of its tender (the host's page cache) does. */
#ifndef RIAD_BLOCK_CRYPT_ORDERED
#define RIAD_BLOCK_CRYPT_ORDERED 0
#endif

/* Encryption overlay: bytes zeroed per request of the device below while
 * creating an overlay (format), which zeroes every sector after the header
 * once (reading first and skipping what is zero already, so a sparse file
 * stays sparse). */
#ifndef RIAD_BLOCK_CRYPT_FORMAT_CHUNK
#define RIAD_BLOCK_CRYPT_FORMAT_CHUNK (256 * 1024)
#endif

/* ---- storage: memory store ---- */

/* Memory store (riad_kv_mem_open): bytes one store may hold, counting each
 * value, its key and a fixed overhead per key. Reached: set, set_partial
 * and rename return -RIAD_ENOSPC and change nothing. */
#ifndef RIAD_KV_MEM_MAX_BYTES
#define RIAD_KV_MEM_MAX_BYTES (64u * 1024 * 1024)
#endif

/* ---- storage: tar store ---- */

/* Tar store (riad_kv_tar_open): members (values and directories) one
 * store indexes, counting appended ones; each costs about 40 bytes of
 * index. Reached at open: the open fails with -RIAD_ENOSPC (counted in
 * too_many); on set: -RIAD_ENOSPC, nothing written. */
#ifndef RIAD_KV_TAR_ENTRIES
#define RIAD_KV_TAR_ENTRIES 65536
#endif

/* Tar store: members an open reads, counting those it skips (links,
 * devices, names that are no keys), so that a huge device of skipped
 * members cannot keep the open reading for hours. Reached: the open fails
 * with -RIAD_ENOSPC (counted in too_many). */
#ifndef RIAD_KV_TAR_HEADERS_MAX
#define RIAD_KV_TAR_HEADERS_MAX (1024u * 1024)
#endif

/* Tar store: bytes of member names the index keeps (each name once, as a
 * key, with a NUL; at most 4 GiB). Reached: as RIAD_KV_TAR_ENTRIES. */
#ifndef RIAD_KV_TAR_NAMES_BYTES
#define RIAD_KV_TAR_NAMES_BYTES (4u * 1024 * 1024)
#endif

/* Tar store: largest pax extended header ('x' or 'g') read at open. GNU
 * long names ('L') are bounded by RIAD_KV_KEY_MAX instead: a longer one
 * cannot be a key, its member is skipped (counted in bad_names) without
 * being read. Reached: the open fails with -RIAD_EBADMSG (bad_pax), since
 * a pax header may hold the size that finds the next header. */
#ifndef RIAD_KV_TAR_PAX_MAX
#define RIAD_KV_TAR_PAX_MAX (64u * 1024)
#endif

/* Tar store: bytes read ahead at a time while indexing, so that the
 * headers of small members come in one request (the buffer is freed when
 * the open returns; at least two sectors). After a member longer than half
 * of it, only the next header's sectors are read. */
#ifndef RIAD_KV_TAR_SCAN_BYTES
#define RIAD_KV_TAR_SCAN_BYTES (64u * 1024)
#endif

/* Tar store: extended headers (pax 'x' and 'g', GNU 'L' and 'K') in a row
 * before a member, and old GNU sparse extension blocks after one. Real
 * archives have at most three or four. Reached: the open fails with
 * -RIAD_EBADMSG (bad_chain). */
#ifndef RIAD_KV_TAR_META_CHAIN
#define RIAD_KV_TAR_META_CHAIN 16
#endif

/* ---- storage: baked store ---- */

/* Baked store (riad build --bake, riad_kv_baked_open): files one image may
 * hold, counting duplicates. Reached: riad build fails with one line naming
 * the limit; riad_kv_baked_open() finds an image with more -RIAD_EBADMSG. */
#ifndef RIAD_KV_BAKED_FILES_MAX
#define RIAD_KV_BAKED_FILES_MAX 65536
#endif

/* Baked store: bytes of distinct contents one image may hold (identical
 * files count once). The whole image is part of the unikernel, loaded
 * into memory with it. Reached: riad build fails with one line. */
#ifndef RIAD_KV_BAKED_BYTES_MAX
#define RIAD_KV_BAKED_BYTES_MAX (256ull << 20)
#endif

/* ---- storage: writable store ---- */

/* Keys the writable store (riad_kv_store_open, docs/storage-store.md) holds
 * in its index in RAM, one entry of 48 bytes each. A set or rename that
 * would pass it returns -RIAD_ENOSPC; a store image holding more does not
 * open (-RIAD_ENOSPC). */
#ifndef RIAD_KV_STORE_KEYS
#define RIAD_KV_STORE_KEYS 65536
#endif

/* Bytes of keys (each key's length + 1) the writable store's index holds in
 * RAM; passing it is -RIAD_ENOSPC as for RIAD_KV_STORE_KEYS. With the two
 * buffers below, the store's RAM is at most about
 * 48 * RIAD_KV_STORE_KEYS + RIAD_KV_STORE_KEY_BYTES
 * + (RIAD_KV_STORE_WBUF_SECTORS + RIAD_KV_STORE_IO_SECTORS + 1) * sector size,
 * whatever the size of the device. */
#ifndef RIAD_KV_STORE_KEY_BYTES
#define RIAD_KV_STORE_KEY_BYTES (4 * 1024 * 1024)
#endif

/* Sectors of the writable store's write buffer: appended records wait
 * there until it is full (then it is written in one request) or until a
 * flush. */
#ifndef RIAD_KV_STORE_WBUF_SECTORS
#define RIAD_KV_STORE_WBUF_SECTORS 32
#endif

/* Sectors the writable store reads in one request (opening, gets). */
#ifndef RIAD_KV_STORE_IO_SECTORS
#define RIAD_KV_STORE_IO_SECTORS 32
#endif

/* Largest value of the writable store, in bytes; larger: -RIAD_EFBIG. A
 * value must also fit in half the device with every other live key. */
#ifndef RIAD_KV_STORE_VALUE_MAX
#define RIAD_KV_STORE_VALUE_MAX (1024ULL * 1024 * 1024)
#endif

/* How many sectors past the end of the writable store's log opening looks
 * for a committed sector that would mean the log has a hole (damage, not a
 * crash: the open fails with -RIAD_EBADMSG). Longer damage at the very end
 * of the log looks like a shorter log. */
#ifndef RIAD_KV_STORE_SCAN_AHEAD
#define RIAD_KV_STORE_SCAN_AHEAD 64
#endif


/* ---- storage: boot-time store choice ---- */

/* Storage, --store: longest SPEC in bytes (riad/store.h). The longest
 * well-formed one is 182 bytes ("store:", 67 of device, '@', 108 of GPT
 * name). Reached: the value is rejected before main() (status 64). */
#ifndef RIAD_STORE_SPEC_MAX
#define RIAD_STORE_SPEC_MAX 256
#endif

/* ---- end of storage ---- */

#endif
