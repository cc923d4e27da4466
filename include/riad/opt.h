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

#endif
