/* tcp/tcp_int.h: the TCP engine's internal structures and the functions its files share (private to tcp/). */
#ifndef RIAD_TCP_TCP_INT_H
#define RIAD_TCP_TCP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <riad/net_stats.h>
#include <riad/opt.h>

#include "tcp.h"
#include "tcp_seg.h"
#include "tcp_seq.h"

#define TCP_NS_PER_MS (1000 * 1000LL)
#define TCP_NS_PER_S (1000 * 1000 * 1000LL)
#define TCP_NEVER INT64_MAX

/* Count one event or drop: tcp_stat(st, no_conn). */
#define tcp_stat(st, field) ((st)->stats->field++)

/* Output segments that may wait (new data) leave this many queue slots for
 * ones that may not (ACK, RST). */
#define TCP_TXQ_RESERVE 8

/* A connection's addresses, host order. */
struct tcp_tuple {
	uint32_t laddr, raddr;
	uint16_t lport, rport;
};

/* A byte ring: len valid bytes from head, in mem[0, cap). */
struct tcp_buf {
	uint8_t *mem; /* NULL until first needed */
	uint32_t cap;
	uint32_t head;
	uint32_t len;
};

struct tcp_range {
	uint32_t start, end; /* [start, end) in sequence space */
};

/* Links of an object on the stack's notify list. */
struct tcp_notify {
	struct tcp_notify *next, *prev;
	void *user;
	bool queued;
};

/* A FIFO of connections linked through lnext/lprev (a listener's half-open
 * and accept queues, the stack's TIME-WAIT queue). */
struct tcp_list {
	struct tcp_conn *head, *tail;
	unsigned n;
};

struct tcp_cc {
	enum tcp_cc_algo algo;
	uint32_t cwnd, ssthresh; /* bytes */
	uint64_t acked_acc;      /* bytes ACKed towards the next increase (RFC 5681 3.1; CUBIC: scaled by cwnd) */
	/* CUBIC (RFC 9438 4), bytes and ns. */
	uint32_t w_max, w_last_max;
	int64_t epoch;           /* start of the current congestion-avoidance epoch, 0: none */
	int64_t k_ns;            /* K: time to reach w_max again */
	uint32_t w_est;          /* the Reno-friendly estimate (4.3) */
	uint32_t cwnd_epoch;     /* cwnd at the start of the epoch */
};

struct tcp_conn {
	struct tcp_stack *st;
	struct tcp_notify nt;
	enum tcp_state state;
	struct tcp_tuple t;

	struct tcp_conn *anext, *aprev; /* every connection of the stack */
	struct tcp_conn *hnext;   /* hash chain */
	bool hashed;
	struct tcp_conn *lnext, *lprev;
	struct tcp_list *list;    /* which tcp_list, if any */
	struct tcp_listener *parent; /* passive and not yet accepted */
	int heap_idx;             /* in st->heap, -1 when no timer */
	int64_t deadline;

	bool app;                 /* the application holds the handle */
	bool released;            /* the application let go (close/abort) */
	bool passive;
	bool connected;           /* reached ESTABLISHED once */
	int error;                /* negative errno, or 0 */
	int soft_error;           /* from ICMP, reported on timeout */

	/* Send side (RFC 9293 3.3.1). */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
	struct tcp_buf sb;        /* unacknowledged and unsent data */
	uint32_t sb_seq;          /* sequence number of sb's first byte */
	bool fin_queued;          /* FIN follows the data in sb */
	uint32_t snd_sml;         /* end of the last segment shorter than the MSS (Minshall) */
	uint16_t mss;             /* payload bytes per segment we send (options excluded) */
	uint16_t adv_mss;         /* MSS we advertised */
	uint8_t snd_scale, rcv_scale;
	bool ws_ok, ts_ok, sack_ok;
	bool nodelay;

	/* Receive side. */
	uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge last advertised */
	struct tcp_buf rb;        /* rb.len in-order unread bytes; out-of-order data lies beyond */
	struct tcp_range *ooo;    /* RIAD_TCP_OOO_MAX ranges: allocated with the first, freed with the last */
	uint8_t nooo;
	struct tcp_range ooo_last; /* the range the latest out-of-order segment touched */
	struct tcp_range dsack;   /* RFC 2883: the duplicate range the next ACK reports first; empty (start == end) when none */
	bool rcv_fin;             /* the peer's FIN was consumed: end of stream */
	bool fin_ooo;             /* a FIN arrived ahead of missing data */
	uint32_t fin_ooo_seq;

	/* Timestamps (RFC 7323). */
	uint32_t ts_recent;
	int64_t ts_recent_at;
	uint32_t ts_off;
	uint32_t last_ack_sent;

	/* RTT and RTO (RFC 6298), ns. */
	int64_t srtt, rttvar, rto;
	unsigned backoff;
	bool rtt_timing;          /* timing the segment ending at rtt_seq */
	uint32_t rtt_seq;
	int64_t rtt_start;
	bool rtt_valid;           /* a sample was taken */
	bool syn_rexmit;          /* the SYN or SYN-ACK was retransmitted (RFC 6298 5.7) */

	/* Congestion control and loss recovery (RFC 5681, 6582, 6675). */
	struct tcp_cc cc;
	unsigned dupacks;
	bool in_recovery;
	bool recover_valid;
	uint32_t recover;         /* snd_max when recovery (or the RTO) started */
	uint32_t rexmit_nxt;      /* next sequence to consider for retransmission in recovery */
	struct tcp_range *sacked; /* RIAD_TCP_SACK_MAX ranges: allocated with the first, freed with the last */
	uint8_t nsacked;

	/* Timers (absolute ns, TCP_NEVER when off). */
	int64_t t_rexmt, t_persist, t_delack, t_keep, t_2msl, t_output;
	unsigned rexmt_count;     /* retransmissions of the current snd_una */
	int64_t last_data_tx;     /* when data was last sent (RFC 5681 4.1) */
	unsigned persist_count;

	/* ACK generation. */
	unsigned segs_unacked;    /* full segments received since the last ACK */
	bool ack_now;             /* an ACK must go out with the next output */
	bool ack_soon;            /* in-order data earned an ACK: at once, or at tcp_input_end() */
	bool ack_held;            /* on the stack's list of held ACKs */
	struct tcp_conn *ack_next; /* ... linked here */

	/* Keepalive. */
	bool keepalive;
	int64_t ka_idle, ka_intvl;
	unsigned ka_probes, ka_sent;
	int64_t last_rx;

	/* RFC 5961 challenge ACK limit. */
	int64_t chal_second;
	unsigned chal_count;
};

struct tcp_listener {
	struct tcp_stack *st;
	struct tcp_notify nt;
	struct tcp_listener *next;
	uint32_t addr;
	uint16_t port;
	unsigned backlog;
	struct tcp_list pending;  /* SYN-RECEIVED */
	struct tcp_list ready;    /* established, waiting for tcp_accept */
	int64_t cookie_sent_at;   /* last SYN cookie, for accepting their ACKs */
	bool cookies_used;
};

/* Options a stack neither offers nor accepts (struct tcp_stack.features;
 * for tests, to exercise the paths without them). */
#define TCP_FEAT_NO_SACK 0x1
#define TCP_FEAT_NO_TS 0x2
#define TCP_FEAT_NO_WS 0x4

struct tcp_stack {
	unsigned features;        /* TCP_FEAT_* */
	uint8_t key_isn[16];      /* RFC 6528 F() */
	uint8_t key_misc[16];     /* cookies, timestamps, ports, hash (domain-separated) */
	struct riad_tcp_stats own_stats;
	struct riad_tcp_stats *stats;
	struct tcp_conn *hash[RIAD_TCP_HASH_BUCKETS];
	struct tcp_listener *listeners;
	unsigned nlisteners;
	unsigned nconns;          /* every struct tcp_conn, TIME-WAIT included */
	struct tcp_conn *all;     /* ... linked through anext/aprev */
	struct tcp_conn *last;    /* the last connection looked up (a bulk flow hits it again) */
	struct tcp_list timewait; /* released connections in TIME-WAIT, oldest first */
	struct tcp_conn **heap;   /* timer min-heap on deadline */
	unsigned nheap, heap_cap;
	struct tcp_notify *nhead, *ntail;
	bool batching;            /* between tcp_input_begin() and tcp_input_end() */
	struct tcp_conn *held;    /* connections whose ACK waits for tcp_input_end() */
	uint16_t mss;
	uint8_t offload;          /* TCP_OFFLOAD_* */
	uint8_t rcv_scale;        /* window scale we offer, from RIAD_TCP_RCV_BUF */
	uint32_t port_next;
	int64_t rst_at;           /* RST token bucket */
	uint32_t rst_tokens;
	struct tcp_stack *snext, *sprev; /* every stack (tcp_stacks), for the gauges */
};

/* Every stack created and not destroyed (tcp/tcp.c), for tcp_metrics.c. */
extern struct tcp_stack *tcp_stacks;

/* ---- tcp_conn.c ---- */
struct tcp_conn *tcp_conn_new(struct tcp_stack *st, const struct tcp_tuple *t, int64_t now);
struct tcp_conn *tcp_conn_lookup(struct tcp_stack *st, const struct tcp_tuple *t);
void tcp_conn_set_state(struct tcp_conn *c, enum tcp_state s);
void tcp_conn_notify(struct tcp_conn *c);
/* The connection ends (CLOSED) with err (0 for a normal end): unhashed,
 * timers off, buffers freed; freed too unless the application holds it. */
void tcp_conn_close(struct tcp_conn *c, int err);
/* Enter TIME-WAIT (RFC 9293 3.10.7.4): 2*MSL timer, buffers freed. */
void tcp_conn_time_wait(struct tcp_conn *c, int64_t now);
/* Free what is left of a connection (it must be off every structure but the
 * notify list and lists it is on, which this removes it from). */
void tcp_conn_free(struct tcp_conn *c);
/* A passive connection reached ESTABLISHED: move it to the accept queue. */
void tcp_conn_ready(struct tcp_conn *c);
uint32_t tcp_conn_rcv_wnd(const struct tcp_conn *c);
bool tcp_conn_can_create(const struct tcp_stack *st);

void tcp_list_push(struct tcp_list *l, struct tcp_conn *c);
void tcp_list_remove(struct tcp_conn *c);
void tcp_notify_push(struct tcp_stack *st, struct tcp_notify *n);
void tcp_notify_remove(struct tcp_stack *st, struct tcp_notify *n);

/* ---- tcp_buf.c ---- */
int tcp_buf_reserve(struct tcp_buf *b, uint32_t cap);
void tcp_buf_release(struct tcp_buf *b);
void tcp_buf_write_at(struct tcp_buf *b, uint32_t off, const uint8_t *src, uint32_t n);
void tcp_buf_read_at(const struct tcp_buf *b, uint32_t off, uint8_t *dst, uint32_t n);
void tcp_buf_consume(struct tcp_buf *b, uint32_t n);

/* ---- tcp_output.c ---- */
/* Everything one outgoing segment needs. */
struct tcp_tx {
	struct tcp_tuple t;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;             /* as on the wire */
	uint16_t mss;             /* SYN: MSS option, 0 none */
	int ws;                   /* SYN: window scale option, -1 none */
	bool sack_ok;             /* SYN: SACK permitted */
	bool ts;
	uint32_t tsval, tsecr;
	uint8_t nsack;
	struct tcp_range sack[TCP_SACK_BLOCKS_MAX];
	const struct tcp_buf *src; /* payload from this ring ... */
	uint32_t src_off, len;    /* ... at this offset, this many bytes */
	uint16_t gso_size;        /* len > gso_size: a TSO segment, cut by the device */
};
/* Build and queue one segment. 0, or -1 if it was not sent (counted). */
int tcp_output_tx(struct tcp_stack *st, const struct tcp_tx *tx, struct net_txq *out);
/* Send what is due on c: SYN, data, FIN, retransmissions, a pending ACK. */
void tcp_output(struct tcp_conn *c, int64_t now, struct net_txq *out);
/* A segment of c's at seq with len bytes of its send buffer and flags. */
int tcp_output_seg(struct tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags, int64_t now,
                   struct net_txq *out);
void tcp_output_ack(struct tcp_conn *c, int64_t now, struct net_txq *out);
/* RFC 5961 challenge ACK, rate-limited per connection. */
void tcp_output_challenge_ack(struct tcp_conn *c, int64_t now, struct net_txq *out);
/* <SEQ=snd_nxt><CTL=RST> on c. */
void tcp_output_rst(struct tcp_conn *c, int64_t now, struct net_txq *out);
/* The RST answering seg on no connection (RFC 9293 3.10.7.1), rate-limited. */
void tcp_output_reset_for(struct tcp_stack *st, const struct tcp_tuple *t, const struct tcp_seg *seg,
                          int64_t now, struct net_txq *out);
/* Retransmission-timer resend of the first unacknowledged segment. */
int tcp_output_rexmit(struct tcp_conn *c, int64_t now, struct net_txq *out);
/* Zero-window (or small-window) probe for the persist timer. */
int tcp_output_probe(struct tcp_conn *c, int64_t now, struct net_txq *out);
void tcp_output_keepalive(struct tcp_conn *c, int64_t now, struct net_txq *out);
/* Window field for c (scaled, never shrinking the right edge). */
uint16_t tcp_output_wnd(struct tcp_conn *c, bool syn);
/* Our TSval at now. */
uint32_t tcp_output_tsval(const struct tcp_conn *c, int64_t now);

/* ---- tcp_input.c ---- */
/* The data, FIN and ACK part of a segment, from RFC 9293 3.10.7.4's fifth
 * step on; used by the listener for a cookie's ACK as well. */
void tcp_input_synchronized(struct tcp_conn *c, const struct tcp_seg *seg, int64_t now,
                            struct net_txq *out);

/* ---- tcp_timer.c ---- */
/* Recompute c's deadline from its timers and fix its heap position. */
void tcp_timer_update(struct tcp_conn *c);
void tcp_timer_remove(struct tcp_conn *c);
/* Arm the retransmission timer at now + rto << backoff (capped). */
void tcp_timer_arm_rexmt(struct tcp_conn *c, int64_t now);
int64_t tcp_timer_rto(const struct tcp_conn *c);

/* ---- tcp_rtt.c ---- */
void tcp_rtt_init(struct tcp_conn *c);
void tcp_rtt_sample(struct tcp_conn *c, int64_t rtt);

/* ---- tcp_cc.c ---- */
void tcp_cc_init(struct tcp_conn *c);
/* The initial window for c's MSS (RFC 6928), also the restart window. */
uint32_t tcp_cc_initial_window(const struct tcp_conn *c);
/* Sending again after an idle period longer than the RTO (RFC 5681 4.1). */
void tcp_cc_after_idle(struct tcp_conn *c);
/* acked bytes newly acknowledged outside recovery. */
void tcp_cc_on_ack(struct tcp_conn *c, uint32_t acked, int64_t now);
/* A loss found by duplicate ACKs or SACK: sets ssthresh (and CUBIC's state). */
void tcp_cc_on_loss(struct tcp_conn *c, int64_t now);
/* The retransmission timer expired. */
void tcp_cc_on_rto(struct tcp_conn *c, int64_t now);
uint32_t tcp_cc_flight(const struct tcp_conn *c);

/* ---- tcp_sack.c (sender scoreboard) ---- */
void tcp_sack_update(struct tcp_conn *c, const struct tcp_seg *seg);
/* Forget the scoreboard (and free it). */
void tcp_sack_clear(struct tcp_conn *c);
/* Drop scoreboard parts below snd_una. */
void tcp_sack_trim(struct tcp_conn *c);
uint32_t tcp_sack_bytes(const struct tcp_conn *c, uint32_t from, uint32_t to);
uint32_t tcp_sack_high(const struct tcp_conn *c);
/* The first unSACKed range at or after from, below the highest SACKed byte
 * (RFC 6675 NextSeg rule 1, simplified); false when none. */
bool tcp_sack_next_hole(const struct tcp_conn *c, uint32_t from, uint32_t *start, uint32_t *end);
/* RFC 6675 pipe during recovery. */
uint32_t tcp_sack_pipe(const struct tcp_conn *c);

/* ---- tcp_reass.c (receiver out-of-order ranges) ---- */
/* Note [start, end) held beyond rcv_nxt: 1, or 0 if the table is full, or
 * -RIAD_ENOMEM if it could not be allocated. */
int tcp_reass_insert(struct tcp_conn *c, uint32_t start, uint32_t end);
/* ---- tcp_range.c ---- */

/* Merge [s, e) into r[0..*n), ranges sorted, disjoint and not touching, in
 * a table of max. Every range [s, e) overlaps or touches becomes one.
 * When the table is full and nothing merges, evict_highest says what
 * goes: the highest range (unless the new one is the highest), or, when
 * false, the new one. Returns the index of the range now holding [s, e),
 * or -1 if it was not stored. */
int tcp_range_merge(struct tcp_range *r, uint8_t *n, unsigned max, uint32_t s, uint32_t e,
                    bool evict_highest);

/* Forget every range (and free the table). */
void tcp_reass_clear(struct tcp_conn *c);
/* Advance rcv_nxt over ranges that now touch it; returns the bytes added. */
uint32_t tcp_reass_pull(struct tcp_conn *c);
/* Bytes of [start, end) already held out of order; *first the first such
 * piece (valid when the result is not 0). */
uint32_t tcp_reass_overlap(const struct tcp_conn *c, uint32_t start, uint32_t end,
                           struct tcp_range *first);
/* SACK blocks to send, at most max: c->dsack first if set, then the held
 * range containing it (RFC 2883 4), then the latest range first (RFC 2018 4). */
uint8_t tcp_reass_blocks(const struct tcp_conn *c, struct tcp_range *blocks, uint8_t max);

/* ---- tcp_isn.c ---- */
uint32_t tcp_isn(const struct tcp_stack *st, const struct tcp_tuple *t, int64_t now);
uint32_t tcp_isn_ts_offset(const struct tcp_stack *st, const struct tcp_tuple *t);
uint32_t tcp_isn_hash(const struct tcp_stack *st, const struct tcp_tuple *t, uint8_t domain);

/* ---- tcp_syncookie.c ---- */
/* The ISN for a cookie SYN-ACK, and the MSS it encodes (*mss). */
uint32_t tcp_syncookie_make(const struct tcp_stack *st, const struct tcp_tuple *t, uint32_t peer_isn,
                            uint16_t peer_mss, int64_t now, uint16_t *mss);
/* Whether cookie (our ISN) answers peer_isn on t; *mss the MSS it encoded. */
bool tcp_syncookie_check(const struct tcp_stack *st, const struct tcp_tuple *t, uint32_t peer_isn,
                         uint32_t cookie, int64_t now, uint16_t *mss);
/* Options remembered in the low bits of our TSval (when timestamps are on). */
uint32_t tcp_syncookie_tsval(uint32_t tsval, int wscale, bool sack_ok);
void tcp_syncookie_ts_opts(uint32_t tsecr, int *wscale, bool *sack_ok);

#endif
