/* tender/hvt/hvt_hypercall.c: hypercall dispatch (port 0x500 + n, and riad's ENTROPY at 0x580), and the WALLTIME, PUTS, HALT and ENTROPY hypercalls. */
#include "hvt.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <signal.h>
#include <solo5.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

extern const struct hvt_hypercall __start_riad_hvt_hypercalls[] __attribute__((weak));
extern const struct hvt_hypercall __stop_riad_hvt_hypercalls[] __attribute__((weak));

static hvt_hypercall_fn table[RIAD_HVT_HYPERCALL_MAX];

static void hc_entropy(struct hvt *h, uint64_t gpa);

int hvt_hypercall_init(struct tender_error *err)
{
	for (const struct hvt_hypercall *c = __start_riad_hvt_hypercalls;
	     c < __stop_riad_hvt_hypercalls; c++) {
		if (c->nr == RIAD_HVT_HYPERCALL_RESERVED || c->nr >= RIAD_HVT_HYPERCALL_MAX)
			return error_set(err, "hypercall %" PRIu32 " is out of range", c->nr);
		if (table[c->nr] != NULL)
			return error_set(err, "hypercall %" PRIu32 " registered twice", c->nr);
		table[c->nr] = c->fn;
	}
	return 0;
}

void hvt_hypercall(struct hvt *h, uint16_t port, uint8_t size, uint32_t count, uint8_t direction,
		   uint32_t value)
{
	bool solo5 = port >= RIAD_HVT_HYPERCALL_PIO_BASE &&
		     port < RIAD_HVT_HYPERCALL_PIO_BASE + RIAD_HVT_HYPERCALL_MAX;
	uint32_t nr;

	/* The same rules for Solo5's ports and riad's own. */
	if (!(solo5 || port == RIAD_HVT_ENTROPY_PIO) || direction != KVM_EXIT_IO_OUT ||
	    size != 4 || count != 1)
		hvt_fatal("Invalid guest port access: %u-byte %s%s on port 0x%x", size,
			  direction == KVM_EXIT_IO_OUT ? "out" : "in", count != 1 ? " (string)" : "",
			  port);
	if (port == RIAD_HVT_ENTROPY_PIO) {
		hc_entropy(h, value);
		return;
	}
	nr = port - RIAD_HVT_HYPERCALL_PIO_BASE;
	if (table[nr] == NULL)
		hvt_fatal("Invalid guest hypercall: %" PRIu32 " (port 0x%x)", nr, port);
	table[nr](h, value);
}

const struct riad_mft_entry *hvt_device(const struct hvt *h, uint64_t handle, uint32_t type)
{
	const struct riad_mft_entry *e;

	if (handle == 0 || handle >= h->mft->entries)
		return NULL;
	e = &h->mft->e[handle];
	return e->type == type && e->attached ? e : NULL;
}

static void hc_walltime(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_walltime a;
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		hvt_fatal("clock_gettime(CLOCK_REALTIME): %s", strerror(errno));
	a.nsecs = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	memcpy(hvt_guest_out(h, gpa, sizeof a, "WALLTIME struct"), &a, sizeof a);
}

/* riad's own (abi/hvt.h): offered to every guest, in host_features. */
static void hc_entropy(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_entropy a;
	uint8_t *p;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "ENTROPY struct"), sizeof a);
	if (a.len > RIAD_HVT_ENTROPY_MAX)
		hvt_fatal("Invalid guest ENTROPY request: %" PRIu64 " bytes (at most %u)", a.len,
			  RIAD_HVT_ENTROPY_MAX);
	p = hvt_guest_out(h, a.data, a.len, "ENTROPY data");
	for (size_t done = 0; done < a.len;) {
		ssize_t n = getrandom(p + done, a.len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			hvt_fatal("ENTROPY: getrandom: %s", n < 0 ? strerror(errno) : "no bytes");
		done += (size_t)n;
	}
}

static void hc_puts(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_puts a;
	const uint8_t *p;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "PUTS struct"), sizeof a);
	p = hvt_guest_in(h, a.data, a.len, "PUTS data");
	/* Best effort: the console may drop output, but not stop the guest. */
	while (a.len > 0) {
		ssize_t n = write(1, p, a.len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		a.len -= (uint64_t)n;
	}
}

static void hc_halt(struct hvt *h, uint64_t gpa)
{
	struct riad_hvt_hc_halt a;

	memcpy(&a, hvt_guest_in(h, gpa, sizeof a, "HALT struct"), sizeof a);
	/* A cookie (the trap frame of an aborting guest) must be readable;
	 * only a core dump reads it. */
	if (a.cookie != 0)
		(void)hvt_guest_in(h, a.cookie, RIAD_HVT_HALT_COOKIE_MAX, "HALT cookie");
	hvt_ring_stop(h);
	/* solo5_abort() and fatal traps; a normal exit leaves no core. */
	if (a.exit_status == SOLO5_EXIT_ABORT) {
		hvt_gdb_fault(h, a.cookie != 0 ? SIGSEGV : SIGABRT, a.cookie);
		hvt_dumpcore(h, a.cookie != 0 ? SIGSEGV : SIGABRT, a.cookie);
	} else {
		hvt_gdb_exited(a.exit_status);
	}
	_exit(a.exit_status & 0xff);
}

HVT_HYPERCALL(walltime, RIAD_HVT_HYPERCALL_WALLTIME, hc_walltime);
HVT_HYPERCALL(puts, RIAD_HVT_HYPERCALL_PUTS, hc_puts);
HVT_HYPERCALL(halt, RIAD_HVT_HYPERCALL_HALT, hc_halt);
