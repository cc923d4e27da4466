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

#endif
